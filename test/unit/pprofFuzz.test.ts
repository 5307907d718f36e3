// Property-based fuzzing of the pprof engine (fast-check): 10,000 mutated and truncated profiles per run —
// cut short, bits flipped, bytes overwritten, inserted or repeated, raw or gzipped — must each decode or be
// refused with a ProfileError, quickly; never another exception, never a hang. Whatever decodes must also
// survive every aggregation (top, lines, callers, flame graph, filters, description), and decoding in
// chunks must reach the same outcome as decoding at once.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { callersAndCallees } from '../../core/profiles/callGraph';
import { ProfileDecoder } from '../../core/profiles/decode';
import { decodeProfileBytes } from '../../core/profiles/profileFile.node';
import { flameGraph } from '../../core/profiles/flameGraph';
import type { Profile } from '../../core/profiles/profile';
import { ProfileError } from '../../core/profiles/profileError';
import { describeProfile } from '../../core/profiles/profileInfo';
import { prepareQuery } from '../../core/profiles/query';
import { topReport } from '../../core/profiles/topReport';
import { renderTopText } from '../../core/profiles/topText';
import { buildProfile, sampleCpuProfileSpec } from '../helpers/pprofBuilder';
import { sharedFixture } from '../helpers/sharedFixtures';

const FIXTURES = sharedFixture('pprof');
const raw = (bytes: Uint8Array) => (bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes);

const CORPUS: Uint8Array[] = [
  raw(buildProfile(sampleCpuProfileSpec())),
  raw(buildProfile({ ...sampleCpuProfileSpec(), dropFrames: 'main\\.fib', keepFrames: 'main\\.main' })),
  raw(buildProfile({
    sampleTypes: [['alloc_objects', 'count'], ['alloc_space', 'bytes'], ['inuse_objects', 'count'], ['inuse_space', 'bytes']],
    periodType: ['space', 'bytes'],
    defaultSampleType: 'alloc_space',
    samples: [
      { stack: ['main.alloc', 'main.main'], values: [1, 1024, 0, 0], numLabels: { bytes: 1024 } },
      { stack: ['runtime.malg<main.spawn', 'main.main'], values: [2, 4096, 1, 2048], numLabels: { bytes: { value: 2048, unit: 'bytes' } } },
    ],
  })),
  raw(readFileSync(join(FIXTURES, 'sample.addresses-only.cpu'))),
  raw(readFileSync(join(FIXTURES, 'go.nomappings.crash'))),
  raw(readFileSync(join(FIXTURES, 'cppbench.cpu_no_samples_type'))),
];

const CAP = 4 * 1024 * 1024;

/** Every analysis a UI or the CLI runs on a profile, to shake out crashes on odd but valid input. */
function exercise(profile: Profile): void {
  describeProfile(profile);
  if (profile.sampleTypes.length === 0) return;
  for (let sampleIndex = 0; sampleIndex < profile.sampleTypes.length; sampleIndex++) {
    const query = prepareQuery(profile, { sampleIndex });
    const top = topReport(query, { inlineMarkers: true });
    renderTopText(top, profile);
    topReport(query, { granularity: 'lines', nodeFraction: 0, nodeCount: 5, inlineMarkers: true });
    flameGraph(query);
    const first = top.rows.find((r) => r.functionName !== '');
    if (first) callersAndCallees(query, first.functionName);
  }
  try {
    topReport(prepareQuery(profile, { focus: 'main', ignore: 'runtime', tags: ['worker=c', 'bytes=1kb:'], base: profile }));
  } catch (error) {
    if (!(error instanceof ProfileError)) throw error;
  }
}

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'repeat'; from: number; length: number; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('repeat' as const), from: fc.nat(), length: fc.integer({ min: 1, max: 64 }), at: fc.nat() }),
);

