// Per-goroutine statistics of an execution trace, with the numbers `go tool trace` shows on its
// goroutine, region and task pages: the shapes, the helpers the pages use (their columns, their order,
// Go's way of printing a duration), and summarizeGoroutines, which runs the pass over the events
// (goroutineSummarizer.ts, Go 1.23's Summarizer step by step, quirks included, so every column equals
// Go's to the nanosecond) and groups what it found. Goroutines are named by the root frame of the first stack seen on one of their state
// transitions; time is split into execution, scheduler wait, block time by reason, syscall execution,
// syscall block (the P was taken from the goroutine in a syscall) and what is left ("unknown"); GC
// ranges (mark assists, sweeps, stop-the-world) a goroutine was part of are counted on the side. User
// regions get the same statistics over the time they were active, and user tasks collect their regions,
// logs and goroutines.
//
// A time range [from, to] on the trace clock clips every interval to it before it is added; goroutines,
// regions and tasks that do not overlap the range are left out. Without one, nothing is clipped.

import type { ExecutionTraceModel } from '../execution/executionTraceModel';
import { GoroutineSummarizer, type RegionBuild, type StatsBuild, type TaskBuild } from './goroutineSummarizer';

export { goroutineNames, isSystemGoroutine } from './goroutineSummarizer';

/** Statistics of a goroutine's execution over a period (Go's GoroutineExecStats), in nanoseconds. */
export interface GoroutineExecStats {
  readonly execNs: number;
  readonly schedWaitNs: number;
  /** Time blocked, by the reason the goroutine gave ("chan receive", "sync", "sleep", "network", …). */
  readonly blockNsByReason: Readonly<Record<string, number>>;
  readonly syscallNs: number;
  /** Time in a syscall after its P was taken away (the syscall blocked). */
  readonly syscallBlockNs: number;
  /** Presence in the trace over the period; overlaps the other columns. */
  readonly totalNs: number;
  /** Time within GC ranges ("GC mark assist", "GC incremental sweep", "stop-the-world (…)"); overlaps the rest. */
  readonly rangeNs: Readonly<Record<string, number>>;
}

export interface GoroutineSummary {
  /** Row in the model's goroutine table. */
  readonly row: number;
  readonly id: number;
  /** Its start function: the root frame of the first stack seen on its transitions ("" when none was). */
  readonly name: string;
  /** When it was created, or the last sync point before it was first seen. */
  readonly creationNs: number;
  /** When it first ran; NaN if it never did. */
  readonly startNs: number;
  /** When it ended (or began to wait forever); NaN if it did not. */
  readonly endNs: number;
  readonly stats: GoroutineExecStats;
  /** What is not accounted for by the non-overlapping columns. */
  readonly unknownNs: number;
  /** Its regions (indices into GoroutineAnalysis.regions), by start time. */
  readonly regions: readonly number[];
}

export interface RegionFrame {
  readonly func: string;
  readonly file: string;
  readonly line: number;
  readonly pc: number;
}

/** A user region and its goroutine's statistics while it was active (Go's UserRegionSummary). */
export interface UserRegionSummary {
  readonly goroutine: number;
  readonly goroutineId: number;
  /** 0 for the background task. */
  readonly taskId: number;
  readonly name: string;
  /**
   * The event that began it: a RegionBegin, or for a region a goroutine inherits from the region its
   * creator was in (name "", `inherited`), the creating event; -1 when it began before tracing started.
   */
  readonly startEvent: number;
  /** A RegionEnd, the event that ended its goroutine, or -1 when it was still open when tracing stopped. */
  readonly endEvent: number;
  readonly inherited: boolean;
  /** Where it began (the start event's innermost frame), as go tool trace groups regions. */
  readonly frame: RegionFrame | undefined;
  /** Its interval; the trace's start or end stands in for a missing event. */
  readonly startNs: number;
  readonly endNs: number;
  readonly durationNs: number;
  readonly stats: GoroutineExecStats;
  readonly unknownNs: number;
}

