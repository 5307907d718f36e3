// Every capture kind from the real Go test service (test/go/service, built with the installed toolchain),
// through the same core the extension and the CLI use; each saved file is decoded again here and checked
// for what the kind must contain. Also what only a real Go runtime does: its own "profiling already in
// use" 500, and stopping a CPU profile when the capture is cancelled.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureError } from '../../core/capture/captureError';
import { CAPTURE_KINDS, type CaptureKindId } from '../../core/capture/captureKinds';
import { captureToFile, type CaptureProgress } from '../../core/capture/captureToFile.node';
import { parseCaptureFileName } from '../../core/capture/captureFileName';
import { decodeProfileBytes } from '../../core/profiles/profileFile.node';
import type { Profile } from '../../core/profiles/profile';
import { readExecutionTraceHeader } from '../../core/timeline/execution/executionTraceHeader';
import { buildGoProgram, findGo, requireGo, runGo, startGoService, type RunningService } from '../helpers/goToolchain';

const LEAKED = 7;
const scratch = mkdtempSync(join(tmpdir(), 'gtl-capture-service-'));
let service: RunningService | undefined;
let skipReason: string | undefined;

before(async () => {
  if (!requireGo((why) => (skipReason = why))) return;
  service = await startGoService(buildGoProgram('service'), ['-leak', String(LEAKED)]);
});

