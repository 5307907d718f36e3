// The trace-derived profiles (net, sync, syscall, sched) against Go 1.23's own: `go tool trace -pprof=TYPE`
// for whole traces, and `go tool trace -http`'s goroutine-group and region pages for the filters, on a
// trace of a real program that waits on the network, on channels, locks and wait groups, in syscalls and
// in runnable pile-ups, inside tasks and regions (test/go/blockgen); on Go's own parser test traces; and
// the time range against the goroutine states the timeline itself shows.

import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Profile } from '../../core/profiles';
import {
  EventKind,
  GoroutineState,
  TRACE_PROFILE_TYPES,
  TraceProfileError,
  decodeExecutionTrace,
  traceProfile,
  type ExecutionTraceModel,
  type TraceProfileOptions,
  type TraceProfileType,
} from '../../core/timeline';
import { requireGo } from '../helpers/goToolchain';
import { readGoTraceTestCase } from '../helpers/traceGoText';
import { GO_PROFILE_PAGE, startGoTraceServer, type GoTraceServer } from '../helpers/traceGoHttp';
import { assertMatchesGo, goTracePprof, sampleLines, writeBlockingTrace } from '../helpers/traceProfileReference';
import { temporaryTraceFile } from '../helpers/traceModels';
import { encodeTraceText } from '../helpers/traceTextEncoder';
import { sharedFixture } from '../helpers/sharedFixtures';

const TYPES: readonly TraceProfileType[] = TRACE_PROFILE_TYPES.map((t) => t.type);

let served: Promise<GoTraceServer> | undefined;
after(async () => {
  await (await served)?.stop();
});

/** The two-round blocking trace, its model, and go tool trace -http serving it (one server for the file's tests). */
async function servedTrace(t: TestContext): Promise<{ model: ExecutionTraceModel; server: GoTraceServer } | undefined> {
  if (!requireGo((why) => t.skip(why))) return undefined;
  const trace = writeBlockingTrace(2);
  served ??= startGoTraceServer(trace);
  return { model: modelOf(trace), server: await served };
}

const models = new Map<string, ExecutionTraceModel>();
function modelOf(file: string): ExecutionTraceModel {
  let model = models.get(file);
  if (!model) models.set(file, (model = decodeExecutionTrace(readFileSync(file))));
  return model;
}

/** The function names on any stack of the profile (its cum rows). */
function functionsOf(profile: Profile): Set<string> {
  return new Set(sampleLines(profile).flatMap((line) => line.split(' ').slice(2).join(' ').split(';')));
}

function total(profile: Profile, value: 0 | 1): number {
  let sum = 0;
  for (let s = 0; s < profile.samples.count; s++) sum += profile.samples.values[2 * s + value]!;
  return sum;
}

/** Compares our filtered profile with the one Go serves on `page` for `query`. */
async function assertSameAsGoPage(server: GoTraceServer, model: ExecutionTraceModel, type: TraceProfileType, page: string, query: Record<string, string>, options: TraceProfileOptions): Promise<Profile> {
  const what = `${type} ${page}?${new URLSearchParams(query).toString()}`;
  const reference = await server.profile(page, query);
  const ours = traceProfile(model, type, options);
  assertMatchesGo(ours, reference, model, what, `${type}-${page.slice(1)}-${Object.values(query).join('-').replace(/[^\w.-]/g, '_')}`);
  return ours;
}

test('net, sync, syscall, sched: go tool pprof -top reads the same out of our profile as out of go tool trace -pprof=TYPE', (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const trace = writeBlockingTrace(2);
  const model = modelOf(trace);
  // Waits the program makes on purpose, each in the profile that measures it.
  const expected: Record<TraceProfileType, string[]> = {
    net: ['internal/poll.(*FD).Read', 'internal/poll.(*FD).Accept'],
    sync: ['runtime.selectgo', 'sync.(*WaitGroup).Wait'],
    syscall: ['main.syscalls'],
    sched: ['main.pileUp'],
  };
  for (const type of TYPES) {
    const ours = traceProfile(model, type);
    assertMatchesGo(ours, goTracePprof(trace, type), model, type, type);
    assert.ok(total(ours, 0) > 0 && total(ours, 1) > 0, `${type}: the trace has such waits`);
    for (const name of expected[type]) assert.ok(functionsOf(ours).has(name), `${type}: ${name} is on a stack`);
  }
});

