// Builds small profiles for the pprof tests through protobufjs and the engine's profile.proto schema, from
// a readable description: functions by name and file, stacks as lists of function names (leaf first,
// `a>b` for b inlined into a's location), values, labels. Ids, strings and locations are assigned here.

import { gzipSync } from 'node:zlib';
import { StringTable } from '../../common/stringTable';
import { profileMessageType } from '../../core/profiles/profileSchema';

export interface SampleSpec {
  /** Leaf first. "f" is a frame of function f; "f<g" is one location where f was inlined into g. */
  readonly stack: readonly string[];
  readonly values: readonly number[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly numLabels?: Readonly<Record<string, number | { value: number; unit: string }>>;
}

export interface ProfileSpec {
  readonly sampleTypes: readonly [string, string][];
  readonly samples: readonly SampleSpec[];
  readonly defaultSampleType?: string;
  readonly periodType?: [string, string];
  readonly period?: number;
  readonly durationNanos?: number;
  readonly timeNanos?: bigint;
  /** File of each function (default "main.go"); line numbers come from the frame order. */
  readonly files?: Readonly<Record<string, string>>;
  readonly comments?: readonly string[];
  readonly dropFrames?: string;
  readonly keepFrames?: string;
  readonly mappingFile?: string;
}

/** The protobufjs plain object for a spec (before encoding), for tests that then break it on purpose. */
export function profileObject(spec: ProfileSpec): Record<string, unknown> {
  const strings = new StringTable();
  const str = (s: string): number => strings.intern(s);
  const functionIds = new Map<string, number>();
  const functions: Record<string, unknown>[] = [];
  const fn = (name: string): number => {
    let id = functionIds.get(name);
    if (id === undefined) {
      id = functions.length + 1;
      functionIds.set(name, id);
      functions.push({ id, name: str(name), systemName: str(name), filename: str(spec.files?.[name] ?? 'main.go'), startLine: 10 * id });
    }
    return id;
  };
  const locationIds = new Map<string, number>();
  const locations: Record<string, unknown>[] = [];
  const location = (frame: string): number => {
    let id = locationIds.get(frame);
    if (id === undefined) {
      id = locations.length + 1;
      locationIds.set(frame, id);
      // "f<g": f inlined into g; Line entries go innermost first.
      const names = frame.split('<');
      locations.push({
        id,
        mappingId: 1,
        address: 0x400000 + id * 16,
        line: names.map((name, i) => ({ functionId: fn(name), line: 10 * fn(name) + 1 + i })),
      });
    }
    return id;
  };
  const sample = spec.samples.map((s) => ({
    locationId: s.stack.map(location),
    value: [...s.values],
    label: [
      ...Object.entries(s.labels ?? {}).map(([k, v]) => ({ key: str(k), str: str(v) })),
      ...Object.entries(s.numLabels ?? {}).map(([k, v]) =>
        typeof v === 'number' ? { key: str(k), num: v } : { key: str(k), num: v.value, numUnit: str(v.unit) },
      ),
    ],
  }));
  return {
    sampleType: spec.sampleTypes.map(([type, unit]) => ({ type: str(type), unit: str(unit) })),
    sample,
    mapping: [{ id: 1, memoryStart: 0x400000, memoryLimit: 0x800000, filename: str(spec.mappingFile ?? '/bin/app'), hasFunctions: true }],
    location: locations,
    function: functions,
    stringTable: strings.strings,
    periodType: spec.periodType ? { type: str(spec.periodType[0]), unit: str(spec.periodType[1]) } : undefined,
    period: spec.period ?? 0,
    durationNanos: spec.durationNanos ?? 0,
    timeNanos: spec.timeNanos !== undefined ? spec.timeNanos.toString() : 0,
    defaultSampleType: spec.defaultSampleType ? str(spec.defaultSampleType) : 0,
    comment: (spec.comments ?? []).map(str),
    dropFrames: spec.dropFrames ? str(spec.dropFrames) : 0,
    keepFrames: spec.keepFrames ? str(spec.keepFrames) : 0,
  };
}

/** Encodes a protobufjs plain object of a Profile (as `profileObject` makes, possibly altered). */
export function encodeProfileObject(object: Record<string, unknown>): Uint8Array {
  const type = profileMessageType('Profile');
  return type.encode(type.fromObject(object)).finish();
}

export function buildProfile(spec: ProfileSpec, options: { gzip?: boolean } = {}): Uint8Array {
  const bytes = encodeProfileObject(profileObject(spec));
  return options.gzip === false ? bytes : gzipSync(bytes);
}

/** A small CPU profile with recursion, inlining, labels and several files: the tests' everyday input. */
export function sampleCpuProfileSpec(): ProfileSpec {
  return {
    sampleTypes: [['samples', 'count'], ['cpu', 'nanoseconds']],
    periodType: ['cpu', 'nanoseconds'],
    period: 10_000_000,
    durationNanos: 2_000_000_000,
    timeNanos: 1_700_000_000_123_456_789n,
    files: { 'main.main': 'example.com/app/main.go', 'main.work': 'example.com/app/work.go', 'main.hash': 'example.com/app/work.go', 'main.fib': 'example.com/app/fib.go', 'runtime.mallocgc': 'runtime/malloc.go' },
    samples: [
      { stack: ['main.hash<main.work', 'main.main'], values: [3, 30_000_000], labels: { worker: 'cpu' } },
      { stack: ['main.work', 'main.main'], values: [1, 10_000_000], labels: { worker: 'cpu' } },
      { stack: ['main.fib', 'main.fib', 'main.fib', 'main.main'], values: [2, 20_000_000], labels: { worker: 'fib' } },
      { stack: ['runtime.mallocgc', 'main.work', 'main.main'], values: [4, 40_000_000], labels: { worker: 'alloc' } },
      { stack: ['main.main'], values: [1, 10_000_000] },
    ],
  };
}
