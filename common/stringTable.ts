// A string table: each distinct string gets one index, in the order first seen, and "" is index 0 — how
// profiles, flame graphs and trace models store names. Plain TypeScript that imports nothing, so every core
// can use it, the timeline's web worker included.

export class StringTable {
  /** The strings by index; index 0 is "". */
  readonly strings: string[];
  private readonly index = new Map<string, number>();

  /** Starts from `initial` (each keeps its index, "" put first when it is not there), or from "" alone. */
  constructor(initial: readonly string[] = []) {
    this.strings = initial[0] === '' ? [...initial] : ['', ...initial];
    this.strings.forEach((s, i) => {
      if (!this.index.has(s)) this.index.set(s, i);
    });
  }

  /** The index of `s`, added at the end when it is new. */
  intern(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}
