// Splits a stream of protobuf bytes, arriving in chunks of any size, into complete top-level fields. A
// field cut by a chunk boundary waits in a small carry buffer until the rest arrives, so a profile can be
// decoded while it is decompressed, without ever holding the whole decompressed profile in memory.

import { ProfileError } from './profileError';

/** Receives one complete top-level field: for wire type 2 its body, for the others its value's bytes. */
export type FieldHandler = (tag: number, buf: Uint8Array, start: number, end: number, offset: number) => void;

const INCOMPLETE = -1;
const TOO_LONG = -2;

export class FieldFramer {
  private carry = new Uint8Array(0);
  private carryStart = 0;
  private carryEnd = 0;
  /** Offset in the whole stream of the next byte not yet framed. */
  private offset = 0;
  private value = 0;

  constructor(
    private readonly onField: FieldHandler,
    private readonly subject = 'the profile',
  ) {}

  /** Bytes received so far. */
  get bytesSeen(): number {
    return this.offset + (this.carryEnd - this.carryStart);
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.carryEnd === this.carryStart) {
      const used = this.frame(chunk, 0, chunk.length);
      this.keep(chunk, used, chunk.length);
      return;
    }
    this.append(chunk);
    const used = this.frame(this.carry, this.carryStart, this.carryEnd);
    this.carryStart = used;
  }

  /** Call after the last chunk: a field still waiting means the data was cut off. */
  finish(): void {
    if (this.carryEnd > this.carryStart) {
      throw new ProfileError('truncated', `${this.subject} is cut off inside a field (at byte ${this.offset} of ${this.bytesSeen}): the file is incomplete. Capture or copy it again.`);
    }
  }

  private keep(chunk: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (this.carry.length < n) this.carry = new Uint8Array(Math.max(n, 4096));
    this.carry.set(chunk.subarray(from, to), 0);
    this.carryStart = 0;
    this.carryEnd = n;
  }

  private append(chunk: Uint8Array): void {
    const pending = this.carryEnd - this.carryStart;
    if (this.carry.length - this.carryEnd < chunk.length) {
      const needed = pending + chunk.length;
      if (this.carry.length >= needed) {
        this.carry.copyWithin(0, this.carryStart, this.carryEnd);
      } else {
        const grown = new Uint8Array(Math.max(needed, this.carry.length * 2));
        grown.set(this.carry.subarray(this.carryStart, this.carryEnd), 0);
        this.carry = grown;
      }
      this.carryStart = 0;
      this.carryEnd = pending;
    }
    this.carry.set(chunk, this.carryEnd);
    this.carryEnd += chunk.length;
  }

  /** Reads a varint at `p` into `value`; returns the position after it, INCOMPLETE or TOO_LONG. */
  private varint(buf: Uint8Array, p: number, end: number): number {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (p >= end) return INCOMPLETE;
      const b = buf[p++]!;
      v += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) {
        this.value = v;
        return p;
      }
    }
    return TOO_LONG;
  }

  private malformed(detail: string, at: number): ProfileError {
    return new ProfileError('malformed', `${this.subject} is not valid protobuf data: ${detail} (at byte ${at}).`);
  }

  /** Frames the complete fields in buf[p..end); returns where the first incomplete one starts. */
  private frame(buf: Uint8Array, p: number, end: number): number {
    const base = this.offset - p;
    while (p < end) {
      const fieldStart = p;
      let q = this.varint(buf, p, end);
      if (q === INCOMPLETE) break;
      if (q === TOO_LONG) throw this.malformed('a field tag is longer than 10 bytes', base + p);
      const tag = this.value;
      if (tag > 0xffffffff) throw this.malformed('a field tag is too large', base + p);
      let start = q;
      let stop: number;
      switch (tag % 8) {
        case 0:
          stop = this.varint(buf, q, end);
          if (stop === TOO_LONG) throw this.malformed('a varint is longer than 10 bytes', base + q);
          break;
        case 1:
          stop = q + 8 <= end ? q + 8 : INCOMPLETE;
          break;
        case 5:
          stop = q + 4 <= end ? q + 4 : INCOMPLETE;
          break;
        case 2: {
          q = this.varint(buf, q, end);
          if (q === TOO_LONG) throw this.malformed('a length is longer than 10 bytes', base + start);
          if (q === INCOMPLETE) {
            stop = INCOMPLETE;
            break;
          }
          if (this.value > 0xffffffff) throw this.malformed(`a field claims ${this.value} bytes`, base + start);
          start = q;
          stop = q + this.value <= end ? q + this.value : INCOMPLETE;
          break;
        }
        default:
          throw this.malformed(`unknown wire type ${tag % 8}`, base + p);
      }
      if (stop === INCOMPLETE) {
        p = fieldStart;
        break;
      }
      this.onField(tag >>> 0, buf, start, stop, base + fieldStart);
      p = stop;
    }
    this.offset = base + p;
    return p;
  }
}
