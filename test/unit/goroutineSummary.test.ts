// Goroutine, region and task statistics against go tool trace's own pages (Go 1.23, served by
// `go tool trace -http`) for a real trace of test/go/traceanalysis: every group, every goroutine, every
// column of the breakdown and special-range tables, every region type with its histogram and its
// regions' rows, every task type and each task's events. Durations are compared to the nanosecond. Then
// the time-range option: clipped numbers add up across adjacent ranges and agree with the model's state
// intervals.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeExecutionTrace, type ExecutionTraceModel } from '../../core/timeline';
import {
  compareStatNames,
  formatGoDuration,
  nonOverlappingStats,
  summarizeGoroutines,
  type GoroutineAnalysis,
  type GoroutineExecStats,
  type GoroutineSummary,
} from '../../core/timeline/analysis/goroutineSummary';
import { goQuote } from '../../core/timeline/execution/eventListing';
import { GO_STATE_NAMES } from '../../core/timeline/execution/schedulerOrdering';
import { EventKind, GoroutineState } from '../../core/timeline';
import { requireGo } from '../helpers/goToolchain';
import { sharedFixture } from '../helpers/sharedFixtures';
import { readGoFuzzCorpusBytes, readGoTraceTestCase } from '../helpers/traceGoText';
import { encodeTraceText } from '../helpers/traceTextEncoder';
import { transitionTable } from '../../core/timeline/analysis/stateTransitions';
import {
  parseBreakdownPage,
  parseGoDuration,
  parseGoroutineGroups,
  parseRegionTypes,
  parseTaskTypes,
  parseTasks,
  assertClose,
  startGoTraceServer,
  tieTolerance,
  writeAnalysisTrace,
  type BreakdownPage,
  type BreakdownRow,
  type HistogramBucket,
} from '../helpers/goTraceHttp';

let loaded: { path: string; model: ExecutionTraceModel; analysis: GoroutineAnalysis; tolerance: number } | undefined;
function analysisTrace() {
  if (!loaded) {
    const path = writeAnalysisTrace();
    const model = decodeExecutionTrace(readFileSync(path));
    loaded = { path, model, analysis: summarizeGoroutines(model), tolerance: tieTolerance(model) };
  }
  return loaded;
}

// Go sorts rows by a column, unstably; compare them in one order of our own.
const rowKey = (r: BreakdownRow) => JSON.stringify([r.goroutine, r.task, r.totalNs, r.columns]);
const byGoroutine = (a: BreakdownRow, b: BreakdownRow) => a.goroutine - b.goroutine || (rowKey(a) < rowKey(b) ? -1 : rowKey(a) > rowKey(b) ? 1 : 0);

/** The breakdown and special-range tables go tool trace would print for these stats. */
function expectedTables(rows: { goroutine: number; task: string; stats: GoroutineExecStats }[]): Omit<BreakdownPage, 'execTimePercent'> {
  const statNames = new Set<string>();
  const rangeNames = new Set<string>();
  for (const r of rows) {
    for (const name of Object.keys(nonOverlappingStats(r.stats))) statNames.add(name);
    for (const name of Object.keys(r.stats.rangeNs)) rangeNames.add(name);
  }
  const statColumns = [...statNames].sort(compareStatNames);
  const rangeColumns = [...rangeNames].sort();
  const stats: BreakdownRow[] = rows.map((r) => {
    const values = nonOverlappingStats(r.stats);
    return { goroutine: r.goroutine, task: r.task, totalNs: r.stats.totalNs, columns: Object.fromEntries(statColumns.map((c) => [c, values[c] ?? 0])) };
  });
  const ranges: BreakdownRow[] = rows
    .filter((r) => Object.values(r.stats.rangeNs).reduce((a, b) => a + b, 0) !== 0)
    .map((r) => ({ goroutine: r.goroutine, task: r.task, totalNs: r.stats.totalNs, columns: Object.fromEntries(rangeColumns.map((c) => [c, r.stats.rangeNs[c] ?? 0])) }));
  return { statColumns, stats: stats.sort(byGoroutine), rangeColumns, ranges: ranges.sort(byGoroutine) };
}

