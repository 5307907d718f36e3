// Go 1.23's Summarizer (internal/trace/summary.go) over the event table, step by step and quirks
// included, so that every number equals what go tool trace computes: per goroutine, time running,
// runnable, blocked by reason, in syscalls (and blocked in them: the P went idle under it) and in GC
// ranges; the stats of each user region over the time it was active; and each task's regions, logs and
// goroutines. State lives in typed-array columns indexed by goroutine row; 0 means "unset" as in Go.
//
// `span(a, b)` is how long [a, b] counts: b − a, or its overlap with a time range when the caller clips.

import type { ExecutionTraceModel } from '../execution/executionTraceModel';
import { rangeScopeRow, transitionStack } from '../execution/eventFields';
import { CODES } from './goroutineEventCodes';

const { SYNC, TRANSITION, RANGE_BEGIN, RANGE_ACTIVE, RANGE_END, REGION_BEGIN, REGION_END, TASK_BEGIN, TASK_END, LOG } = CODES;
const { UNDETERMINED, NOT_EXIST, RUNNABLE, RUNNING, WAITING, SYSCALL, P_IDLE, SCOPE_GOROUTINE, SCOPE_PROC, NO_TASK, PROC_TRANSITION } = CODES;

/** Stats while they are built: maps keyed by string index (block reasons, range names). */
export interface StatsBuild {
  exec: number;
  sched: number;
  syscall: number;
  syscallBlock: number;
  total: number;
  block: Map<number, number>;
  range: Map<number, number>;
}

export interface RegionBuild {
  readonly goroutine: number;
  readonly taskId: number;
  readonly name: number;
  readonly startEvent: number;
  readonly inherited: boolean;
  /** The goroutine's stats when it began, replaced by the region's own when it ends. */
  stats: StatsBuild;
  endEvent: number;
  /** Its index in the analysis's list of regions, once it has one. */
  index: number;
}

export interface TaskBuild {
  readonly id: number;
  name: number;
  parentId: number | undefined;
  readonly childIds: number[];
  startEvent: number;
  endEvent: number;
  readonly logs: number[];
  readonly regions: RegionBuild[];
  readonly goroutines: Set<number>;
}

const ZERO_STATS: StatsBuild = { exec: 0, sched: 0, syscall: 0, syscallBlock: 0, total: 0, block: new Map(), range: new Map() };

function addTo(map: Map<number, number>, key: number, ns: number): void {
  map.set(key, (map.get(key) ?? 0) + ns);
}

/** Go's GoroutineExecStats.sub: s − v, over the keys of s. */
function subtract(s: StatsBuild, v: StatsBuild): StatsBuild {
  const block = new Map<number, number>();
  for (const [k, ns] of s.block) block.set(k, ns - (v.block.get(k) ?? 0));
  const range = new Map<number, number>();
  for (const [k, ns] of s.range) range.set(k, ns - (v.range.get(k) ?? 0));
  return { exec: s.exec - v.exec, sched: s.sched - v.sched, syscall: s.syscall - v.syscall, syscallBlock: s.syscallBlock - v.syscallBlock, total: s.total - v.total, block, range };
}

/** Go's IsSystemGoroutine: runtime goroutines (other than runtime.main) and unnamed ones. */
export function isSystemGoroutine(name: string): boolean {
  return name === '' || (name !== 'runtime.main' && name.startsWith('runtime.'));
}

/** The root (outermost) frame's function of a stack, as a string index; 0 for an empty stack. */
function rootFunction(model: ExecutionTraceModel, stack: number): number {
  if (stack === 0) return 0;
  const end = model.stacks.offsets[stack + 1]!;
  if (end === model.stacks.offsets[stack]!) return 0;
  return model.frames.func[model.stacks.frames[end - 1]!]!;
}

/**
 * Each goroutine's name as go tool trace gives it (a string index per goroutine row, 0 for none): the
 * root frame of the first stack seen on one of its state transitions since it was created or first
 * seen. That frame is the goroutine's start point, the same on every transition that has a stack.
 */
