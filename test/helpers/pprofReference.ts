// The reference decoding for the pprof tests: protobufjs's own reflection decoder over the engine's
// profile.proto schema, and a normal form that both it and `decodeProfile` reduce to, so the hand-written
// decoder can be compared with protobufjs field by field.

import * as protobuf from 'protobufjs/light';
import { gunzipSync } from 'node:zlib';
import type { Profile } from '../../core/profiles/profile';
import { profileMessageType } from '../../core/profiles/profileSchema';

/** A profile reduced to plain JSON-comparable data, strings resolved, ids kept. */
export interface NormalProfile {
  sampleTypes: string[];
  defaultSampleType: string;
  periodType: string;
  period: string;
  timeNanos: string;
  durationNanos: string;
  comments: string[];
  dropFrames: string;
  keepFrames: string;
  mappings: string[];
  functions: string[];
  locations: string[];
  samples: string[];
}

type Long = protobuf.Long | number | null | undefined;

function longString(v: Long, unsigned: boolean): string {
  if (v === null || v === undefined) return '0';
  if (typeof v === 'number') return String(v);
  const bits = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return (unsigned ? bits : BigInt.asIntN(64, bits)).toString();
}

interface RefLabel { key?: Long; str?: Long; num?: Long; numUnit?: Long }

/** Decodes with protobufjs (gunzipping first) and normalizes. */
export function referenceDecode(bytes: Uint8Array): NormalProfile {
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  const type = profileMessageType('Profile');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const p = type.decode(raw) as any;
  const strings: string[] = p.stringTable.length ? p.stringTable : [''];
  const s = (v: Long) => strings[Number(longString(v, false))]!;
  const i = (v: Long) => longString(v, false);
  const u = (v: Long) => longString(v, true);
  return {
    sampleTypes: p.sampleType.map((t: { type: Long; unit: Long }) => `${s(t.type)}/${s(t.unit)}`),
    defaultSampleType: s(p.defaultSampleType),
    periodType: p.periodType ? `${s(p.periodType.type)}/${s(p.periodType.unit)}` : '/',
    period: i(p.period),
    timeNanos: i(p.timeNanos),
    durationNanos: i(p.durationNanos),
    comments: p.comment.map((c: Long) => s(c)),
    dropFrames: s(p.dropFrames),
    keepFrames: s(p.keepFrames),
    mappings: p.mapping.map((m: Record<string, Long | boolean>) =>
      [u(m.id as Long), u(m.memoryStart as Long), u(m.memoryLimit as Long), u(m.fileOffset as Long), s(m.filename as Long), s(m.buildId as Long), !!m.hasFunctions, !!m.hasFilenames, !!m.hasLineNumbers, !!m.hasInlineFrames].join('|')),
    functions: p.function.map((f: Record<string, Long>) => [u(f.id), s(f.name), s(f.systemName), s(f.filename), i(f.startLine)].join('|')),
    locations: p.location.map((l: { id: Long; mappingId: Long; address: Long; isFolded: boolean; line: { functionId: Long; line: Long; column: Long }[] }) =>
      [u(l.id), u(l.mappingId), u(l.address), !!l.isFolded, ...l.line.map((ln) => `${u(ln.functionId)}:${i(ln.line)}:${i(ln.column)}`)].join('|')),
    samples: p.sample.map((x: { locationId: Long[]; value: Long[]; label: RefLabel[] }) => {
      const labels = x.label
        .filter((l) => i(l.str) !== '0' || i(l.num) !== '0' || i(l.numUnit) !== '0')
        .map((l) => (i(l.str) !== '0' ? `${s(l.key)}=${s(l.str)}` : `${s(l.key)}#${i(l.num)}${s(l.numUnit)}`));
      return [x.locationId.map(u).join(','), x.value.map(i).join(','), labels.join(',')].join('|');
    }),
  };
}

/** The same normal form from the engine's decoded profile. */
export function normalizeProfile(profile: Profile): NormalProfile {
  const { strings, functions: fns, locations: locs, samples, labelSets: sets } = profile;
  const T = profile.sampleTypes.length;
  const locationRows: string[] = [];
  for (let l = 0; l < locs.count; l++) {
    const lines: string[] = [];
    for (let k = locs.lineStart[l]!; k < locs.lineStart[l + 1]!; k++) lines.push(`${fns.id[locs.lineFunction[k]!]}:${locs.lineNumber[k]}:${locs.lineColumn[k]}`);
    const m = locs.mapping[l]!;
    locationRows.push([locs.id[l], m >= 0 ? profile.mappings[m]!.id : 0, locs.address[l]!.toString(), locs.isFolded[l] === 1, ...lines].join('|'));
  }
  const sampleRows: string[] = [];
  for (let x = 0; x < samples.count; x++) {
    const ids: number[] = [];
    for (let k = samples.locationStart[x]!; k < samples.locationStart[x + 1]!; k++) ids.push(locs.id[samples.locations[k]!]!);
    const values = Array.from(samples.values.subarray(x * T, x * T + T));
    const set = samples.labelSet[x]!;
    const labels: string[] = [];
    for (let k = sets.start[set]!; k < sets.start[set + 1]!; k++) {
      labels.push(sets.string[k] !== 0 ? `${strings[sets.key[k]!]}=${strings[sets.string[k]!]}` : `${strings[sets.key[k]!]}#${sets.number[k]}${strings[sets.unit[k]!]}`);
    }
    sampleRows.push([ids.join(','), values.join(','), labels.join(',')].join('|'));
  }
  const functionRows: string[] = [];
  for (let f = 0; f < fns.count; f++) {
    functionRows.push([fns.id[f], strings[fns.name[f]!], strings[fns.systemName[f]!], strings[fns.filename[f]!], fns.startLine[f]].join('|'));
  }
  return {
    sampleTypes: profile.sampleTypes.map((t) => `${t.type}/${t.unit}`),
    defaultSampleType: profile.defaultSampleType,
    periodType: `${profile.periodType.type}/${profile.periodType.unit}`,
    period: String(profile.period),
    timeNanos: profile.timeNanos.toString(),
    durationNanos: profile.durationNanos.toString(),
    comments: [...profile.comments],
    dropFrames: profile.dropFrames,
    keepFrames: profile.keepFrames,
    mappings: profile.mappings.map((m) =>
      [m.id, m.memoryStart.toString(), m.memoryLimit.toString(), m.fileOffset.toString(), m.file, m.buildId, m.hasFunctions, m.hasFilenames, m.hasLineNumbers, m.hasInlineFrames].join('|')),
    functions: functionRows,
    locations: locationRows,
    samples: sampleRows,
  };
}
