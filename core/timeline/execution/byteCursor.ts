// A read position over a byte array with unsigned LEB128 varints, the integer encoding of every field
// in an execution trace. Values are JavaScript numbers: exact up to 2^53, which covers every ID,
// timestamp and size a real trace holds; larger values (only in damaged files) are approximate, and the
// all-ones sentinel 2^64-1 reads as U64_MAX.

/** 2^64 as a float: what 2^64-1 (Go's "none" sentinel for threads and tasks) reads as. */
export const U64_MAX = 2 ** 64;
const TWO_63 = 2 ** 63;

/** Go's int64(x) of a uint64 read as a number: the sentinel 2^64-1 is -1. */
export function toSigned(value: number): number {
  if (value < TWO_63) return value;
  return value === U64_MAX ? -1 : value - U64_MAX;
}

const SHIFTS = [1, 2 ** 7, 2 ** 14, 2 ** 21, 2 ** 28, 2 ** 35, 2 ** 42, 2 ** 49, 2 ** 56, 2 ** 63];

export type VarintProblem = 'truncated' | 'overflow';

/** Thrown by ByteCursor; callers turn it into a TraceError that names what they were reading. */
export class VarintError extends Error {
  constructor(readonly problem: VarintProblem) {
    super(problem === 'truncated' ? 'the data ends inside a number' : 'a number is longer than 64 bits');
  }
}

export class ByteCursor {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    public end: number = bytes.length,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  byte(): number {
    if (this.pos >= this.end) throw new VarintError('truncated');
    return this.bytes[this.pos++]!;
  }

  uvarint(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    const end = this.end;
    if (pos >= end) throw new VarintError('truncated');
    let b = bytes[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let value = b & 0x7f;
    for (let i = 1; i < 10; i++) {
      if (pos >= end) throw new VarintError('truncated');
      b = bytes[pos++]!;
      if (i === 9 && b > 1) throw new VarintError('overflow');
      if (b < 0x80) {
        this.pos = pos;
        return value + b * SHIFTS[i]!;
      }
      value += (b & 0x7f) * SHIFTS[i]!;
    }
    throw new VarintError('overflow');
  }
}

/** Appends the LEB128 encoding of a non-negative integer (exact up to 2^53; U64_MAX writes 2^64-1). */
export function appendUvarint(out: number[], value: number): void {
  if (value === U64_MAX) {
    for (let i = 0; i < 9; i++) out.push(0xff);
    out.push(0x01);
    return;
  }
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}