export function goroutineNames(model: ExecutionTraceModel): Uint32Array {
  const e = model.events;
  const names = new Uint32Array(model.goroutines.count);
  for (let i = 0; i < e.count; i++) {
    if (e.kind[i] !== TRANSITION || PROC_TRANSITION[e.type[i]!]) continue;
    const old = e.state[i]! >> 4;
    if (old === (e.state[i]! & 15)) continue;
    const g = e.a0[i]!;
    if (old === UNDETERMINED || old === NOT_EXIST) names[g] = 0;
    if (names[g] === 0) names[g] = rootFunction(model, transitionStack(e, i));
  }
  return names;
}

export class GoroutineSummarizer {
  private readonly e: ExecutionTraceModel['events'];
  private readonly forever: number;
  // The public part of each goroutine's summary.
  /** 1 once the goroutine has been seen (Go's map of summaries has it). */
  readonly known: Uint8Array;
  /** A goroutine's name cannot change after its last transition, where Go reads it (at its end). */
  readonly name: Uint32Array;
  readonly creation: Float64Array;
  readonly startTime: Float64Array;
  readonly endTime: Float64Array;
  readonly exec: Float64Array;
  readonly sched: Float64Array;
  readonly syscall: Float64Array;
  readonly syscallBlock: Float64Array;
  readonly total: Float64Array;
  readonly blockBy: Map<number, number>[] = [];
  readonly rangeBy: Map<number, number>[] = [];
  readonly regionsOf: RegionBuild[][] = [];
  readonly tasks = new Map<number, TaskBuild>();
  lastTs = 0;
  // The private part, used while summarizing (Go's goroutineSummary).
  private readonly finalized: Uint8Array;
  private readonly lastStart: Float64Array;
  private readonly lastRunnable: Float64Array;
  private readonly lastBlock: Float64Array;
  private readonly lastBlockReason: Uint32Array;
  private readonly lastSyscall: Float64Array;
  private readonly lastSyscallBlock: Float64Array;
  private readonly lastRange: Map<number, number>[] = [];
  private readonly active: RegionBuild[][] = [];
  // The Summarizer's own state.
  private readonly syscallingP = new Map<number, number>();
  private readonly syscallingG = new Map<number, number>();
  private readonly rangesP = new Map<number, number>();
  /** Go reads a missing syscallingG entry as P 0. */
  private readonly procZero: number;
  private syncTs = 0;

  constructor(
    private readonly model: ExecutionTraceModel,
    private readonly span: (a: number, b: number) => number,
  ) {
    const n = model.goroutines.count;
    this.e = model.events;
    this.forever = model.strings.indexOf('forever');
    this.known = new Uint8Array(n);
    this.name = goroutineNames(model);
    this.creation = new Float64Array(n);
    this.startTime = new Float64Array(n);
    this.endTime = new Float64Array(n);
    this.exec = new Float64Array(n);
    this.sched = new Float64Array(n);
    this.syscall = new Float64Array(n);
    this.syscallBlock = new Float64Array(n);
    this.total = new Float64Array(n);
    this.finalized = new Uint8Array(n);
    this.lastStart = new Float64Array(n);
    this.lastRunnable = new Float64Array(n);
    this.lastBlock = new Float64Array(n);
    this.lastBlockReason = new Uint32Array(n);
    this.lastSyscall = new Float64Array(n);
    this.lastSyscallBlock = new Float64Array(n);
    this.procZero = Array.prototype.indexOf.call(model.procs.id, 0) as number;
  }

