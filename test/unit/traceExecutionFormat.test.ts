// The execution-trace decoder on Go's own parser test cases (text form encoded to the wire form here),
// on a real Go 1.19 trace, and on headers and cut-off files: what a user gets for every kind of input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EventKind,
  TraceError,
  decodeExecutionTrace,
  detectTraceFormat,
  readExecutionTraceHeader,
} from '../../core/timeline';
import { REPO_ROOT } from '../helpers/goToolchain';
import { readGoTraceTestCase } from '../helpers/traceGoText';
import { assertConsistentModel } from '../helpers/traceModels';
import { encodeTraceText } from '../helpers/traceTextEncoder';
import { sharedFixture } from '../helpers/sharedFixtures';

const GO_CASES = sharedFixture('go-exectrace', 'tests');
const OLD_TRACE = join(REPO_ROOT, 'test', 'fixtures', 'traces', 'go1.19-runtime-trace.out');

function encodedCase(name: string): Uint8Array {
  return encodeTraceText(readGoTraceTestCase(join(GO_CASES, name)).traceText);
}

function header(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

for (const file of readdirSync(GO_CASES).filter((f) => f.endsWith('.test')).sort()) {
  const testCase = readGoTraceTestCase(join(GO_CASES, file));
  test(`Go's parser case ${file}: ${testCase.expect.success ? 'decodes' : 'is rejected'} as Go expects`, () => {
    const bytes = encodeTraceText(testCase.traceText);
    if (testCase.expect.success) {
      const model = decodeExecutionTrace(bytes);
      assert.ok(model.events.count > model.generations, 'it has events besides the Sync points');
      assertConsistentModel(model);
    } else {
      const expected = testCase.expect.error;
      assert.throws(
        () => decodeExecutionTrace(bytes),
        (error: unknown) => error instanceof TraceError && error.code === 'inconsistent-trace' && expected.test(error.message) && /capture it again/.test(error.message),
      );
    }
  });
}

test('the annotations case yields its task, nested regions (ended or not) and log', () => {
  const model = decodeExecutionTrace(encodedCase('go122-annotations.test'));
  const name = (i: number) => model.strings[i];
  assert.equal(model.tasks.count, 1);
  assert.equal(model.tasks.id[0], 1);
  assert.equal(name(model.tasks.name[0]!), 'task0');
  assert.equal(model.tasks.parent[0], -1);
  assert.ok(model.tasks.start[0]! < model.tasks.end[0]!, 'the task began and ended in the trace');
  const regions = Array.from({ length: model.regions.count }, (_, r) => ({
    goroutine: model.goroutines.id[model.regions.goroutine[r]!],
    name: name(model.regions.name[r]!),
    depth: model.regions.depth[r],
    ended: model.regions.endEvent[r]! >= 0,
    start: model.regions.start[r]!,
    end: model.regions.end[r]!,
  }));
  const onG9 = regions.filter((r) => r.goroutine === 9);
  assert.deepEqual(
    onG9.map(({ name, depth, ended }) => ({ name, depth, ended })),
    [
      { name: 'unended region', depth: 0, ended: false },
      { name: 'region0', depth: 1, ended: true },
      { name: 'region1', depth: 2, ended: true },
    ],
  );
  assert.ok(onG9[1]!.start <= onG9[2]!.start && onG9[2]!.end <= onG9[1]!.end, 'region1 lies inside region0');
  const g9 = Array.from(model.goroutines.id).indexOf(9);
  assert.equal(onG9[0]!.end, model.goroutines.endedAt[g9], 'a region never ended lasts until its goroutine ends');
  assert.equal(model.logs.count, 1);
  assert.equal(name(model.logs.category[0]!), 'key0');
  assert.equal(name(model.logs.message[0]!), '0123456789abcdef');
  assert.equal(model.logs.task[0], 0, 'the log belongs to task0');
});

test('Go 1.25 sync batches: the frequency comes from them and the clock snapshot anchors wall time', () => {
  const model = decodeExecutionTrace(encodedCase('go125-sync.test'));
  assert.equal(model.goVersion, '1.25');
  assert.equal(model.generations, 3);
  assert.deepEqual(model.wallClock, { traceNs: 10, unixSeconds: 1740755049, unixNanos: 123 });
  const kinds = Array.from(model.events.kind);
  assert.equal(kinds.filter((k) => k === EventKind.StateTransition).length, 2, 'the two ProcStatus events');
});

test('a real Go 1.19 trace asks to re-capture with Go 1.22 or later', () => {
  const bytes = readFileSync(OLD_TRACE);
  assert.equal(detectTraceFormat(bytes), 'go-execution-trace');
  for (const read of [() => readExecutionTraceHeader(bytes), () => decodeExecutionTrace(bytes)]) {
    assert.throws(read, (error: unknown) => {
      assert.ok(error instanceof TraceError);
      assert.equal(error.code, 'trace-too-old');
      assert.match(error.message, /this trace is from Go 1\.19; re-capture with Go 1\.22 or later/i);
      return true;
    });
  }
});

test('headers: supported versions are read, unknown and newer ones are named, non-traces are described', () => {
  assert.deepEqual(readExecutionTraceHeader(header('go 1.23 trace\0\0\0')), { goVersion: '1.23', version: 23, headerLength: 16 });
  assert.equal(readExecutionTraceHeader(header('go 1.26 trace\0\0\0')).goVersion, '1.26');
  const rejects = (bytes: Uint8Array, code: string, message: RegExp) =>
    assert.throws(() => readExecutionTraceHeader(bytes), (e: unknown) => e instanceof TraceError && e.code === code && message.test(e.message));
  rejects(header('go 1.31 trace\0\0\0'), 'unsupported-trace-version', /Go 1\.31, newer than.*Update Go Trace Lens/);
  rejects(header('go 1.24 trace\0\0\0'), 'unsupported-trace-version', /1\.24, a version no Go release writes/);
  rejects(header('go 1.9 trace\0\0\0\0'), 'trace-too-old', /Go 1\.9; re-capture with Go 1\.22 or later/);
  rejects(header('{"resourceSpans":[]}'), 'not-an-execution-trace', /starts like JSON.*span trace/);
  rejects(Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0]), 'not-an-execution-trace', /gzip.*profile/);
  rejects(new Uint8Array(0), 'not-an-execution-trace', /empty/);
  rejects(header('go 1.23 tra'), 'truncated-trace', /cut off/);
});

