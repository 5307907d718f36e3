// Spans matched with the runtime/trace tasks recorded for them in the same run. tracegen does what the
// OpenTelemetry Go SDK does (a task named after each span while the execution tracer is on) and writes
// both files, so every span must find its task, and a slow span shows what its goroutines were doing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeExecutionTrace, matchSpansToTasks, parseSpanTrace } from '../../core/timeline';
import { requireGo } from '../helpers/goToolchain';
import { writeRealTrace } from '../helpers/traceModels';
import { encodeTraceText, withBatchSizes } from '../helpers/traceTextEncoder';
import { sharedFixture } from '../helpers/sharedFixtures';

test('every span of a run finds the task recorded for it, and shows its goroutines at work', (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const { tracePath, spansPath } = writeRealTrace({ rounds: 2 });
  const exec = decodeExecutionTrace(readFileSync(tracePath));
  const spans = parseSpanTrace(readFileSync(spansPath, 'utf8'));
  assert.equal(spans.spans.count, 10, 'five spans per round');
  assert.deepEqual(spans.problems, [], 'the run recorded one healthy trace per request');

  const matching = matchSpansToTasks(spans, exec);
  assert.equal(matching.alignment, 'estimated', 'Go 1.23 traces have no wall clock: the offset is estimated');
  assert.equal(matching.unmatchedSpans, 0);
  assert.equal(matching.matches.length, 10);
  const taken = new Set<number>();
  for (const match of matching.matches) {
    const spanName = spans.strings[spans.spans.name[match.span]!];
    assert.equal(exec.strings[exec.tasks.name[match.task]!], spanName, 'a span matches a task of its name');
    assert.ok(!taken.has(match.task), 'each task matches one span');
    taken.add(match.task);
    assert.ok(Math.abs(match.startDifferenceNs) < 500_000, `${spanName}: the span and its task start together (${match.startDifferenceNs} ns apart)`);
    const spanLength = spans.spans.end[match.span]! - spans.spans.start[match.span]!;
    const taskLength = exec.tasks.end[match.task]! - exec.tasks.start[match.task]!;
    assert.ok(Math.abs(spanLength - taskLength) < 500_000, `${spanName}: they last as long`);
  }
  // Both requests: the first round's spans match the first round's tasks, not the second's.
  const requests = matching.matches.filter((m) => spans.strings[spans.spans.name[m.span]!] === 'handle request');
  assert.equal(requests.length, 2);
  const [first, second] = requests.sort((a, b) => spans.spans.start[a.span]! - spans.spans.start[b.span]!);
  assert.ok(exec.tasks.start[first!.task]! < exec.tasks.start[second!.task]!);

  // The pipeline span: its consumers ran, waited on the channel and the mutex, and were runnable.
  const pipeline = matching.matches.find((m) => spans.strings[spans.spans.name[m.span]!] === 'pipeline')!;
  const consumers = pipeline.goroutines.filter((g) => exec.strings[exec.goroutines.startFunction[g.goroutine]!] === 'main.consume');
  assert.equal(consumers.length, 4, 'the four consumer goroutines worked for the pipeline task');
  const reasons = new Set(consumers.flatMap((g) => g.waitingByReason.map((r) => r.reason)));
  assert.ok(reasons.has('chan receive'), `consumers waited on the channel (${[...reasons].join(', ')})`);
  assert.ok(consumers.every((g) => g.runningNs > 0), 'each consumer ran');
  const taskLength = exec.tasks.end[pipeline.task]! - exec.tasks.start[pipeline.task]!;
  for (const g of pipeline.goroutines) {
    assert.ok(g.runningNs + g.runnableNs + g.waitingNs + g.syscallNs <= taskLength + 1, 'time is counted within the task only');
  }
  // The io span: the pipe reader waits in the network poller, file writes are syscalls.
  const io = matching.matches.find((m) => spans.strings[spans.spans.name[m.span]!] === 'io')!;
  assert.ok(io.goroutines.some((g) => g.syscallNs > 0), 'the io work made syscalls');
});

test('with no task of the same name the spans stay unmatched', (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const { tracePath } = writeRealTrace({ rounds: 2 });
  const exec = decodeExecutionTrace(readFileSync(tracePath));
  const spans = parseSpanTrace(readFileSync(sharedFixture('spans', 'zipkin-messaging.json'), 'utf8'));
  const matching = matchSpansToTasks(spans, exec);
  assert.equal(matching.matches.length, 0);
  assert.equal(matching.unmatchedSpans, spans.spans.count);
});

test('a Go 1.25 trace aligns by its clock snapshot: a span matches the task at the same wall-clock time', () => {
  // Ticks are nanoseconds (frequency 1e9). The snapshot at tick 100 is Unix time 1740755049.000000500.
  const lines = [
    'Trace Go1.25',
    'EventBatch gen=1 m=18446744073709551615 time=90 size=SIZE',
    'Sync',
    'Frequency freq=1000000000',
    'ClockSnapshot dt=10 mono=5000 sec=1740755049 nsec=500',
    'EventBatch gen=1 m=1 time=1000 size=SIZE',
    'ProcStatus dt=1 p=0 pstatus=1',
    'GoStatus dt=1 g=1 m=1 gstatus=2',
    'UserTaskBegin dt=1000 task=7 parent_task=0 name_string=1 stack=0',
    'UserTaskBegin dt=1000000 task=8 parent_task=0 name_string=1 stack=0',
    'UserTaskEnd dt=3000000 task=7 stack=0',
    'UserTaskEnd dt=1000 task=8 stack=0',
    'EventBatch gen=1 m=18446744073709551615 time=0 size=SIZE',
    'Stacks',
    'EventBatch gen=1 m=18446744073709551615 time=0 size=SIZE',
    'Strings',
    'String id=1',
    '\tdata="checkout"',
  ];
  const exec = decodeExecutionTrace(encodeTraceText(withBatchSizes(lines)));
  assert.deepEqual(exec.wallClock, { traceNs: 100, unixSeconds: 1740755049, unixNanos: 500 });
  // Task 8 begins at tick 1000+1+1+1000+1000000 = 1002002, i.e. 1001902 ns after the snapshot.
  const unix = (ns: number) => String(1740755049_000000500n + BigInt(ns));
  const otlp = {
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
      scopeSpans: [{ spans: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'checkout', startTimeUnixNano: unix(1001902), endTimeUnixNano: unix(1001902 + 1000 + 3000000) }] }],
    }],
  };
  const matching = matchSpansToTasks(parseSpanTrace(JSON.stringify(otlp)), exec);
  assert.equal(matching.alignment, 'wall-clock');
  assert.equal(matching.matches.length, 1);
  assert.equal(exec.tasks.id[matching.matches[0]!.task], 8, 'the span matches the task that began at its time, not the other one of its name');
  assert.equal(matching.matches[0]!.startDifferenceNs, 0);
});
