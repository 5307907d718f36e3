// Lanes of intervals that may overlap or nest (regions, tasks, GC ranges): each lane's items sorted by
// start, with the running maximum of their ends, so "what overlaps [t0, t1)" is a binary search plus
// the items in view, even when a long interval started far before t0.

import { lowerBound, upperBound } from '../../core/timeline';

export class IntervalIndex {
  /** Item numbers (rows of the source table), lane by lane, each lane sorted by start. */
  readonly order: Int32Array;
  readonly offsets: Uint32Array;
  /** Start and end of order[i], and the largest end among the lane's items up to i. */
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly maxEnd: Float64Array;

  /**
   * Builds the index from `count` items; `laneOf(i)` is the item's lane (-1 leaves it out), `startOf`
   * and `endOf` its times (NaN is read as `fallbackStart` / `fallbackEnd`).
   */
  constructor(
    lanes: number,
    count: number,
    laneOf: (item: number) => number,
    startOf: (item: number) => number,
    endOf: (item: number) => number,
    fallbackStart: number,
    fallbackEnd: number,
  ) {
    const laneCounts = new Uint32Array(lanes + 1);
    for (let i = 0; i < count; i++) {
      const lane = laneOf(i);
      if (lane >= 0 && lane < lanes) laneCounts[lane + 1]!++;
    }
    for (let l = 0; l < lanes; l++) laneCounts[l + 1]! += laneCounts[l]!;
    this.offsets = laneCounts;
    const total = laneCounts[lanes]!;
    this.order = new Int32Array(total);
    const fill = laneCounts.slice(0, lanes);
    const itemStart = (i: number) => {
      const s = startOf(i);
      return Number.isNaN(s) ? fallbackStart : s;
    };
    const itemEnd = (i: number) => {
      const e = endOf(i);
      return Number.isNaN(e) ? fallbackEnd : e;
    };
    for (let i = 0; i < count; i++) {
      const lane = laneOf(i);
      if (lane >= 0 && lane < lanes) this.order[fill[lane]!++] = i;
    }
    this.start = new Float64Array(total);
    this.end = new Float64Array(total);
    this.maxEnd = new Float64Array(total);
    for (let l = 0; l < lanes; l++) {
      const from = laneCounts[l]!;
      const to = laneCounts[l + 1]!;
      const items = Array.from(this.order.subarray(from, to));
      items.sort((a, b) => itemStart(a) - itemStart(b) || itemEnd(b) - itemEnd(a));
      let max = -Infinity;
      for (let k = 0; k < items.length; k++) {
        const item = items[k]!;
        this.order[from + k] = item;
        this.start[from + k] = itemStart(item);
        this.end[from + k] = itemEnd(item);
        max = Math.max(max, this.end[from + k]!);
        this.maxEnd[from + k] = max;
      }
    }
  }

  laneSize(lane: number): number {
    return this.offsets[lane + 1]! - this.offsets[lane]!;
  }

  /** Positions [first, last) in `order` of lane items that may overlap [t0, t1) (check `end` > t0 per item). */
  candidates(lane: number, t0: number, t1: number): [number, number] {
    const from = this.offsets[lane]!;
    const to = this.offsets[lane + 1]!;
    // maxEnd is ascending within the lane: the first item whose maxEnd > t0 is where overlaps can begin.
    const first = upperBound(this.maxEnd, from, to, t0);
    return [first, lowerBound(this.start, first, to, t1)];
  }

  /**
   * The position of the lane's item nearest to t within `slack` (inside it counts as 0; among items
   * containing t, the latest-starting, i.e. the innermost), or -1. Zero-length items (log markers) count.
   */
  at(lane: number, t: number, slack: number, accept: (position: number) => boolean = () => true): number {
    const from = this.offsets[lane]!;
    const to = this.offsets[lane + 1]!;
    let best = -1;
    let bestDistance = Infinity;
    for (let k = lowerBound(this.maxEnd, from, to, t - slack); k < to && this.start[k]! <= t + slack; k++) {
      if (!accept(k)) continue;
      const s = this.start[k]!;
      const e = this.end[k]!;
      const distance = t < s ? s - t : t > e ? t - e : 0;
      if (distance > slack) continue;
      if (distance < bestDistance || (distance === bestDistance && distance === 0)) {
        best = k;
        bestDistance = distance;
      }
    }
    return best;
  }
}
