// What the execution-trace timeline derives once from a decoded model, on the UI thread, in time
// linear in the model: goroutines grouped by the function they run (as `go tool trace` groups them),
// their busy time, per-lane indexes of regions, GC ranges and logs, and user tasks packed into rows so
// that nested tasks sit under their parents.

import { GoroutineState, RangeCategory, ScopeKind, type ExecutionTraceModel } from '../../core/timeline';
import { IntervalIndex } from './intervalIndex';

export interface GoroutineGroup {
  /** The function its goroutines run (or the runtime's label for them). */
  readonly name: string;
  readonly goroutines: readonly number[];
  readonly busyNs: number;
  /** Category colour number. */
  readonly colour: number;
}

/** Region nesting levels drawn; deeper regions share the last level. */
export const MAX_REGION_DEPTH = 8;

export function regionLevel(depth: number): number {
  return Math.min(MAX_REGION_DEPTH - 1, depth);
}

/** Most rows tasks are packed into; deeper overlaps share the last row. */
const MAX_TASK_ROWS = 48;

export class ExecIndex {
  /** Running plus in-syscall time per goroutine row. */
  readonly busyNs: Float64Array;
  /** Group number of each goroutine row. */
  readonly groupOf: Int32Array;
  readonly groups: readonly GoroutineGroup[];
  /**
   * Regions by goroutine and nesting depth: lane g * MAX_REGION_DEPTH + depth (regions at one depth of
   * one goroutine do not overlap, so a lane's search never wades through an enclosing region's
   * children). regionDepth is the number of depths a goroutine uses (0: no regions).
   */
  readonly regions: IntervalIndex;
  readonly regionDepth: Uint8Array;
  /** Mark assists and sweeps attributed to a goroutine, and sweeps by P. */
  readonly goroutineRanges: IntervalIndex;
  readonly procRanges: IntervalIndex;
  /** Global ranges: lane 0 GC mark phases, lane 1 stop-the-world. */
  readonly globalRanges: IntervalIndex;
  /** Logs by goroutine, sorted by time. */
  readonly logs: IntervalIndex;
  /** Tasks packed into rows (lane = row). */
  readonly tasks: IntervalIndex;
  readonly taskRowCount: number;
  readonly taskDepth: Uint16Array;
  /** Goroutine rows by goroutine ID. */
  private readonly goroutineById = new Map<number, number>();