  /** Feeds every event, then finalizes every goroutine (Go's Event for each, then Finalize). */
  run(): this {
    const e = this.e;
    for (let i = 0; i < e.count; i++) {
      const t = e.time[i]!;
      if (this.syncTs === 0) this.syncTs = t;
      this.lastTs = t;
      switch (e.kind[i]) {
        case SYNC:
          this.syncTs = t;
          break;
        case TRANSITION:
          if (PROC_TRANSITION[e.type[i]!]) this.procTransition(i, t);
          else this.goroutineTransition(i, t);
          break;
        case RANGE_BEGIN:
        case RANGE_ACTIVE:
          this.rangeBegin(i, t);
          break;
        case RANGE_END:
          this.rangeEnd(i, t);
          break;
        case REGION_BEGIN:
          this.regionBegin(i, t);
          break;
        case REGION_END:
          this.regionEnd(i, t);
          break;
        case TASK_BEGIN:
        case TASK_END:
          this.taskEvent(i);
          break;
        case LOG: {
          const owner = this.task(e.a0[i]!);
          if (e.g[i]! >= 0) owner.goroutines.add(this.goroutineId(e.g[i]!));
          owner.logs.push(i);
          break;
        }
      }
    }
    for (let g = 0; g < this.known.length; g++) if (this.known[g]) this.finalize(g, this.lastTs, -1);
    return this;
  }

  goroutineId(row: number): number {
    return row < 0 ? -1 : this.model.goroutines.id[row]!;
  }

  private task(id: number): TaskBuild {
    let t = this.tasks.get(id);
    if (!t) {
      t = { id, name: 0, parentId: undefined, childIds: [], startEvent: -1, endEvent: -1, logs: [], regions: [], goroutines: new Set() };
      this.tasks.set(id, t);
    }
    return t;
  }

  /** A P going idle under a goroutine in a syscall: the syscall blocks from here on. */
  private procTransition(i: number, t: number): void {
    const e = this.e;
    if ((e.state[i]! & 15) !== P_IDLE || e.state[i]! >> 4 === P_IDLE) return;
    const p = e.a0[i]!;
    const g = this.syscallingP.get(p);
    if (g !== undefined) {
      this.lastSyscallBlock[g] = t;
      this.syscallingP.delete(p);
    }
  }

  private goroutineTransition(i: number, t: number): void {
    const e = this.e;
    const old = e.state[i]! >> 4;
    const next = e.state[i]! & 15;
    if (old === next) return;
    const g = e.a0[i]!;
    const span = this.span;
    // Out of the old state.
    if (old === UNDETERMINED || old === NOT_EXIST || !this.known[g]) {
      // Goroutines first seen in a status began, as far as anyone knows, at the last sync point.
      this.create(g, old === UNDETERMINED ? this.syncTs : t, e.g[i]!, i);
    } else if (old === RUNNING) {
      this.exec[g] += span(this.lastStart[g]!, t);
      this.lastStart[g] = 0;
    } else if (old === WAITING) {
      if (this.lastBlock[g] !== 0) {
        addTo(this.blockBy[g]!, this.lastBlockReason[g]!, span(this.lastBlock[g]!, t));
        this.lastBlock[g] = 0;
      }
    } else if (old === RUNNABLE) {
      if (this.lastRunnable[g] !== 0) {
        this.sched[g] += span(this.lastRunnable[g]!, t);
        this.lastRunnable[g] = 0;
      }
    } else if (old === SYSCALL && this.lastSyscall[g] !== 0) {
      if (this.lastSyscallBlock[g] !== 0) {
        this.syscallBlock[g] += span(this.lastSyscallBlock[g]!, t);
        this.syscall[g] += span(this.lastSyscall[g]!, this.lastSyscallBlock[g]!);
      } else {
        this.syscall[g] += span(this.lastSyscall[g]!, t);
      }
      this.lastSyscall[g] = this.lastSyscallBlock[g] = 0;
      this.syscallingP.delete(this.syscallingG.get(g) ?? this.procZero);
      this.syscallingG.delete(g);
    }
    // Into the new state.
    if (next === RUNNING) {
      this.lastStart[g] = t;
      if (this.startTime[g] === 0) this.startTime[g] = t;
    } else if (next === RUNNABLE) {
      this.lastRunnable[g] = t;
    } else if (next === WAITING && e.str[i] !== this.forever) {
      this.lastBlock[g] = t;
      this.lastBlockReason[g] = e.str[i]!;
    } else if (next === WAITING || next === NOT_EXIST) {
      // Waiting "forever" is like the goroutine's end.
      this.finalize(g, t, i);
    } else if (next === SYSCALL) {
      this.syscallingP.set(e.p[i]!, g);
      this.syscallingG.set(g, e.p[i]!);
      this.lastSyscall[g] = t;
    }
  }