export interface UserTaskSummary {
  readonly id: number;
  readonly name: string;
  /** The parent task's ID, undefined for none. */
  readonly parentId: number | undefined;
  readonly childIds: readonly number[];
  readonly startEvent: number;
  readonly endEvent: number;
  /** Both its begin and its end are in the trace. */
  readonly complete: boolean;
  readonly startNs: number;
  readonly endNs: number;
  readonly durationNs: number;
  /** Log events (indices into the model's events). */
  readonly logs: readonly number[];
  /** Its regions (indices into GoroutineAnalysis.regions), in the order they began. */
  readonly regions: readonly number[];
  /** IDs of the goroutines that began, ended or logged in it or had regions in it. */
  readonly goroutineIds: readonly number[];
}

/** Goroutines with the same start function, as go tool trace's goroutine pages group them. */
export interface GoroutineGroup {
  readonly name: string;
  readonly count: number;
  /** The sum of each column over the group's goroutines. */
  readonly stats: GoroutineExecStats;
  readonly unknownNs: number;
  /** Indices into GoroutineAnalysis.goroutines, by total time, longest first. */
  readonly goroutines: readonly number[];
}

export interface GoroutineAnalysis {
  /** The range the numbers are clipped to (±Infinity when unbounded). */
  readonly from: number;
  readonly to: number;
  /** In the order the goroutines first appear in the trace. */
  readonly goroutines: readonly GoroutineSummary[];
  /** By total execution time, largest first (then by name). */
  readonly groups: readonly GoroutineGroup[];
  /** By start time. */
  readonly regions: readonly UserRegionSummary[];
  /** By ID. */
  readonly tasks: readonly UserTaskSummary[];
  /** Execution time of all goroutines: what go tool trace divides a group's execution time by. */
  readonly totalExecNs: number;
}

export interface TimeRangeOptions {
  /** Nanoseconds on the trace clock (the model's event times). */
  readonly from?: number;
  readonly to?: number;
}

/** The range as numbers (±Infinity when open); throws RangeError on a range that cannot be used. */
export function timeRange(options: TimeRangeOptions): { from: number; to: number } {
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;
  if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('The time range needs numbers of nanoseconds on the trace clock.');
  if (from > to) throw new RangeError(`The time range starts after it ends (from ${from} ns, to ${to} ns): give from ≤ to.`);
  return { from, to };
}

/** Go's NonOverlappingStats: the columns of the breakdown tables, under Go's names. */
export function nonOverlappingStats(stats: GoroutineExecStats): Record<string, number> {
  const out: Record<string, number> = {
    'Execution time': stats.execNs,
    'Sched wait time': stats.schedWaitNs,
    'Syscall execution time': stats.syscallNs,
    'Block time (syscall)': stats.syscallBlockNs,
    'Unknown time': unknownTime(stats),
  };
  for (const [reason, ns] of Object.entries(stats.blockNsByReason)) {
    const key = `Block time (${reason})`;
    out[key] = (out[key] ?? 0) + ns;
  }
  return out;
}

/** Go's order of the breakdown columns: "Execution time" first, then by name. */
export function compareStatNames(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'Execution time') return -1;
  if (b === 'Execution time') return 1;
  return a < b ? -1 : 1;
}

/** Whatever TotalTime has that the non-overlapping columns do not (never negative). */
export function unknownTime(stats: GoroutineExecStats): number {
  let sum = stats.execNs + stats.schedWaitNs + stats.syscallNs + stats.syscallBlockNs;
  for (const ns of Object.values(stats.blockNsByReason)) sum += ns;
  return sum < stats.totalNs ? stats.totalNs - sum : 0;
}

/**
 * Go's time.Duration.String for a whole number of nanoseconds: "0s", "768ns", "1.216µs",
 * "51.361856ms", "1m2.5s", "1h0m0s".
 */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const u = Math.abs(Math.round(ns));
  const fraction = (value: number, digits: number) => {
    const text = String(value).padStart(digits, '0').replace(/0+$/, '');
    return text === '' ? '' : `.${text}`;
  };
  if (u < 1e3) return `${sign}${u}ns`;
  if (u < 1e6) return `${sign}${Math.floor(u / 1e3)}${fraction(u % 1e3, 3)}µs`;
  if (u < 1e9) return `${sign}${Math.floor(u / 1e6)}${fraction(u % 1e6, 6)}ms`;
  const seconds = Math.floor(u / 1e9);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor(seconds / 60) % 60;
  const s = seconds % 60;
  return `${sign}${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}${fraction(u % 1e9, 9)}s`;
}

