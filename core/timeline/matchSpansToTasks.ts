// Joins a span trace and an execution trace of the same run. The OpenTelemetry Go SDK starts a
// runtime/trace task named after each span while the execution tracer is on, so a span's task shows
// what the goroutines doing its work were doing: running, runnable, waiting (and on what), in syscalls.
//
// The two files use different clocks: span times are Unix times, execution-trace times are the
// runtime's monotonic clock. Go 1.25+ traces record how the two relate (a clock snapshot); for older
// traces the offset is estimated as the one that lines up the most same-named span/task pairs.

import type { ExecutionTraceModel } from './execution/executionTraceModel';
import { GoroutineState } from './execution/executionTraceModel';
import type { SpanTraceModel } from './spans/spanTraceModel';

export interface GoroutineActivity {
  /** Goroutine row in the execution trace. */
  readonly goroutine: number;
  readonly runningNs: number;
  readonly runnableNs: number;
  readonly syscallNs: number;
  readonly waitingNs: number;
  /** Waiting time by reason ("chan receive", "sync", "sleep", ...), longest first. */
  readonly waitingByReason: readonly { readonly reason: string; readonly ns: number }[];
}

export interface SpanTaskMatch {
  /** Span row and task row. */
  readonly span: number;
  readonly task: number;
  /** Span start minus task start after aligning the clocks (ns): how far apart the two are. */
  readonly startDifferenceNs: number;
  /** The goroutines that worked for the task within its time: the one that began it, and those with regions or logs in it. */
  readonly goroutines: readonly GoroutineActivity[];
}

export interface SpanTaskMatching {
  /** How the clocks were aligned. */
  readonly alignment: 'wall-clock' | 'estimated' | 'none';
  /** Add to a task time to get a span time (both as their models store them). */
  readonly offsetNs: number;
  readonly matches: readonly SpanTaskMatch[];
  /** Spans with no task of the same name close to them in time. */
  readonly unmatchedSpans: number;
}

export interface MatchOptions {
  /** How far apart (ns) a span's start and its task's start may be after alignment. Default 2 ms. */
  readonly toleranceNs?: number;
}

/** The offset that puts the most same-named span/task start pairs within `tolerance` of each other. */
function estimateOffset(pairs: { diff: number }[], tolerance: number): number | undefined {
  if (pairs.length === 0) return undefined;
  const diffs = pairs.map((p) => p.diff).sort((a, b) => a - b);
  let best = 0;
  let bestCount = 0;
  let lo = 0;
  for (let hi = 0; hi < diffs.length; hi++) {
    while (diffs[hi]! - diffs[lo]! > tolerance) lo++;
    if (hi - lo + 1 > bestCount) {
      bestCount = hi - lo + 1;
      best = diffs[lo + ((hi - lo) >> 1)]!;
    }
  }
  return best;
}

function activity(exec: ExecutionTraceModel, goroutine: number, from: number, to: number): GoroutineActivity {
  const s = exec.goroutineStates;
  let runningNs = 0;
  let runnableNs = 0;
  let syscallNs = 0;
  let waitingNs = 0;
  const reasons = new Map<string, number>();
  for (let i = s.laneOffsets[goroutine]!; i < s.laneOffsets[goroutine + 1]!; i++) {
    const overlap = Math.min(s.end[i]!, to) - Math.max(s.start[i]!, from);
    if (overlap <= 0) continue;
    switch (s.state[i]) {
      case GoroutineState.Running:
        runningNs += overlap;
        break;
      case GoroutineState.Runnable:
        runnableNs += overlap;
        break;
      case GoroutineState.Syscall:
        syscallNs += overlap;
        break;
      case GoroutineState.Waiting: {
        waitingNs += overlap;
        const reason = exec.strings[s.reason[i]!] || 'unknown';
        reasons.set(reason, (reasons.get(reason) ?? 0) + overlap);
        break;
      }
    }
  }
  const waitingByReason = [...reasons].map(([reason, ns]) => ({ reason, ns })).sort((a, b) => b.ns - a.ns);
  return { goroutine, runningNs, runnableNs, syscallNs, waitingNs, waitingByReason };
}

