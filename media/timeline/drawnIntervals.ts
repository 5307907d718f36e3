// Which intervals of a lane a frame draws, and where: intervals at least a pixel wide as they are, and
// where many fall within one pixel column, the column once, in the state of the interval covering its
// middle (a point sample). A zoomed-out lane of 500,000 intervals then costs about its width in pixels
// times a binary search, instead of 500,000 rectangles. Pure: used by the renderer and tested alone.

import { lowerBound } from '../../core/timeline';

/** First index in [from, to) whose end is > t, for ends sorted ascending (disjoint sorted intervals). */
function firstEndingAfter(end: Float64Array, from: number, to: number, t: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (end[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Visits the visible intervals [first, last) of a lane of disjoint intervals sorted by start: those a
 * pixel wide or more as they are; where narrower ones are, each pixel column they touch once, in the
 * interval covering the column's middle (or, if none does, one that touches the column).
 */
export function forEachDrawnInterval(
  start: Float64Array,
  end: Float64Array,
  first: number,
  last: number,
  viewStart: number,
  pixelsPerNs: number,
  emit: (index: number, x0: number, x1: number) => void,
): void {
  const timeAt = (x: number) => viewStart + x / pixelsPerNs;
  /** The first column narrow intervals have not drawn yet. */
  let column = -Infinity;
  let i = first;
  while (i < last) {
    const x0 = (start[i]! - viewStart) * pixelsPerNs;
    const x1 = (end[i]! - viewStart) * pixelsPerNs;
    if (x1 - x0 >= 1) {
      emit(i, x0, x1);
      i++;
      continue;
    }
    const c = Math.max(Math.floor(x0), column);
    if (c >= x1) {
      i++;
      continue;
    }
    // The interval under the column's middle: this one, a later one, or the one before (which may end
    // past the middle of the column this one starts in).
    const middle = timeAt(c + 0.5);
    const from = Math.max(first, i - 1);
    const j = lowerBound(start, from, last, middle);
    emit(j - 1 >= from && end[j - 1]! > middle ? j - 1 : i, c, c + 1);
    column = c + 1;
    // Intervals that end inside this column have nothing more to draw.
    i = firstEndingAfter(end, i, last, timeAt(column));
  }
}