export function summarizeGoroutines(model: ExecutionTraceModel, options: TimeRangeOptions = {}): GoroutineAnalysis {
  const { from, to } = timeRange(options);
  const clipped = from !== -Infinity || to !== Infinity;
  /** The part of [a, b] inside the range. */
  const span = clipped
    ? (a: number, b: number) => {
        const s = a > from ? a : from;
        const e = b < to ? b : to;
        return e > s ? e - s : 0;
      }
    : (a: number, b: number) => b - a;
  const summarizer = new GoroutineSummarizer(model, span).run();
  const out = new AnalysisOutput(model, summarizer, from, to);
  const regions = out.regions();
  const goroutines = out.goroutines();
  return {
    from,
    to,
    goroutines,
    groups: groupGoroutines(goroutines),
    regions,
    tasks: out.tasks(),
    totalExecNs: goroutines.reduce((sum, g) => sum + g.stats.execNs, 0),
  };
}

/** The summarizer's state as the public summaries, restricted to what overlaps the range. */
class AnalysisOutput {
  private readonly strings: readonly string[];
  private readonly traceStart: number;
  private readonly traceEnd: number;

  constructor(
    private readonly model: ExecutionTraceModel,
    private readonly s: GoroutineSummarizer,
    private readonly from: number,
    private readonly to: number,
  ) {
    const e = model.events;
    this.strings = model.strings;
    this.traceStart = e.count > 0 ? e.time[0]! : 0;
    this.traceEnd = e.count > 0 ? e.time[e.count - 1]! : 0;
  }

  private overlaps(a: number, b: number): boolean {
    return a <= this.to && b >= this.from;
  }

  /** An event's time, or the trace's start or end standing in for a missing event. */
  private time(event: number, missing: number): number {
    return event >= 0 ? this.model.events.time[event]! : missing;
  }

  private record(map: Map<number, number>): Record<string, number> {
    const strings = this.strings;
    const keys = [...map.keys()].sort((a, b) => (strings[a]! < strings[b]! ? -1 : strings[a]! > strings[b]! ? 1 : 0));
    const out: Record<string, number> = {};
    for (const k of keys) out[strings[k]!] = map.get(k)!;
    return out;
  }

  private stats(s: StatsBuild): GoroutineExecStats {
    return { execNs: s.exec, schedWaitNs: s.sched, blockNsByReason: this.record(s.block), syscallNs: s.syscall, syscallBlockNs: s.syscallBlock, totalNs: s.total, rangeNs: this.record(s.range) };
  }

  /** The innermost frame of an event's stack: where a region began. */
  private frame(event: number): RegionFrame | undefined {
    const { stacks, frames, events } = this.model;
    const stack = event >= 0 ? events.stack[event]! : 0;
    if (stack === 0 || stacks.offsets[stack + 1] === stacks.offsets[stack]) return undefined;
    const f = stacks.frames[stacks.offsets[stack]!]!;
    return { func: this.strings[frames.func[f]!]!, file: this.strings[frames.file[f]!]!, line: frames.line[f]!, pc: frames.pc[f]! };
  }

  /** Every region in the range, by start; gives each its index. */
  regions(): UserRegionSummary[] {
    const { s, traceStart, traceEnd } = this;
    const builds: RegionBuild[] = [];
    for (let g = 0; g < s.known.length; g++) {
      if (!s.known[g]) continue;
      // Each goroutine's by start, those without a start first (Go's order).
      const list = s.regionsOf[g]!;
      list.sort((a, b) => this.time(a.startEvent, -Infinity) - this.time(b.startEvent, -Infinity));
      for (const r of list) if (this.overlaps(this.time(r.startEvent, traceStart), this.time(r.endEvent, traceEnd))) builds.push(r);
    }
    builds.sort((a, b) => this.time(a.startEvent, traceStart) - this.time(b.startEvent, traceStart) || a.goroutine - b.goroutine);
    return builds.map((r, index): UserRegionSummary => {
      r.index = index;
      const stats = this.stats(r.stats);
      const startNs = this.time(r.startEvent, traceStart);
      const endNs = this.time(r.endEvent, traceEnd);
      return {
        goroutine: r.goroutine,
        goroutineId: s.goroutineId(r.goroutine),
        taskId: r.taskId,
        name: this.strings[r.name]!,
        startEvent: r.startEvent,
        endEvent: r.endEvent,
        inherited: r.inherited,
        frame: this.frame(r.startEvent),
        startNs,
        endNs,
        durationNs: endNs - startNs,
        stats,
        unknownNs: unknownTime(stats),
      };
    });
  }

