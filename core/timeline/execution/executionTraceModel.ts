// What a decoded execution trace is: plain data made of typed-array columns and one string table, so it
// can be built in a web worker and handed to the UI thread by transferring the buffers. Tables refer to
// each other by row index (-1 = none); strings by index into `strings` (0 = the empty string); stacks by
// index into the stack table (0 = no stack). Times are nanoseconds on the trace's clock.
//
// The timeline draws from the derived tables: goroutine state intervals (a lane per goroutine), proc
// slices (a lane per P), ranges (GC, stop-the-world, sweeps, mark assists), tasks, regions and logs;
// `events` keeps every event the way Go's reader reports it, for details and stacks.

import type { TraceErrorCode } from '../traceError';
import type { EventTable } from './eventTable';

export interface FrameTable {
  readonly count: number;
  readonly pc: Float64Array;
  /** Function name and file path (string indices) and 1-based line. */
  readonly func: Uint32Array;
  readonly file: Uint32Array;
  readonly line: Float64Array;
}

export interface StackTable {
  /** Number of stacks, including stack 0 (empty). */
  readonly count: number;
  /** Stack i's frames are frames[offsets[i] .. offsets[i+1]), innermost (leaf) first. */
  readonly offsets: Uint32Array;
  readonly frames: Uint32Array;
}

export interface ResourceTable {
  readonly count: number;
  /** The ID in the trace (thread ID, P number). */
  readonly id: Float64Array;
}

export interface GoroutineTable {
  readonly count: number;
  /** Goroutine ID. */
  readonly id: Float64Array;
  /** When it was created; NaN if it already existed when tracing started. */
  readonly createdAt: Float64Array;
  /** When it ended; NaN if it still existed when tracing stopped. */
  readonly endedAt: Float64Array;
  /** Row of the goroutine that created it, -1 if unknown. */
  readonly creator: Int32Array;
  /** The goroutine's own stack at creation (its entry function), or its first stack seen. */
  readonly startStack: Uint32Array;
  /** The function it runs (string index): what go tool trace groups goroutines by. */
  readonly startFunction: Uint32Array;
  /** The runtime's label for it (e.g. "GC (dedicated)"), 0 if none. */
  readonly label: Uint32Array;
  /** Time spent in each state within the trace. */
  readonly runningNs: Float64Array;
  readonly runnableNs: Float64Array;
  readonly waitingNs: Float64Array;
  readonly syscallNs: Float64Array;
}

/** Goroutine states in interval tables (Go's GoState numbering). */
export const GoroutineState = {
  Runnable: 2,
  Running: 3,
  Waiting: 4,
  Syscall: 5,
} as const;

export interface GoroutineStateTable {
  readonly count: number;
  readonly goroutine: Int32Array;
  /** GoroutineState. */
  readonly state: Uint8Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Why it waits (e.g. "chan receive", "sync.Mutex.Lock", "sleep") or stopped ("preempted"); 0 if none. */
  readonly reason: Uint32Array;
  /** The P it ran on (Running, Syscall), -1 otherwise. */
  readonly proc: Int32Array;
  /** The events that began and ended the interval (-1: before tracing started / after it stopped). */
  readonly startEvent: Int32Array;
  readonly endEvent: Int32Array;
  /** Intervals of goroutine row r are [laneOffsets[r], laneOffsets[r+1]), sorted by start. */
  readonly laneOffsets: Uint32Array;
}

export interface ProcSliceTable {
  readonly count: number;
  readonly proc: Int32Array;
  readonly goroutine: Int32Array;
  /** GoroutineState.Running or GoroutineState.Syscall (a syscall holding the P). */
  readonly state: Uint8Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly startEvent: Int32Array;
  readonly endEvent: Int32Array;
  /** Slices of proc row r are [laneOffsets[r], laneOffsets[r+1]), sorted by start. */
  readonly laneOffsets: Uint32Array;
}

export const RangeCategory = {
  GCMark: 1,
  StopTheWorld: 2,
  Sweep: 3,
  MarkAssist: 4,
} as const;

export const ScopeKind = {
  None: 0,
  Goroutine: 1,
  Proc: 2,
} as const;

export interface RangeTable {
  readonly count: number;
  readonly category: Uint8Array;
  /** Display name, e.g. "stop-the-world (GC sweep termination)". */
  readonly name: Uint32Array;
  readonly scopeKind: Uint8Array;
  /** Goroutine or proc row, -1 for global ranges. */
  readonly scope: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly startEvent: Int32Array;
  readonly endEvent: Int32Array;
}

export interface TaskTable {
  readonly count: number;
  readonly id: Float64Array;
  /** Parent task row, -1 if none or not in the trace. */
  readonly parent: Int32Array;
  /** Parent task ID as recorded (2^64 when the task has no parent). */
  readonly parentId: Float64Array;
  readonly name: Uint32Array;
  /** NaN when the task began before tracing started / had not ended when it stopped. */
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly startEvent: Int32Array;
  readonly endEvent: Int32Array;
  /** Goroutine row that began it, -1 if unknown. */
  readonly goroutine: Int32Array;
}

export interface RegionTable {
  readonly count: number;
  readonly goroutine: Int32Array;
  /** Task row, -1 for the background task or an unknown one. */
  readonly task: Int32Array;
  /** Task ID as recorded (0 = the background task). */
  readonly taskId: Float64Array;
  readonly name: Uint32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Nesting depth within its goroutine (0 = outermost). */
  readonly depth: Uint16Array;
  readonly startEvent: Int32Array;
  readonly endEvent: Int32Array;
  /** Regions of goroutine row r are [laneOffsets[r], laneOffsets[r+1]), sorted by start. */
  readonly laneOffsets: Uint32Array;
}

export interface LogTable {
  readonly count: number;
  readonly event: Int32Array;
  readonly time: Float64Array;
  readonly goroutine: Int32Array;
  /** Task row, -1 for none. */
  readonly task: Int32Array;
  readonly category: Uint32Array;
  readonly message: Uint32Array;
}

export interface MetricSeries {
  /** Go's metric name, e.g. "/memory/classes/heap/objects:bytes". */
  readonly name: string;
  readonly time: Float64Array;
  readonly value: Float64Array;
}

export interface WallClockAnchor {
  /** A trace time and the Unix time it corresponds to (Go 1.25+ traces record this). */
  readonly traceNs: number;
  readonly unixSeconds: number;
  readonly unixNanos: number;
}

export interface ExecutionTraceModel {
  readonly kind: 'go-execution-trace';
  /** As the header says, e.g. "1.23". */
  readonly goVersion: string;
  readonly version: number;
  readonly generations: number;
  readonly startNs: number;
  readonly endNs: number;
  readonly strings: readonly string[];
  readonly frames: FrameTable;
  readonly stacks: StackTable;
  readonly events: EventTable;
  readonly goroutines: GoroutineTable;
  readonly procs: ResourceTable;
  readonly threads: ResourceTable;
  readonly goroutineStates: GoroutineStateTable;
  readonly procSlices: ProcSliceTable;
  readonly ranges: RangeTable;
  readonly tasks: TaskTable;
  readonly regions: RegionTable;
  readonly logs: LogTable;
  readonly metrics: readonly MetricSeries[];
  readonly cpuSamples: number;
  readonly wallClock: WallClockAnchor | undefined;
  /** Set when decoding stopped at an error and `allowPartial` kept what came before it. */
  readonly incomplete: { readonly code: TraceErrorCode; readonly message: string } | undefined;
}
