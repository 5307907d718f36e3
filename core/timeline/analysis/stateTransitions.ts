// The state-transition table of an execution trace: for each kind of goroutine state change (runnable →
// running is scheduler latency, running → waiting by the reason it blocked, waiting → runnable by the
// reason it had waited for, syscalls that returned or blocked, preemptions, goroutine ends), how many
// there were and how long the goroutine had been in the state it left: exact nearest-rank percentiles
// over every instance, and the worst instances with the events that began and ended them.
//
// An instance is a state transition event (its from-state differs from its to-state) out of runnable,
// running, waiting or syscall, whose goroutine entered that state at an earlier transition event that
// the trace saw happen. A state first seen in a goroutine's status at the start of tracing began at an
// unknown time, so leaving it is not an instance; nor is a state still held when tracing stops.
// docs/trace-analysis.md ("State transitions") has the definitions and the filters.

import type { ExecutionTraceModel } from '../execution/executionTraceModel';
import { f64, i32 } from '../execution/growableColumns';
import { CODES } from './goroutineEventCodes';
import { goroutineNames } from './goroutineSummarizer';
import { timeRange, type TimeRangeOptions } from './goroutineSummary';

const { TRANSITION, PROC_TRANSITION, UNDETERMINED, NOT_EXIST, RUNNABLE, RUNNING, WAITING, SYSCALL } = CODES;

export type GoroutineStateName = 'undetermined' | 'notexist' | 'runnable' | 'running' | 'waiting' | 'syscall';

const STATE_NAMES: readonly GoroutineStateName[] = ['undetermined', 'notexist', 'runnable', 'running', 'waiting', 'syscall'];

export interface TransitionInstance {
  /** Row in the model's goroutine table, and the goroutine's ID. */
  readonly goroutine: number;
  readonly goroutineId: number;
  /** When the goroutine entered the state it left, and when it left it. */
  readonly startNs: number;
  readonly endNs: number;
  readonly durationNs: number;
  /** The events that began and ended the state (indices into the model's events). */
  readonly startEvent: number;
  readonly endEvent: number;
  /**
   * The stack of the event that began the state (index into the stack table, 0 for none): where the
   * goroutine blocked, stopped or entered the syscall; for a runnable state, where it was woken or created.
   */
  readonly stack: number;
}

export interface TransitionStats {
  readonly from: GoroutineStateName;
  readonly to: GoroutineStateName;
  /**
   * Out of waiting: the reason the goroutine waited for ("chan receive", "sync", "network", …). Into
   * waiting or runnable from running: the reason it blocked or stopped ("preempted", …). Otherwise "".
   */
  readonly reason: string;
  /** e.g. "running → waiting (chan receive)", "runnable → running (scheduler latency)". */
  readonly label: string;
  readonly count: number;
  /** Time spent in the state left: the sum, exact nearest-rank percentiles and the maximum. */
  readonly totalNs: number;
  readonly p50Ns: number;
  readonly p90Ns: number;
  readonly p99Ns: number;
  readonly maxNs: number;
  /** The longest instances, longest first (ties: earlier first). */
  readonly worst: readonly TransitionInstance[];
}

export interface TransitionOptions extends TimeRangeOptions {
  /** Only goroutines with this start function (go tool trace's goroutine group). */
  readonly group?: string;
  /** Only transitions made while the goroutine was inside a region of this type. */
  readonly region?: string;
  /** Only transitions made while the goroutine was inside a region of this task (by ID). */
  readonly task?: number;
  /** How many worst instances to keep per kind (default 5). */
  readonly worst?: number;
}

export interface TransitionTable {
  readonly from: number;
  readonly to: number;
  readonly kinds: readonly TransitionStats[];
  /** Instances over all kinds. */
  readonly instances: number;
}