after(async () => {
  await service?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

function folder(name: string): string {
  return join(scratch, name);
}

/** Files in a folder; a folder that does not exist (a failed capture removes the one it created) has none. */
function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

const PROFILE_SAMPLE_TYPES: Record<Exclude<CaptureKindId, 'trace'>, string[]> = {
  cpu: ['samples/count', 'cpu/nanoseconds'],
  heap: ['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes'],
  allocs: ['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes'],
  goroutine: ['goroutine/count'],
  mutex: ['contentions/count', 'delay/nanoseconds'],
  block: ['contentions/count', 'delay/nanoseconds'],
  threadcreate: ['threadcreate/count'],
  'heap-delta': ['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes'],
  'allocs-delta': ['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes'],
  'mutex-delta': ['contentions/count', 'delay/nanoseconds'],
  'block-delta': ['contentions/count', 'delay/nanoseconds'],
};

function functionNames(profile: Profile): Set<string> {
  const names = new Set<string>();
  for (let i = 0; i < profile.functions.count; i++) names.add(profile.strings[profile.functions.name[i]!]!);
  return names;
}

/** Sum of one sample type's values over all samples. */
function total(profile: Profile, type: string): number {
  const index = profile.sampleTypes.findIndex((t) => t.type === type);
  assert.ok(index >= 0, type);
  const width = profile.sampleTypes.length;
  let sum = 0;
  for (let s = 0; s < profile.samples.count; s++) sum += profile.samples.values[s * width + index]!;
  return sum;
}

test('every kind is captured from the real service and decodes as what it is', async (t) => {
  if (!service) return t.skip(skipReason);
  const destination = folder('all-kinds');
  const results = await Promise.all(
    CAPTURE_KINDS.map((kind) =>
      captureToFile({ endpoint: { baseUrl: `${service!.url}/debug/pprof`, name: 'go-service' }, kind: kind.id, ...(kind.timed ? { seconds: 1 } : {}), destination }),
    ),
  );
  assert.equal(readdirSync(destination).length, CAPTURE_KINDS.length, 'one file per kind, nothing else');
  for (const result of results) {
    const kind = result.kind.id;
    const parts = parseCaptureFileName(result.fileName);
    assert.ok(parts, result.fileName);
    assert.equal(parts.endpointName, 'go-service');
    assert.equal(parts.kind, kind);
    const bytes = readFileSync(result.path);
    assert.equal(bytes.length, result.bytes);
    if (kind === 'trace') {
      assert.match(result.fileName, /\.trace$/);
      assert.equal(readExecutionTraceHeader(bytes).goVersion, '1.23');
      assert.deepEqual(result.format, { type: 'trace', goVersion: '1.23' });
      continue;
    }
    assert.match(result.fileName, /\.pb\.gz$/);
    const profile = decodeProfileBytes(bytes);
    assert.deepEqual(profile.sampleTypes.map((v) => `${v.type}/${v.unit}`), PROFILE_SAMPLE_TYPES[kind], kind);
    if (result.kind.timed) {
      // The duration reached the service: CPU and delta profiles cover about one second.
      const seconds = Number(profile.durationNanos) / 1e9;
      assert.ok(seconds >= 0.9 && seconds < 3, `${kind} covers ${seconds} s`);
    }
  }
  const byKind = new Map(results.map((r) => [r.kind.id, r]));
  const cpu = decodeProfileBytes(readFileSync(byKind.get('cpu')!.path));
  assert.ok(functionNames(cpu).has('main.burnCPU'), 'the CPU profile sees the service\'s hot function');
  const goroutines = decodeProfileBytes(readFileSync(byKind.get('goroutine')!.path));
  assert.ok(functionNames(goroutines).has('main.leakyWait'));
  assert.ok(total(goroutines, 'goroutine') >= LEAKED);
  assert.ok(functionNames(decodeProfileBytes(readFileSync(byKind.get('mutex')!.path))).has('main.contend'));
  assert.ok(functionNames(decodeProfileBytes(readFileSync(byKind.get('allocs')!.path))).has('main.allocate'));
});

test('go tool pprof reads a captured CPU profile and finds the same hot function', async (t) => {
  if (!service || !findGo()) return t.skip(skipReason);
  const result = await captureToFile({ endpoint: { baseUrl: service.url }, kind: 'cpu', seconds: 1, destination: folder('reference') });
  const top = runGo(['tool', 'pprof', '-top', '-nodecount=200', result.path]);
  assert.match(top, /main\.burnCPU/);
  const raw = runGo(['tool', 'pprof', '-raw', result.path]);
  const samples = raw.split('Samples:\n')[1]!.split(/\nLocations/)[0]!.split('\n').filter((l) => /^\s+\d+\s+\d+:/.test(l));
  assert.equal(decodeProfileBytes(readFileSync(result.path)).samples.count, samples.length, 'our sample count equals go tool pprof -raw');
});

test('progress: a countdown each second, then bytes received, then validation', async (t) => {
  if (!service) return t.skip(skipReason);
  const events: CaptureProgress[] = [];
  await captureToFile({ endpoint: { baseUrl: service.url }, kind: 'cpu', seconds: 2, destination: folder('progress') }, { onProgress: (p) => events.push(p) });
  const phases = events.map((e) => e.phase);
  assert.equal(phases[0], 'connecting');
  const countdown = events.filter((e): e is Extract<CaptureProgress, { phase: 'countdown' }> => e.phase === 'countdown').map((e) => e.secondsLeft);
  // Each second counted down once, from the capture's length (a late timer on a busy machine may skip one).
  assert.equal(countdown[0], 2);
  assert.ok(countdown.every((left, i) => left >= 1 && (i === 0 || left < countdown[i - 1]!)), `countdown ${countdown.join(', ')}`);
  assert.ok(phases.lastIndexOf('countdown') < phases.indexOf('receiving'));
  const received = events.filter((e): e is Extract<CaptureProgress, { phase: 'receiving' }> => e.phase === 'receiving');
  assert.ok(received.length >= 1);
  assert.equal(phases[phases.length - 1], 'validating');
  const last = events[events.length - 1] as Extract<CaptureProgress, { phase: 'validating' }>;
  assert.ok(last.bytes > 0 && last.bytes === received[received.length - 1]!.bytes);
});

test("the service's own 500 when a CPU profile is already running", async (t) => {
  if (!service) return t.skip(skipReason);
  const endpoint = { baseUrl: service.url };
  const first = captureToFile({ endpoint, kind: 'cpu', seconds: 2, destination: folder('in-use-first') });
  first.catch(() => undefined); // awaited below; never an unhandled rejection if an assertion fails first
  await new Promise((resolve) => setTimeout(resolve, 400));
  const destination = folder('in-use-second');
  await assert.rejects(captureToFile({ endpoint, kind: 'cpu', seconds: 1, destination }), (error: unknown) => {
    assert.ok(error instanceof CaptureError);
    assert.equal(error.code, 'profiling-in-use');
    assert.match(error.message, /is already recording a CPU profile \("Could not enable CPU profiling: cpu profiling already in use"\)/);
    return true;
  });
  assert.equal(existsSync(destination), false, 'no file, and not even the folder the capture created');
  await first;
});

test('cancel mid-capture: aborts at once, keeps nothing, and the service is free again', async (t) => {
  if (!service) return t.skip(skipReason);
  const destination = folder('cancelled');
  const controller = new AbortController();
  const events: string[] = [];
  setTimeout(() => controller.abort(), 700);
  const started = performance.now();
  await assert.rejects(
    captureToFile({ endpoint: { baseUrl: service.url }, kind: 'trace', seconds: 20, destination }, { signal: controller.signal, onProgress: (p) => events.push(p.phase) }),
    (error: unknown) => error instanceof CaptureError && error.code === 'cancelled',
  );
  assert.ok(performance.now() - started < 2000, 'cancel is immediate, not at the end of the 20 s');
  assert.ok(events.includes('countdown'));
  assert.deepEqual(filesIn(destination), [], 'no partial trace is left');
  // Go stops the trace when the request goes away; a new one starts once it has.
  let retried: Awaited<ReturnType<typeof captureToFile>> | undefined;
  for (let attempt = 0; attempt < 20 && !retried; attempt++) {
    try {
      retried = await captureToFile({ endpoint: { baseUrl: service.url }, kind: 'trace', seconds: 1, destination });
    } catch (error) {
      if (!(error instanceof CaptureError) || error.code !== 'profiling-in-use') throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  assert.ok(retried, 'the service accepted a new trace after the cancel');
  assert.deepEqual(readdirSync(destination), [retried.fileName]);
});

test('two captures of the same second get distinct names; --out style names replace', async (t) => {
  if (!service) return t.skip(skipReason);
  const destination = folder('same-second');
  const now = () => new Date(Date.UTC(2025, 5, 1, 12, 0, 0));
  const endpoint = { baseUrl: service.url, name: 'svc' };
  const a = await captureToFile({ endpoint, kind: 'heap', destination }, { now });
  const b = await captureToFile({ endpoint, kind: 'heap', destination }, { now });
  assert.equal(a.fileName, 'svc-heap-20250601T120000Z.pb.gz');
  assert.equal(b.fileName, 'svc-heap-20250601T120000Z-2.pb.gz');
  const named = await captureToFile({ endpoint, kind: 'goroutine', destination }, { fileName: a.fileName });
  assert.equal(named.path, a.path);
  assert.deepEqual(decodeProfileBytes(readFileSync(a.path)).sampleTypes.map((v) => v.type), ['goroutine'], 'the named file was replaced');
  assert.deepEqual(readdirSync(destination).sort(), [a.fileName, b.fileName].sort());
});