  private create(g: number, creationNs: number, creator: number, event: number): void {
    // A new goroutine inherits the task of its creator's innermost region, as a nameless region.
    const creatorRegions = creator >= 0 && this.known[creator] ? this.active[creator]! : [];
    const inherited = creatorRegions[creatorRegions.length - 1];
    this.known[g] = 1;
    this.creation[g] = creationNs;
    this.startTime[g] = this.endTime[g] = 0;
    this.exec[g] = this.sched[g] = this.syscall[g] = this.syscallBlock[g] = this.total[g] = 0;
    this.blockBy[g] = new Map();
    this.rangeBy[g] = new Map();
    this.regionsOf[g] = [];
    this.resetPrivate(g);
    this.finalized[g] = 0;
    if (inherited) this.active[g]!.push({ goroutine: g, taskId: inherited.taskId, name: 0, startEvent: event, inherited: true, stats: ZERO_STATS, endEvent: -1, index: -1 });
  }

  private resetPrivate(g: number): void {
    this.lastStart[g] = this.lastRunnable[g] = this.lastBlock[g] = this.lastSyscall[g] = this.lastSyscallBlock[g] = 0;
    this.lastBlockReason[g] = 0;
    this.lastRange[g] = new Map();
    this.active[g] = [];
  }

  /** The goroutine's stats as of `at`, counting what is in progress (Go's snapshotStat). */
  snapshot(g: number, at: number): StatsBuild {
    const span = this.span;
    const ret: StatsBuild = {
      exec: this.exec[g]!,
      sched: this.sched[g]!,
      syscall: this.syscall[g]!,
      syscallBlock: this.syscallBlock[g]!,
      total: this.total[g]!,
      block: new Map(this.blockBy[g]),
      range: new Map(this.rangeBy[g]),
    };
    if (this.finalized[g]) return ret;
    ret.total = span(this.creation[g]!, at);
    if (this.lastStart[g] !== 0) ret.exec += span(this.lastStart[g]!, at);
    if (this.lastRunnable[g] !== 0) ret.sched += span(this.lastRunnable[g]!, at);
    if (this.lastBlock[g] !== 0) addTo(ret.block, this.lastBlockReason[g]!, span(this.lastBlock[g]!, at));
    if (this.lastSyscall[g] !== 0) ret.syscall += span(this.lastSyscall[g]!, at);
    // Go counts a syscall still blocked at this point as scheduler wait too.
    if (this.lastSyscallBlock[g] !== 0) ret.sched += span(this.lastSyscallBlock[g]!, at);
    for (const [range, since] of this.lastRange[g]!) addTo(ret.range, range, span(since, at));
    return ret;
  }

  /** At the goroutine's end (`trigger`, its event) or the trace's (-1): final stats, open regions closed. */
  private finalize(g: number, at: number, trigger: number): void {
    if (trigger >= 0) this.endTime[g] = this.e.time[trigger]!;
    const final = this.snapshot(g, at);
    this.exec[g] = final.exec;
    this.sched[g] = final.sched;
    this.syscall[g] = final.syscall;
    this.syscallBlock[g] = final.syscallBlock;
    this.total[g] = final.total;
    this.blockBy[g] = final.block;
    this.rangeBy[g] = final.range;
    // System goroutines are never part of regions, even if they inherited one from their creator.
    if (!isSystemGoroutine(this.model.strings[this.name[g]!]!)) {
      for (const region of this.active[g]!) {
        region.endEvent = trigger;
        region.stats = subtract(final, region.stats);
        this.regionsOf[g]!.push(region);
      }
    }
    this.resetPrivate(g);
    this.finalized[g] = 1;
  }

