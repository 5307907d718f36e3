// The state-transition table against an independent computation from `go tool trace -d=1` (Go's own
// reader) on a real trace of test/go/traceanalysis: the same instances, read from the listing's state
// transition lines and their timestamps, give the same count and the same nearest-rank percentiles for
// every kind, for the whole trace, a time range, a goroutine group and a region; the worst instances are
// the listing's longest, with the stack of the event that began them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeExecutionTrace, listEvents, stackFrames, type ExecutionTraceModel } from '../../core/timeline';
import { nearestRank, transitionTable, type TransitionOptions } from '../../core/timeline/analysis/stateTransitions';
import { requireGo } from '../helpers/goToolchain';
import { eventBlocks, goToolTraceEvents } from '../helpers/traceGoTool';
import { unquoteGo, writeAnalysisTrace } from '../helpers/goTraceHttp';

interface ListedTransition {
  readonly time: number;
  readonly goroutine: number;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  /** The goroutine's start function by Go's rule: the root frame of the transition stack. */
  readonly root: string | undefined;
  /** "func file:line" of the event's own stack, innermost first. */
  readonly stack: string[];
}

interface Listing {
  readonly start: number;
  readonly end: number;
  readonly transitions: ListedTransition[];
  /** Per goroutine, its regions as [begin, end] with type and task. */
  readonly regions: { goroutine: number; type: string; task: number; begin: number; end: number }[];
}

function frames(section: string | undefined): string[] {
  if (!section) return [];
  const out: string[] = [];
  const lines = section.split('\n').filter((l) => l.startsWith('\t'));
  // A frame without a function is listed as "\t @ 0x0": trimmed, its address has no space before it.
  for (let k = 0; k + 1 < lines.length; k += 2) out.push(`${lines[k]!.trim().replace(/(?:^| )@ 0x[0-9a-f]+$/, '')} ${lines[k + 1]!.trim()}`);
  return out;
}

/** What the tests need from a -d=1 listing, read with no use of our decoder. */
function readListing(text: string): Listing {
  const blocks = eventBlocks(text);
  const time = (block: string) => Number(/ Time=(\d+)/.exec(block)![1]);
  const transitions: ListedTransition[] = [];
  const open = new Map<number, { type: string; task: number; begin: number }[]>();
  const regions: Listing['regions'] = [];
  const start = time(blocks[0]!);
  const end = time(blocks[blocks.length - 1]!);
  for (const block of blocks) {
    const line = block.split('\n')[0]!;
    const g = Number(/ G=(-?\d+)/.exec(line)![1]);
    const st = / StateTransition Time=(\d+) Resource=Goroutine\((\d+)\) Reason=(".*") GoID=\d+ (\w+)->(\w+)$/.exec(line);
    if (st) {
      // eventBlocks drops the blank line between a block's two stacks.
      const transitionStack = frames(/TransitionStack=\n([\s\S]*?)(?=\nStack=|$)/.exec(block)?.[1]);
      transitions.push({
        time: Number(st[1]),
        goroutine: Number(st[2]),
        reason: unquoteGo(st[3]!),
        from: st[4]!,
        to: st[5]!,
        root: transitionStack.length > 0 ? transitionStack[transitionStack.length - 1]!.split(' ')[0] : undefined,
        stack: frames(/(?:^|\n)Stack=\n([\s\S]*?)(?=\nTransitionStack=|$)/.exec(block)?.[1]),
      });
      continue;
    }
    const region = / Region(Begin|End) Time=(\d+) Task=(\d+) Type=(".*")$/.exec(line);
    if (!region) continue;
    const stack = open.get(g) ?? [];
    open.set(g, stack);
    if (region[1] === 'Begin') stack.push({ type: unquoteGo(region[4]!), task: Number(region[3]), begin: Number(region[2]) });
    else {
      const top = stack.pop() ?? { type: unquoteGo(region[4]!), task: Number(region[3]), begin: start };
      regions.push({ goroutine: g, ...top, end: Number(region[2]) });
    }
  }
  for (const [g, stack] of open) for (const r of stack) regions.push({ goroutine: g, ...r, end });
  return { start, end, transitions, regions };
}

interface Expected {
  count: number;
  durations: number[];
  worst: { goroutine: number; start: number; end: number; stack: string[] }[];
}

/**
 * The table, computed from the listing: an instance is a goroutine's change of state out of Runnable,
 * Running, Waiting or Syscall that the trace saw begin (not a state from the first status of a goroutine
 * that existed when tracing started, "Undetermined->…").
 */
