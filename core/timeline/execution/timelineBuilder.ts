// Derives what the timeline draws from the ordered events, in one pass: each goroutine's state
// intervals (running, runnable, waiting with its reason, in a syscall), what ran on each P, GC /
// stop-the-world / sweep / mark-assist ranges, user tasks, nested regions, logs, labels and metric
// series. Intervals still open when tracing stopped end at the trace's end.

import { type EventTable } from './eventTable';
import { EventKind } from './eventTable';
import { NO_TASK_ID, isProcTransition, rangeScopeRow, transitionFrom, transitionTo } from './eventFields';
import type {
  GoroutineStateTable,
  GoroutineTable,
  LogTable,
  MetricSeries,
  ProcSliceTable,
  RangeTable,
  RegionTable,
  StackTable,
  TaskTable,
} from './executionTraceModel';
import { GoroutineState, RangeCategory } from './executionTraceModel';
import { f64, i32, laneOrder, u16, u32, u8 } from './growableColumns';
import { GO_NOT_EXIST, GO_RUNNING, GO_SYSCALL, GO_UNDETERMINED } from './schedulerOrdering';
import * as ev from './wireFormat';

export interface TimelineTables {
  readonly goroutines: GoroutineTable;
  readonly goroutineStates: GoroutineStateTable;
  readonly procSlices: ProcSliceTable;
  readonly ranges: RangeTable;
  readonly tasks: TaskTable;
  readonly regions: RegionTable;
  readonly logs: LogTable;
  readonly metrics: MetricSeries[];
}

export interface TimelineInput {
  readonly events: EventTable;
  readonly strings: readonly string[];
  readonly stacks: StackTable;
  /** Function name string index of each frame. */
  readonly frameFunc: Uint32Array;
  readonly goroutineIds: readonly number[];
  readonly procCount: number;
  readonly startNs: number;
  readonly endNs: number;
}

function rangeCategory(type: number): number {
  switch (type) {
    case ev.EvGCBegin:
    case ev.EvGCActive:
    case ev.EvGCEnd:
      return RangeCategory.GCMark;
    case ev.EvSTWBegin:
    case ev.EvSTWEnd:
      return RangeCategory.StopTheWorld;
    case ev.EvGCSweepBegin:
    case ev.EvGCSweepActive:
    case ev.EvGCSweepEnd:
      return RangeCategory.Sweep;
    default:
      return RangeCategory.MarkAssist;
  }
}

