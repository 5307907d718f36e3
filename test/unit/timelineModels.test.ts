// What the timeline derives from decoded models, on real files: a selected range's statistics equal a
// plain computation over every interval and event (random ranges of a tracegen trace), the execution
// trace's rows hold every goroutine once in its group (collapsing and sorting as asked) and pack tasks so
// that none overlaps another in its row and children sit below their parents, and the span rows follow
// the waterfall, collapsed subtrees and service grouping.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ExecIndex } from '../../media/timeline/execIndex';
import { execRangeStats } from '../../media/timeline/execRangeStats';
import { RowKind, buildExecRows } from '../../media/timeline/execRows';
import { SpanRowKind, buildSpanRows } from '../../media/timeline/spanRows';
import type { SpanModelView } from '../../media/timeline/workerProtocol';
import { GoroutineState, RangeCategory, decodeExecutionTrace, parseSpanTrace, type ExecutionTraceModel } from '../../core/timeline';
import { requireGo } from '../helpers/goToolchain';
import { writeRealTrace } from '../helpers/traceModels';
import { sharedFixture } from '../helpers/sharedFixtures';

let cached: { model: ExecutionTraceModel; index: ExecIndex } | undefined;
function realTrace(): { model: ExecutionTraceModel; index: ExecIndex } {
  if (!cached) {
    const model = decodeExecutionTrace(readFileSync(writeRealTrace({ rounds: 2 }).tracePath));
    cached = { model, index: new ExecIndex(model) };
  }
  return cached;
}

function spanView(text: string): SpanModelView {
  const model = parseSpanTrace(text);
  const { details, ...spans } = model.spans;
  return { ...model, spans, hasSource: Uint8Array.from(details, (d) => (d.source ? 1 : 0)) };
}

test('range statistics equal a plain computation over every interval, event and GC range', (t) => {
  if (!requireGo((reason) => t.skip(reason))) return;
  const { model, index } = realTrace();
  const s = model.goroutineStates;
  fc.assert(
    fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
      const t0 = model.startNs + Math.min(a, b) * (model.endNs - model.startNs);
      const t1 = model.startNs + Math.max(a, b) * (model.endNs - model.startNs);
      const stats = execRangeStats(model, index, t0, t1);
      const byState = new Map<number, number>();
      const ran = new Map<number, number>();
      const waits = new Map<string, number>();
      for (let i = 0; i < s.count; i++) {
        const overlap = Math.min(s.end[i]!, t1) - Math.max(s.start[i]!, t0);
        if (overlap <= 0) continue;
        byState.set(s.state[i]!, (byState.get(s.state[i]!) ?? 0) + overlap);
        if (s.state[i] === GoroutineState.Running) ran.set(s.goroutine[i]!, (ran.get(s.goroutine[i]!) ?? 0) + overlap);
        if (s.state[i] === GoroutineState.Waiting) {
          const reason = model.strings[s.reason[i]!] || 'unknown';
          waits.set(reason, (waits.get(reason) ?? 0) + overlap);
        }
      }
      let events = 0;
      for (let i = 0; i < model.events.count; i++) if (model.events.time[i]! >= t0 && model.events.time[i]! < t1) events++;
      assert.equal(stats.events, events);
      assert.equal(stats.runningNs, byState.get(GoroutineState.Running) ?? 0);
      assert.equal(stats.runnableNs, byState.get(GoroutineState.Runnable) ?? 0);
      assert.equal(stats.waitingNs, byState.get(GoroutineState.Waiting) ?? 0);
      assert.equal(stats.syscallNs, byState.get(GoroutineState.Syscall) ?? 0);
      assert.equal(stats.goroutinesRunning, ran.size);
      assert.equal(stats.busiestNs, Math.max(0, ...ran.values()));
      if (stats.busiest >= 0) assert.equal(ran.get(stats.busiest), stats.busiestNs);
      assert.deepEqual(new Map(stats.waitsByReason.map((w) => [w.reason, w.ns])), waits);
      // GC mark and stop-the-world time: the union of the global ranges of each kind, clipped.
      for (const [category, figure] of [[RangeCategory.GCMark, stats.gcNs], [RangeCategory.StopTheWorld, stats.stwNs]] as const) {
        const r = model.ranges;
        const ranges: [number, number][] = [];
        for (let i = 0; i < r.count; i++) if (r.scopeKind[i] === 0 && r.category[i] === category) ranges.push([r.start[i]!, r.end[i]!]);
        ranges.sort((x, y) => x[0] - y[0]);
        let union = 0;
        let covered = -Infinity;
        for (const [start, end] of ranges) {
          union += Math.max(0, Math.min(end, t1) - Math.max(start, covered, t0));
          covered = Math.max(covered, end);
        }
        assert.equal(figure, union);
      }
    }),
    { numRuns: 60 },
  );
});