  /** The goroutine a range event is attributed to, -1 for none. */
  private rangeGoroutine(i: number, begins: boolean): number {
    const e = this.e;
    if (e.state[i] === SCOPE_GOROUTINE) return rangeScopeRow(e, i);
    if (e.state[i] !== SCOPE_PROC) return -1;
    // Bound to the P, not the goroutine: attributed to the goroutine it began on if it ends on it too.
    const key = (rangeScopeRow(e, i) + 1) * 4294967296 + e.str[i]!;
    const g = e.g[i]!;
    if (begins) {
      if (g >= 0 && this.known[g]) this.rangesP.set(key, g);
      return g;
    }
    const on = this.rangesP.get(key);
    if (on === undefined) return -1;
    this.rangesP.delete(key);
    return on === g ? on : -1;
  }

  private rangeBegin(i: number, t: number): void {
    const g = this.rangeGoroutine(i, true);
    if (g < 0 || !this.known[g]) return;
    const name = this.e.str[i]!;
    const open = this.lastRange[g]!;
    if (this.e.kind[i] === RANGE_ACTIVE) {
      // Active at a generation's start: counted from the sync point.
      const since = open.get(name) ?? 0;
      if (since !== 0) addTo(this.rangeBy[g]!, name, this.span(since, this.syncTs));
      open.set(name, this.syncTs);
    } else {
      open.set(name, t);
    }
  }

  private rangeEnd(i: number, t: number): void {
    const g = this.rangeGoroutine(i, false);
    if (g < 0 || !this.known[g]) return;
    const name = this.e.str[i]!;
    const since = this.lastRange[g]!.get(name) ?? 0;
    if (since === 0) return;
    addTo(this.rangeBy[g]!, name, this.span(since, t));
    this.lastRange[g]!.delete(name);
  }

  private regionBegin(i: number, t: number): void {
    const e = this.e;
    const g = e.g[i]!;
    if (g < 0 || !this.known[g]) return;
    const region: RegionBuild = { goroutine: g, taskId: e.a0[i]!, name: e.str[i]!, startEvent: i, inherited: false, stats: this.snapshot(g, t), endEvent: -1, index: -1 };
    this.active[g]!.push(region);
    const owner = this.task(region.taskId);
    owner.regions.push(region);
    owner.goroutines.add(this.goroutineId(g));
  }

  private regionEnd(i: number, t: number): void {
    const e = this.e;
    const g = e.g[i]!;
    if (g < 0 || !this.known[g]) return;
    // The innermost open region ends, whatever its name.
    let region = this.active[g]!.pop();
    if (!region) {
      // An end without a begin: the region is made up now.
      region = { goroutine: g, taskId: e.a0[i]!, name: e.str[i]!, startEvent: -1, inherited: false, stats: ZERO_STATS, endEvent: -1, index: -1 };
      const owner = this.task(region.taskId);
      owner.goroutines.add(this.goroutineId(g));
      owner.regions.push(region);
    }
    region.stats = subtract(this.snapshot(g, t), region.stats);
    region.endEvent = i;
    this.regionsOf[g]!.push(region);
  }

  private taskEvent(i: number): void {
    const e = this.e;
    const owner = this.task(e.a0[i]!);
    owner.name = e.str[i]!;
    if (e.g[i]! >= 0) owner.goroutines.add(this.goroutineId(e.g[i]!));
    if (e.kind[i] === TASK_BEGIN) owner.startEvent = i;
    else owner.endEvent = i;
    const parent = e.a1[i]!;
    if (parent !== NO_TASK && owner.parentId === undefined) {
      owner.parentId = parent;
      this.task(parent).childIds.push(owner.id);
    }
  }
}
