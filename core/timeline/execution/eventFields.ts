// What the type-specific columns of the event table hold, per event type, and the accessors that read
// them. The recorder writes them (eventRecorder.ts); the listing and the timeline builder read them
// through these functions only, so the encoding lives in one place.
//
//   state transitions   a0 = row of the goroutine or proc that changed state; state = from << 4 | to
//                       (GoState / ProcState numbering); str = reason (GoStop, GoBlock);
//                       a1 = the new goroutine's own stack (GoCreate, GoCreateBlocked)
//   metrics             a0 = value; str = metric name
//   GoLabel             str = label
//   ranges              str = range name; state = scope kind; a0 = scope row, except sweeps, whose scope
//                       is the event's P and whose end carries a0 = bytes swept, a1 = bytes reclaimed
//   tasks               a0 = task ID; a1 = parent task ID; str = task type
//   regions             a0 = task ID; str = region type
//   logs                a0 = task ID; str = category; a1 = message (string index)
//   experimental        a0, a1 = first two arguments; str = third argument
//   Sync                a0 = generation number

import type { EventTable } from './eventTable';
import { EventKind } from './eventTable';
import * as ev from './wireFormat';

/** Go's NoTask (2^64-1) as stored in task fields. */
export const NO_TASK_ID = 2 ** 64;

export const METRIC_GOMAXPROCS = '/sched/gomaxprocs:threads';
export const METRIC_HEAP_ALLOC = '/memory/classes/heap/objects:bytes';
export const METRIC_HEAP_GOAL = '/gc/heap/goal:bytes';

export const RANGE_GC_MARK = 'GC concurrent mark phase';
export const RANGE_SWEEP = 'GC incremental sweep';
export const RANGE_MARK_ASSIST = 'GC mark assist';

const KIND_OF_TYPE = new Uint8Array(256);
function kinds(kind: number, ...types: number[]): void {
  for (const t of types) KIND_OF_TYPE[t] = kind;
}
kinds(EventKind.StackSample, ev.EvCPUSample);
kinds(EventKind.Metric, ev.EvProcsChange, ev.EvHeapAlloc, ev.EvHeapGoal);
kinds(
  EventKind.StateTransition,
  ev.EvProcStart,
  ev.EvProcStop,
  ev.EvProcSteal,
  ev.EvProcStatus,
  ev.EvGoCreate,
  ev.EvGoCreateSyscall,
  ev.EvGoStart,
  ev.EvGoDestroy,
  ev.EvGoDestroySyscall,
  ev.EvGoStop,
  ev.EvGoBlock,
  ev.EvGoUnblock,
  ev.EvGoSyscallBegin,
  ev.EvGoSyscallEnd,
  ev.EvGoSyscallEndBlocked,
  ev.EvGoStatus,
  ev.EvGoSwitch,
  ev.EvGoSwitchDestroy,
  ev.EvGoCreateBlocked,
  ev.EvGoStatusStack,
);
kinds(EventKind.RangeBegin, ev.EvSTWBegin, ev.EvGCBegin, ev.EvGCSweepBegin, ev.EvGCMarkAssistBegin);
kinds(EventKind.RangeActive, ev.EvGCActive, ev.EvGCSweepActive, ev.EvGCMarkAssistActive);
kinds(EventKind.RangeEnd, ev.EvSTWEnd, ev.EvGCEnd, ev.EvGCSweepEnd, ev.EvGCMarkAssistEnd);
kinds(EventKind.Label, ev.EvGoLabel);
kinds(EventKind.TaskBegin, ev.EvUserTaskBegin);
kinds(EventKind.TaskEnd, ev.EvUserTaskEnd);
kinds(EventKind.RegionBegin, ev.EvUserRegionBegin);
kinds(EventKind.RegionEnd, ev.EvUserRegionEnd);
kinds(EventKind.Log, ev.EvUserLog);
kinds(
  EventKind.Experimental,
  ev.EvSpan,
  ev.EvSpanAlloc,
  ev.EvSpanFree,
  ev.EvHeapObject,
  ev.EvHeapObjectAlloc,
  ev.EvHeapObjectFree,
  ev.EvGoroutineStack,
  ev.EvGoroutineStackAlloc,
  ev.EvGoroutineStackFree,
);
kinds(EventKind.Sync, ev.EvSyncPoint);

export function kindOfType(type: number): number {
  return KIND_OF_TYPE[type]!;
}

/** State transitions whose resource is a P rather than a goroutine. */
export function isProcTransition(type: number): boolean {
  return type === ev.EvProcStart || type === ev.EvProcStop || type === ev.EvProcSteal || type === ev.EvProcStatus;
}

export function isSweepRange(type: number): boolean {
  return type === ev.EvGCSweepBegin || type === ev.EvGCSweepActive || type === ev.EvGCSweepEnd;
}

export function transitionFrom(events: EventTable, i: number): number {
  return events.state[i]! >> 4;
}

export function transitionTo(events: EventTable, i: number): number {
  return events.state[i]! & 0x0f;
}

/** Row of the range's scope (goroutine or proc), -1 for a global range. */
export function rangeScopeRow(events: EventTable, i: number): number {
  return isSweepRange(events.type[i]!) ? events.p[i]! : events.a0[i]!;
}

/** The stack a state transition refers to: the new goroutine's for GoCreate, else the event's own. */
export function transitionStack(events: EventTable, i: number): number {
  const type = events.type[i]!;
  if (type === ev.EvGoCreate || type === ev.EvGoCreateBlocked) return events.a1[i]!;
  switch (type) {
    case ev.EvGoDestroy:
    case ev.EvGoStop:
    case ev.EvGoBlock:
    case ev.EvGoSyscallBegin:
    case ev.EvGoSyscallEnd:
    case ev.EvGoSyscallEndBlocked:
      return events.stack[i]!;
    default:
      return 0;
  }
}