test('every goroutine has one lane in its group; collapsed groups have none; sorting by busy time or ID', (t) => {
  if (!requireGo((reason) => t.skip(reason))) return;
  const { model, index } = realTrace();
  const rows = buildExecRows(index, new Set(), new Set(), 'busy');
  const lanes = [...rows.kind].flatMap((kind, row) => (kind === RowKind.Goroutine ? [rows.ref[row]!] : []));
  assert.deepEqual([...lanes].sort((a, b) => a - b), [...Array(model.goroutines.count).keys()], 'each goroutine once');
  for (let g = 0; g < model.goroutines.count; g++) assert.equal(rows.kind[rows.goroutineRow[g]!], RowKind.Goroutine);
  // Within a group, busiest first.
  let group = -1;
  let previous = Infinity;
  for (let row = 0; row < rows.kind.length; row++) {
    if (rows.kind[row] === RowKind.Group) {
      group = rows.ref[row]!;
      previous = Infinity;
    } else if (rows.kind[row] === RowKind.Goroutine) {
      const g = rows.ref[row]!;
      assert.equal(index.groupOf[g], group, 'under its group');
      assert.ok(index.busyNs[g]! <= previous, 'busiest first');
      previous = index.busyNs[g]!;
    }
  }
  const name = index.groups[0]!.name;
  const collapsed = buildExecRows(index, new Set(), new Set([name]), 'id');
  for (const g of index.groups[0]!.goroutines) assert.equal(collapsed.goroutineRow[g], -1);
  const ids = [...collapsed.kind].flatMap((kind, row) => (kind === RowKind.Goroutine && index.groupOf[collapsed.ref[row]!] === 1 ? [model.goroutines.id[collapsed.ref[row]!]!] : []));
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'by ID');
  const noGoroutines = buildExecRows(index, new Set([2]), new Set(), 'busy');
  assert.ok(![...noGoroutines.kind].includes(RowKind.Group), 'a collapsed section hides its groups');
});

test('tasks are packed into rows without overlaps, children below their parents', (t) => {
  if (!requireGo((reason) => t.skip(reason))) return;
  const { model, index } = realTrace();
  const tasks = index.tasks;
  let placed = 0;
  const rowOf = new Map<number, number>();
  for (let lane = 0; lane < index.taskRowCount; lane++) {
    for (let p = tasks.offsets[lane]!; p < tasks.offsets[lane + 1]!; p++) {
      rowOf.set(tasks.order[p]!, lane);
      placed++;
      if (p > tasks.offsets[lane]! && lane < index.taskRowCount - 1) assert.ok(tasks.start[p]! >= tasks.end[p - 1]!, `tasks in row ${lane} do not overlap`);
    }
  }
  assert.equal(placed, model.tasks.count);
  for (let task = 0; task < model.tasks.count; task++) {
    const parent = model.tasks.parent[task]!;
    if (parent >= 0) assert.ok(rowOf.get(task)! > rowOf.get(parent)!, 'a child sits below its parent');
  }
  assert.ok(index.taskRowCount >= 2, 'tracegen nests tasks');
});

test('span rows follow the waterfall, leave out collapsed subtrees and group by service', () => {
  const text = readFileSync(sharedFixture('spans', 'zipkin-smartthings-mobile-web-install.json'), 'utf8');
  const model = spanView(text);
  const none = new Uint8Array(model.spans.count);
  const rows = buildSpanRows(model, { collapsedTraces: new Set(), collapsedSpans: none, groupByService: false });
  assert.equal(rows.kind.length, model.traces.count + model.spans.count);
  assert.deepEqual([...rows.ref].filter((_, row) => rows.kind[row] === SpanRowKind.Span), [...Array(model.spans.count).keys()], 'waterfall order');
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: model.spans.count - 1 }), { maxLength: 20 }), (collapsedRows) => {
      const collapsed = new Uint8Array(model.spans.count);
      for (const row of collapsedRows) collapsed[row] = 1;
      const shown = buildSpanRows(model, { collapsedTraces: new Set(), collapsedSpans: collapsed, groupByService: false });
      for (let row = 0; row < model.spans.count; row++) {
        let hidden = false;
        for (let p = model.spans.parent[row]!; p >= 0; p = model.spans.parent[p]!) if (collapsed[p]) hidden = true;
        assert.equal(shown.spanRow[row]! < 0, hidden, `span ${row} is hidden exactly when an ancestor is collapsed`);
      }
    }),
    { numRuns: 100 },
  );
  const grouped = buildSpanRows(model, { collapsedTraces: new Set(), collapsedSpans: none, groupByService: true });
  const services = [...grouped.kind].flatMap((kind, row) => (kind === SpanRowKind.Service ? [grouped.service[row]!] : []));
  assert.deepEqual(services, model.traces.services.flat());
  for (let row = 0; row < grouped.kind.length; row++) {
    if (grouped.kind[row] === SpanRowKind.Span) assert.equal(model.spans.service[grouped.ref[row]!], grouped.service[row], 'under its service');
  }
  const closed = buildSpanRows(model, { collapsedTraces: new Set([0]), collapsedSpans: none, groupByService: false });
  assert.equal(closed.kind.length, model.traces.count, 'a collapsed trace is its header');
});