test("Go's parser test traces (stress tests, generation boundaries, syscalls whose P is stolen): the same samples as go tool trace -pprof", (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const dir = sharedFixture('go-exectrace', 'tests');
  let compared = 0;
  let nonEmpty = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.test'))) {
    const testCase = readGoTraceTestCase(join(dir, file));
    if (!testCase.expect.success || /^go12[4-9]/.test(file)) continue;
    const bytes = encodeTraceText(testCase.traceText);
    const path = temporaryTraceFile(`profiles-${file}.out`);
    writeFileSync(path, bytes);
    let model: ExecutionTraceModel;
    try {
      model = decodeExecutionTrace(bytes);
    } catch {
      continue; // The decoder's own tests cover what it rejects.
    }
    for (const type of TYPES) {
      let reference: Uint8Array;
      try {
        reference = goTracePprof(path, type);
      } catch (error) {
        // Go 1.23 cannot read a generation without events; a trace without goroutines has no profile.
        if (/frontier is empty/.test(String(error))) continue;
        assert.match(String(error), /failed to find matching goroutines/, file);
        assert.throws(() => traceProfile(model, type), (e) => e instanceof TraceProfileError && e.code === 'no-such-goroutines', file);
        continue;
      }
      const ours = traceProfile(model, type);
      assertMatchesGo(ours, reference, model, `${file} ${type}`);
      compared++;
      if (ours.samples.count > 0) nonEmpty++;
    }
  }
  assert.ok(compared >= 72, `${compared} profiles compared`);
  assert.ok(nonEmpty >= 8, `${nonEmpty} of them not empty`);
});

test("Go's annotation test traces (regions across generations, regions ended without a begin): every region, as go tool trace serves it", async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  let nonEmpty = 0;
  for (const file of ['go122-annotations.test', 'go122-annotations-stress.test', 'go122-task-across-generations.test']) {
    const bytes = encodeTraceText(readGoTraceTestCase(sharedFixture('go-exectrace', 'tests', file)).traceText);
    const path = temporaryTraceFile(`regions-${file}.out`);
    writeFileSync(path, bytes);
    const model = decodeExecutionTrace(bytes);
    const server = await startGoTraceServer(path);
    try {
      for (const type of TYPES) {
        const reference = await server.profile(`/region${GO_PROFILE_PAGE[type]}`, {});
        const ours = traceProfile(model, type, { regions: {} });
        assertMatchesGo(ours, reference, model, `${file} ${type}`);
        if (ours.samples.count > 0) nonEmpty++;
      }
    } finally {
      await server.stop();
    }
  }
  assert.ok(nonEmpty >= 3, `${nonEmpty} profiles with samples`);
});

test("a goroutine group (go tool trace's /io, /block, /syscall, /sched?name=…): the same profile as Go serves", async (t) => {
  const served = await servedTrace(t);
  if (!served) return;
  const { model, server } = served;
  const groups: Record<TraceProfileType, string[]> = {
    net: ['net/http.(*conn).serve', 'main.cruncher'],
    sync: ['main.httpClient', 'main.cruncher'],
    syscall: ['net/http.(*conn).serve', 'main.syncWaits.func1'],
    sched: ['main.syncWaits.func1', 'net/http.(*persistConn).readLoop'],
  };
  let nonEmpty = 0;
  for (const type of TYPES) {
    for (const name of groups[type]) {
      const ours = await assertSameAsGoPage(server, model, type, `/${GO_PROFILE_PAGE[type]}`, { name }, { goroutineName: name });
      if (ours.samples.count > 0) nonEmpty++;
      assert.ok(total(ours, 1) <= total(traceProfile(model, type), 1), `${type} ${name}: a group has no more delay than the whole trace`);
    }
  }
  assert.ok(nonEmpty >= 4, `${nonEmpty} groups with samples`);
  const unknown = (() => {
    try {
      traceProfile(model, 'sync', { goroutineName: 'main.noSuchFunction' });
    } catch (error) {
      return error;
    }
  })();
  assert.ok(unknown instanceof TraceProfileError && unknown.code === 'no-such-goroutines');
  assert.match(unknown.message, /No goroutine in the trace starts in "main\.noSuchFunction"\. Groups in this trace \(by start function\): .*main\.cruncher/);
});

