// Typed-array columns that grow as rows are appended, and a stable regrouping of rows by a lane key
// (goroutine, proc): how the timeline builder collects intervals in time order and then lays them out
// lane by lane without one object per interval.

type TypedArray = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;
type TypedArrayConstructor<T extends TypedArray> = { new (length: number): T; new (source: ArrayLike<number>): T };

/**
 * A column of numbers that grows as rows are appended. Values are kept in a Float64Array whatever the
 * final type, so the append path stays monomorphic (one array kind for every column); `finish`
 * converts to the column's own type.
 */
export class Growable<T extends TypedArray> {
  private data: Float64Array;
  length = 0;

  constructor(
    private readonly make: TypedArrayConstructor<T>,
    capacity = 256,
  ) {
    this.data = new Float64Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }

  /** A compact copy holding exactly `length` values. */
  finish(): T {
    return new this.make(this.data.subarray(0, this.length));
  }

  /** The values rearranged into `order` (see laneOrder). */
  finishPermuted(order: Uint32Array): T {
    const source = this.data;
    const out = new Float64Array(order.length);
    for (let k = 0; k < order.length; k++) out[k] = source[order[k]!]!;
    return new this.make(out);
  }
}

export const f64 = (capacity?: number) => new Growable(Float64Array, capacity);
export const i32 = (capacity?: number) => new Growable(Int32Array, capacity);
export const u32 = (capacity?: number) => new Growable(Uint32Array, capacity);
export const u16 = (capacity?: number) => new Growable(Uint16Array, capacity);
export const u8 = (capacity?: number) => new Growable(Uint8Array, capacity);

/**
 * Row order that groups rows by `lane` (0..lanes-1, stable within a lane), optionally sorted within each
 * lane by `sortKey`; and the lane offsets (lane r is order[offsets[r] .. offsets[r+1])).
 */
export function laneOrder(lane: Int32Array, lanes: number, sortKey?: Float64Array): { order: Uint32Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(lanes + 1);
  for (let i = 0; i < lane.length; i++) offsets[lane[i]! + 1]++;
  for (let r = 0; r < lanes; r++) offsets[r + 1] += offsets[r]!;
  const next = offsets.slice(0, lanes);
  const order = new Uint32Array(lane.length);
  for (let i = 0; i < lane.length; i++) order[next[lane[i]!]++] = i;
  if (sortKey) {
    for (let r = 0; r < lanes; r++) {
      const part = order.subarray(offsets[r]!, offsets[r + 1]!);
      let sorted = true;
      for (let k = 1; k < part.length && sorted; k++) sorted = sortKey[part[k - 1]!]! <= sortKey[part[k]!]!;
      if (!sorted) {
        const copy = Array.from(part).sort((a, b) => sortKey[a]! - sortKey[b]! || a - b);
        part.set(copy);
      }
    }
  }
  return { order, offsets };
}