  /** Every goroutine whose life overlaps the range, in row order (call after regions()). */
  goroutines(): GoroutineSummary[] {
    const s = this.s;
    const out: GoroutineSummary[] = [];
    for (let g = 0; g < s.known.length; g++) {
      if (!s.known[g]) continue;
      const endNs = s.endTime[g] === 0 ? NaN : s.endTime[g]!;
      if (!this.overlaps(s.creation[g]!, Number.isNaN(endNs) ? s.lastTs : endNs)) continue;
      const stats = this.stats({ exec: s.exec[g]!, sched: s.sched[g]!, syscall: s.syscall[g]!, syscallBlock: s.syscallBlock[g]!, total: s.total[g]!, block: s.blockBy[g]!, range: s.rangeBy[g]! });
      out.push({
        row: g,
        id: s.goroutineId(g),
        name: this.strings[s.name[g]!]!,
        creationNs: s.creation[g]!,
        startNs: s.startTime[g] === 0 ? NaN : s.startTime[g]!,
        endNs,
        stats,
        unknownNs: unknownTime(stats),
        regions: s.regionsOf[g]!.filter((r) => r.index >= 0).map((r) => r.index),
      });
    }
    return out;
  }

  /** Every task whose interval overlaps the range, by ID (call after regions()). */
  tasks(): UserTaskSummary[] {
    const { traceStart, traceEnd } = this;
    return [...this.s.tasks.values()]
      .sort((a, b) => a.id - b.id)
      .filter((t) => this.overlaps(this.time(t.startEvent, traceStart), this.time(t.endEvent, traceEnd)))
      .map((t: TaskBuild): UserTaskSummary => {
        const startNs = this.time(t.startEvent, traceStart);
        const endNs = this.time(t.endEvent, traceEnd);
        return {
          id: t.id,
          name: this.strings[t.name]!,
          parentId: t.parentId,
          childIds: t.childIds,
          startEvent: t.startEvent,
          endEvent: t.endEvent,
          complete: t.startEvent >= 0 && t.endEvent >= 0,
          startNs,
          endNs,
          durationNs: endNs - startNs,
          logs: t.logs,
          // Regions of system goroutines never make it into the list (as in Go's pages).
          regions: t.regions.filter((r) => r.index >= 0).map((r) => r.index),
          goroutineIds: [...t.goroutines].sort((a, b) => a - b),
        };
      });
  }
}

/** Sums of stats, key by key. */
export function sumStats(list: readonly GoroutineExecStats[]): GoroutineExecStats {
  const block: Record<string, number> = {};
  const range: Record<string, number> = {};
  let execNs = 0;
  let schedWaitNs = 0;
  let syscallNs = 0;
  let syscallBlockNs = 0;
  let totalNs = 0;
  for (const s of list) {
    execNs += s.execNs;
    schedWaitNs += s.schedWaitNs;
    syscallNs += s.syscallNs;
    syscallBlockNs += s.syscallBlockNs;
    totalNs += s.totalNs;
    for (const [k, ns] of Object.entries(s.blockNsByReason)) block[k] = (block[k] ?? 0) + ns;
    for (const [k, ns] of Object.entries(s.rangeNs)) range[k] = (range[k] ?? 0) + ns;
  }
  const sorted = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { execNs, schedWaitNs, blockNsByReason: sorted(block), syscallNs, syscallBlockNs, totalNs, rangeNs: sorted(range) };
}

function groupGoroutines(goroutines: readonly GoroutineSummary[]): GoroutineGroup[] {
  const byName = new Map<string, number[]>();
  goroutines.forEach((g, index) => {
    const list = byName.get(g.name);
    if (list) list.push(index);
    else byName.set(g.name, [index]);
  });
  const groups = [...byName].map(([name, members]): GoroutineGroup => {
    members.sort((a, b) => goroutines[b]!.stats.totalNs - goroutines[a]!.stats.totalNs || goroutines[a]!.id - goroutines[b]!.id);
    const stats = sumStats(members.map((m) => goroutines[m]!.stats));
    return { name, count: members.length, stats, unknownNs: members.reduce((sum, m) => sum + goroutines[m]!.unknownNs, 0), goroutines: members };
  });
  return groups.sort((a, b) => b.stats.execNs - a.stats.execNs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
