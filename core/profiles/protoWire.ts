// A bounds-checked reader for the protobuf wire format over a byte array: tags, varints (with exact
// 64-bit handling: as a number only when it is exactly representable, otherwise as a bigint), length-
// delimited fields and skipping. Every failure is a ProfileError naming where it happened.

import { ProfileError } from './profileError';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

const TWO_32 = 4294967296;
/** Highest `hi` word of a 64-bit value whose magnitude is still below 2^53. */
const SAFE_HI = 0x1fffff;

export class WireReader {
  pos = 0;
  /** End of the message being read; nested messages lower it temporarily. */
  end: number;
  /** Low and high 32 bits of the last 64-bit varint read by `varint64`. */
  lo = 0;
  hi = 0;
  /** Offset of `buf[0]` in the whole data, for the positions errors report. */
  offsetBase = 0;

  constructor(
    readonly buf: Uint8Array,
    /** What the reader is reading, for messages ("the profile"). */
    readonly subject = 'the profile',
    /** Whether the end of `buf` is the end of the data (running past it is truncation, not damage). */
    readonly endIsEndOfData = true,
  ) {
    this.end = buf.length;
  }

  /** The error for data that stops before a field ends: truncation at the top level, malformation inside. */
  overrun(where: string): ProfileError {
    if (this.endIsEndOfData && this.end >= this.buf.length) {
      return new ProfileError('truncated', `${this.subject} is cut off inside ${where} (at byte ${this.offsetBase + this.pos}): the file is incomplete. Capture or copy it again.`);
    }
    return new ProfileError('malformed', `${this.subject} is damaged: a field in ${where} runs past the end of its message (at byte ${this.offsetBase + this.pos}).`);
  }

  malformed(detail: string): ProfileError {
    return new ProfileError('malformed', `${this.subject} is not valid protobuf data: ${detail} (at byte ${this.offsetBase + this.pos}).`);
  }

  /** Reads a varint into `lo`/`hi`. Like Go's decoder: at most 10 bytes, bits beyond 64 ignored. */
  varint64(where: string): void {
    const buf = this.buf;
    let p = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    let shift = 0;
    for (let i = 0; ; i++) {
      if (i >= 10) {
        this.pos = p;
        throw this.malformed(`a varint in ${where} is longer than 10 bytes`);
      }
      if (p >= this.end) {
        this.pos = p;
        throw this.overrun(where);
      }
      b = buf[p++]!;
      if (i < 4) {
        lo |= (b & 0x7f) << shift;
      } else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >>> 4;
      } else {
        hi |= (b & 0x7f) << (shift - 32);
      }
      shift += 7;
      if (b < 0x80) break;
    }
    this.pos = p;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** A varint that must fit 32 bits unsigned (tags, lengths). */
  uint32(where: string): number {
    const buf = this.buf;
    const p = this.pos;
    if (p < this.end) {
      const b = buf[p]!;
      if (b < 0x80) {
        this.pos = p + 1;
        return b;
      }
    }
    this.varint64(where);
    if (this.hi !== 0) throw this.malformed(`a length or tag in ${where} is too large`);
    return this.lo;
  }

  /** An unsigned 64-bit varint as an exact number; throws when it exceeds 2^53-1. */
  uint(where: string): number {
    this.varint64(where);
    if (this.hi > SAFE_HI) {
      throw new ProfileError('unsafe-integer', `${this.subject} has a value in ${where} (${this.bigUintValue()}) beyond 2^53, which cannot be handled exactly.`);
    }
    return this.hi * TWO_32 + this.lo;
  }

  /** A signed (two's complement) 64-bit varint as an exact number; throws beyond ±(2^53-1). */
  int(where: string): number {
    this.varint64(where);
    const hi = this.hi;
    if (hi <= SAFE_HI) return hi * TWO_32 + this.lo;
    if (hi >= 0xffe00000) {
      // Negative: magnitude = 2^64 - value.
      const nlo = (~this.lo + 1) >>> 0;
      const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
      if (nhi <= SAFE_HI && !(nhi === 0 && nlo === 0)) return -(nhi * TWO_32 + nlo);
    }
    throw new ProfileError('unsafe-integer', `${this.subject} has a value in ${where} (${this.bigIntValue()}) beyond ±2^53, which cannot be handled exactly.`);
  }

  bigUint(where: string): bigint {
    this.varint64(where);
    return this.bigUintValue();
  }

  bigInt(where: string): bigint {
    this.varint64(where);
    return this.bigIntValue();
  }

  private bigUintValue(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  private bigIntValue(): bigint {
    return BigInt.asIntN(64, this.bigUintValue());
  }

  bool(where: string): boolean {
    this.varint64(where);
    return this.lo !== 0 || this.hi !== 0;
  }

  /** Reads a length prefix; returns the end offset of the bytes that follow. */
  lengthDelimited(where: string): number {
    const length = this.uint32(where);
    const end = this.pos + length;
    if (end > this.end) throw this.overrun(where);
    return end;
  }

  /** Skips a field of an unknown number. Groups (wire types 3 and 4) are refused, as Go's decoder does. */
  skip(wireType: number, where: string): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint64(where);
        return;
      case WIRE_FIXED64:
        if (this.pos + 8 > this.end) throw this.overrun(where);
        this.pos += 8;
        return;
      case WIRE_BYTES:
        this.pos = this.lengthDelimited(where);
        return;
      case WIRE_FIXED32:
        if (this.pos + 4 > this.end) throw this.overrun(where);
        this.pos += 4;
        return;
      default:
        throw this.malformed(`unknown wire type ${wireType} in ${where}`);
    }
  }

  expect(wireType: number, actual: number, where: string): void {
    if (wireType !== actual) throw this.malformed(`${where} has wire type ${actual}, expected ${wireType}`);
  }
}

const utf8 = new TextDecoder('utf-8');

/** Decodes UTF-8 bytes; short ASCII strings (the common case: symbol names, paths) skip TextDecoder. */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length === 0) return '';
  if (length <= 96) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (buf[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
  }
  return utf8.decode(buf.subarray(start, end));
}