function expectedTable(listing: Listing, options: TransitionOptions): Map<string, Expected> {
  const names = new Map<number, string>();
  const state = new Map<number, { state: string; since: number; reason: string; seen: boolean; stack: string[] }>();
  const instances: { key: string; goroutine: number; start: number; end: number; stack: string[] }[] = [];
  const inRegion = (g: number, t: number) =>
    listing.regions.some((r) => r.goroutine === g && r.begin <= t && t <= r.end && (options.region === undefined || r.type === options.region) && (options.task === undefined || r.task === options.task));
  // Names first: a goroutine's group is decided by the whole trace.
  for (const tr of listing.transitions) {
    if (tr.from === tr.to) continue;
    if (tr.from === 'Undetermined' || tr.from === 'NotExist') names.delete(tr.goroutine);
    if (!names.has(tr.goroutine) && tr.root !== undefined) names.set(tr.goroutine, tr.root);
  }
  for (const tr of listing.transitions) {
    if (tr.from === tr.to) continue;
    const was = state.get(tr.goroutine);
    if (
      was?.seen &&
      was.state === tr.from &&
      ['Runnable', 'Running', 'Waiting', 'Syscall'].includes(tr.from) &&
      tr.time >= (options.from ?? -Infinity) &&
      tr.time <= (options.to ?? Infinity) &&
      (options.group === undefined || (names.get(tr.goroutine) ?? '') === options.group) &&
      (options.region === undefined && options.task === undefined ? true : inRegion(tr.goroutine, tr.time))
    ) {
      const reason = tr.from === 'Waiting' ? was.reason : tr.from === 'Running' && (tr.to === 'Waiting' || tr.to === 'Runnable') ? tr.reason : '';
      instances.push({ key: `${tr.from.toLowerCase()} ${tr.to.toLowerCase()} ${reason}`, goroutine: tr.goroutine, start: was.since, end: tr.time, stack: was.stack });
    }
    state.set(tr.goroutine, { state: tr.to, since: tr.time, reason: tr.to === 'Waiting' ? tr.reason : '', seen: tr.from !== 'Undetermined', stack: tr.stack });
  }
  const table = new Map<string, Expected>();
  for (const inst of instances) {
    const entry = table.get(inst.key) ?? { count: 0, durations: [], worst: [] };
    entry.count++;
    entry.durations.push(inst.end - inst.start);
    entry.worst.push({ goroutine: inst.goroutine, start: inst.start, end: inst.end, stack: inst.stack });
    table.set(inst.key, entry);
  }
  for (const entry of table.values()) {
    entry.durations.sort((a, b) => a - b);
    entry.worst.sort((a, b) => b.end - b.start - (a.end - a.start) || a.end - b.end);
  }
  return table;
}

let loaded: { model: ExecutionTraceModel; listing: Listing; sameTimes: boolean } | undefined;
function analysisTrace() {
  if (!loaded) {
    const path = writeAnalysisTrace();
    const model = decodeExecutionTrace(readFileSync(path));
    const reference = goToolTraceEvents(path);
    assert.ok(reference.ok, reference.stderr);
    // Go's reader orders events with equal timestamps on different threads in map order; when it did so
    // differently from us, a few timestamps differ by the nanoseconds it nudges them by.
    loaded = { model, listing: readListing(reference.stdout), sameTimes: listEvents(model) === reference.stdout };
  }
  return loaded;
}

function assertSameTable(options: TransitionOptions, what: string): number {
  const { model, listing, sameTimes } = analysisTrace();
  const ours = transitionTable(model, { ...options, worst: 3 });
  const expected = expectedTable(listing, options);
  const keys = (k: { from: string; to: string; reason: string }) => `${k.from} ${k.to} ${k.reason}`;
  assert.deepEqual(ours.kinds.map(keys).sort(), [...expected.keys()].sort(), `${what}: the same kinds of transitions`);
  let instances = 0;
  for (const kind of ours.kinds) {
    const theirs = expected.get(keys(kind))!;
    const sorted = Float64Array.from(theirs.durations);
    const numbers = (k: { count: number; p50Ns: number; p90Ns: number; p99Ns: number; maxNs: number; totalNs: number }) => [k.count, k.p50Ns, k.p90Ns, k.p99Ns, k.maxNs, k.totalNs];
    const reference = [theirs.count, nearestRank(sorted, 50), nearestRank(sorted, 90), nearestRank(sorted, 99), sorted[sorted.length - 1]!, theirs.durations.reduce((a, b) => a + b, 0)];
    if (sameTimes) {
      assert.deepEqual(numbers(kind), reference, `${what}: ${kind.label}: count, p50, p90, p99, max, total`);
      assert.deepEqual(
        kind.worst.map((w) => ({ goroutine: w.goroutineId, start: w.startNs, end: w.endNs, stack: stackFrames(model, w.stack).map((f) => `${f.func} ${f.file}:${f.line}`) })),
        theirs.worst.slice(0, 3),
        `${what}: ${kind.label}: the worst instances and the stacks that began them`,
      );
    } else {
      assert.equal(kind.count, theirs.count, `${what}: ${kind.label}: count`);
      numbers(kind).slice(1, 5).forEach((v, k) => assert.ok(Math.abs(v - reference[k + 1]!) <= 1000, `${what}: ${kind.label}: within the reader's tie-break nudges`));
    }
    assert.equal(kind.worst.length, Math.min(3, kind.count));
    instances += kind.count;
  }
  assert.equal(ours.instances, instances);
  return instances;
}

