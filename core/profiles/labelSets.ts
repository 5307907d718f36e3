// Interns the label lists of samples into distinct label sets while a profile is decoded: samples hand in
// their labels one by one and get back a set id (0 for no labels). Equal lists (same labels, same order)
// share one set, which is what keeps a million labelled samples small.

import type { LabelSetTable } from './profile';

class IntColumn {
  data: Int32Array;
  length = 0;
  constructor() {
    this.data = new Int32Array(64);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
}

export class LabelSetBuilder {
  // The current sample's labels, in reused buffers: resetting a JavaScript array's length would free and
  // regrow its storage for every sample.
  private pendingCount = 0;
  private pendingKey = new Int32Array(16);
  private pendingString = new Int32Array(16);
  private pendingNumber = new Float64Array(16);
  private pendingUnit = new Int32Array(16);
  private readonly key = new IntColumn();
  private readonly string = new IntColumn();
  private readonly unit = new IntColumn();
  private readonly number: number[] = [];
  /** start[i] = first label of set i; set 0 is the empty set. */
  private readonly start: number[] = [0, 0];
  private readonly byHash = new Map<number, number[]>();

  add(key: number, string: number, number: number, unit: number): void {
    const i = this.pendingCount;
    if (i === this.pendingKey.length) this.growPending();
    this.pendingKey[i] = key;
    this.pendingString[i] = string;
    this.pendingNumber[i] = number;
    this.pendingUnit[i] = unit;
    this.pendingCount = i + 1;
  }

  private growPending(): void {
    const size = this.pendingKey.length * 2;
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.pendingKey = grow(this.pendingKey, (n) => new Int32Array(n));
    this.pendingString = grow(this.pendingString, (n) => new Int32Array(n));
    this.pendingNumber = grow(this.pendingNumber, (n) => new Float64Array(n));
    this.pendingUnit = grow(this.pendingUnit, (n) => new Int32Array(n));
  }

  /** Closes the current sample's label list and returns its set id. */
  finishSample(): number {
    const n = this.pendingCount;
    if (n === 0) return 0;
    let h = 0x811c9dc5 ^ n;
    for (let i = 0; i < n; i++) {
      const num = this.pendingNumber[i]!;
      h = Math.imul(h ^ this.pendingKey[i]!, 16777619);
      h = Math.imul(h ^ this.pendingString[i]!, 16777619);
      h = Math.imul(h ^ (num | 0) ^ ((num / 4294967296) | 0), 16777619);
      h = Math.imul(h ^ this.pendingUnit[i]!, 16777619);
    }
    // A small-integer key: Map lookups with larger numbers would box them.
    h &= 0x3fffffff;
    const candidates = this.byHash.get(h);
    if (candidates) {
      for (let c = 0; c < candidates.length; c++) if (this.equalsPending(candidates[c]!)) return this.clearPending(candidates[c]!);
    }
    const set = this.start.length - 1;
    for (let i = 0; i < n; i++) {
      this.key.push(this.pendingKey[i]!);
      this.string.push(this.pendingString[i]!);
      this.number.push(this.pendingNumber[i]!);
      this.unit.push(this.pendingUnit[i]!);
    }
    this.start.push(this.key.length);
    if (candidates) candidates.push(set);
    else this.byHash.set(h, [set]);
    return this.clearPending(set);
  }

  private equalsPending(set: number): boolean {
    const from = this.start[set]!;
    const n = this.start[set + 1]! - from;
    if (n !== this.pendingCount) return false;
    for (let i = 0; i < n; i++) {
      if (
        this.key.data[from + i] !== this.pendingKey[i] ||
        this.string.data[from + i] !== this.pendingString[i] ||
        this.number[from + i] !== this.pendingNumber[i] ||
        this.unit.data[from + i] !== this.pendingUnit[i]
      ) {
        return false;
      }
    }
    return true;
  }

  private clearPending(set: number): number {
    this.pendingCount = 0;
    return set;
  }

  table(): LabelSetTable {
    return {
      count: this.start.length - 1,
      start: Uint32Array.from(this.start),
      key: this.key.data.slice(0, this.key.length),
      string: this.string.data.slice(0, this.string.length),
      number: Float64Array.from(this.number),
      unit: this.unit.data.slice(0, this.unit.length),
    };
  }
}
