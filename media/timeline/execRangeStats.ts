// Statistics of a selected time range of an execution trace: events in it, goroutine time by state,
// the longest waits by reason, GC and stop-the-world time, and the goroutine that ran the most. Lanes
// are searched by binary search, so a narrow range costs little even on a million-event trace.

import { GoroutineState, lowerBound, visibleIntervals, type ExecutionTraceModel } from '../../core/timeline';
import type { ExecIndex } from './execIndex';

export interface ExecRangeStats {
  readonly events: number;
  /** Goroutines that ran at some point in the range. */
  readonly goroutinesRunning: number;
  readonly runningNs: number;
  readonly runnableNs: number;
  readonly waitingNs: number;
  readonly syscallNs: number;
  readonly gcNs: number;
  readonly stwNs: number;
  readonly waitsByReason: readonly { readonly reason: string; readonly ns: number }[];
  /** The goroutine row that ran the longest in the range, -1 if none ran. */
  readonly busiest: number;
  readonly busiestNs: number;
}

function overlap(start: number, end: number, t0: number, t1: number): number {
  return Math.max(0, Math.min(end, t1) - Math.max(start, t0));
}

export function execRangeStats(model: ExecutionTraceModel, index: ExecIndex, t0: number, t1: number): ExecRangeStats {
  const states = model.goroutineStates;
  let runningNs = 0;
  let runnableNs = 0;
  let waitingNs = 0;
  let syscallNs = 0;
  let goroutinesRunning = 0;
  let busiest = -1;
  let busiestNs = 0;
  const waits = new Map<string, number>();
  for (let g = 0; g < model.goroutines.count; g++) {
    const [first, last] = visibleIntervals(states.start, states.end, states.laneOffsets, g, t0, t1);
    let ran = 0;
    for (let i = first; i < last; i++) {
      const ns = overlap(states.start[i]!, states.end[i]!, t0, t1);
      if (ns <= 0) continue;
      switch (states.state[i]) {
        case GoroutineState.Running:
          runningNs += ns;
          ran += ns;
          break;
        case GoroutineState.Runnable:
          runnableNs += ns;
          break;
        case GoroutineState.Syscall:
          syscallNs += ns;
          break;
        case GoroutineState.Waiting: {
          waitingNs += ns;
          const reason = model.strings[states.reason[i]!] || 'unknown';
          waits.set(reason, (waits.get(reason) ?? 0) + ns);
          break;
        }
      }
    }
    if (ran > 0) goroutinesRunning++;
    if (ran > busiestNs) {
      busiestNs = ran;
      busiest = g;
    }
  }
  const rangeTime = (lane: number) => {
    const ranges = index.globalRanges;
    const [first, last] = ranges.candidates(lane, t0, t1);
    let ns = 0;
    let coveredUntil = -Infinity;
    for (let p = first; p < last; p++) {
      const start = Math.max(ranges.start[p]!, coveredUntil);
      ns += overlap(start, ranges.end[p]!, t0, t1);
      coveredUntil = Math.max(coveredUntil, ranges.end[p]!);
    }
    return ns;
  };
  const time = model.events.time;
  return {
    events: lowerBound(time, 0, model.events.count, t1) - lowerBound(time, 0, model.events.count, t0),
    goroutinesRunning,
    runningNs,
    runnableNs,
    waitingNs,
    syscallNs,
    gcNs: rangeTime(0),
    stwNs: rangeTime(1),
    waitsByReason: [...waits].map(([reason, ns]) => ({ reason, ns })).sort((a, b) => b.ns - a.ns),
    busiest,
    busiestNs,
  };
}
