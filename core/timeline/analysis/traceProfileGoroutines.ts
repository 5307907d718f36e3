// The parts of Go's goroutine summary (internal/trace/summary.go, Go 1.23) that the trace-derived profiles
// filter by: each goroutine's name, start and end (the interval `go tool trace -pprof` overlaps samples
// with) and, when a region filter asks for them, its regions as the summarizer records them. One pass
// over the event columns; per goroutine and per region a row of typed arrays, no object per event.
//
// Go's rules, kept as they are:
//   - A goroutine's summary begins at a transition out of Undetermined or NotExist (a re-created ID starts
//     over); transitions that do not change the state are ignored.
//   - Name: the outermost frame of the first transition stack seen (the new goroutine's stack for GoCreate).
//   - StartTime: the first transition to Running (0 when it never ran). EndTime: a transition to NotExist,
//     or to Waiting for the reason "forever" (0 when it never ended).
//   - Regions: RegionBegin pushes, RegionEnd pops (or makes up a region with no start); a goroutine created
//     inside a region gets an unnamed region of that region's task, starting at its creation. Regions still
//     open when a goroutine ends (or the trace does) end there, except on system goroutines (named
//     "runtime.*" other than runtime.main, or unnamed), whose open regions are dropped.
// Private to the profiles; the goroutine analysis has its own port of the summarizer.

import type { ExecutionTraceModel } from '../execution/executionTraceModel';
import { EventKind } from '../execution/eventTable';
import { isProcTransition, transitionFrom, transitionStack, transitionTo } from '../execution/eventFields';
import { Growable, f64, i32 } from '../execution/growableColumns';
import { GO_NOT_EXIST, GO_RUNNING, GO_UNDETERMINED, GO_WAITING } from '../execution/schedulerOrdering';

export interface GoroutineLives {
  /** 1 when the goroutine has a summary (it made a state transition). */
  readonly known: Uint8Array;
  /** Go's GoroutineSummary.Name (string index, 0 = ""). */
  readonly name: Uint32Array;
  /** Go's StartTime and EndTime: 0 when it never ran / never ended. */
  readonly startTime: Float64Array;
  readonly endTime: Float64Array;
}

/** The regions Go's summary lists per goroutine (`GoroutineSummary.Regions`), in no particular order. */
export interface SummaryRegions {
  readonly count: number;
  readonly goroutine: Int32Array;
  /** Region type (string index; 0 for the unnamed region a goroutine inherits at creation). */
  readonly name: Uint32Array;
  readonly taskId: Float64Array;
  /** The events that began and ended it, -1 for none (a region with no begin / still open at the end). */
  readonly startEvent: Int32Array;
  readonly endEvent: Int32Array;
}

export interface GoroutineSummaryParts {
  readonly lives: GoroutineLives;
  readonly regions: SummaryRegions | undefined;
}

/** Go's IsSystemGoroutine: unnamed, or a runtime function other than runtime.main. */
export function isSystemGoroutine(name: string): boolean {
  return name === '' || (name !== 'runtime.main' && name.startsWith('runtime.'));
}

class RegionRows {
  readonly goroutine = i32();
  readonly name = new Growable(Uint32Array);
  readonly taskId = f64();
  readonly startEvent = i32();
  readonly endEvent = i32();
  /** The region below it on its goroutine's stack of open regions, -1 at the bottom. */
  readonly below = i32();
  /** 1 once it is in its goroutine's list. */
  readonly kept = new Growable(Uint8Array);

  add(goroutine: number, name: number, taskId: number, startEvent: number, below: number): number {
    this.goroutine.push(goroutine);
    this.name.push(name);
    this.taskId.push(taskId);
    this.startEvent.push(startEvent);
    this.endEvent.push(-1);
    this.below.push(below);
    this.kept.push(0);
    return this.goroutine.length - 1;
  }
}