test('a trace with only its header says it was cut off', () => {
  assert.throws(
    () => decodeExecutionTrace(header('go 1.23 trace\0\0\0')),
    (e: unknown) => e instanceof TraceError && e.code === 'truncated-trace' && /no events/.test(e.message),
  );
});

test('a trace cut off in its second generation: an error by default, the first generation with allowPartial', () => {
  const bytes = encodedCase('go122-task-across-generations.test');
  const whole = decodeExecutionTrace(bytes);
  assert.equal(whole.generations, 2);
  const text = readGoTraceTestCase(join(GO_CASES, 'go122-task-across-generations.test')).traceText;
  const firstGeneration = encodeTraceText(text.slice(0, text.indexOf('EventBatch gen=2')));
  const cut = bytes.subarray(0, firstGeneration.length + 6);
  assert.throws(() => decodeExecutionTrace(cut), (e: unknown) => e instanceof TraceError && /cut off|damaged/.test(e.message));
  const partial = decodeExecutionTrace(cut, { allowPartial: true });
  assert.ok(partial.incomplete, 'the model says it is incomplete');
  assert.ok(partial.events.count > 0 && partial.events.count < whole.events.count);
  assert.equal(partial.tasks.count, 1, 'the task begun in the first generation is there');
  assertConsistentModel(partial);
});

test('every prefix of a trace either decodes or fails with a TraceError, never anything else', () => {
  const bytes = encodedCase('go122-annotations.test');
  for (let length = 0; length <= bytes.length; length++) {
    try {
      assertConsistentModel(decodeExecutionTrace(bytes.subarray(0, length)));
    } catch (error) {
      assert.ok(error instanceof TraceError, `prefix of ${length} bytes: ${String(error)}`);
      assert.ok(error.message.length > 40 && /[.!]$/.test(error.message.trim()), `prefix of ${length} bytes gives a sentence: ${error.message}`);
    }
  }
});

test('Go 1.26 traces: generations end at an end-of-generation marker, or where the next one begins', () => {
  const text = readGoTraceTestCase(join(GO_CASES, 'go125-sync.test')).traceText.replace('Trace Go1.25', 'Trace Go1.26');
  const withMarkers = text.replace(/\nEventBatch gen=([23]) m=18446744073709551615 time=(19|29) /g, '\nEndOfGeneration\nEventBatch gen=$1 m=18446744073709551615 time=$2 ') + 'EndOfGeneration\n';
  assert.equal(withMarkers.match(/EndOfGeneration/g)!.length, 3);
  for (const variant of [text, withMarkers]) {
    const model = decodeExecutionTrace(encodeTraceText(variant));
    assert.equal(model.goVersion, '1.26');
    assert.equal(model.generations, 3);
    assertConsistentModel(model);
  }
  const markerFirst = encodeTraceText('Trace Go1.26\nEndOfGeneration\n');
  assert.throws(() => decodeExecutionTrace(markerFirst), (e: unknown) => e instanceof TraceError && /end-of-generation marker with no generation/.test(e.message));
  const older = encodeTraceText(text.replace('Trace Go1.26', 'Trace Go1.25'));
  const olderWithMarker = Uint8Array.from([...older, 52]);
  assert.throws(() => decodeExecutionTrace(olderWithMarker), (e: unknown) => e instanceof TraceError && /found event type 52/.test(e.message), 'Go 1.25 traces have no such marker');
});
