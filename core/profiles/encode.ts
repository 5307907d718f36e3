// encodeProfile: a decoded Profile back to profile.proto bytes (uncompressed), through protobufjs and the
// schema in `profileSchema.ts`. Used to write derived profiles (filtered, pruned) and, in the tests, to
// prove that decoding what protobufjs encodes gives back the same profile.

import * as protobuf from 'protobufjs/light';
import { StringTable } from '../../common/stringTable';
import type { Profile } from './profile';
import { profileMessageType } from './profileSchema';

type Int64 = number | protobuf.Long;

/** A 64-bit value in the {low, high} form protobufjs writes exactly. */
function toLong(value: bigint, unsigned: boolean): protobuf.Long {
  const bits = BigInt.asUintN(64, value);
  return { low: Number(bits & 0xffffffffn) | 0, high: Number(bits >> 32n) | 0, unsigned };
}

export function encodeProfile(profile: Profile): Uint8Array {
  // The profile's own strings keep their indexes; values stored as text (sample types, mappings) are added.
  const strings = new StringTable(profile.strings);
  const intern = (s: string): number => strings.intern(s);
  const shift = profile.strings[0] === '' ? 0 : 1;
  const str = (i: number): number => i + shift;

  const { functions: fns, locations: locs, samples, labelSets: sets } = profile;
  const T = profile.sampleTypes.length;
  const sample = [];
  for (let s = 0; s < samples.count; s++) {
    const locationId: Int64[] = [];
    for (let i = samples.locationStart[s]!; i < samples.locationStart[s + 1]!; i++) locationId.push(locs.id[samples.locations[i]!]!);
    const label = [];
    const set = samples.labelSet[s]!;
    for (let i = sets.start[set]!; i < sets.start[set + 1]!; i++) {
      label.push({ key: str(sets.key[i]!), str: sets.string[i] ? str(sets.string[i]!) : 0, num: sets.number[i]!, numUnit: sets.unit[i] ? str(sets.unit[i]!) : 0 });
    }
    sample.push({ locationId, value: Array.from(samples.values.subarray(s * T, s * T + T)), label });
  }
  const location = [];
  for (let l = 0; l < locs.count; l++) {
    const line = [];
    for (let i = locs.lineStart[l]!; i < locs.lineStart[l + 1]!; i++) {
      line.push({ functionId: fns.id[locs.lineFunction[i]!]!, line: locs.lineNumber[i]!, column: locs.lineColumn[i]! });
    }
    const m = locs.mapping[l]!;
    location.push({
      id: locs.id[l]!,
      mappingId: m >= 0 ? profile.mappings[m]!.id : 0,
      address: toLong(locs.address[l]!, true),
      line,
      isFolded: locs.isFolded[l] === 1,
    });
  }
  const fn = [];
  for (let f = 0; f < fns.count; f++) {
    fn.push({ id: fns.id[f]!, name: str(fns.name[f]!), systemName: str(fns.systemName[f]!), filename: str(fns.filename[f]!), startLine: fns.startLine[f]! });
  }
  const message = {
    sampleType: profile.sampleTypes.map((t) => ({ type: intern(t.type), unit: intern(t.unit) })),
    sample,
    mapping: profile.mappings.map((m) => ({
      id: m.id,
      memoryStart: toLong(m.memoryStart, true),
      memoryLimit: toLong(m.memoryLimit, true),
      fileOffset: toLong(m.fileOffset, true),
      filename: intern(m.file),
      buildId: intern(m.buildId),
      hasFunctions: m.hasFunctions,
      hasFilenames: m.hasFilenames,
      hasLineNumbers: m.hasLineNumbers,
      hasInlineFrames: m.hasInlineFrames,
    })),
    location,
    function: fn,
    dropFrames: profile.dropFrames ? intern(profile.dropFrames) : 0,
    keepFrames: profile.keepFrames ? intern(profile.keepFrames) : 0,
    timeNanos: toLong(profile.timeNanos, false),
    durationNanos: toLong(profile.durationNanos, false),
    periodType: { type: intern(profile.periodType.type), unit: intern(profile.periodType.unit) },
    period: profile.period,
    comment: profile.comments.map(intern),
    defaultSampleType: profile.defaultSampleType ? intern(profile.defaultSampleType) : 0,
    docUrl: profile.docUrl ? intern(profile.docUrl) : 0,
    stringTable: strings.strings,
  };
  const type = profileMessageType('Profile');
  return type.encode(type.fromObject(message)).finish();
}