/** Go's rule for percentiles by nearest rank, on values 1..n. */
test('nearestRank: the smallest value at or above p% of the values', () => {
  const values = Float64Array.from({ length: 200 }, (_, i) => i + 1);
  assert.deepEqual([50, 90, 99, 100].map((p) => nearestRank(values, p)), [100, 180, 198, 200]);
  assert.equal(nearestRank(Float64Array.of(7), 50), 7);
  assert.equal(nearestRank(Float64Array.of(1, 2, 3), 50), 2);
  assert.ok(Number.isNaN(nearestRank(new Float64Array(0), 50)));
});

test('the whole trace: every kind of transition, its count, exact percentiles and worst instances equal a computation from go tool trace -d=1', (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const instances = assertSameTable({}, 'whole trace');
  const { model } = analysisTrace();
  const table = transitionTable(model);
  const labels = table.kinds.map((k) => k.label);
  for (const label of [
    'runnable → running (scheduler latency)',
    'running → waiting (chan receive)',
    'running → waiting (sync)',
    'running → waiting (select)',
    'running → waiting (network)',
    'running → waiting (sleep)',
    'waiting → runnable (chan receive)',
    'waiting → runnable (network)',
    'running → syscall',
    'syscall → running',
    'syscall → runnable (blocked syscall)',
    'running → end',
  ]) {
    assert.ok(labels.includes(label), `the table has ${label}`);
  }
  assert.ok(labels.some((l) => /^running → runnable \((preempted|runtime\.Gosched)\)$/.test(l)), 'goroutines are preempted or yield');
  assert.equal(labels[0], 'runnable → running (scheduler latency)', 'scheduler latency comes first');
  assert.ok(instances > 1000);
  // The worst instance of a kind points at the events that began and ended it.
  const latency = table.kinds[0]!.worst[0]!;
  assert.equal(model.events.time[latency.endEvent], latency.endNs);
  assert.equal(model.events.time[latency.startEvent], latency.startNs);
  assert.equal(latency.durationNs, table.kinds[0]!.maxNs);
});

test('a time range, a goroutine group, a region and a task: the same filters applied to the listing give the same table', (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const { model } = analysisTrace();
  // The middle third of the program's round (the rest of the trace is mostly garbage collection).
  const round = Array.from(model.tasks.name, (s) => model.strings[s]).indexOf('round');
  const span = model.tasks.end[round]! - model.tasks.start[round]!;
  const from = Math.round(model.tasks.start[round]! + span / 3);
  const to = Math.round(model.tasks.start[round]! + (2 * span) / 3);
  const whole = transitionTable(model).instances;
  const ranged = assertSameTable({ from, to }, 'middle third');
  assert.ok(ranged > 0 && ranged < whole, 'a range keeps part of the transitions');
  assert.ok(assertSameTable({ group: 'main.mutexContender' }, 'mutex contenders') > 20);
  assert.ok(assertSameTable({ group: 'main.networkClient', from: model.startNs, to }, 'network clients, until two thirds of the round') > 0);
  assert.ok(assertSameTable({ region: 'round trip' }, 'round trips') > 20);
  const mutexTask = model.tasks.id[Array.from(model.tasks.name, (s) => model.strings[s]).indexOf('mutex')]!;
  assert.ok(assertSameTable({ task: mutexTask }, 'the mutex stage\'s task') > 20);

  const group = transitionTable(model, { group: 'main.mutexContender' });
  assert.ok(group.kinds.some((k) => k.label === 'running → waiting (sync)'), 'mutex contenders block on the mutex');
  assert.equal(transitionTable(model, { group: 'no.such.function' }).instances, 0);
  assert.throws(() => transitionTable(model, { from: to, to: from }), /starts after it ends/);
});
