// The profiles `go tool trace -pprof=TYPE` derives from an execution trace, with Go 1.23's numbers:
// net (network blocking), sync (synchronization blocking), syscall and sched (scheduler latency, as Go
// measures it). Each is a pprof profile with two values per stack, contentions/count and
// delay/nanoseconds, built as cmd/trace (pprof.go) and traceviewer.BuildProfile build theirs:
//
//   - Events are read in order; only goroutine state transitions that carry a stack of their own count.
//     A goroutine is tracked from such a transition into the profile's state (for net and sync, with a
//     matching reason) until the next such transition out of it. Transitions without a stack (GoStart,
//     GoSyscallEnd, most unblocks by the runtime) neither start nor end tracking, which is why "sched"
//     mostly measures from becoming runnable to the next block, running time included
//     (docs/trace-analysis.md).
//   - The tracked time counts where it overlaps the goroutine's intervals: by default its life in Go's
//     summary (first run to end, or to the end of the trace); with a region filter, its outermost
//     matching regions. Samples are grouped by the PCs of the stack that started tracking (128 frames at
//     most); locations are one per PC, functions one per file and name.
//
// Our extensions: a task filter (the regions of one task) and a time range [fromNs, toNs] on the trace
// clock, which clip the intervals further. Works over the model's columns; the result is the profiles
// core's Profile, so every profile feature reads it.

import type { Profile } from '../../profiles';
import { NO_LABEL_SETS, profileFromTables } from '../../../common/profileTables';
import { StringTable } from '../../../common/stringTable';
import type { ExecutionTraceModel } from '../execution/executionTraceModel';
import { EventKind } from '../execution/eventTable';
import { isProcTransition, transitionTo } from '../execution/eventFields';
import { f64, i32 } from '../execution/growableColumns';
import { GO_RUNNABLE, GO_SYSCALL, GO_WAITING } from '../execution/schedulerOrdering';
import { summarizeGoroutines as summarizeAll } from './goroutineSummary';

export type TraceProfileType = 'net' | 'sync' | 'syscall' | 'sched';

/** The four types, with what `go tool trace` calls each. */
export const TRACE_PROFILE_TYPES: readonly { readonly type: TraceProfileType; readonly description: string }[] = [
  { type: 'net', description: 'network blocking profile' },
  { type: 'sync', description: 'synchronization blocking profile' },
  { type: 'syscall', description: 'syscall blocking profile' },
  { type: 'sched', description: 'scheduler latency profile' },
];

/** Go's region filter (cmd/trace regions.go: type, pc, latmin, latmax), plus a task. All given must match. */
export interface TraceRegionFilter {
  /** The region type (the name given to trace.StartRegion / WithRegion). */
  readonly type?: string;
  /** The PC of the innermost frame where the region began. */
  readonly pc?: number;
  /** Bounds on the region's duration, nanoseconds. */
  readonly minDurationNs?: number;
  readonly maxDurationNs?: number;
  /** Only regions of this task ID (our extension; Go's filter has none). */
  readonly taskId?: number;
}

export interface TraceProfileOptions {
  /** Only goroutines whose start function is this (Go's `name=`: a goroutine group of go tool trace); "" is all. */
  readonly goroutineName?: string;
  /** Only the time goroutines spend in these regions (Go's /regionblock and siblings). */
  readonly regions?: TraceRegionFilter;
  /** Only what overlaps [fromNs, toNs] on the trace clock (our extension). */
  readonly fromNs?: number;
  readonly toNs?: number;
}

export type TraceProfileErrorCode = 'no-such-goroutines' | 'invalid-options';

/** What keeps a profile from being made: a filter that names nothing, or options that make no sense. */
export class TraceProfileError extends Error {
  override readonly name = 'TraceProfileError';