export function matchSpansToTasks(spans: SpanTraceModel, exec: ExecutionTraceModel, options: MatchOptions = {}): SpanTaskMatching {
  const tolerance = options.toleranceNs ?? 2_000_000;
  const tasks = exec.tasks;
  const tasksByName = new Map<string, number[]>();
  for (let t = 0; t < tasks.count; t++) {
    if (Number.isNaN(tasks.start[t]!)) continue;
    const name = exec.strings[tasks.name[t]!]!;
    const list = tasksByName.get(name) ?? [];
    list.push(t);
    tasksByName.set(name, list);
  }

  let alignment: SpanTaskMatching['alignment'] = 'none';
  let offset: number | undefined;
  if (exec.wallClock) {
    const unixAtAnchor = BigInt(exec.wallClock.unixSeconds) * 1_000_000_000n + BigInt(exec.wallClock.unixNanos);
    offset = Number(unixAtAnchor - BigInt(spans.epochUnixNano)) - exec.wallClock.traceNs;
    alignment = 'wall-clock';
  } else {
    const pairs: { diff: number }[] = [];
    for (let s = 0; s < spans.spans.count; s++) {
      for (const t of tasksByName.get(spans.strings[spans.spans.name[s]!]!) ?? []) pairs.push({ diff: spans.spans.start[s]! - tasks.start[t]! });
    }
    offset = estimateOffset(pairs, tolerance);
    if (offset !== undefined) alignment = 'estimated';
  }
  if (offset === undefined) return { alignment: 'none', offsetNs: 0, matches: [], unmatchedSpans: spans.spans.count };

  // Closest pairs first, each span and task used once.
  const candidates: { span: number; task: number; distance: number }[] = [];
  for (let s = 0; s < spans.spans.count; s++) {
    for (const t of tasksByName.get(spans.strings[spans.spans.name[s]!]!) ?? []) {
      const distance = Math.abs(spans.spans.start[s]! - (tasks.start[t]! + offset));
      if (distance <= tolerance) candidates.push({ span: s, task: t, distance });
    }
  }
  candidates.sort((a, b) => a.distance - b.distance);
  const spanTaken = new Uint8Array(spans.spans.count);
  const taskTaken = new Uint8Array(tasks.count);
  const chosen: { span: number; task: number }[] = [];
  for (const c of candidates) {
    if (spanTaken[c.span] || taskTaken[c.task]) continue;
    spanTaken[c.span] = 1;
    taskTaken[c.task] = 1;
    chosen.push(c);
  }
  chosen.sort((a, b) => a.span - b.span);

  // Goroutines with regions or logs in each task.
  const workers = new Map<number, Set<number>>();
  const addWorker = (task: number, goroutine: number) => {
    if (task < 0 || goroutine < 0) return;
    let set = workers.get(task);
    if (!set) workers.set(task, (set = new Set()));
    set.add(goroutine);
  };
  for (let r = 0; r < exec.regions.count; r++) addWorker(exec.regions.task[r]!, exec.regions.goroutine[r]!);
  for (let l = 0; l < exec.logs.count; l++) addWorker(exec.logs.task[l]!, exec.logs.goroutine[l]!);

  const matches = chosen.map(({ span, task }) => {
    const from = tasks.start[task]!;
    const to = Number.isNaN(tasks.end[task]!) ? exec.endNs : tasks.end[task]!;
    const goroutines = new Set<number>(workers.get(task) ?? []);
    if (tasks.goroutine[task]! >= 0) goroutines.add(tasks.goroutine[task]!);
    return {
      span,
      task,
      startDifferenceNs: spans.spans.start[span]! - (from + offset!),
      goroutines: [...goroutines].sort((a, b) => a - b).map((g) => activity(exec, g, from, to)),
    };
  });
  return { alignment, offsetNs: offset, matches, unmatchedSpans: spans.spans.count - matches.length };
}