function assertTables(page: BreakdownPage, expected: Omit<BreakdownPage, 'execTimePercent'>, tolerance: number, what: string): void {
  assert.deepEqual(page.statColumns, expected.statColumns, `${what}: breakdown columns`);
  assertClose([...page.stats].sort(byGoroutine), expected.stats, tolerance, `${what}: breakdown rows`);
  assert.deepEqual(page.rangeColumns, expected.rangeColumns, `${what}: special-range columns`);
  assertClose([...page.ranges].sort(byGoroutine), expected.ranges, tolerance, `${what}: special-range rows`);
}

/** go tool trace's "52.17%"; within a hundredth where ties make its numbers vary from run to run. */
function assertShare(page: string | undefined, execNs: number, totalNs: number, tolerance: number, what: string): void {
  const ours = totalNs > 0 ? `${((execNs / totalNs) * 100).toFixed(2)}%` : '';
  if (tolerance === 0 || page === ours) assert.equal(page, ours, what);
  else assert.ok(Math.abs(parseFloat(page!) - parseFloat(ours)) <= 0.011, `${what}: ${page} vs ${ours}`);
}

// Go's TimeHistogram: five buckets per power of ten. A page prints each bucket's lower bound; the
// bucket's index is recovered from it by rounding (it is exp(index · logDiv), truncated to a Duration).
const LOG_DIV = Math.log(10 ** (1 / 5));
const bucketOf = (ns: number) => (ns > 0 ? Math.trunc(Math.log(ns) / LOG_DIV) : 0);
function histogram(durations: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const d of durations) out[bucketOf(d)] = (out[bucketOf(d)] ?? 0) + 1;
  return out;
}
function pageHistogram(buckets: HistogramBucket[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const b of buckets) out[Math.round(Math.log(Math.max(1, parseGoDuration(b.from))) / LOG_DIV)] = b.count;
  return out;
}