function mutate(input: Uint8Array, m: Mutation): Uint8Array {
  const n = input.length;
  if (n === 0) return input;
  switch (m.kind) {
    case 'truncate':
      return input.subarray(0, m.at % n);
    case 'flip': {
      const out = Uint8Array.from(input);
      out[m.at % n]! ^= 1 << m.bit;
      return out;
    }
    case 'overwrite': {
      const out = Uint8Array.from(input);
      out.set(m.bytes.subarray(0, n - (m.at % n)), m.at % n);
      return out;
    }
    case 'insert': {
      const at = m.at % (n + 1);
      return Uint8Array.from([...input.subarray(0, at), ...m.bytes, ...input.subarray(at)]);
    }
    case 'repeat': {
      const from = m.from % n;
      const slice = input.subarray(from, from + m.length);
      const at = m.at % (n + 1);
      return Uint8Array.from([...input.subarray(0, at), ...slice, ...input.subarray(at)]);
    }
  }
}

interface Case {
  base: number;
  mutations: Mutation[];
  gzip: boolean;
  mutateAfterGzip: Mutation[];
}

const caseArbitrary: fc.Arbitrary<Case> = fc.record({
  base: fc.integer({ min: 0, max: CORPUS.length - 1 }),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  gzip: fc.boolean(),
  mutateAfterGzip: fc.array(mutation, { maxLength: 2 }),
});

function bytesOf(c: Case): Uint8Array {
  let bytes = CORPUS[c.base]!;
  for (const m of c.mutations) bytes = mutate(bytes, m);
  if (c.gzip) {
    bytes = gzipSync(bytes);
    for (const m of c.mutateAfterGzip) bytes = mutate(bytes, m);
  }
  return bytes;
}

/** Decodes and exercises; returns the outcome ("ok" or the error code). Any other exception fails. */
function outcome(bytes: Uint8Array): string {
  const started = performance.now();
  try {
    const profile = decodeProfileBytes(bytes, { maxDecompressedBytes: CAP });
    exercise(profile);
    return 'ok';
  } catch (error) {
    if (error instanceof ProfileError) {
      assert.ok(error.message.length > 10, 'the error says what is wrong');
      return error.code;
    }
    throw error;
  } finally {
    assert.ok(performance.now() - started < 2000, 'a case took more than 2 s');
  }
}

describe('fuzzing the pprof engine', () => {
  it('10,000 mutated and truncated profiles: each decodes or is refused with a ProfileError', { timeout: 300_000 }, () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const result = outcome(bytesOf(c));
        seen.set(result, (seen.get(result) ?? 0) + 1);
      }),
      { numRuns: 10_000 },
    );
    // The mutations reach both sides: some profiles still decode, several kinds of refusal occur.
    assert.ok((seen.get('ok') ?? 0) > 100, `only ${seen.get('ok') ?? 0} mutated profiles decoded`);
    assert.ok(seen.size >= 5, `only ${[...seen.keys()].join(', ')} occurred`);
  });

  it('decoding in chunks reaches the same outcome as decoding at once', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(caseArbitrary.filter((c) => !c.gzip), fc.array(fc.nat(), { maxLength: 6 }), (c, cuts) => {
        const bytes = bytesOf(c);
        let whole: string;
        try {
          whole = JSON.stringify(describeProfile(decodeProfileBytes(bytes, { maxDecompressedBytes: CAP })));
        } catch (error) {
          if (!(error instanceof ProfileError)) throw error;
          whole = error.code;
        }
        let chunked: string;
        try {
          const points = [...new Set([0, ...cuts.map((x) => (bytes.length ? x % bytes.length : 0)), bytes.length])].sort((a, b) => a - b);
          if (bytes.length === 0) throw new ProfileError('empty', 'empty');
          const decoder = new ProfileDecoder({ maxDecodedBytes: 3 * CAP });
          for (let i = 1; i < points.length; i++) decoder.scan(bytes.subarray(points[i - 1], points[i]));
          decoder.endScan();
          for (let i = 1; i < points.length; i++) decoder.fill(bytes.subarray(points[i - 1], points[i]));
          chunked = JSON.stringify(describeProfile(decoder.finish()));
        } catch (error) {
          if (!(error instanceof ProfileError)) throw error;
          chunked = error.code;
        }
        assert.equal(chunked, whole);
      }),
      { numRuns: 2_000 },
    );
  });
});
