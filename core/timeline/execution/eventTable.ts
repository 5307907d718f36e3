// The decoded events of an execution trace as columns (one typed array per field) instead of one object
// per event: a million events stay a few dozen megabytes, and the columns move to or from a web worker
// as transferable buffers. What each column means for each event type is in `eventFields.ts`.

/** Go's EventKind numbering (internal/trace), so kinds read the same as `go tool trace -d=1`. */
export const EventKind = {
  Bad: 0,
  Sync: 1,
  Metric: 2,
  Label: 3,
  StackSample: 4,
  RangeBegin: 5,
  RangeActive: 6,
  RangeEnd: 7,
  TaskBegin: 8,
  TaskEnd: 9,
  RegionBegin: 10,
  RegionEnd: 11,
  Log: 12,
  StateTransition: 13,
  Experimental: 14,
} as const;

export const EVENT_KIND_NAMES = [
  'Bad',
  'Sync',
  'Metric',
  'Label',
  'StackSample',
  'RangeBegin',
  'RangeActive',
  'RangeEnd',
  'TaskBegin',
  'TaskEnd',
  'RegionBegin',
  'RegionEnd',
  'Log',
  'StateTransition',
  'Experimental',
] as const;

export type EventKindName = (typeof EVENT_KIND_NAMES)[number];

export interface EventTable {
  readonly count: number;
  /** Nanoseconds on the trace clock (strictly increasing, as Go's reader makes them). */
  readonly time: Float64Array;
  /** EventKind. */
  readonly kind: Uint8Array;
  /** Wire event type (wireFormat.ts); 255 for the reader's Sync points. */
  readonly type: Uint8Array;
  /** Row in the goroutine / proc / thread table the event happened on, -1 for none. */
  readonly g: Int32Array;
  readonly p: Int32Array;
  readonly m: Int32Array;
  /** The event's own stack (index into the stack table, 0 = none). */
  readonly stack: Uint32Array;
  /** Type-specific fields: see eventFields.ts. */
  readonly a0: Float64Array;
  readonly a1: Float64Array;
  readonly str: Uint32Array;
  readonly state: Uint8Array;
}

export class EventTableBuilder {
  count = 0;
  private capacity: number;
  time: Float64Array;
  kind: Uint8Array;
  type: Uint8Array;
  g: Int32Array;
  p: Int32Array;
  m: Int32Array;
  stack: Uint32Array;
  a0: Float64Array;
  a1: Float64Array;
  str: Uint32Array;
  state: Uint8Array;

  constructor(initialCapacity = 4096) {
    this.capacity = Math.max(16, initialCapacity);
    this.time = new Float64Array(this.capacity);
    this.kind = new Uint8Array(this.capacity);
    this.type = new Uint8Array(this.capacity);
    this.g = new Int32Array(this.capacity);
    this.p = new Int32Array(this.capacity);
    this.m = new Int32Array(this.capacity);
    this.stack = new Uint32Array(this.capacity);
    this.a0 = new Float64Array(this.capacity);
    this.a1 = new Float64Array(this.capacity);
    this.str = new Uint32Array(this.capacity);
    this.state = new Uint8Array(this.capacity);
  }

  /** Reserves the next row (zeroed) and returns its index. */
  add(): number {
    if (this.count === this.capacity) this.grow();
    return this.count++;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const grow = <T extends Float64Array | Uint8Array | Int32Array | Uint32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.time = grow(this.time, (n) => new Float64Array(n));
    this.kind = grow(this.kind, (n) => new Uint8Array(n));
    this.type = grow(this.type, (n) => new Uint8Array(n));
    this.g = grow(this.g, (n) => new Int32Array(n));
    this.p = grow(this.p, (n) => new Int32Array(n));
    this.m = grow(this.m, (n) => new Int32Array(n));
    this.stack = grow(this.stack, (n) => new Uint32Array(n));
    this.a0 = grow(this.a0, (n) => new Float64Array(n));
    this.a1 = grow(this.a1, (n) => new Float64Array(n));
    this.str = grow(this.str, (n) => new Uint32Array(n));
    this.state = grow(this.state, (n) => new Uint8Array(n));
    this.capacity = capacity;
  }

  /** The table, with each column copied to exactly `count` entries. */
  finish(): EventTable {
    const n = this.count;
    return {
      count: n,
      time: this.time.slice(0, n),
      kind: this.kind.slice(0, n),
      type: this.type.slice(0, n),
      g: this.g.slice(0, n),
      p: this.p.slice(0, n),
      m: this.m.slice(0, n),
      stack: this.stack.slice(0, n),
      a0: this.a0.slice(0, n),
      a1: this.a1.slice(0, n),
      str: this.str.slice(0, n),
      state: this.state.slice(0, n),
    };
  }
}