test("a region filter (go tool trace's /regionio, /regionblock, … ?type=…&pc=…&latmin=…): the same profile as Go serves", async (t) => {
  const served = await servedTrace(t);
  if (!served) return;
  const { model, server } = served;
  // The innermost frame of the first "critical section" region's begin: Go's pc= condition.
  const critical = model.strings.indexOf('critical section');
  const begin = Array.from({ length: model.events.count }, (_, i) => i).find((i) => model.events.kind[i] === EventKind.RegionBegin && model.events.str[i] === critical)!;
  const pc = model.frames.pc[model.stacks.frames[model.stacks.offsets[model.events.stack[begin]!]!]!]!;
  const filters: [Record<string, string>, TraceProfileOptions['regions']][] = [
    [{}, {}],
    [{ type: 'http request' }, { type: 'http request' }],
    [{ type: 'crunch' }, { type: 'crunch' }], // nested regions of one type: only the outermost count
    [{ type: 'sync waits' }, { type: 'sync waits' }],
    [{ type: 'blocking reads' }, { type: 'blocking reads' }],
    [{ type: '' }, { type: '' }], // the unnamed regions goroutines inherit from the region they start in
    [{ type: 'critical section', latmin: '60us' }, { type: 'critical section', minDurationNs: 60_000 }],
    [{ type: 'critical section', pc: pc.toString(16), latmax: '1s' }, { type: 'critical section', pc, maxDurationNs: 1e9 }],
  ];
  const nonEmpty = new Set<TraceProfileType>();
  for (const type of TYPES) {
    for (const [query, regions] of filters) {
      const ours = await assertSameAsGoPage(server, model, type, `/region${GO_PROFILE_PAGE[type]}`, query, { regions });
      if (ours.samples.count > 0 && query.type !== undefined) nonEmpty.add(type);
    }
  }
  assert.deepEqual([...nonEmpty].sort(), [...TYPES].sort(), 'each type has a region with samples');
});

test('a task filter keeps the regions of that task: the rounds\' tasks of one name add up to go tool trace\'s region profile', async (t) => {
  const served = await servedTrace(t);
  if (!served) return;
  const { model, server } = served;
  // Each round has its own "sync" task, and "sync waits" regions only ever run in "sync" tasks.
  const syncName = model.strings.indexOf('sync');
  const tasks = Array.from({ length: model.tasks.count }, (_, i) => i).filter((i) => model.tasks.name[i] === syncName).map((i) => model.tasks.id[i]!);
  assert.equal(tasks.length, 2, 'one sync task per round');
  for (const type of ['sync', 'sched'] as const) {
    const reference = traceProfile(model, type, { regions: { type: 'sync waits' } });
    assertMatchesGo(reference, await server.profile(`/region${GO_PROFILE_PAGE[type]}`, { type: 'sync waits' }), model, type);
    const perTask = tasks.map((taskId) => traceProfile(model, type, { regions: { type: 'sync waits', taskId } }));
    for (const p of perTask) assert.ok(p.samples.count > 0 && total(p, 1) < total(reference, 1), `${type}: each task has part of the waits`);
    assert.equal(perTask.reduce((sum, p) => sum + total(p, 1), 0), total(reference, 1), `${type}: the tasks' delays add up to Go's`);
    const network = model.tasks.id[model.tasks.name.indexOf(model.strings.indexOf('network'))]!;
    assert.equal(traceProfile(model, type, { regions: { type: 'sync waits', taskId: network } }).samples.count, 0, `${type}: no "sync waits" region in a network task`);
    // The task alone: all its regions (the unnamed ones its goroutines inherit included) hold at least as much.
    for (let k = 0; k < tasks.length; k++) assert.ok(total(traceProfile(model, type, { regions: { taskId: tasks[k] } }), 1) >= total(perTask[k]!, 1));
  }
});

const SYNC_REASON = /chan|sync|select/;

/**
 * The sync profile's delay per stack as the timeline's goroutine states give it: a goroutine is counted
 * from the start of a Waiting state for a sync reason entered by an event with a stack, to the next state
 * change out of Waiting made by an event with a stack (Go's rule), within its life in Go's summary (first
 * run to its end) and [from, to].
 */
function syncDelaysFromStates(model: ExecutionTraceModel, from: number, to: number): Map<string, number> {
  const { goroutineStates: s, events, stacks, frames, strings } = model;
  const delays = new Map<string, number>();
  const hasStack = (event: number) => event >= 0 && events.stack[event] !== 0;
  for (let g = 0; g < model.goroutines.count; g++) {
    const first = s.laneOffsets[g]!;
    const last = s.laneOffsets[g + 1]!;
    let firstRun = 0;
    let end = model.endNs;
    for (let k = first; k < last; k++) {
      if (s.state[k] === GoroutineState.Running && firstRun === 0) firstRun = s.start[k]!;
      if (s.state[k] === GoroutineState.Waiting && strings[s.reason[k]!] === 'forever') end = s.start[k]!;
    }
    if (!Number.isNaN(model.goroutines.endedAt[g]!)) end = model.goroutines.endedAt[g]!;
    const lo = Math.max(firstRun, from);
    const hi = Math.min(end, to);
    let since = -1;
    let stack = 0;
    for (let k = first; k < last; k++) {
      const waiting = s.state[k] === GoroutineState.Waiting;
      if (since < 0) {
        if (waiting && SYNC_REASON.test(strings[s.reason[k]!]!) && hasStack(s.startEvent[k]!)) {
          since = s.start[k]!;
          stack = events.stack[s.startEvent[k]!]!;
        }
      } else if (!waiting && hasStack(s.startEvent[k]!)) {
        const overlap = Math.min(hi, s.start[k]!) - Math.max(lo, since);
        if (overlap > 0) {
          const names = [];
          for (let f = stacks.offsets[stack]!; f < stacks.offsets[stack + 1]!; f++) names.push(strings[frames.func[stacks.frames[f]!]!]);
          const key = names.join(';');
          delays.set(key, (delays.get(key) ?? 0) + overlap);
        }
        since = -1;
      }
    }
  }
  return delays;
}

