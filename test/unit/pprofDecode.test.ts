// Decoding profiles: the shared fixtures behave as their README says, the hand-written decoder agrees with
// protobufjs's field by field (whole, in chunks, and after a round trip through the encoder), 64-bit values
// stay exact, and everything that is not a valid profile is refused with a typed error that says why.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { ProfileDecoder, checkProfileStart, decodeProfile } from '../../core/profiles/decode';
import { encodeProfile } from '../../core/profiles/encode';
import { gunzipWithZlib } from '../../core/profiles/gunzip.node';
import { PROFILE_START_BYTES, checkProfileHead, decodeProfileBytes, decodeProfileFile } from '../../core/profiles/profileFile.node';
import { ProfileError, type ProfileErrorCode } from '../../core/profiles/profileError';
import { describeProfile } from '../../core/profiles/profileInfo';
import { prepareQuery } from '../../core/profiles/query';
import { topReport } from '../../core/profiles/topReport';
import { CACHE_DIR } from '../helpers/goToolchain';
import { gzipBomb } from '../helpers/pprofBomb';
import { buildProfile, encodeProfileObject, profileObject, sampleCpuProfileSpec } from '../helpers/pprofBuilder';
import { normalizeProfile, referenceDecode } from '../helpers/pprofReference';
import { sharedFixture } from '../helpers/sharedFixtures';

const FIXTURES = sharedFixture('pprof');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const PROFILE_FIXTURES = ['large.cpu.pb.gz', 'sample.addresses-only.cpu', 'go.nomappings.crash', 'cppbench.cpu_no_samples_type'];
const TMP = join(CACHE_DIR, 'pprof-decode');