test('goroutine groups and every goroutine of each: the numbers of go tool trace\'s /goroutines and /goroutine pages', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const { path, model, analysis, tolerance } = analysisTrace();
  const server = await startGoTraceServer(path);
  t.after(() => server.stop());

  const groups = parseGoroutineGroups(await server.get('/goroutines'));
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  assertClose(
    analysis.groups.map((g) => ({ name: g.name, count: g.count, execNs: g.stats.execNs })).sort(byName),
    [...groups].sort(byName),
    tolerance,
    'groups: start function, count, total execution time',
  );
  for (let k = 1; k < analysis.groups.length; k++) assert.ok(analysis.groups[k - 1]!.stats.execNs >= analysis.groups[k]!.stats.execNs, 'groups by execution time');

  for (const group of analysis.groups) {
    const page = parseBreakdownPage(await server.get(`/goroutine?name=${encodeURIComponent(group.name)}`));
    const members = group.goroutines.map((k) => analysis.goroutines[k]!);
    assertShare(page.execTimePercent, group.stats.execNs, analysis.totalExecNs, tolerance, `${group.name}: share of execution time`);
    assertTables(page, expectedTables(members.map((g) => ({ goroutine: g.id, task: '', stats: g.stats }))), tolerance, `group ${JSON.stringify(group.name)}`);
    // The group's sums are its members' columns added up.
    const sums = expectedTables([{ goroutine: 0, task: '', stats: group.stats }]).stats[0]!;
    for (const column of Object.keys(sums.columns).filter((c) => c !== 'Unknown time')) {
      assertClose(sums.columns[column], page.stats.reduce((sum, row) => sum + (row.columns[column] ?? 0), 0), tolerance * group.count, `${group.name}: sum of ${column}`);
    }
    assertClose(group.unknownNs, page.stats.reduce((sum, row) => sum + (row.columns['Unknown time'] ?? 0), 0), tolerance * group.count, `${group.name}: sum of unknown time`);
  }

  // The program's goroutine groups spend their time the way it makes them.
  const group = (name: string) => analysis.groups.find((g) => g.name === name)!;
  const blocked = (name: string, reason: string) => group(name).stats.blockNsByReason[reason] ?? 0;
  assert.equal(group('main.mutexContender').count, 4);
  assert.ok(blocked('main.mutexContender', 'sync') > 0, 'mutex contenders block on the mutex');
  assert.ok(blocked('main.channelReceiver', 'chan receive') > 0, 'receivers block on the channel');
  assert.ok(blocked('main.channelSender', 'chan send') > 0 || blocked('main.channelSender', 'sleep') > 0, 'the sender blocks');
  assert.ok(blocked('main.selectWaiter', 'select') > 0, 'select waiters block in select');
  assert.ok(blocked('main.sleeper', 'sleep') > 0, 'sleepers sleep');
  assert.ok(blocked('main.networkClient', 'network') > 0, 'network clients wait on the network');
  assert.ok(group('main.pipeReader').stats.syscallBlockNs > 0, 'the pipe reader blocks in read syscalls');
  assert.ok(group('main.fileWriter').stats.syscallNs > 0, 'the file writer makes syscalls');
  assert.ok((group('main.allocator').stats.rangeNs['GC mark assist'] ?? 0) > 0, 'allocators assist the GC');
  assert.ok(analysis.goroutines.some((g) => Number.isNaN(g.endNs)) && analysis.goroutines.some((g) => !Number.isNaN(g.endNs)), 'goroutines that end and goroutines still there when tracing stops');
  for (const name of ['main.selectForever', 'main.receiveFromNil']) {
    const forever = analysis.goroutines[group(name).goroutines[0]!]!;
    assert.ok(!Number.isNaN(forever.endNs) && Object.keys(forever.stats.blockNsByReason).length === 0, `${name} waits forever: its end, with no block time`);
  }
  assert.ok(model.generations >= 2, 'the trace spans generations');
});

test('user regions: go tool trace\'s /userregions (types, start locations, counts, histograms) and each /userregion page', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const { path, analysis, tolerance } = analysisTrace();
  const server = await startGoTraceServer(path);
  t.after(() => server.stop());

  const types = parseRegionTypes(await server.get('/userregions'));
  const key = (type: string, pc: number) => `${JSON.stringify(type)} @ ${pc.toString(16)}`;
  const ours = new Map<string, typeof analysis.regions>();
  for (const r of analysis.regions) {
    const k = key(r.name, r.frame?.pc ?? 0);
    ours.set(k, [...(ours.get(k) ?? []), r]);
  }
  assert.deepEqual([...ours.keys()].sort(), types.map((row) => key(row.type, row.pc)).sort(), 'region types and where they began');
  for (const row of types) {
    const regions = ours.get(key(row.type, row.pc))!;
    const frame = regions[0]!.frame ?? { func: '', file: '', line: 0 };
    assert.deepEqual({ func: frame.func, file: frame.file, line: frame.line, count: regions.length }, { func: row.func, file: row.file, line: row.line, count: row.count }, key(row.type, row.pc));
    assert.deepEqual(histogram(regions.map((r) => r.durationNs)), pageHistogram(row.histogram), `${key(row.type, row.pc)}: duration histogram`);

    const page = parseBreakdownPage(await server.get(`/userregion?type=${encodeURIComponent(row.type)}&pc=${row.pc.toString(16)}`));
    assertTables(page, expectedTables(regions.map((r) => ({ goroutine: r.goroutineId, task: r.taskId === 0 ? '' : String(r.taskId), stats: r.stats }))), tolerance, key(row.type, row.pc));
  }

  const names = new Set(analysis.regions.map((r) => r.name));
  for (const name of ['critical section', 'receive item', 'round trip', 'pipe read', 'nap', 'spin', 'allocate']) assert.ok(names.has(name), `regions named ${name}`);
  assert.ok(analysis.regions.some((r) => r.inherited && r.name === ''), 'goroutines started inside a region inherit its task');
  for (const g of analysis.goroutines) for (const k of g.regions) assert.equal(analysis.regions[k]!.goroutine, g.row, 'a goroutine lists its own regions');
});

