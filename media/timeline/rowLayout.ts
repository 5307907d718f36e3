// Vertical layout of the timeline's rows (lanes, group headers, spans): each row's height and top, the
// total height, and which rows a scrolled window shows, by binary search (tens of thousands of rows).

export class RowLayout {
  /** tops[i] is row i's top; tops[count] the total height. */
  readonly tops: Float64Array;

  constructor(heights: ArrayLike<number>) {
    this.tops = new Float64Array(heights.length + 1);
    for (let i = 0; i < heights.length; i++) this.tops[i + 1] = this.tops[i]! + heights[i]!;
  }

  get count(): number {
    return this.tops.length - 1;
  }

  get totalHeight(): number {
    return this.tops[this.tops.length - 1]!;
  }

  top(row: number): number {
    return this.tops[row]!;
  }

  height(row: number): number {
    return this.tops[row + 1]! - this.tops[row]!;
  }

  /** The row at content y, or -1 outside every row. */
  rowAt(y: number): number {
    if (y < 0 || y >= this.totalHeight) return -1;
    let lo = 0;
    let hi = this.count;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (this.tops[mid]! <= y) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** Rows [first, last) intersecting [y0, y1). */
  visible(y0: number, y1: number): [number, number] {
    if (this.count === 0 || y0 >= this.totalHeight) return [this.count, this.count];
    const first = Math.max(0, this.rowAt(Math.max(0, y0)));
    let last = first;
    while (last < this.count && this.tops[last]! < y1) last++;
    return [first, last];
  }
}