function assertProfileError(fn: () => unknown, code: ProfileErrorCode, message?: RegExp): ProfileError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ProfileError, `expected a ProfileError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return error;
  }
  assert.fail(`expected ProfileError ${code}`);
}

async function assertRejectsProfile(promise: Promise<unknown>, code: ProfileErrorCode): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof ProfileError && error.code === code);
}

function topNames(bytes: Uint8Array): string[] {
  return topReport(prepareQuery(decodeProfileBytes(bytes)), { nodeFraction: 0 }).rows.map((r) => r.name);
}

describe('the shared fixtures behave as their README says', () => {
  it('large.cpu.pb.gz: a symbolized multi-thousand-location CPU profile', () => {
    const p = decodeProfileBytes(fixture('large.cpu.pb.gz'));
    assert.equal(p.samples.count, 20430);
    assert.equal(p.locations.count, 23355);
    assert.equal(p.functions.count, 23038);
    assert.deepEqual(p.sampleTypes, [{ type: 'samples', unit: 'count' }, { type: 'cpu', unit: 'nanoseconds' }]);
    assert.equal(p.timeNanos, 1666107597086748038n, 'a nanosecond timestamp beyond 2^53 stays exact');
    assert.equal(p.durationNanos, 240359136496n);
    assert.equal(describeProfile(p).kind, 'cpu');
  });

  it('sample.addresses-only.cpu: mappings flag no line info, yet the lines it carries are used', () => {
    const p = decodeProfileBytes(fixture('sample.addresses-only.cpu'));
    assert.ok(p.mappings.every((m) => !m.hasFunctions && !m.hasFilenames && !m.hasLineNumbers));
    assert.equal(describeProfile(p).locationsWithoutSource, 0);
    assert.deepEqual(topNames(fixture('sample.addresses-only.cpu')).slice(0, 2), ['runtime.mapiternext', 'main.busyLoop']);
  });

  it('go.nomappings.crash: no mappings, addresses only: loads, with no source information', () => {
    const p = decodeProfileBytes(fixture('go.nomappings.crash'));
    assert.equal(p.mappings.length, 0);
    const info = describeProfile(p);
    assert.equal(info.locationsWithoutSource, info.locationCount);
    assert.deepEqual(topNames(fixture('go.nomappings.crash')), ['<unknown>']);
  });

  it('cppbench.cpu_no_samples_type: a CPU profile with only the cpu/nanoseconds type', () => {
    const p = decodeProfileBytes(fixture('cppbench.cpu_no_samples_type'));
    assert.deepEqual(p.sampleTypes, [{ type: 'cpu', unit: 'nanoseconds' }]);
    assert.equal(describeProfile(p).kind, 'cpu');
    assert.equal(prepareQuery(p).total, 7_120_000_000);
  });

  it('fuzz-crasher-7e3c9248: fails with a clear error', () => {
    assertProfileError(() => decodeProfileBytes(fixture('fuzz-crasher-7e3c9248')), 'not-a-profile', /text form.*debug=/);
  });
});

describe('the decoder agrees with protobufjs', () => {
  const built = [buildProfile(sampleCpuProfileSpec()), buildProfile({ ...sampleCpuProfileSpec(), samples: [] })];

  it('on every fixture, field by field', () => {
    for (const name of PROFILE_FIXTURES) assert.deepEqual(normalizeProfile(decodeProfileBytes(fixture(name))), referenceDecode(fixture(name)), name);
    for (const bytes of built) assert.deepEqual(normalizeProfile(decodeProfileBytes(bytes)), referenceDecode(bytes));
  });

  it('after a round trip through the protobufjs encoder', () => {
    for (const name of PROFILE_FIXTURES) {
      const p = decodeProfileBytes(fixture(name));
      assert.deepEqual(normalizeProfile(decodeProfileBytes(encodeProfile(p))), normalizeProfile(p), name);
    }
  });

  it('when fed in chunks of any size, in both passes', () => {
    const raw = gunzipWithZlib(fixture('sample.addresses-only.cpu'), 1 << 30);
    const whole = normalizeProfile(decodeProfileBytes(raw));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: raw.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set([0, ...cuts, raw.length])].sort((a, b) => a - b);
        const decoder = new ProfileDecoder();
        for (let i = 1; i < points.length; i++) decoder.scan(raw.subarray(points[i - 1], points[i]));
        decoder.endScan();
        for (let i = 1; i < points.length; i++) decoder.fill(raw.subarray(points[i - 1], points[i]));
        assert.deepEqual(normalizeProfile(decoder.finish()), whole);
      }),
      { numRuns: 200 },
    );
  });

  it('when streaming a file through zlib, as the CLI and the server read large profiles', async () => {
    mkdirSync(TMP, { recursive: true });
    const file = join(TMP, 'large.cpu.pb.gz');
    writeFileSync(file, fixture('large.cpu.pb.gz'));
    const streamed = await decodeProfileFile(file, { streamThreshold: 0 });
    assert.deepEqual(normalizeProfile(streamed), normalizeProfile(decodeProfileBytes(fixture('large.cpu.pb.gz'))));
    const rawFile = join(TMP, 'sample.raw.pb');
    writeFileSync(rawFile, gunzipWithZlib(fixture('sample.addresses-only.cpu'), 1 << 30));
    assert.deepEqual(normalizeProfile(await decodeProfileFile(rawFile, { streamThreshold: 0 })), referenceDecode(fixture('sample.addresses-only.cpu')));
  });
});

describe('64-bit values are not silently corrupted', () => {
  it('keeps addresses and mapping bounds beyond 2^53 exact', () => {
    const object = profileObject(sampleCpuProfileSpec());
    const locations = object.location as { address: unknown }[];
    locations[0]!.address = '18446744073709551615';
    (object.mapping as Record<string, unknown>[])[0]!.memoryStart = '18446744073699065856';
    (object.mapping as Record<string, unknown>[])[0]!.memoryLimit = '18446744073699069952';
    const p = decodeProfileBytes(encodeProfileObject(object));
    assert.equal(p.locations.address[0], 0xffffffffffffffffn);
    assert.equal(p.mappings[0]!.memoryStart, 0xffffffffff600000n);
    assert.equal(p.mappings[0]!.memoryLimit, 0xffffffffff601000n);
  });

  it('refuses a sample value beyond 2^53 with a typed error, and keeps negative values', () => {
    const tooBig = profileObject(sampleCpuProfileSpec());
    (tooBig.sample as { value: unknown[] }[])[0]!.value = ['9007199254740993', '1'];
    assertProfileError(() => decodeProfileBytes(encodeProfileObject(tooBig)), 'unsafe-integer', /9007199254740993/);
    const negative = profileObject(sampleCpuProfileSpec());
    (negative.sample as { value: unknown[] }[])[0]!.value = [-3, -30_000_000_000];
    const p = decodeProfileBytes(encodeProfileObject(negative));
    assert.deepEqual(Array.from(p.samples.values.subarray(0, 2)), [-3, -30_000_000_000]);
  });
});

describe('what is not a valid profile is refused with a typed error that says why', () => {
  it('an empty file', () => {
    assertProfileError(() => decodeProfileBytes(new Uint8Array(0)), 'empty', /empty/);
    assertProfileError(() => decodeProfileBytes(gzipSync(Buffer.alloc(0))), 'empty');
  });

  it('an HTML page, plain or gzipped', () => {
    const page = Buffer.from('<html><head><title>/debug/pprof/</title></head><body>/debug/pprof/<br>profiles: heap</body></html>');
    assertProfileError(() => decodeProfileBytes(page), 'not-a-profile', /HTML page.*\/debug\/pprof\/ index/);
    assertProfileError(() => decodeProfileBytes(gzipSync(Buffer.from('<!DOCTYPE html><html><body>Sign in</body></html>'))), 'not-a-profile', /HTML/);
  });

  it('JSON, a Go execution trace, the text form of a profile, plain text, random bytes', () => {
    assertProfileError(() => decodeProfileBytes(Buffer.from('{"resourceSpans":[]}')), 'not-a-profile', /JSON/);
    assertProfileError(() => decodeProfileBytes(Buffer.concat([Buffer.from('go 1.23 trace\0\0\0'), Buffer.from([1, 2, 3, 4])])), 'not-a-profile', /execution trace/);
    assertProfileError(() => decodeProfileBytes(Buffer.from('heap profile: 3: 3072 [3: 3072] @ heap/1048576\n1: 1024 [1: 1024] @ 0x1\n')), 'not-a-profile', /debug=1/);
    assertProfileError(() => decodeProfileBytes(Buffer.from('goroutine profile: total 4\n1 @ 0x43e0a6\n')), 'not-a-profile', /debug=/);
    assertProfileError(() => decodeProfileBytes(Buffer.from('404 page not found\n')), 'not-a-profile', /text/);
    assertProfileError(() => decodeProfileBytes(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02])), 'not-a-profile');
  });

  it('a gzip bomb, whether its trailer tells the truth or not, in every decompressor', async () => {
    // Empty packed comment fields (0x6a 0x00) repeated: valid protobuf all the way, so only the cap stops it.
    const fields = [0x6a, 0x00];
    const honest = gzipBomb(4_000_000, 2 + 258 * 4_000_000, fields); // ~1 GiB, and says so
    const lying = gzipBomb(400_000, 1000, fields); // ~100 MiB announced as 1000 bytes
    const cap = 16 * 1024 * 1024;
    const started = Date.now();
    assertProfileError(() => decodeProfileBytes(lying, { maxDecompressedBytes: cap }), 'too-large', /16 MiB.*gzip bomb/);
    assertProfileError(() => gunzipWithZlib(honest, cap), 'too-large');
    assertProfileError(() => gunzipWithZlib(lying, cap), 'too-large');
    mkdirSync(TMP, { recursive: true });
    writeFileSync(join(TMP, 'honest-bomb.gz'), honest);
    writeFileSync(join(TMP, 'lying-bomb.gz'), lying);
    // Streamed (as the CLI reads large files), the cap applies without holding the output.
    await assertRejectsProfile(decodeProfileFile(join(TMP, 'honest-bomb.gz'), { maxDecompressedBytes: cap }), 'too-large');
    await assertRejectsProfile(decodeProfileFile(join(TMP, 'lying-bomb.gz'), { maxDecompressedBytes: cap, streamThreshold: 0 }), 'too-large');
    assert.ok(Date.now() - started < 30000, 'refusing bombs is quick');
  });

  it('a small profile of tiny repeated fields that would expand into gigabytes of tables', () => {
    // 5 MB of empty locations (0x22 0x00): 2.6 million of them, each costing far more once decoded.
    const locations = gzipBomb(20_000, 2 + 258 * 20_000, [0x22, 0x00]);
    assertProfileError(() => decodeProfileBytes(locations, { maxDecompressedBytes: 8 * 1024 * 1024 }), 'too-large', /memory once decoded/);
  });

  it('a profile cut off, raw or gzipped, and a damaged gzip checksum', async () => {
    const raw = encodeProfileObject(profileObject(sampleCpuProfileSpec()));
    assertProfileError(() => decodeProfileBytes(raw.subarray(0, Math.floor(raw.length / 2))), 'truncated', /cut off/);
    const gz = gzipSync(raw);
    assertProfileError(() => decodeProfileBytes(gz.subarray(0, gz.length - 10)), 'truncated');
    assertProfileError(() => gunzipWithZlib(gz.subarray(0, gz.length - 10), 1 << 20), 'truncated');
    const damaged = Uint8Array.from(gz);
    damaged[damaged.length - 6]! ^= 0xff;
    assertProfileError(() => decodeProfileBytes(damaged), 'corrupt-gzip', /checksum/);
    mkdirSync(TMP, { recursive: true });
    writeFileSync(join(TMP, 'cut.pb.gz'), gz.subarray(0, gz.length - 10));
    await assertRejectsProfile(decodeProfileFile(join(TMP, 'cut.pb.gz'), { streamThreshold: 0 }), 'truncated');
  });

  it('indices that point nowhere and ids that repeat', () => {
    const cases: [string, (o: Record<string, unknown>) => void, RegExp][] = [
      ['function name', (o) => ((o.function as Record<string, unknown>[])[0]!.name = 999), /string 999/],
      ['line function', (o) => (((o.location as Record<string, unknown>[])[0]!.line as Record<string, unknown>[])[0]!.functionId = 77), /function 77/],
      ['line without function', (o) => (((o.location as Record<string, unknown>[])[0]!.line as Record<string, unknown>[])[0]!.functionId = 0), /without a function/],
      ['sample location', (o) => ((o.sample as { locationId: number[] }[])[1]!.locationId = [1, 42]), /location 42/],
      ['location mapping', (o) => ((o.location as Record<string, unknown>[])[0]!.mappingId = 9), /mapping 9/],
      ['duplicate location', (o) => ((o.location as Record<string, unknown>[])[1]!.id = 1), /two locations with id 1/],
      ['reserved id', (o) => ((o.function as Record<string, unknown>[])[0]!.id = 0), /reserved id 0/],
      ['label key', (o) => ((o.sample as { label: Record<string, unknown>[] }[])[0]!.label[0]!.key = 5000), /string 5000/],
      ['sample type', (o) => ((o.sampleType as Record<string, unknown>[])[0]!.unit = -1), /string -1/],
    ];
    for (const [what, mutate, message] of cases) {
      const object = profileObject(sampleCpuProfileSpec());
      mutate(object);
      const error = assertProfileError(() => decodeProfileBytes(encodeProfileObject(object)), 'bad-index', message);
      assert.ok(error.message.length > 20, `${what}: the message explains the problem`);
    }
  });

  it('a sample with the wrong number of values, and samples without sample types', () => {
    const object = profileObject(sampleCpuProfileSpec());
    (object.sample as { value: number[] }[])[2]!.value = [1];
    assertProfileError(() => decodeProfileBytes(encodeProfileObject(object)), 'value-count', /sample 2 has 1 values.*2 sample types/);
    const untyped = profileObject(sampleCpuProfileSpec());
    untyped.sampleType = [];
    assertProfileError(() => decodeProfileBytes(encodeProfileObject(untyped)), 'no-sample-types');
  });

  it('a string table that does not start with "", two profiles concatenated, a field of the wrong wire type', () => {
    const object = profileObject(sampleCpuProfileSpec());
    (object.stringTable as string[])[0] = 'oops';
    assertProfileError(() => decodeProfileBytes(encodeProfileObject(object)), 'malformed', /must start with ""/);
    const one = encodeProfileObject(profileObject(sampleCpuProfileSpec()));
    assertProfileError(() => decodeProfileBytes(Buffer.concat([one, one])), 'concatenated', /concatenated/);
    // Field 12 (period) as a length-delimited field.
    assertProfileError(() => decodeProfileBytes(Buffer.concat([one, Buffer.from([0x62, 0x01, 0x00])])), 'malformed', /period has wire type 2/);
  });
});

describe('the portable decodeProfile takes its decompressor from the host', () => {
  const raw = encodeProfileObject(profileObject(sampleCpuProfileSpec()));

  it('decodes uncompressed protobuf without one', () => {
    assert.deepEqual(normalizeProfile(decodeProfile(raw)), referenceDecode(raw));
  });

  it('refuses gzip without one, and says so', () => {
    assertProfileError(() => decodeProfile(gzipSync(raw)), 'not-a-profile', /gzip-compressed.*uncompressed profiles only/);
  });

  it('uses the one it is given, under the cap', () => {
    const caps: number[] = [];
    const p = decodeProfile(gzipSync(raw), { maxDecompressedBytes: 1 << 20, gunzip: (bytes, max) => (caps.push(max), gunzipWithZlib(bytes, max)) });
    assert.deepEqual(normalizeProfile(p), referenceDecode(raw));
    assert.deepEqual(caps, [1 << 20]);
  });
});

describe('checking a captured profile by its head (checkProfileHead)', () => {
  const HEAD = 64 * 1024;
  const large = fixture('large.cpu.pb.gz');
  const longBody = (text: string) => Buffer.from(text.padEnd(4 * HEAD, ' '));

  async function assertRejectsHead(head: Uint8Array, code: ProfileErrorCode, message: RegExp): Promise<void> {
    await assert.rejects(checkProfileHead(head, false), (error: unknown) => {
      assert.ok(error instanceof ProfileError, String(error));
      assert.equal(error.code, code, error.message);
      assert.match(error.message, message);
      return true;
    });
  }

  it('decodes a profile that fits in the head whole', async () => {
    const small = buildProfile(sampleCpuProfileSpec());
    assert.deepEqual(await checkProfileHead(small, true), { gzipped: true, sampleCount: decodeProfileBytes(small).samples.count });
    await assert.rejects(checkProfileHead(small.subarray(0, small.length - 10), true), (e: unknown) => e instanceof ProfileError && e.code === 'truncated');
  });

  it('accepts the start of a longer profile, gzipped or not, without reading further', async () => {
    assert.deepEqual(await checkProfileHead(large.subarray(0, HEAD), false), { gzipped: true });
    assert.deepEqual(await checkProfileHead(gunzipWithZlib(large, 1 << 30).subarray(0, HEAD), false), { gzipped: false });
    // What lies beyond the head is for the decoder that opens the file: here a tail that is no profile.
    const raw = gunzipWithZlib(large, 1 << 30);
    const damaged = Buffer.concat([raw, Buffer.from([0x62, 0x01, 0x00])]);
    assert.deepEqual(await checkProfileHead(damaged.subarray(0, HEAD), false), { gzipped: false });
    assertProfileError(() => decodeProfileBytes(damaged), 'malformed', /period has wire type 2/);
  });

  it('refuses a longer body whose start is no profile, with the decoder\'s reason', async () => {
    await assertRejectsHead(gzipSync(longBody('<!DOCTYPE html><html><body>Sign in</body></html>')).subarray(0, HEAD), 'not-a-profile', /HTML page/);
    await assertRejectsHead(longBody('{"resourceSpans":[').subarray(0, HEAD), 'not-a-profile', /JSON/);
    await assertRejectsHead(longBody('goroutine profile: total 4\n1 @ 0x43e0a6\n').subarray(0, HEAD), 'not-a-profile', /debug=/);
    await assertRejectsHead(Buffer.concat([Buffer.from('go 1.23 trace\0\0\0'), Buffer.alloc(HEAD)]).subarray(0, HEAD), 'not-a-profile', /execution trace/);
    await assertRejectsHead(Buffer.concat([Buffer.from([0x08, 0x96, 0x01]), Buffer.alloc(HEAD)]).subarray(0, HEAD), 'malformed', /sample_type has wire type 0, expected 2/);
    // A first field that claims 4 GB: no field of a profile's start is that long.
    await assertRejectsHead(Buffer.concat([Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), Buffer.alloc(HEAD)]).subarray(0, HEAD), 'not-a-profile', /does not start with a profile\.proto field/);
    const damaged = Buffer.from(large.subarray(0, HEAD));
    damaged[3] = 0xe0; // reserved gzip header flags
    await assertRejectsHead(damaged, 'corrupt-gzip', /damaged/);
  });

  it('reads a bounded start of a head that would expand enormously', async () => {
    // Valid empty comment fields all the way: only the bound stops the reading.
    const bomb = gzipBomb(4_000_000, 2 + 258 * 4_000_000, [0x6a, 0x00]);
    const started = performance.now();
    assert.deepEqual(await checkProfileHead(bomb.subarray(0, HEAD), false), { gzipped: true });
    assert.ok(performance.now() - started < 2000, 'the check reads a bounded prefix');
    assert.ok(PROFILE_START_BYTES <= 1024 * 1024);
    assert.doesNotThrow(() => checkProfileStart(new Uint8Array(PROFILE_START_BYTES).fill(0x6a).map((b, i) => (i % 2 === 0 ? b : 0))));
  });
});

describe('describeProfile', () => {
  it('reports kind, sample types, labels for a filter UI, time and duration', () => {
    const info = describeProfile(decodeProfileBytes(buildProfile(sampleCpuProfileSpec())));
    assert.equal(info.kind, 'cpu');
    assert.equal(info.defaultSampleIndex, 1);
    assert.deepEqual(info.labels.map((l) => [l.key, l.values, l.samples]), [['worker', ['alloc', 'cpu', 'fib'], 4]]);
    assert.equal(info.durationNanos, 2e9);
    assert.equal(info.timeMs, 1_700_000_000_123);
    assert.equal(info.isDelta, false);
  });

  it('tells heap from allocs by default_sample_type, and mutex from block by their leaf frames', () => {
    const heap = { sampleTypes: [['alloc_objects', 'count'], ['alloc_space', 'bytes'], ['inuse_objects', 'count'], ['inuse_space', 'bytes']] as [string, string][], periodType: ['space', 'bytes'] as [string, string], samples: [{ stack: ['main.f'], values: [1, 2, 3, 4], numLabels: { bytes: 1024 } }] };
    assert.equal(describeProfile(decodeProfileBytes(buildProfile(heap))).kind, 'heap');
    assert.equal(describeProfile(decodeProfileBytes(buildProfile({ ...heap, defaultSampleType: 'alloc_space' }))).kind, 'allocs');
    assert.deepEqual(describeProfile(decodeProfileBytes(buildProfile(heap))).labels[0]?.numeric, { unit: 'bytes', min: 1024, max: 1024 });
    const contention = (leaf: string) => ({ sampleTypes: [['contentions', 'count'], ['delay', 'nanoseconds']] as [string, string][], periodType: ['contentions', 'count'] as [string, string], samples: [{ stack: [leaf, 'main.f'], values: [1, 2] }] });
    assert.equal(describeProfile(decodeProfileBytes(buildProfile(contention('sync.(*Mutex).Unlock')))).kind, 'mutex');
    assert.equal(describeProfile(decodeProfileBytes(buildProfile(contention('runtime.chanrecv1')))).kind, 'block');
    assert.equal(describeProfile(decodeProfileBytes(buildProfile(contention('runtime.chanrecv1'))), { kindHint: 'mutex' }).kind, 'mutex');
  });
});