/** What go tool trace's task page says about an event (cmd/trace/tasks.go describeEvent, its quirks kept). */
function describe(model: ExecutionTraceModel, i: number): string {
  const e = model.events;
  const text = (s: number) => model.strings[s]!;
  switch (e.kind[i]) {
    case EventKind.StateTransition:
      return `${GO_STATE_NAMES[e.state[i]! >> 4]} -> ${GO_STATE_NAMES[e.state[i]! & 15]}`;
    case EventKind.RegionBegin:
      return `region ${goQuote(text(e.str[i]!))} begin`;
    case EventKind.RegionEnd:
      return `region ${goQuote(text(e.str[i]!))} end`;
    case EventKind.TaskBegin:
      return `task ${goQuote(text(e.str[i]!))} (D ${e.a0[i]}, parent ${e.a1[i] === 2 ** 64 ? '18446744073709551615' : e.a1[i]}) begin`;
    case EventKind.TaskEnd:
      return 'task end';
    case EventKind.Log:
      return text(e.str[i]!) !== '' ? `log ${goQuote(text(e.a1[i]!))}` : `log (category: ): ${goQuote(text(e.a1[i]!))}`;
    default:
      return '';
  }
}

test('user tasks: go tool trace\'s /usertasks (types, counts, histograms) and each task\'s events on /usertask', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const { path, model, analysis, tolerance } = analysisTrace();
  const server = await startGoTraceServer(path);
  t.after(() => server.stop());

  const types = parseTaskTypes(await server.get('/usertasks'));
  const names = [...new Set(analysis.tasks.map((task) => task.name))].sort();
  assert.deepEqual(types.map((row) => row.type), names, 'task types');
  const traceStart = model.events.time[0]!;
  // The page prints times since the trace's first event as seconds with nine decimals ("%2.9f").
  const sinceStart = (when: string) => {
    const m = /^(\d+)\.(\d{9})s?$/.exec(when)!;
    return Number(m[1]) * 1e9 + Number(m[2]);
  };
  for (const row of types) {
    const tasks = analysis.tasks.filter((task) => task.name === row.type);
    assert.equal(row.count, tasks.length, `${row.type}: count`);
    assert.deepEqual(histogram(tasks.filter((task) => task.complete).map((task) => task.durationNs)), pageHistogram(row.histogram), `${row.type}: histogram of complete tasks`);

    const page = parseTasks(await server.get(`/usertask?type=${encodeURIComponent(row.type)}`));
    const expected = tasks.map((task) => {
      const events = [task.startEvent, task.endEvent, ...task.logs];
      for (const r of task.regions) events.push(analysis.regions[r]!.startEvent, analysis.regions[r]!.endEvent);
      const listed = events
        .filter((i) => i >= 0)
        .sort((a, b) => model.events.time[a]! - model.events.time[b]!)
        .map((i) => {
          const e = model.events;
          const goroutine = e.kind[i] === EventKind.StateTransition ? e.a0[i]! : e.g[i]!;
          return { when: e.time[i]! - traceStart, goroutine: goroutine < 0 ? -1 : model.goroutines.id[goroutine]!, what: describe(model, i) };
        })
        .filter((event) => event.what !== '');
      return { id: task.id, when: task.startNs - traceStart, durationNs: task.durationNs, complete: task.complete, events: listed };
    });
    const pageTasks = [...page].sort((a, b) => a.id - b.id).map((task) => ({ ...task, when: sinceStart(task.when), events: task.events.map((event) => ({ ...event, when: sinceStart(event.when) })) }));
    assertClose(pageTasks, expected, tolerance, `tasks of type ${JSON.stringify(row.type)}`);
  }
  const round = analysis.tasks.find((task) => task.name === 'round')!;
  assert.ok(round.complete && round.childIds.length === 8 && round.logs.length === 1, 'a round has its eight stages as subtasks and logs once');
  assert.ok(analysis.tasks.some((task) => !task.complete && task.endEvent >= 0), 'a task that began before tracing started');
  assert.ok(analysis.tasks.some((task) => !task.complete && task.startEvent >= 0), 'a task still open when tracing stopped');
  const mutex = analysis.tasks.find((task) => task.name === 'mutex')!;
  assert.ok(mutex.goroutineIds.length >= 5, 'the mutex stage\'s task has the goroutine that began it and its four contenders');
});