/** Delay per stack ("fn;fn;…", leaf first) out of sample lines. */
function delaysByStack(lines: readonly string[]): Map<string, number> {
  const delays = new Map<string, number>();
  for (const line of lines) {
    const [, , delay, stack] = /^(\S+) (\S+) (.*)$/s.exec(line)!;
    delays.set(stack!, (delays.get(stack!) ?? 0) + Number(delay));
  }
  return delays;
}

test('a time range keeps the waits inside it: the delays the goroutine states give, and slices that add up to the whole', (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const trace = writeBlockingTrace(2);
  const model = modelOf(trace);
  // The computation from the states is Go's: without a range it gives the whole profile (which the first
  // test holds to go tool trace's).
  assert.deepEqual(syncDelaysFromStates(model, -Infinity, Infinity), delaysByStack(sampleLines(traceProfile(model, 'sync'))));

  const span = model.endNs - model.startNs;
  const cuts = [model.startNs, model.startNs + Math.round(span / 3), model.startNs + Math.round((2 * span) / 3), model.endNs];
  const sums = new Map<TraceProfileType, Map<string, number>>();
  let slicesWithWaits = 0;
  for (let w = 0; w < 3; w++) {
    const window = { fromNs: cuts[w]!, toNs: cuts[w + 1]! };
    const sync = traceProfile(model, 'sync', window);
    if (sync.samples.count > 0) slicesWithWaits++;
    assert.deepEqual(delaysByStack(sampleLines(sync)), syncDelaysFromStates(model, window.fromNs, window.toNs), `slice ${w}: the delays the states give`);
    for (const type of TYPES) {
      const sum = sums.get(type) ?? new Map<string, number>();
      for (const [stack, delay] of delaysByStack(sampleLines(traceProfile(model, type, window)))) sum.set(stack, (sum.get(stack) ?? 0) + delay);
      sums.set(type, sum);
    }
  }
  assert.ok(slicesWithWaits >= 2, `${slicesWithWaits} of 3 slices have sync waits`);
  for (const type of TYPES) {
    assert.deepEqual(sums.get(type), delaysByStack(sampleLines(traceProfile(model, type))), `${type}: the three slices add up to the whole trace's profile`);
  }

  // A range around the first "sync waits" region, and one inside a pile-up region with a goroutine group.
  const region = (name: string) => model.regions.name.indexOf(model.strings.indexOf(name));
  const syncWaits = region('sync waits');
  const around = { fromNs: model.regions.start[syncWaits]!, toNs: model.regions.end[syncWaits]! };
  assert.deepEqual(delaysByStack(sampleLines(traceProfile(model, 'sync', around))), syncDelaysFromStates(model, around.fromNs, around.toNs));
  const pileUp = region('pile-up');
  const crunchers = traceProfile(model, 'sync', { goroutineName: 'main.cruncher', fromNs: model.regions.start[pileUp]!, toNs: model.regions.end[pileUp]! });
  assert.ok(functionsOf(crunchers).has('sync.(*WaitGroup).Wait'), 'the crunchers wait for each other at the end of the pile-up');
  assert.equal(traceProfile(model, 'sync', { fromNs: model.startNs - 2000, toNs: model.startNs - 1000 }).samples.count, 0, 'nothing before the trace');
  assert.throws(() => traceProfile(model, 'sync', { fromNs: 10, toNs: 5 }), (e) => e instanceof TraceProfileError && e.code === 'invalid-options' && /ends before it starts/.test(e.message));
  assert.throws(() => traceProfile(model, 'net', { fromNs: Number.NaN }), (e) => e instanceof TraceProfileError && /finite number/.test(e.message));
});