export function buildTimeline(input: TimelineInput): TimelineTables {
  const { events: e, startNs, endNs } = input;
  const goroutineCount = input.goroutineIds.length;
  const procCount = input.procCount;

  // Goroutines.
  const createdAt = new Float64Array(goroutineCount).fill(NaN);
  const endedAt = new Float64Array(goroutineCount).fill(NaN);
  const creator = new Int32Array(goroutineCount).fill(-1);
  const startStack = new Uint32Array(goroutineCount);
  const label = new Uint32Array(goroutineCount);
  const timeIn = [new Float64Array(goroutineCount), new Float64Array(goroutineCount), new Float64Array(goroutineCount), new Float64Array(goroutineCount)];
  const timeSlot = (state: number) => (state === GoroutineState.Running ? 0 : state === GoroutineState.Runnable ? 1 : state === GoroutineState.Waiting ? 2 : 3);

  // Open goroutine interval per goroutine.
  const gState = new Uint8Array(goroutineCount);
  const gSince = new Float64Array(goroutineCount);
  const gSinceEvent = new Int32Array(goroutineCount).fill(-1);
  const gReason = new Uint32Array(goroutineCount);
  const gProc = new Int32Array(goroutineCount).fill(-1);
  // Every transition into a state opens one interval: counting them first lays the table out lane by
  // lane directly, each goroutine's intervals in the order they close.
  const stateLaneOffsets = new Uint32Array(goroutineCount + 1);
  for (let i = 0; i < e.count; i++) {
    if (e.kind[i] !== EventKind.StateTransition || isProcTransition(e.type[i]!)) continue;
    const to = e.state[i]! & 0x0f;
    if (to >= GoroutineState.Runnable && to <= GoroutineState.Syscall) stateLaneOffsets[e.a0[i]! + 1]++;
  }
  for (let g = 0; g < goroutineCount; g++) stateLaneOffsets[g + 1] += stateLaneOffsets[g]!;
  const stateCount = stateLaneOffsets[goroutineCount]!;
  const nextState = stateLaneOffsets.slice(0, goroutineCount);
  const states = {
    goroutine: new Int32Array(stateCount),
    state: new Uint8Array(stateCount),
    start: new Float64Array(stateCount),
    end: new Float64Array(stateCount),
    reason: new Uint32Array(stateCount),
    proc: new Int32Array(stateCount),
    startEvent: new Int32Array(stateCount),
    endEvent: new Int32Array(stateCount),
  };
  const n = Math.max(16, e.count >> 2);

  const closeGoroutine = (g: number, time: number, event: number) => {
    const state = gState[g]!;
    if (state === 0) return;
    const k = nextState[g]++;
    states.goroutine[k] = g;
    states.state[k] = state;
    states.start[k] = gSince[g]!;
    states.end[k] = time;
    states.reason[k] = gReason[g]!;
    states.proc[k] = gProc[g]!;
    states.startEvent[k] = gSinceEvent[g]!;
    states.endEvent[k] = event;
    timeIn[timeSlot(state)]![g] += time - gSince[g]!;
    gState[g] = 0;
  };

  // What occupies each P.
  const pGoroutine = new Int32Array(procCount).fill(-1);
  const pState = new Uint8Array(procCount);
  const pSince = new Float64Array(procCount);
  const pSinceEvent = new Int32Array(procCount).fill(-1);
  const slices = { proc: i32(n), goroutine: i32(n), state: u8(n), start: f64(n), end: f64(n), startEvent: i32(n), endEvent: i32(n) };
  const closeProc = (p: number, time: number, event: number) => {
    if (p < 0 || pGoroutine[p]! < 0) return;
    slices.proc.push(p);
    slices.goroutine.push(pGoroutine[p]!);
    slices.state.push(pState[p]!);
    slices.start.push(pSince[p]!);
    slices.end.push(time);
    slices.startEvent.push(pSinceEvent[p]!);
    slices.endEvent.push(event);
    pGoroutine[p] = -1;
  };
  const openProc = (p: number, g: number, state: number, time: number, event: number) => {
    if (p < 0) return;
    closeProc(p, time, event);
    pGoroutine[p] = g;
    pState[p] = state;
    pSince[p] = time;
    pSinceEvent[p] = event;
  };

  // Ranges, keyed by category and scope.
  const openRanges = new Map<number, { start: number; startEvent: number; name: number; scopeKind: number; scope: number; category: number }>();
  const ranges = { category: u8(), name: u32(), scopeKind: u8(), scope: i32(), start: f64(), end: f64(), startEvent: i32(), endEvent: i32() };
  const closeRange = (r: { start: number; startEvent: number; name: number; scopeKind: number; scope: number; category: number }, time: number, event: number) => {
    ranges.category.push(r.category);
    ranges.name.push(r.name);
    ranges.scopeKind.push(r.scopeKind);
    ranges.scope.push(r.scope);
    ranges.start.push(r.start);
    ranges.end.push(time);
    ranges.startEvent.push(r.startEvent);
    ranges.endEvent.push(event);
  };

  // Tasks.
  const tasks = { id: f64(), parent: i32(), parentId: f64(), name: u32(), start: f64(), end: f64(), startEvent: i32(), endEvent: i32(), goroutine: i32() };
  const taskRow = new Map<number, number>();
  const addTask = (id: number, parent: number, name: number, start: number, startEvent: number, goroutine: number): number => {
    const row = tasks.id.length;
    tasks.id.push(id);
    tasks.parent.push(parent === NO_TASK_ID ? -1 : taskRow.get(parent) ?? -1);
    tasks.parentId.push(parent);
    tasks.name.push(name);
    tasks.start.push(start);
    tasks.end.push(NaN);
    tasks.startEvent.push(startEvent);
    tasks.endEvent.push(-1);
    tasks.goroutine.push(goroutine);
    taskRow.set(id, row);
    return row;
  };
  const taskOf = (id: number) => (id === 0 ? -1 : taskRow.get(id) ?? -1);

  // Regions: a stack of open regions per goroutine.
  type OpenRegion = { task: number; name: number; start: number; startEvent: number };
  const openRegions: OpenRegion[][] = Array.from({ length: goroutineCount }, () => []);
  const regions = { goroutine: i32(), task: i32(), taskId: f64(), name: u32(), start: f64(), end: f64(), depth: u16(), startEvent: i32(), endEvent: i32() };
  const closeRegion = (g: number, r: OpenRegion, depth: number, time: number, event: number) => {
    regions.goroutine.push(g);
    regions.task.push(taskOf(r.task));
    regions.taskId.push(r.task);
    regions.name.push(r.name);
    regions.start.push(r.start);
    regions.end.push(time);
    regions.depth.push(depth);
    regions.startEvent.push(r.startEvent);
    regions.endEvent.push(event);
  };

  const logs = { event: i32(), time: f64(), goroutine: i32(), task: i32(), category: u32(), message: u32() };
  const metricSeries = new Map<number, { time: ReturnType<typeof f64>; value: ReturnType<typeof f64> }>();

  for (let i = 0; i < e.count; i++) {
    const time = e.time[i]!;
    switch (e.kind[i]) {
      case EventKind.StateTransition: {
        const type = e.type[i]!;
        const resource = e.a0[i]!;
        if (isProcTransition(type)) {
          // A P that stops, or is taken from a thread blocked in a syscall, is no longer occupied.
          if (type === ev.EvProcStop || type === ev.EvProcSteal) closeProc(resource, time, i);
          break;
        }
        const g = resource;
        const from = transitionFrom(e, i);
        const to = transitionTo(e, i);
        const wasOnProc = gState[g] === GoroutineState.Running || gState[g] === GoroutineState.Syscall;
        const heldProc = gProc[g]!;
        closeGoroutine(g, time, i);
        if (wasOnProc && heldProc >= 0 && pGoroutine[heldProc] === g) closeProc(heldProc, time, i);
        if (from === GO_NOT_EXIST) {
          createdAt[g] = time;
          creator[g] = e.g[i]!;
          if (type === ev.EvGoCreate || type === ev.EvGoCreateBlocked) startStack[g] = e.a1[i]!;
        } else if (from === GO_UNDETERMINED && startStack[g] === 0 && e.stack[i] !== 0) {
          startStack[g] = e.stack[i]!;
        }
        if (to === GO_NOT_EXIST) {
          endedAt[g] = time;
          gProc[g] = -1;
          const open = openRegions[g]!;
          for (let d = open.length - 1; d >= 0; d--) closeRegion(g, open[d]!, d, time, -1);
          open.length = 0;
          break;
        }
        if (to === GO_UNDETERMINED) break;
        gState[g] = to;
        gSince[g] = time;
        gSinceEvent[g] = i;
        gReason[g] = type === ev.EvGoBlock || type === ev.EvGoStop ? e.str[i]! : 0;
        if (to === GO_RUNNING || to === GO_SYSCALL) {
          const p = type === ev.EvGoSyscallBegin ? heldProc : e.p[i]!;
          gProc[g] = p;
          openProc(p, g, to, time, i);
        } else {
          gProc[g] = -1;
        }
        break;
      }
      case EventKind.RangeBegin:
      case EventKind.RangeActive: {
        const type = e.type[i]!;
        const category = rangeCategory(type);
        const scope = rangeScopeRow(e, i);
        const key = category * 4294967296 + scope + 1;
        if (openRanges.has(key)) break;
        const active = e.kind[i] === EventKind.RangeActive;
        openRanges.set(key, { start: active ? startNs : time, startEvent: active ? -1 : i, name: e.str[i]!, scopeKind: e.state[i]!, scope, category });
        break;
      }
      case EventKind.RangeEnd: {
        const type = e.type[i]!;
        const category = rangeCategory(type);
        const scope = rangeScopeRow(e, i);
        const key = category * 4294967296 + scope + 1;
        const open = openRanges.get(key) ?? { start: startNs, startEvent: -1, name: e.str[i]!, scopeKind: e.state[i]!, scope, category };
        openRanges.delete(key);
        closeRange({ ...open, name: e.str[i]! }, time, i);
        break;
      }
      case EventKind.TaskBegin:
        addTask(e.a0[i]!, e.a1[i]!, e.str[i]!, time, i, e.g[i]!);
        break;
      case EventKind.TaskEnd: {
        const id = e.a0[i]!;
        let row = taskRow.get(id);
        if (row === undefined || tasks.endEvent.get(row) !== -1) row = addTask(id, e.a1[i]!, e.str[i]!, NaN, -1, -1);
        tasks.end.set(row, time);
        tasks.endEvent.set(row, i);
        break;
      }
      case EventKind.RegionBegin: {
        const g = e.g[i]!;
        if (g >= 0) openRegions[g]!.push({ task: e.a0[i]!, name: e.str[i]!, start: time, startEvent: i });
        break;
      }
      case EventKind.RegionEnd: {
        const g = e.g[i]!;
        if (g < 0) break;
        const open = openRegions[g]!;
        const top = open[open.length - 1];
        if (top && top.name === e.str[i] && top.task === e.a0[i]) {
          open.pop();
          closeRegion(g, top, open.length, time, i);
        } else {
          // Began before tracing started.
          closeRegion(g, { task: e.a0[i]!, name: e.str[i]!, start: startNs, startEvent: -1 }, 0, time, i);
        }
        break;
      }
      case EventKind.Log:
        logs.event.push(i);
        logs.time.push(time);
        logs.goroutine.push(e.g[i]!);
        logs.task.push(taskOf(e.a0[i]!));
        logs.category.push(e.str[i]!);
        logs.message.push(e.a1[i]!);
        break;
      case EventKind.Label:
        if (e.g[i]! >= 0) label[e.g[i]!] = e.str[i]!;
        break;
      case EventKind.Metric: {
        let series = metricSeries.get(e.str[i]!);
        if (!series) {
          series = { time: f64(), value: f64() };
          metricSeries.set(e.str[i]!, series);
        }
        series.time.push(time);
        series.value.push(e.a0[i]!);
        break;
      }
    }
  }

  // Close what is still open when tracing stopped.
  for (let g = 0; g < goroutineCount; g++) {
    closeGoroutine(g, endNs, -1);
    const open = openRegions[g]!;
    for (let d = open.length - 1; d >= 0; d--) closeRegion(g, open[d]!, d, endNs, -1);
  }
  for (let p = 0; p < procCount; p++) closeProc(p, endNs, -1);
  for (const r of openRanges.values()) closeRange(r, endNs, -1);

  const startFunction = new Uint32Array(goroutineCount);
  for (let g = 0; g < goroutineCount; g++) {
    const stack = startStack[g]!;
    if (stack === 0) continue;
    const from = input.stacks.offsets[stack]!;
    const to = input.stacks.offsets[stack + 1]!;
    if (to === from) continue;
    // A creation stack's first frame is the goroutine's function; otherwise take the outermost frame.
    const frame = !Number.isNaN(createdAt[g]!) ? input.stacks.frames[from]! : input.stacks.frames[to - 1]!;
    startFunction[g] = input.frameFunc[frame]!;
  }

  const sliceProc = slices.proc.finish();
  const sliceLanes = laneOrder(sliceProc, procCount);
  const regionGoroutine = regions.goroutine.finish();
  const regionStart = regions.start.finish();
  const regionLanes = laneOrder(regionGoroutine, goroutineCount, regionStart);
  const po = sliceLanes.order;
  const ro = regionLanes.order;

  return {
    goroutines: {
      count: goroutineCount,
      id: Float64Array.from(input.goroutineIds),
      createdAt,
      endedAt,
      creator,
      startStack,
      startFunction,
      label,
      runningNs: timeIn[0]!,
      runnableNs: timeIn[1]!,
      waitingNs: timeIn[2]!,
      syscallNs: timeIn[3]!,
    },
    goroutineStates: {
      count: stateCount,
      ...states,
      laneOffsets: stateLaneOffsets,
    },
    procSlices: {
      count: po.length,
      proc: slices.proc.finishPermuted(po),
      goroutine: slices.goroutine.finishPermuted(po),
      state: slices.state.finishPermuted(po),
      start: slices.start.finishPermuted(po),
      end: slices.end.finishPermuted(po),
      startEvent: slices.startEvent.finishPermuted(po),
      endEvent: slices.endEvent.finishPermuted(po),
      laneOffsets: sliceLanes.offsets,
    },
    ranges: {
      count: ranges.category.length,
      category: ranges.category.finish(),
      name: ranges.name.finish(),
      scopeKind: ranges.scopeKind.finish(),
      scope: ranges.scope.finish(),
      start: ranges.start.finish(),
      end: ranges.end.finish(),
      startEvent: ranges.startEvent.finish(),
      endEvent: ranges.endEvent.finish(),
    },
    tasks: {
      count: tasks.id.length,
      id: tasks.id.finish(),
      parent: tasks.parent.finish(),
      parentId: tasks.parentId.finish(),
      name: tasks.name.finish(),
      start: tasks.start.finish(),
      end: tasks.end.finish(),
      startEvent: tasks.startEvent.finish(),
      endEvent: tasks.endEvent.finish(),
      goroutine: tasks.goroutine.finish(),
    },
    regions: {
      count: ro.length,
      goroutine: regions.goroutine.finishPermuted(ro),
      task: regions.task.finishPermuted(ro),
      taskId: regions.taskId.finishPermuted(ro),
      name: regions.name.finishPermuted(ro),
      start: regions.start.finishPermuted(ro),
      end: regions.end.finishPermuted(ro),
      depth: regions.depth.finishPermuted(ro),
      startEvent: regions.startEvent.finishPermuted(ro),
      endEvent: regions.endEvent.finishPermuted(ro),
      laneOffsets: regionLanes.offsets,
    },
    logs: {
      count: logs.event.length,
      event: logs.event.finish(),
      time: logs.time.finish(),
      goroutine: logs.goroutine.finish(),
      task: logs.task.finish(),
      category: logs.category.finish(),
      message: logs.message.finish(),
    },
    metrics: [...metricSeries].map(([name, series]) => ({ name: input.strings[name]!, time: series.time.finish(), value: series.value.finish() })),
  };
}