  constructor(
    readonly code: TraceProfileErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Go's cut-off for stacks (pprofMaxStack): deeper frames are neither compared nor written. */
const MAX_STACK = 128;

const STATE_OF: Record<TraceProfileType, number> = { net: GO_WAITING, sync: GO_WAITING, syscall: GO_SYSCALL, sched: GO_RUNNABLE };

function reasonMatcher(type: TraceProfileType): (reason: string) => boolean {
  switch (type) {
    case 'net':
      return (reason) => reason === 'network';
    case 'sync':
      return (reason) => reason.includes('chan') || reason.includes('sync') || reason.includes('select');
    default:
      return () => true;
  }
}

/** Per goroutine row, its intervals [offsets[g], offsets[g+1]) of `start`/`end`, sorted and disjoint. */
/** What the profiles filter by, per goroutine row, from Go's summary (goroutineSummary.ts). */
interface GoroutineLives {
  /** 1 when the goroutine has a summary (it made a state transition). */
  readonly known: Uint8Array;
  /** Its name (string index, 0 = ""). */
  readonly name: Uint32Array;
  /** Go's StartTime and EndTime: 0 when it never ran / never ended. */
  readonly startTime: Float64Array;
  readonly endTime: Float64Array;
}

/** The regions of Go's summary, as columns. */
interface SummaryRegions {
  readonly count: number;
  readonly goroutine: Int32Array;
  /** Region type (string index; 0 for the unnamed region a goroutine inherits at creation). */
  readonly name: Uint32Array;
  readonly taskId: Float64Array;
  readonly startEvent: Int32Array;
  readonly endEvent: Int32Array;
}

function summaryColumns(model: ExecutionTraceModel): { lives: GoroutineLives; regions: SummaryRegions } {
  const analysis = summarizeAll(model);
  const index = new Map<string, number>();
  model.strings.forEach((text, i) => {
    if (!index.has(text)) index.set(text, i);
  });
  const n = model.goroutines.count;
  const lives = { known: new Uint8Array(n), name: new Uint32Array(n), startTime: new Float64Array(n), endTime: new Float64Array(n) };
  for (const g of analysis.goroutines) {
    lives.known[g.row] = 1;
    lives.name[g.row] = index.get(g.name) ?? 0;
    lives.startTime[g.row] = Number.isNaN(g.startNs) ? 0 : g.startNs;
    lives.endTime[g.row] = Number.isNaN(g.endNs) ? 0 : g.endNs;
  }
  const r = analysis.regions;
  const regions = { count: r.length, goroutine: new Int32Array(r.length), name: new Uint32Array(r.length), taskId: new Float64Array(r.length), startEvent: new Int32Array(r.length), endEvent: new Int32Array(r.length) };
  r.forEach((region, k) => {
    regions.goroutine[k] = region.goroutine;
    regions.name[k] = index.get(region.name) ?? 0;
    regions.taskId[k] = region.taskId;
    regions.startEvent[k] = region.startEvent;
    regions.endEvent[k] = region.endEvent;
  });
  return { lives, regions };
}

interface GoroutineIntervals {
  readonly offsets: Uint32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
}

function lifeIntervals(model: ExecutionTraceModel, lives: GoroutineLives, goroutineName: string | undefined): GoroutineIntervals {
  const n = model.goroutines.count;
  const offsets = new Uint32Array(n + 1);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const wanted = goroutineName ? model.strings.indexOf(goroutineName) : -1;
  let k = 0;
  for (let g = 0; g < n; g++) {
    offsets[g] = k;
    if (lives.known[g] !== 1 || (goroutineName && lives.name[g] !== wanted)) continue;
    start[k] = lives.startTime[g]!;
    end[k] = lives.endTime[g] === 0 ? model.endNs : lives.endTime[g]!;
    k++;
  }
  offsets[n] = k;
  if (k === 0) {
    throw new TraceProfileError(
      'no-such-goroutines',
      !goroutineName ? 'The trace has no goroutines to profile.' : `No goroutine in the trace starts in "${goroutineName}". ${groupHint(model, lives)}`,
    );
  }
  return { offsets, start: start.subarray(0, k), end: end.subarray(0, k) };
}

/** A few of the goroutine groups the trace does have, for an error message. */
function groupHint(model: ExecutionTraceModel, lives: GoroutineLives): string {
  const counts = new Map<string, number>();
  for (let g = 0; g < model.goroutines.count; g++) {
    if (lives.known[g] !== 1 || lives.name[g] === 0) continue;
    const name = model.strings[lives.name[g]!]!;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const names = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([name]) => name);
  const shown = names.slice(0, 8).join(', ');
  return names.length === 0 ? 'It has no named goroutines.' : `Groups in this trace (by start function): ${shown}${names.length > 8 ? `, and ${names.length - 8} more` : ''}.`;
}

function regionIntervals(model: ExecutionTraceModel, regions: SummaryRegions, lives: GoroutineLives, filter: TraceRegionFilter, goroutineName: string | undefined): GoroutineIntervals {
  const { events, stacks, frames, strings } = model;
  const typeIndex = filter.type === undefined ? -1 : strings.indexOf(filter.type);
  const nameIndex = goroutineName ? strings.indexOf(goroutineName) : -1;
  const picked: number[] = [];
  const start = new Float64Array(regions.count);
  const end = new Float64Array(regions.count);
  for (let r = 0; r < regions.count; r++) {
    const g = regions.goroutine[r]!;
    if (goroutineName && lives.name[g] !== nameIndex) continue;
    if (filter.type !== undefined && regions.name[r] !== typeIndex) continue;
    if (filter.taskId !== undefined && regions.taskId[r] !== filter.taskId) continue;
    const startEvent = regions.startEvent[r]!;
    const endEvent = regions.endEvent[r]!;
    start[r] = startEvent >= 0 ? events.time[startEvent]! : model.startNs;
    end[r] = endEvent >= 0 ? events.time[endEvent]! : model.endNs;
    if (filter.pc !== undefined) {
      // Go compares the PC of the region's first frame; a region without a start stack has PC 0.
      const stack = startEvent >= 0 ? events.stack[startEvent]! : 0;
      const pc = stack !== 0 && stacks.offsets[stack + 1]! > stacks.offsets[stack]! ? frames.pc[stacks.frames[stacks.offsets[stack]!]!]! : 0;
      if (pc !== filter.pc) continue;
    }
    const duration = end[r]! - start[r]!;
    if (filter.minDurationNs !== undefined && duration < filter.minDurationNs) continue;
    if (filter.maxDurationNs !== undefined && duration > filter.maxDurationNs) continue;
    picked.push(r);
  }
  picked.sort((a, b) => regions.goroutine[a]! - regions.goroutine[b]! || start[a]! - start[b]! || end[a]! - end[b]!);
  // Per goroutine, only the outermost regions: each one that starts at or after the end of the last kept.
  const n = model.goroutines.count;
  const offsets = new Uint32Array(n + 1);
  const outStart = new Float64Array(picked.length);
  const outEnd = new Float64Array(picked.length);
  let k = 0;
  let p = 0;
  for (let g = 0; g < n; g++) {
    offsets[g] = k;
    let last = 0;
    for (; p < picked.length && regions.goroutine[picked[p]!] === g; p++) {
      const r = picked[p]!;
      if (last <= start[r]!) {
        outStart[k] = start[r]!;
        outEnd[k] = end[r]!;
        last = end[r]!;
        k++;
      }
    }
  }
  offsets[n] = k;
  return { offsets, start: outStart.subarray(0, k), end: outEnd.subarray(0, k) };
}

/** The intervals clipped to [from, to]; those left empty are dropped. */
function clipIntervals(intervals: GoroutineIntervals, from: number, to: number): GoroutineIntervals {
  const n = intervals.offsets.length - 1;
  const offsets = new Uint32Array(n + 1);
  const start = new Float64Array(intervals.start.length);
  const end = new Float64Array(intervals.end.length);
  let k = 0;
  for (let g = 0; g < n; g++) {
    offsets[g] = k;
    for (let i = intervals.offsets[g]!; i < intervals.offsets[g + 1]!; i++) {
      const s = Math.max(intervals.start[i]!, from);
      const e = Math.min(intervals.end[i]!, to);
      if (s > e) continue;
      start[k] = s;
      end[k] = e;
      k++;
    }
  }
  offsets[n] = k;
  return { offsets, start: start.subarray(0, k), end: end.subarray(0, k) };
}

/** Go's pprofOverlappingDuration: the parts of [s, e] inside the goroutine's intervals. */
function overlapping(intervals: GoroutineIntervals, g: number, s: number, e: number): number {
  const { offsets, start, end } = intervals;
  let lo = offsets[g]!;
  let hi = offsets[g + 1]!;
  // The intervals are disjoint and sorted, so their ends are sorted too: skip those ending before s.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (end[mid]! < s) lo = mid + 1;
    else hi = mid;
  }
  let total = 0;
  for (let i = lo; i < offsets[g + 1]! && start[i]! <= e; i++) {
    const o = Math.min(end[i]!, e) - Math.max(start[i]!, s);
    if (o > 0) total += o;
  }
  return total;
}

function checkOptions(model: ExecutionTraceModel, options: TraceProfileOptions): void {
  const number = (name: string, value: number | undefined) => {
    if (value !== undefined && !Number.isFinite(value)) throw new TraceProfileError('invalid-options', `${name} must be a finite number of nanoseconds (got ${value}).`);
  };
  number('fromNs', options.fromNs);
  number('toNs', options.toNs);
  number('regions.minDurationNs', options.regions?.minDurationNs);
  number('regions.maxDurationNs', options.regions?.maxDurationNs);
  const from = options.fromNs ?? model.startNs;
  const to = options.toNs ?? model.endNs;
  if (from > to) throw new TraceProfileError('invalid-options', `The time range ends before it starts: from ${from} ns to ${to} ns. Give a start no later than the end.`);
}

/**
 * The profile `go tool trace -pprof=TYPE` makes of the same trace (with no options), or with Go's
 * goroutine-group or region filter (its `/io?name=`, `/regionblock?type=`, ... pages), or our task and
 * time-range filters. Throws TraceProfileError when a goroutine group names no goroutine of the trace or
 * the options make no sense; a region filter that matches nothing gives an empty profile, as in Go.
 */
export function traceProfile(model: ExecutionTraceModel, type: TraceProfileType, options: TraceProfileOptions = {}): Profile {
  if (!Object.hasOwn(STATE_OF, type)) throw new TraceProfileError('invalid-options', `Unknown profile type "${String(type)}": use net, sync, syscall or sched.`);
  checkOptions(model, options);
  const summary = summaryColumns(model);
  // The group's lives are made even beside a region filter: a group that names nothing is an error.
  const lives = !options.regions || options.goroutineName ? lifeIntervals(model, summary.lives, options.goroutineName) : undefined;
  let intervals = options.regions ? regionIntervals(model, summary.regions, summary.lives, options.regions, options.goroutineName) : lives!;
  if (options.fromNs !== undefined || options.toNs !== undefined) {
    intervals = clipIntervals(intervals, options.fromNs ?? -Infinity, options.toNs ?? Infinity);
  }
  return buildProfile(model, trackedTime(model, type, intervals));
}

interface StackRecords {
  readonly count: number;
  /** The stack (model index) whose frames the record shows: the latest one seen with its PCs. */
  readonly stack: Int32Array;
  readonly contentions: Float64Array;
  readonly delay: Float64Array;
}

/** makeComputePprofFunc: the tracked time per stack that started tracking. */
function trackedTime(model: ExecutionTraceModel, type: TraceProfileType, intervals: GoroutineIntervals): StackRecords {
  const { events, strings } = model;
  const { kind, stack, a0, time, str } = events;
  const want = STATE_OF[type];
  const matches = reasonMatcher(type);
  const reasonOk = new Uint8Array(strings.length);
  for (let s = 0; s < strings.length; s++) reasonOk[s] = matches(strings[s]!) ? 1 : 0;
  const tracking = new Int32Array(model.goroutines.count).fill(-1);
  const records = new RecordTable(model);

  for (let i = 0; i < events.count; i++) {
    if (kind[i] !== EventKind.StateTransition || stack[i] === 0 || isProcTransition(events.type[i]!)) continue;
    const g = a0[i]!;
    if (g < 0) continue;
    const to = transitionTo(events, i);
    const started = tracking[g]!;
    if (started < 0) {
      if (to === want && reasonOk[str[i]!] === 1) tracking[g] = i;
      continue;
    }
    if (to === want) continue;
    tracking[g] = -1;
    const o = overlapping(intervals, g, time[started]!, time[i]!);
    if (o > 0) records.add(stack[started]!, o);
  }
  return records.finish();
}

/** Records keyed by the PCs of their stack, as Go's stackMap keys them. */
class RecordTable {
  private readonly ofStack: Int32Array;
  private readonly ofPcs = new Map<string, number>();
  private readonly stack = i32();
  private readonly contentions = f64();
  private readonly delay = f64();

