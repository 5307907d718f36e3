// A hash map from pairs of non-negative 32-bit integers to dense ids (0, 1, 2, … in insertion order), in
// flat typed arrays: the call tree of a million samples needs millions of (parent, frame) → child lookups,
// which a Map of string or object keys makes slow and large.

export class PairIndex {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private ids: Int32Array;
  private mask: number;
  private used = 0;

  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.keysA = new Int32Array(capacity);
    this.keysB = new Int32Array(capacity);
    this.ids = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.used;
  }

  private slot(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
    h ^= h >>> 15;
    return h & this.mask;
  }

  /** The id of (a, b), assigning the next id when the pair is new. */
  intern(a: number, b: number): number {
    let i = this.slot(a, b);
    const ids = this.ids;
    for (;;) {
      const id = ids[i]!;
      if (id === -1) break;
      if (this.keysA[i] === a && this.keysB[i] === b) return id;
      i = (i + 1) & this.mask;
    }
    const id = this.used++;
    this.keysA[i] = a;
    this.keysB[i] = b;
    ids[i] = id;
    if (this.used * 2 > this.mask) this.grow();
    return id;
  }

  private grow(): void {
    const { keysA, keysB, ids } = this;
    const capacity = (this.mask + 1) * 2;
    this.keysA = new Int32Array(capacity);
    this.keysB = new Int32Array(capacity);
    this.ids = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    for (let j = 0; j < ids.length; j++) {
      if (ids[j] === -1) continue;
      let i = this.slot(keysA[j]!, keysB[j]!);
      while (this.ids[i] !== -1) i = (i + 1) & this.mask;
      this.keysA[i] = keysA[j]!;
      this.keysB[i] = keysB[j]!;
      this.ids[i] = ids[j]!;
    }
  }
}