/** Goroutine names, lives and (with `withRegions`) regions, as Go's summarizer makes them. */
export function summarizeGoroutines(model: ExecutionTraceModel, withRegions: boolean): GoroutineSummaryParts {
  const { events, strings } = model;
  const n = model.goroutines.count;
  const known = new Uint8Array(n);
  const name = new Uint32Array(n);
  const startTime = new Float64Array(n);
  const endTime = new Float64Array(n);
  // Each goroutine's list of kept regions is the set of rows with kept = 1 and its current `life`: a
  // re-created goroutine starts a new life, and the regions of its earlier ones are dropped with them.
  const life = new Uint32Array(n);
  const regionLife = withRegions ? i32() : undefined;
  const rows = withRegions ? new RegionRows() : undefined;
  const openTop = new Int32Array(n).fill(-1);
  const forever = strings.indexOf('forever');
  const frameFunc = model.frames.func;
  const { offsets, frames } = model.stacks;

  const isSystem = (g: number) => isSystemGoroutine(strings[name[g]!]!);
  const closeOpenRegions = (g: number, endEvent: number) => {
    if (!rows) return;
    const keep = !isSystem(g);
    for (let r = openTop[g]!; r >= 0; r = rows.below.get(r)) {
      if (keep) {
        rows.endEvent.set(r, endEvent);
        rows.kept.set(r, 1);
      }
    }
    openTop[g] = -1;
  };
  const addRegion = (g: number, regionName: number, taskId: number, startEvent: number, open: boolean): number => {
    const r = rows!.add(g, regionName, taskId, startEvent, open ? openTop[g]! : -1);
    regionLife!.push(life[g]!);
    if (open) openTop[g] = r;
    return r;
  };

  for (let i = 0; i < events.count; i++) {
    const kind = events.kind[i]!;
    if (kind === EventKind.StateTransition) {
      const type = events.type[i]!;
      if (isProcTransition(type)) continue;
      const from = transitionFrom(events, i);
      const to = transitionTo(events, i);
      if (from === to) continue;
      const g = events.a0[i]!;
      if (g < 0) continue;
      if (from === GO_UNDETERMINED || from === GO_NOT_EXIST) {
        // A new summary. It inherits the task of its creator's innermost open region.
        const creator = events.g[i]!;
        const inherited = rows && creator >= 0 && known[creator] === 1 ? openTop[creator]! : -1;
        known[g] = 1;
        name[g] = 0;
        startTime[g] = 0;
        endTime[g] = 0;
        life[g]!++;
        openTop[g] = -1;
        if (inherited >= 0) addRegion(g, 0, rows!.taskId.get(inherited), i, true);
      } else if (known[g] !== 1) {
        continue;
      }
      if (name[g] === 0) {
        const stack = transitionStack(events, i);
        if (stack !== 0 && offsets[stack + 1]! > offsets[stack]!) name[g] = frameFunc[frames[offsets[stack + 1]! - 1]!]!;
      }
      if (to === GO_RUNNING) {
        if (startTime[g] === 0) startTime[g] = events.time[i]!;
      } else if (to === GO_NOT_EXIST || (to === GO_WAITING && events.str[i] === forever && forever > 0)) {
        endTime[g] = events.time[i]!;
        closeOpenRegions(g, i);
      }
    } else if (rows && (kind === EventKind.RegionBegin || kind === EventKind.RegionEnd)) {
      const g = events.g[i]!;
      if (g < 0 || known[g] !== 1) continue;
      if (kind === EventKind.RegionBegin) {
        addRegion(g, events.str[i]!, events.a0[i]!, i, true);
        continue;
      }
      let r = openTop[g]!;
      if (r >= 0) openTop[g] = rows.below.get(r);
      else r = addRegion(g, events.str[i]!, events.a0[i]!, -1, false);
      rows.endEvent.set(r, i);
      rows.kept.set(r, 1);
    }
  }
  for (let g = 0; g < n; g++) if (known[g] === 1) closeOpenRegions(g, -1);

  const lives = { known, name, startTime, endTime };
  if (!rows) return { lives, regions: undefined };
  // Only the regions kept in the last life of their goroutine are in Go's summary.
  const keep: number[] = [];
  for (let r = 0; r < rows.goroutine.length; r++) {
    if (rows.kept.get(r) === 1 && regionLife!.get(r) === life[rows.goroutine.get(r)]!) keep.push(r);
  }
  const order = Uint32Array.from(keep);
  return {
    lives,
    regions: {
      count: order.length,
      goroutine: rows.goroutine.finishPermuted(order),
      name: rows.name.finishPermuted(order),
      taskId: rows.taskId.finishPermuted(order),
      startEvent: rows.startEvent.finishPermuted(order),
      endEvent: rows.endEvent.finishPermuted(order),
    },
  };
}
