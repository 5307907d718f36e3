// The capture's progress notification: "CPU profile from shop: 23 s left", then the bytes received; the
// bar never goes back and never passes 100 %. Checked on the core's real progress events from the real
// Go service, and on arbitrary event sequences.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { findCaptureKind } from '../../core/capture/captureKinds';
import { captureToFile, type CaptureProgress } from '../../core/capture/captureToFile.node';
import { CaptureProgressText, captureProgressTitle, type ProgressStep } from '../../client/src/capture/progressText';
import { buildGoProgram, requireGo, startGoService, type RunningService } from '../helpers/goToolchain';

const cpu = findCaptureKind('cpu')!;
const heap = findCaptureKind('heap')!;
const trace = findCaptureKind('trace')!;
const scratch = mkdtempSync(join(tmpdir(), 'gtl-capture-ui-progress-'));
let service: RunningService | undefined;
let skipReason: string | undefined;

before(async () => {
  if (!requireGo((why) => (skipReason = why))) return;
  service = await startGoService(buildGoProgram('service'));
});

after(async () => {
  await service?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

function total(steps: readonly ProgressStep[]): number {
  return steps.reduce((sum, s) => sum + (s.increment ?? 0), 0);
}

test('the title names the kind and the endpoint', () => {
  assert.equal(captureProgressTitle(cpu, 'shop'), 'CPU profile from shop');
  assert.equal(captureProgressTitle(trace, 'localhost-6060'), 'Execution trace from localhost-6060');
});

test('messages for each phase', () => {
  const text = new CaptureProgressText(cpu);
  assert.deepEqual(text.next({ phase: 'connecting', url: 'http://127.0.0.1:6060/debug/pprof/profile?seconds=30' }), { message: 'connecting to 127.0.0.1:6060…' });
  assert.deepEqual(text.next({ phase: 'countdown', secondsLeft: 30, seconds: 30, bytes: 0 }), { message: '30 s left' });
  assert.deepEqual(text.next({ phase: 'countdown', secondsLeft: 23, seconds: 30, bytes: 0 }), { message: '23 s left', increment: 21 });
  assert.equal(text.next({ phase: 'countdown', secondsLeft: 2, seconds: 30, bytes: 2048 }).message, '2 s left · 2.0 KB received');
  assert.equal(text.next({ phase: 'receiving', bytes: 1536, expectedBytes: 3072 }).message, 'receiving 1.5 KB of 3.0 KB');
  assert.equal(text.next({ phase: 'receiving', bytes: 3072, expectedBytes: 3072 }).message, 'receiving 3.0 KB of 3.0 KB');
  assert.equal(text.percent, 100);
  assert.deepEqual(text.next({ phase: 'validating', bytes: 3072 }), { message: 'checking 3.0 KB' });
});

test('a snapshot without a known size moves the bar only with the message', () => {
  const text = new CaptureProgressText(heap);
  const step = text.next({ phase: 'receiving', bytes: 10 });
  assert.deepEqual(step, { message: 'receiving 10 B' });
});

const progressEvent: fc.Arbitrary<CaptureProgress> = fc.oneof(
  fc.record({ phase: fc.constant('connecting' as const), url: fc.webUrl() }),
  fc.integer({ min: 1, max: 120 }).chain((seconds) =>
    fc.record({ phase: fc.constant('countdown' as const), seconds: fc.constant(seconds), secondsLeft: fc.integer({ min: 0, max: seconds }), bytes: fc.nat() }),
  ),
  fc.record({ phase: fc.constant('receiving' as const), bytes: fc.nat(), expectedBytes: fc.option(fc.nat(), { nil: undefined }) }, { requiredKeys: ['phase', 'bytes'] }),
  fc.record({ phase: fc.constant('validating' as const), bytes: fc.nat() }),
);

test('the bar only moves forward and stops at 100 %, whatever the events (fuzzed)', () => {
  fc.assert(
    fc.property(fc.constantFrom(cpu, heap, trace), fc.array(progressEvent, { maxLength: 40 }), (kind, events) => {
      const text = new CaptureProgressText(kind);
      const steps = events.map((e) => text.next(e));
      for (const step of steps) {
        assert.ok(step.increment === undefined || step.increment > 0, `increment ${step.increment}`);
        assert.ok(step.message.length > 0);
      }
      assert.ok(total(steps) <= 100 + 1e-9, `total ${total(steps)}`);
      assert.ok(Math.abs(total(steps) - text.percent) < 1e-9);
    }),
    { numRuns: 5000 },
  );
});

test('a real 3 s CPU capture from the Go service counts down 3, 2, 1 and ends with the bytes', async (t) => {
  if (!service) return t.skip(skipReason);
  const text = new CaptureProgressText(cpu);
  const steps: ProgressStep[] = [];
  const result = await captureToFile(
    { endpoint: { name: 'svc', baseUrl: service.url }, kind: cpu, seconds: 3, destination: join(scratch, 'cpu') },
    { onProgress: (p) => steps.push(text.next(p)) },
  );
  const messages = steps.map((s) => s.message);
  assert.match(messages[0]!, /^connecting to 127\.0\.0\.1:\d+…$/);
  for (const left of ['3 s left', '2 s left', '1 s left']) assert.ok(messages.includes(left), `${left} missing from ${messages.join(' | ')}`);
  assert.ok(messages.some((m) => /^receiving \d/.test(m)), messages.join(' | '));
  assert.match(messages[messages.length - 1]!, /^checking /);
  assert.ok(total(steps) >= 60 && total(steps) <= 100, `the bar reached ${total(steps)} %`);
  assert.ok(result.bytes > 0);
});
