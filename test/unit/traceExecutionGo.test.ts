// Our execution-trace decoder against Go's own reader (`go tool trace -d=1`, Go 1.23) on the same files:
// a real trace written by test/go/tracegen (tasks, regions, logs, blocking, syscalls, GC), Go's parser
// test cases and Go's fuzz corpus. Event listings, event counts by kind, goroutines, the task tree and
// the region nesting must all be the same.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EVENT_KIND_NAMES,
  GoroutineState,
  RangeCategory,
  TraceError,
  decodeExecutionTrace,
  listEvents,
  type ExecutionTraceModel,
} from '../../core/timeline';
import { goQuote } from '../../core/timeline/execution/eventListing';
import { requireGo } from '../helpers/goToolchain';
import { compareListings, goToolTraceEvents, listingFacts } from '../helpers/traceGoTool';
import { readGoFuzzCorpusBytes, readGoTraceTestCase } from '../helpers/traceGoText';
import { assertConsistentModel, temporaryTraceFile, writeRealTrace } from '../helpers/traceModels';
import { encodeTraceText } from '../helpers/traceTextEncoder';
import { sharedFixture } from '../helpers/sharedFixtures';

const GO_CASES = sharedFixture('go-exectrace', 'tests');
const CORPUS = sharedFixture('go-exectrace', 'fuzz');

function taskId(value: number): string {
  return value === 2 ** 64 ? '18446744073709551615' : String(value);
}

/** The same facts as listingFacts, read from our model's tables (not from our listing). */
function modelFacts(model: ExecutionTraceModel) {
  const eventsByKind: Record<string, number> = {};
  for (let i = 0; i < model.events.count; i++) {
    const kind = EVENT_KIND_NAMES[model.events.kind[i]!]!;
    eventsByKind[kind] = (eventsByKind[kind] ?? 0) + 1;
  }
  const goroutines = Array.from(model.goroutines.id).sort((a, b) => a - b);
  const tasks = Array.from({ length: model.tasks.count }, (_, t) => `${taskId(model.tasks.id[t]!)} ${taskId(model.tasks.parentId[t]!)} ${goQuote(model.strings[model.tasks.name[t]!]!)}`).sort();
  const regions: string[] = [];
  for (let g = 0; g < model.goroutines.count; g++) {
    const lane = [];
    for (let r = model.regions.laneOffsets[g]!; r < model.regions.laneOffsets[g + 1]!; r++) lane.push(r);
    // Begin order; regions that began before tracing started come where their end is.
    lane.sort((a, b) => (model.regions.startEvent[a]! < 0 ? model.regions.endEvent[a]! : model.regions.startEvent[a]!) - (model.regions.startEvent[b]! < 0 ? model.regions.endEvent[b]! : model.regions.startEvent[b]!));
    for (const r of lane) regions.push(`${model.goroutines.id[g]} ${taskId(model.regions.taskId[r]!)} ${goQuote(model.strings[model.regions.name[r]!]!)} ${model.regions.depth[r]}`);
  }
  const order = new Map(goroutines.map((id, i) => [id, i]));
  regions.sort((a, b) => order.get(Number(a.split(' ')[0]))! - order.get(Number(b.split(' ')[0]))!);
  return { eventsByKind, goroutines, tasks, regions };
}

test('a real trace (tasks, regions, logs, blocking, syscalls, GC): the same events, goroutines, tasks and regions as go tool trace', (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const { tracePath } = writeRealTrace({ rounds: 2 });
  const reference = goToolTraceEvents(tracePath);
  assert.ok(reference.ok, `go tool trace reads it: ${reference.stderr}`);
  const model = decodeExecutionTrace(readFileSync(tracePath));
  assertConsistentModel(model);

  const ours = modelFacts(model);
  const theirs = listingFacts(reference.stdout);
  assert.deepEqual(ours.eventsByKind, theirs.eventsByKind, 'event count by kind');
  assert.deepEqual(ours.goroutines, theirs.goroutines, 'goroutines');
  assert.deepEqual(ours.tasks, theirs.tasks, 'task tree (id, parent, name)');
  assert.deepEqual(ours.regions, theirs.regions, 'regions per goroutine (task, name, nesting depth)');
  assert.equal(compareListings(listEvents(model), reference.stdout), undefined, 'the event listings agree');

  // What the workload did is in the model.
  assert.ok(theirs.tasks.length >= 10 && theirs.regions.length > 50, 'the workload recorded tasks and regions');
  const reasons = new Set<string>();
  let syscallNs = 0;
  for (let i = 0; i < model.goroutineStates.count; i++) {
    if (model.goroutineStates.state[i] === GoroutineState.Waiting) reasons.add(model.strings[model.goroutineStates.reason[i]!]!);
    if (model.goroutineStates.state[i] === GoroutineState.Syscall) syscallNs += model.goroutineStates.end[i]! - model.goroutineStates.start[i]!;
  }
  for (const reason of ['chan receive', 'chan send', 'sleep', 'select', 'sync']) assert.ok(reasons.has(reason), `goroutines blocked on ${reason}`);
  assert.ok(syscallNs > 0, 'goroutines spent time in syscalls');
  const categories = new Set(model.ranges.category);
  assert.ok(categories.has(RangeCategory.GCMark) && categories.has(RangeCategory.StopTheWorld), 'GC and stop-the-world ranges');
  const consumer = Array.from(model.goroutines.startFunction, (f) => model.strings[f]).filter((name) => name === 'main.consume');
  assert.equal(consumer.length, 8, 'goroutines are named by their function: 4 consumers per round');
  assert.ok(model.procSlices.count > 0 && model.procs.count >= 1, 'what ran on each P');
  assert.equal(model.logs.count, theirs.eventsByKind.Log);
});

test("Go's parser cases (Go 1.22/1.23 format) list the same events as go tool trace", (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  let compared = 0;
  const newerReaderOnly: string[] = [];
  for (const file of readdirSync(GO_CASES).filter((f) => f.endsWith('.test'))) {
    const testCase = readGoTraceTestCase(join(GO_CASES, file));
    if (!testCase.expect.success || /^go12[5-9]/.test(file)) continue;
    const bytes = encodeTraceText(testCase.traceText);
    const path = temporaryTraceFile(`${file}.out`);
    writeFileSync(path, bytes);
    const reference = goToolTraceEvents(path);
    if (!reference.ok) {
      // Go 1.23 fails on a generation without events; newer readers (and ours) accept it.
      assert.match(reference.stderr, /frontier is empty/, `${file}: ${reference.stderr}`);
      newerReaderOnly.push(file);
      continue;
    }
    assert.equal(compareListings(listEvents(decodeExecutionTrace(bytes)), reference.stdout), undefined, file);
    compared++;
  }
  assert.deepEqual(newerReaderOnly, ['go123-sync.test']);
  assert.ok(compared >= 18);
});

test("Go's fuzz corpus: we reject what go tool trace rejects, and decode what it accepts identically", (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  for (const file of readdirSync(CORPUS)) {
    const bytes = readGoFuzzCorpusBytes(join(CORPUS, file));
    const path = temporaryTraceFile(`fuzz-${file}.out`);
    writeFileSync(path, bytes);
    const reference = goToolTraceEvents(path);
    if (reference.ok) {
      assert.equal(compareListings(listEvents(decodeExecutionTrace(bytes)), reference.stdout), undefined, file);
    } else {
      assert.throws(() => decodeExecutionTrace(bytes), TraceError, `${file}: Go says ${reference.stderr.split('\n')[0]}`);
    }
  }
});