/** The order of the table: the article's, then anything else. */
const PAIR_ORDER = [
  [RUNNABLE, RUNNING],
  [RUNNING, RUNNABLE],
  [RUNNING, WAITING],
  [WAITING, RUNNABLE],
  [RUNNING, SYSCALL],
  [SYSCALL, RUNNING],
  [SYSCALL, RUNNABLE],
  [RUNNING, NOT_EXIST],
  [SYSCALL, NOT_EXIST],
].map(([from, to]) => from! * 16 + to!);

export function transitionLabel(from: GoroutineStateName, to: GoroutineStateName, reason: string): string {
  const pair = `${from} → ${to === 'notexist' ? 'end' : to}`;
  if (reason !== '') return `${pair} (${reason})`;
  if (from === 'runnable' && to === 'running') return `${pair} (scheduler latency)`;
  if (from === 'syscall' && to === 'runnable') return `${pair} (blocked syscall)`;
  return pair;
}

/** The p-th percentile of ascending values by nearest rank: the smallest value ≥ p% of them. */
export function nearestRank(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Per goroutine row, whether a transition at time t is inside one of its matching regions. */
function regionFilter(model: ExecutionTraceModel, options: TransitionOptions): ((g: number, t: number) => boolean) | undefined {
  if (options.region === undefined && options.task === undefined) return undefined;
  const r = model.regions;
  const lanes: Float64Array[] = [];
  for (let g = 0; g < model.goroutines.count; g++) {
    // Matching regions of the goroutine, merged into disjoint intervals (the lane is sorted by start).
    const merged: number[] = [];
    for (let k = r.laneOffsets[g]!; k < r.laneOffsets[g + 1]!; k++) {
      if (options.region !== undefined && model.strings[r.name[k]!] !== options.region) continue;
      if (options.task !== undefined && r.taskId[k] !== options.task) continue;
      const last = merged.length - 1;
      if (last >= 0 && r.start[k]! <= merged[last]!) merged[last] = Math.max(merged[last]!, r.end[k]!);
      else merged.push(r.start[k]!, r.end[k]!);
    }
    lanes.push(Float64Array.from(merged));
  }
  return (g, t) => {
    const lane = lanes[g]!;
    // The last interval starting at or before t.
    let lo = 0;
    let hi = lane.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lane[mid * 2]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && lane[(lo - 1) * 2 + 1]! >= t;
  };
}

/** The `n` members with the longest durations, longest first (ties: the earlier instance first). */
function longest(members: Uint32Array, duration: Float64Array, n: number): number[] {
  const top: number[] = [];
  for (const k of members) {
    if (top.length === n && (n === 0 || duration[k]! <= duration[top[n - 1]!]!)) continue;
    let at = top.length;
    while (at > 0 && duration[top[at - 1]!]! < duration[k]!) at--;
    top.splice(at, 0, k);
    if (top.length > n) top.pop();
  }
  return top;
}

export function transitionTable(model: ExecutionTraceModel, options: TransitionOptions = {}): TransitionTable {
  const { from, to } = timeRange(options);
  const worstCount = options.worst ?? 5;
  if (!Number.isInteger(worstCount) || worstCount < 0) throw new RangeError(`worst must be a whole number ≥ 0 (got ${worstCount}).`);
  const e = model.events;
  const n = model.goroutines.count;

  let inGroup: Uint8Array | undefined;
  if (options.group !== undefined) {
    const names = goroutineNames(model);
    inGroup = new Uint8Array(n);
    for (let g = 0; g < n; g++) inGroup[g] = model.strings[names[g]!] === options.group ? 1 : 0;
  }
  const inRegion = regionFilter(model, options);

  // The state each goroutine is in, since when, and whether the trace saw it begin.
  const state = new Uint8Array(n);
  const seen = new Uint8Array(n);
  const since = new Float64Array(n);
  const sinceEvent = new Int32Array(n).fill(-1);
  const waitReason = new Uint32Array(n);

  const kindOf = new Map<number, number>();
  const kindKeys: number[] = [];
  const instKind = i32(1024);
  const instGoroutine = i32(1024);
  const instStart = i32(1024);
  const instEnd = i32(1024);
  const instDuration = f64(1024);

  for (let i = 0; i < e.count; i++) {
    if (e.kind[i] !== TRANSITION || PROC_TRANSITION[e.type[i]!]) continue;
    const old = e.state[i]! >> 4;
    const next = e.state[i]! & 15;
    if (old === next) continue;
    const g = e.a0[i]!;
    const t = e.time[i]!;
    if (
      seen[g] &&
      state[g] === old &&
      old >= RUNNABLE &&
      t >= from &&
      t <= to &&
      (inGroup === undefined || inGroup[g]) &&
      (inRegion === undefined || inRegion(g, t))
    ) {
      const reason = old === WAITING ? waitReason[g]! : old === RUNNING && (next === WAITING || next === RUNNABLE) ? e.str[i]! : 0;
      const key = (old * 16 + next) * 4294967296 + reason;
      let kind = kindOf.get(key);
      if (kind === undefined) {
        kind = kindKeys.length;
        kindKeys.push(key);
        kindOf.set(key, kind);
      }
      instKind.push(kind);
      instGoroutine.push(g);
      instStart.push(sinceEvent[g]!);
      instEnd.push(i);
      instDuration.push(t - since[g]!);
    }
    seen[g] = old === UNDETERMINED ? 0 : 1;
    state[g] = next;
    since[g] = t;
    sinceEvent[g] = i;
    waitReason[g] = next === WAITING ? e.str[i]! : 0;
  }

  // Instances grouped by kind (a counting sort), then each kind's durations sorted.
  const count = instKind.length;
  const kindOfInstance = instKind.finish();
  const duration = instDuration.finish();
  const kinds = kindKeys.length;
  const offsets = new Uint32Array(kinds + 1);
  for (let k = 0; k < count; k++) offsets[kindOfInstance[k]! + 1]++;
  for (let k = 0; k < kinds; k++) offsets[k + 1] += offsets[k]!;
  const next = offsets.slice(0, kinds);
  const byKind = new Uint32Array(count);
  for (let k = 0; k < count; k++) byKind[next[kindOfInstance[k]!]!++] = k;

  const stats: (TransitionStats & { order: number })[] = [];
  for (let kind = 0; kind < kinds; kind++) {
    const key = kindKeys[kind]!;
    const pair = Math.floor(key / 4294967296);
    const reasonIndex = key % 4294967296;
    const members = byKind.subarray(offsets[kind]!, offsets[kind + 1]!);
    const durations = new Float64Array(members.length);
    let totalNs = 0;
    for (let k = 0; k < members.length; k++) {
      durations[k] = duration[members[k]!]!;
      totalNs += durations[k]!;
    }
    durations.sort();
    const worst = longest(members, duration, worstCount)
      .map((k): TransitionInstance => {
        const g = instGoroutine.get(k);
        const startEvent = instStart.get(k);
        const endEvent = instEnd.get(k);
        return {
          goroutine: g,
          goroutineId: model.goroutines.id[g]!,
          startNs: e.time[startEvent]!,
          endNs: e.time[endEvent]!,
          durationNs: duration[k]!,
          startEvent,
          endEvent,
          stack: e.stack[startEvent]!,
        };
      });
    const fromName = STATE_NAMES[pair >> 4]!;
    const toName = STATE_NAMES[pair & 15]!;
    const reason = model.strings[reasonIndex]!;
    const order = PAIR_ORDER.indexOf(pair);
    stats.push({
      from: fromName,
      to: toName,
      reason,
      label: transitionLabel(fromName, toName, reason),
      count: members.length,
      totalNs,
      p50Ns: nearestRank(durations, 50),
      p90Ns: nearestRank(durations, 90),
      p99Ns: nearestRank(durations, 99),
      maxNs: durations[durations.length - 1]!,
      worst,
      order: order < 0 ? PAIR_ORDER.length + pair : order,
    });
  }
  stats.sort((a, b) => a.order - b.order || b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  return { from, to, kinds: stats.map(({ order: _order, ...rest }) => rest), instances: count };
}
