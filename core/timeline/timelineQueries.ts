// What a virtualized timeline asks of the models every frame, answered with binary searches over the
// sorted lane columns (no scan of a million intervals to draw the few hundred on screen), and the list
// of buffers to transfer when a worker posts a model to the UI thread.

import type { ExecutionTraceModel } from './execution/executionTraceModel';
import type { SpanTraceModel } from './spans/spanTraceModel';

/** First index in [from, to) whose value is >= t, for a column sorted ascending in that range. */
export function lowerBound(column: Float64Array, from: number, to: number, t: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (column[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [from, to) whose value is > t, for a column sorted ascending in that range. */
export function upperBound(column: Float64Array, from: number, to: number, t: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (column[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The intervals of one lane that overlap [t0, t1): indices [first, last). The lane's intervals must be
 * sorted by start and must not overlap each other (goroutine states, proc slices).
 */
export function visibleIntervals(start: Float64Array, end: Float64Array, laneOffsets: Uint32Array, lane: number, t0: number, t1: number): [number, number] {
  const from = laneOffsets[lane]!;
  const to = laneOffsets[lane + 1]!;
  let first = lowerBound(start, from, to, t0);
  if (first > from && end[first - 1]! > t0) first--;
  const last = lowerBound(start, first, to, t1);
  return [first, last];
}

/** Events in [t0, t1): indices [first, last) of the (time-sorted) event table. */
export function visibleEvents(model: ExecutionTraceModel, t0: number, t1: number): [number, number] {
  const time = model.events.time;
  return [lowerBound(time, 0, model.events.count, t0), lowerBound(time, 0, model.events.count, t1)];
}

/** The frames of a stack as (function, file, line), innermost first: what "open in editor" needs. */
export function stackFrames(model: ExecutionTraceModel, stack: number): { func: string; file: string; line: number }[] {
  const out: { func: string; file: string; line: number }[] = [];
  for (let f = model.stacks.offsets[stack]!; f < model.stacks.offsets[stack + 1]!; f++) {
    const frame = model.stacks.frames[f]!;
    out.push({ func: model.strings[model.frames.func[frame]!]!, file: model.strings[model.frames.file[frame]!]!, line: model.frames.line[frame]! });
  }
  return out;
}

function collectBuffers(value: unknown, out: Set<ArrayBuffer>, depth: number): void {
  if (depth > 3 || typeof value !== 'object' || value === null) return;
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
    return;
  }
  if (Array.isArray(value)) {
    if (depth < 2) for (const item of value) collectBuffers(item, out, depth + 1);
    return;
  }
  for (const item of Object.values(value)) collectBuffers(item, out, depth + 1);
}

/** The ArrayBuffers behind a model's columns, for postMessage(model, transferables). */
export function transferables(model: ExecutionTraceModel | SpanTraceModel): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  collectBuffers(model, out, 0);
  return [...out];
}