function statsOf(analysis: GoroutineAnalysis): Map<number, GoroutineSummary> {
  return new Map(analysis.goroutines.map((g) => [g.id, g]));
}

test('a time range clips every interval: adjacent ranges add up to the whole, and running and blocked time equal the model\'s state intervals', (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const { model, analysis } = analysisTrace();
  const start = model.startNs;
  const end = model.endNs;
  const mid = Math.round(start + (end - start) * 0.37);
  const whole = statsOf(summarizeGoroutines(model, { from: start, to: end }));
  const left = statsOf(summarizeGoroutines(model, { from: start, to: mid }));
  const right = statsOf(summarizeGoroutines(model, { from: mid, to: end }));

  // The whole trace as a range is the same as no range; goroutines created after a range are not in it.
  assert.deepEqual([...whole.values()].map((g) => g.stats), analysis.goroutines.map((g) => g.stats));
  const lastCreated = Math.max(...analysis.goroutines.map((g) => g.creationNs));
  const early = statsOf(summarizeGoroutines(model, { from: start, to: lastCreated - 1 }));
  assert.ok(early.size < whole.size && [...early.values()].every((g) => g.creationNs < lastCreated), 'goroutines outside a range are left out');

  const zero: GoroutineExecStats = { execNs: 0, schedWaitNs: 0, blockNsByReason: {}, syscallNs: 0, syscallBlockNs: 0, totalNs: 0, rangeNs: {} };
  for (const [id, g] of whole) {
    const a = left.get(id)?.stats ?? zero;
    const b = right.get(id)?.stats ?? zero;
    const sum = (key: 'execNs' | 'schedWaitNs' | 'syscallNs' | 'syscallBlockNs' | 'totalNs') => a[key] + b[key];
    assert.deepEqual(
      [sum('execNs'), sum('schedWaitNs'), sum('syscallNs'), sum('syscallBlockNs'), sum('totalNs')],
      [g.stats.execNs, g.stats.schedWaitNs, g.stats.syscallNs, g.stats.syscallBlockNs, g.stats.totalNs],
      `goroutine ${id}: the two halves add up`,
    );
    for (const [reason, ns] of Object.entries(g.stats.blockNsByReason)) assert.equal((a.blockNsByReason[reason] ?? 0) + (b.blockNsByReason[reason] ?? 0), ns, `goroutine ${id}: ${reason}`);
    for (const [range, ns] of Object.entries(g.stats.rangeNs)) assert.equal((a.rangeNs[range] ?? 0) + (b.rangeNs[range] ?? 0), ns, `goroutine ${id}: ${range}`);
  }

  // Running and blocked time inside [from, to], from the timeline's own state intervals.
  const s = model.goroutineStates;
  const from = start + (end - start) * 0.2;
  const to = start + (end - start) * 0.6;
  const clipped = statsOf(summarizeGoroutines(model, { from: Math.round(from), to: Math.round(to) }));
  const overlap = (a: number, b: number) => Math.max(0, Math.min(b, Math.round(to)) - Math.max(a, Math.round(from)));
  const running = new Map<number, number>();
  const blocked = new Map<string, number>();
  for (let k = 0; k < s.count; k++) {
    const id = model.goroutines.id[s.goroutine[k]!]!;
    const reason = model.strings[s.reason[k]!]!;
    if (s.state[k] === GoroutineState.Running) running.set(id, (running.get(id) ?? 0) + overlap(s.start[k]!, s.end[k]!));
    if (s.state[k] === GoroutineState.Waiting && reason !== 'forever') blocked.set(`${id} ${reason}`, (blocked.get(`${id} ${reason}`) ?? 0) + overlap(s.start[k]!, s.end[k]!));
  }
  let compared = 0;
  for (const [id, g] of clipped) {
    assert.equal(g.stats.execNs, running.get(id) ?? 0, `goroutine ${id}: running time in the range`);
    for (const [reason, ns] of Object.entries(g.stats.blockNsByReason)) {
      assert.equal(ns, blocked.get(`${id} ${reason}`) ?? 0, `goroutine ${id}: blocked on ${reason} in the range`);
      compared++;
    }
  }
  assert.ok(compared > 20, 'blocked time was compared for many goroutines and reasons');
  assert.throws(() => summarizeGoroutines(model, { from: end, to: start }), /starts after it ends/);
});