  constructor(private readonly model: ExecutionTraceModel) {
    this.ofStack = new Int32Array(model.stacks.count).fill(-1);
  }

  add(stack: number, delay: number): void {
    let r = this.ofStack[stack]!;
    if (r < 0) r = this.slowPath(stack);
    this.contentions.set(r, this.contentions.get(r) + 1);
    this.delay.set(r, this.delay.get(r) + delay);
  }

  private slowPath(stack: number): number {
    const { offsets, frames } = this.model.stacks;
    const pcs = this.model.frames.pc;
    const from = offsets[stack]!;
    const to = Math.min(offsets[stack + 1]!, from + MAX_STACK);
    let key = '';
    for (let f = from; f < to; f++) key += pcs[frames[f]!]! + ',';
    let r = this.ofPcs.get(key);
    if (r === undefined) {
      r = this.stack.length;
      this.ofPcs.set(key, r);
      this.stack.push(stack);
      this.contentions.push(0);
      this.delay.push(0);
    } else {
      this.stack.set(r, stack);
    }
    this.ofStack[stack] = r;
    return r;
  }

  finish(): StackRecords {
    return { count: this.stack.length, stack: this.stack.finish(), contentions: this.contentions.finish(), delay: this.delay.finish() };
  }
}

/** traceviewer.BuildProfile: one sample per record, one location per PC, one function per file and name. */
function buildProfile(model: ExecutionTraceModel, records: StackRecords): Profile {
  const { stacks, frames } = model;
  const strings = new StringTable();
  const functionOf = new Map<string, number>();
  const functionName: number[] = [];
  const functionFile: number[] = [];
  const locationOf = new Map<number, number>();
  const locationPc: number[] = [];
  const locationFunction: number[] = [];
  const locationLine: number[] = [];
  const sampleLocations: number[] = [];
  const locationStart = new Uint32Array(records.count + 1);
  let wide = false;
  for (let r = 0; r < records.count; r++) {
    locationStart[r] = sampleLocations.length;
    const stack = records.stack[r]!;
    const from = stacks.offsets[stack]!;
    const to = Math.min(stacks.offsets[stack + 1]!, from + MAX_STACK);
    for (let f = from; f < to; f++) {
      const frame = stacks.frames[f]!;
      const pc = frames.pc[frame]!;
      let loc = locationOf.get(pc);
      if (loc === undefined) {
        const func = model.strings[frames.func[frame]!]!;
        const file = model.strings[frames.file[frame]!]!;
        const key = file + func;
        let fn = functionOf.get(key);
        if (fn === undefined) {
          fn = functionName.length;
          functionOf.set(key, fn);
          functionName.push(strings.intern(func));
          functionFile.push(strings.intern(file));
        }
        loc = locationPc.length;
        locationOf.set(pc, loc);
        locationPc.push(pc);
        locationFunction.push(fn);
        locationLine.push(frames.line[frame]!);
      }
      sampleLocations.push(loc);
    }
    if (records.delay[r]! > 0x7fffffff || records.contentions[r]! > 0x7fffffff) wide = true;
  }
  locationStart[records.count] = sampleLocations.length;
  const values = wide ? new Float64Array(records.count * 2) : new Int32Array(records.count * 2);
  for (let r = 0; r < records.count; r++) {
    values[2 * r] = records.contentions[r]!;
    values[2 * r + 1] = records.delay[r]!;
  }
  const type = (t: string, unit: string) => ({ type: strings.strings[strings.intern(t)]!, unit: strings.strings[strings.intern(unit)]! });
  return profileFromTables({
    strings: strings.strings,
    sampleTypes: [type('contentions', 'count'), type('delay', 'nanoseconds')],
    periodType: type('trace', 'count'),
    timeNanos: 0n,
    comments: [],
    functionName,
    functionFile,
    locationFunction,
    locationLine,
    locationAddress: locationPc,
    sampleStart: locationStart,
    sampleLocations,
    values,
    labelSet: new Uint32Array(records.count),
    labelSets: NO_LABEL_SETS,
  });
}

const WAITS: Record<TraceProfileType, string> = {
  net: 'waited on the network',
  sync: 'waited on a channel, select or sync primitive',
  syscall: 'made a syscall',
  sched: 'was made runnable by an event with a stack',
};

/** Why the profile of `type` came out empty: a region type the trace lacks, or nothing that waited so. */
export function explainEmptyTraceProfile(model: ExecutionTraceModel, type: TraceProfileType, options: TraceProfileOptions): string {
  const region = options.regions?.type;
  if (region !== undefined) {
    const name = model.strings.indexOf(region);
    if (!model.regions.name.includes(name)) return `no region of the trace has type "${region}"`;
  }
  const filtered = options.goroutineName !== undefined || options.regions !== undefined || options.fromNs !== undefined || options.toNs !== undefined;
  return `no goroutine ${WAITS[type]}${filtered ? ' within the filters given' : ' in this trace'}`;
}