  constructor(readonly model: ExecutionTraceModel) {
    const g = model.goroutines;
    const s = model.strings;
    this.busyNs = new Float64Array(g.count);
    for (let i = 0; i < g.count; i++) {
      this.busyNs[i] = g.runningNs[i]! + g.syscallNs[i]!;
      this.goroutineById.set(g.id[i]!, i);
    }

    // Groups by start function; goroutines without one by their runtime label.
    const byName = new Map<string, number[]>();
    for (let i = 0; i < g.count; i++) {
      const name = s[g.startFunction[i]!] || s[g.label[i]!] || '(no start function in the trace)';
      let list = byName.get(name);
      if (!list) byName.set(name, (list = []));
      list.push(i);
    }
    const groups = [...byName].map(([name, goroutines]) => ({ name, goroutines, busyNs: goroutines.reduce((sum, row) => sum + this.busyNs[row]!, 0) }));
    groups.sort((a, b) => b.busyNs - a.busyNs || a.name.localeCompare(b.name));
    this.groupOf = new Int32Array(g.count);
    this.groups = groups.map((group, index) => {
      for (const row of group.goroutines) this.groupOf[row] = index;
      return { ...group, colour: index };
    });

    const { startNs, endNs } = model;
    const r = model.regions;
    this.regions = new IntervalIndex(
      g.count * MAX_REGION_DEPTH,
      r.count,
      (i) => (r.goroutine[i]! < 0 ? -1 : r.goroutine[i]! * MAX_REGION_DEPTH + regionLevel(r.depth[i]!)),
      (i) => r.start[i]!,
      (i) => r.end[i]!,
      startNs,
      endNs,
    );
    this.regionDepth = new Uint8Array(g.count);
    for (let i = 0; i < r.count; i++) {
      const row = r.goroutine[i]!;
      if (row >= 0) this.regionDepth[row] = Math.max(this.regionDepth[row]!, regionLevel(r.depth[i]!) + 1);
    }

    const ranges = model.ranges;
    const isGoroutineScoped = (i: number) => ranges.scopeKind[i] === ScopeKind.Goroutine;
    const isProcScoped = (i: number) => ranges.scopeKind[i] === ScopeKind.Proc;
    this.goroutineRanges = new IntervalIndex(g.count, ranges.count, (i) => (isGoroutineScoped(i) ? ranges.scope[i]! : -1), (i) => ranges.start[i]!, (i) => ranges.end[i]!, startNs, endNs);
    this.procRanges = new IntervalIndex(model.procs.count, ranges.count, (i) => (isProcScoped(i) ? ranges.scope[i]! : -1), (i) => ranges.start[i]!, (i) => ranges.end[i]!, startNs, endNs);
    this.globalRanges = new IntervalIndex(
      2,
      ranges.count,
      (i) => {
        if (ranges.scopeKind[i] !== ScopeKind.None) return -1;
        if (ranges.category[i] === RangeCategory.GCMark) return 0;
        if (ranges.category[i] === RangeCategory.StopTheWorld) return 1;
        return -1;
      },
      (i) => ranges.start[i]!,
      (i) => ranges.end[i]!,
      startNs,
      endNs,
    );
    const logs = model.logs;
    this.logs = new IntervalIndex(g.count, logs.count, (i) => logs.goroutine[i]!, (i) => logs.time[i]!, (i) => logs.time[i]!, startNs, endNs);

    // Tasks: depth from the parent chain, then first-fit rows by start, children below their parents.
    const tasks = model.tasks;
    this.taskDepth = new Uint16Array(tasks.count);
    for (let t = 0; t < tasks.count; t++) {
      let depth = 0;
      for (let p = tasks.parent[t]!; p >= 0 && depth < 64; p = tasks.parent[p]!) depth++;
      this.taskDepth[t] = depth;
    }
    const taskStart = (t: number) => (Number.isNaN(tasks.start[t]!) ? startNs : tasks.start[t]!);
    const taskEnd = (t: number) => (Number.isNaN(tasks.end[t]!) ? endNs : tasks.end[t]!);
    const byStart = Array.from({ length: tasks.count }, (_, t) => t).sort((a, b) => taskStart(a) - taskStart(b) || this.taskDepth[a]! - this.taskDepth[b]!);
    const taskRow = new Int32Array(tasks.count);
    const rowEnds: number[] = [];
    for (const t of byStart) {
      const parent = tasks.parent[t]!;
      let row = parent >= 0 ? Math.min(MAX_TASK_ROWS - 1, taskRow[parent]! + 1) : 0;
      while (row < rowEnds.length && rowEnds[row]! > taskStart(t) && row < MAX_TASK_ROWS - 1) row++;
      taskRow[t] = row;
      while (rowEnds.length <= row) rowEnds.push(-Infinity);
      rowEnds[row] = Math.max(rowEnds[row]!, taskEnd(t));
    }
    this.taskRowCount = rowEnds.length;
    this.tasks = new IntervalIndex(this.taskRowCount, tasks.count, (t) => taskRow[t]!, taskStart, taskEnd, startNs, endNs);
  }

  goroutineRow(id: number): number {
    return this.goroutineById.get(id) ?? -1;
  }

  /** The task's row in the packed task lanes. */
  taskRowOf(task: number): number {
    for (let lane = 0; lane < this.taskRowCount; lane++) {
      for (let k = this.tasks.offsets[lane]!; k < this.tasks.offsets[lane + 1]!; k++) if (this.tasks.order[k] === task) return lane;
    }
    return -1;
  }

  /** Goroutine time spent running in each of `buckets` equal slices of the trace, scaled to 0..1. */
  runningDensity(buckets: number): Float32Array {
    const out = new Float32Array(buckets);
    const { start, end, state, count } = this.model.goroutineStates;
    const t0 = this.model.startNs;
    const width = Math.max(1, this.model.endNs - t0) / buckets;
    for (let i = 0; i < count; i++) {
      if (state[i] !== GoroutineState.Running) continue;
      let s = start[i]!;
      const e = end[i]!;
      while (s < e) {
        const bucket = Math.min(buckets - 1, Math.max(0, Math.floor((s - t0) / width)));
        const bucketEnd = t0 + (bucket + 1) * width;
        const until = Math.min(e, bucketEnd);
        out[bucket]! += until - s;
        if (until <= s) break;
        s = until;
      }
    }
    let max = 0;
    for (let b = 0; b < buckets; b++) max = Math.max(max, out[b]!);
    if (max > 0) for (let b = 0; b < buckets; b++) out[b] = out[b]! / max;
    return out;
  }
}