test("formatGoDuration prints what Go's time.Duration.String prints", () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [1, '1ns'],
    [999, '999ns'],
    [1000, '1µs'],
    [1216, '1.216µs'],
    [1_100_000, '1.1ms'],
    [51_361_856, '51.361856ms'],
    [999_999_999, '999.999999ms'],
    [1_000_000_000, '1s'],
    [61_500_000_000, '1m1.5s'],
    [3_600_000_000_000, '1h0m0s'],
    [3_723_000_000_001, '1h2m3.000000001s'],
    [-1500, '-1.5µs'],
  ];
  for (const [ns, text] of cases) {
    assert.equal(formatGoDuration(ns), text);
    assert.equal(parseGoDuration(text), ns);
  }
});

test("Go's parser cases and fuzz corpus: every trace that decodes (partly, too) is summarized, with no negative or missing numbers", () => {
  const tests = sharedFixture('go-exectrace', 'tests');
  const fuzz = sharedFixture('go-exectrace', 'fuzz');
  const inputs = [
    ...readdirSync(tests).filter((f) => f.endsWith('.test')).map((f) => encodeTraceText(readGoTraceTestCase(join(tests, f)).traceText)),
    ...readdirSync(fuzz).map((f) => readGoFuzzCorpusBytes(join(fuzz, f))),
  ];
  let summarized = 0;
  for (const bytes of inputs) {
    let model: ExecutionTraceModel;
    try {
      model = decodeExecutionTrace(bytes, { allowPartial: true });
    } catch {
      continue;
    }
    for (const range of [{}, { from: model.startNs + 1, to: model.endNs - 1 }]) {
      const analysis = summarizeGoroutines(model, range);
      for (const g of analysis.goroutines) {
        const values = [g.stats.execNs, g.stats.schedWaitNs, g.stats.syscallNs, g.stats.syscallBlockNs, g.stats.totalNs, g.unknownNs, ...Object.values(g.stats.blockNsByReason), ...Object.values(g.stats.rangeNs)];
        assert.ok(values.every((v) => Number.isFinite(v) && v >= 0), `goroutine ${g.id}: ${values.join(' ')}`);
      }
      for (const kind of transitionTable(model, range).kinds) assert.ok(kind.count > 0 && kind.p50Ns <= kind.p90Ns && kind.p90Ns <= kind.p99Ns && kind.p99Ns <= kind.maxNs && kind.p50Ns >= 0);
    }
    summarized++;
  }
  assert.ok(summarized >= 20, `${summarized} traces summarized`);
});
