// The event codes the analysis loops compare with, gathered in one plain object that each module
// destructures into local constants once. Unbundled (the tests, the benchmarks under tsx) an imported
// binding is read through a getter on every use, which in a loop over a million events costs more than
// the loop's own work; bundled, esbuild inlines them either way.

import { EventKind } from '../execution/eventTable';
import { NO_TASK_ID, isProcTransition } from '../execution/eventFields';
import { ScopeKind } from '../execution/executionTraceModel';
import { GO_NOT_EXIST, GO_RUNNABLE, GO_RUNNING, GO_SYSCALL, GO_UNDETERMINED, GO_WAITING, PROC_IDLE } from '../execution/schedulerOrdering';

export const CODES = {
  SYNC: EventKind.Sync,
  TRANSITION: EventKind.StateTransition,
  RANGE_BEGIN: EventKind.RangeBegin,
  RANGE_ACTIVE: EventKind.RangeActive,
  RANGE_END: EventKind.RangeEnd,
  REGION_BEGIN: EventKind.RegionBegin,
  REGION_END: EventKind.RegionEnd,
  TASK_BEGIN: EventKind.TaskBegin,
  TASK_END: EventKind.TaskEnd,
  LOG: EventKind.Log,
  UNDETERMINED: GO_UNDETERMINED,
  NOT_EXIST: GO_NOT_EXIST,
  RUNNABLE: GO_RUNNABLE,
  RUNNING: GO_RUNNING,
  WAITING: GO_WAITING,
  SYSCALL: GO_SYSCALL,
  P_IDLE: PROC_IDLE,
  SCOPE_GOROUTINE: ScopeKind.Goroutine,
  SCOPE_PROC: ScopeKind.Proc,
  NO_TASK: NO_TASK_ID,
  /** By event type: 1 when its state transition is a P's rather than a goroutine's. */
  PROC_TRANSITION: Uint8Array.from({ length: 256 }, (_, type) => (isProcTransition(type) ? 1 : 0)),
} as const;
