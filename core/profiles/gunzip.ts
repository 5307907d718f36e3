// gzip (RFC 1952) and DEFLATE (RFC 1951) decompression in plain TypeScript, with a hard cap on the output
// size, so the pprof core needs no Node API and a gzip bomb is refused before it can exhaust memory.
// Multi-member streams are accepted (like Go's gzip reader); each member's CRC-32 and length are checked.

import { ProfileError } from './profileError';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

const LENGTH_BASE = new Uint16Array([3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]);
const LENGTH_EXTRA = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]);
const DISTANCE_BASE = new Uint16Array([
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
]);
const DISTANCE_EXTRA = new Uint8Array([0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]);
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/**
 * A canonical Huffman code as a single-level lookup table indexed by the next `bits` input bits (LSB
 * first): each entry is `symbol << 4 | codeLength`, 0 where no code exists.
 */
interface HuffmanTable {
  readonly table: Int32Array;
  readonly bits: number;
}

function corrupt(detail: string): ProfileError {
  return new ProfileError('corrupt-gzip', `the gzip data is damaged (${detail}). Download or copy the profile again.`);
}

function truncatedStream(): ProfileError {
  return new ProfileError('truncated', 'the gzip data ends early: the profile was cut off while it was being written or downloaded. Capture it again.');
}

function buildHuffman(lengths: Uint8Array, count: number, what: string): HuffmanTable {
  let maxBits = 0;
  const lengthCount = new Uint16Array(16);
  for (let i = 0; i < count; i++) {
    const len = lengths[i]!;
    lengthCount[len]!++;
    if (len > maxBits) maxBits = len;
  }
  lengthCount[0] = 0;
  const nextCode = new Uint16Array(16);
  let code = 0;
  let left = 1;
  for (let len = 1; len <= 15; len++) {
    left = (left << 1) - lengthCount[len]!;
    if (left < 0) throw corrupt(`over-subscribed ${what} code`);
    code = (code + lengthCount[len - 1]!) << 1;
    nextCode[len] = code;
  }
  const bits = Math.max(maxBits, 1);
  const size = 1 << bits;
  const table = new Int32Array(size);
  for (let symbol = 0; symbol < count; symbol++) {
    const len = lengths[symbol]!;
    if (len === 0) continue;
    const c = nextCode[len]!++;
    let reversed = 0;
    for (let i = 0; i < len; i++) reversed |= ((c >>> i) & 1) << (len - 1 - i);
    const entry = (symbol << 4) | len;
    for (let i = reversed; i < size; i += 1 << len) table[i] = entry;
  }
  return { table, bits };
}

let fixedTables: { literal: HuffmanTable; distance: HuffmanTable } | undefined;

function fixedHuffman(): { literal: HuffmanTable; distance: HuffmanTable } {
  if (!fixedTables) {
    const lit = new Uint8Array(288);
    lit.fill(8, 0, 144);
    lit.fill(9, 144, 256);
    lit.fill(7, 256, 280);
    lit.fill(8, 280, 288);
    const dist = new Uint8Array(30).fill(5);
    fixedTables = { literal: buildHuffman(lit, 288, 'literal/length'), distance: buildHuffman(dist, 30, 'distance') };
  }
  return fixedTables;
}

let crcTable: Int32Array | undefined;

/** CRC-32 (IEEE), slicing by four. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (!crcTable) {
    crcTable = new Int32Array(256 * 4);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
    for (let n = 0; n < 256; n++) {
      let c = crcTable[n]!;
      for (let t = 1; t < 4; t++) {
        c = crcTable[c & 0xff]! ^ (c >>> 8);
        crcTable[t * 256 + n] = c;
      }
    }
  }
  const t = crcTable;
  let crc = -1;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    crc ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    crc = t[768 + (crc & 0xff)]! ^ t[512 + ((crc >>> 8) & 0xff)]! ^ t[256 + ((crc >>> 16) & 0xff)]! ^ t[crc >>> 24]!;
  }
  for (; i < end; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** Growable output with a hard cap. */
class Output {
  bytes: Uint8Array;
  length = 0;

  constructor(
    initial: number,
    private readonly cap: number,
  ) {
    this.bytes = new Uint8Array(Math.max(1024, Math.min(initial, cap)));
  }

  /** Makes room for `extra` more bytes or throws 'too-large'. */
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    if (needed > this.cap) throw tooLargeError(this.cap);
    let size = this.bytes.length;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(Math.min(size, this.cap));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

export function tooLargeError(cap: number): ProfileError {
  return new ProfileError(
    'too-large',
    `the profile decompresses to more than ${formatByteCap(cap)} (the decompression cap). It may be a gzip bomb; if it is a genuine profile, raise the cap (maxDecompressedBytes).`,
  );
}

export function formatByteCap(bytes: number): string {
  if (bytes >= 1 << 30 && bytes % (1 << 30) === 0) return `${bytes / (1 << 30)} GiB`;
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  return `${bytes} bytes`;
}

/** Decompresses one raw DEFLATE stream from `input[start..]` into `out`; returns the input offset after it. */
function inflate(input: Uint8Array, start: number, out: Output): number {
  let pos = start;
  let bitBuf = 0;
  let bitCount = 0;
  const memberStart = out.length;
  const inputLength = input.length;

  // Reads `n` (<= 16) bits; past the end of input it feeds zeros, and `pos > inputLength` reports truncation.
  const need = (n: number): void => {
    while (bitCount < n) {
      bitBuf |= (pos < inputLength ? input[pos]! : 0) << bitCount;
      pos++;
      bitCount += 8;
    }
  };
  const bits = (n: number): number => {
    need(n);
    const v = bitBuf & ((1 << n) - 1);
    bitBuf >>>= n;
    bitCount -= n;
    return v;
  };
  const overrun = (): boolean => pos - (bitCount >> 3) > inputLength;

  let last = 0;
  while (!last) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      // Stored block: skip to a byte boundary, then LEN and NLEN.
      bitBuf = 0;
      pos -= bitCount >> 3;
      bitCount = 0;
      if (pos + 4 > inputLength) throw truncatedStream();
      const len = input[pos]! | (input[pos + 1]! << 8);
      const nlen = input[pos + 2]! | (input[pos + 3]! << 8);
      if ((len ^ 0xffff) !== nlen) throw corrupt('stored block length check failed');
      pos += 4;
      if (pos + len > inputLength) throw truncatedStream();
      out.reserve(len);
      out.bytes.set(input.subarray(pos, pos + len), out.length);
      out.length += len;
      pos += len;
      continue;
    }
    if (type === 3) throw corrupt('invalid block type');
    let literal: HuffmanTable;
    let distance: HuffmanTable;
    if (type === 1) {
      ({ literal, distance } = fixedHuffman());
    } else {
      const hlit = bits(5) + 257;
      const hdist = bits(5) + 1;
      const hclen = bits(4) + 4;
      if (hlit > 286 || hdist > 30) throw corrupt('too many length or distance codes');
      const codeLengthLengths = new Uint8Array(19);
      for (let i = 0; i < hclen; i++) codeLengthLengths[CODE_LENGTH_ORDER[i]!] = bits(3);
      const codeLengthTable = buildHuffman(codeLengthLengths, 19, 'code length');
      const lengths = new Uint8Array(hlit + hdist);
      let i = 0;
      while (i < hlit + hdist) {
        need(codeLengthTable.bits);
        const entry = codeLengthTable.table[bitBuf & ((1 << codeLengthTable.bits) - 1)]!;
        const len = entry & 15;
        if (len === 0) throw overrun() ? truncatedStream() : corrupt('invalid code length code');
        bitBuf >>>= len;
        bitCount -= len;
        const symbol = entry >>> 4;
        if (symbol < 16) {
          lengths[i++] = symbol;
          continue;
        }
        let repeat: number;
        let value = 0;
        if (symbol === 16) {
          if (i === 0) throw corrupt('length repeat with no previous length');
          value = lengths[i - 1]!;
          repeat = 3 + bits(2);
        } else if (symbol === 17) {
          repeat = 3 + bits(3);
        } else {
          repeat = 11 + bits(7);
        }
        if (i + repeat > hlit + hdist) throw corrupt('code lengths overflow');
        lengths.fill(value, i, i + repeat);
        i += repeat;
      }
      if (lengths[256] === 0) throw corrupt('no end-of-block code');
      literal = buildHuffman(lengths.subarray(0, hlit), hlit, 'literal/length');
      distance = buildHuffman(lengths.subarray(hlit), hdist, 'distance');
    }

    const litTable = literal.table;
    const litBits = literal.bits;
    const litMask = (1 << litBits) - 1;
    const distTable = distance.table;
    const distBits = distance.bits;
    const distMask = (1 << distBits) - 1;
    for (;;) {
      while (bitCount < litBits) {
        bitBuf |= (pos < inputLength ? input[pos]! : 0) << bitCount;
        pos++;
        bitCount += 8;
      }
      const entry = litTable[bitBuf & litMask]!;
      const len = entry & 15;
      if (len === 0) throw overrun() ? truncatedStream() : corrupt('invalid literal/length code');
      bitBuf >>>= len;
      bitCount -= len;
      // Past the end of the input the bit reader feeds zeros, which may decode as symbols forever.
      if (pos > inputLength && overrun()) throw truncatedStream();
      const symbol = entry >>> 4;
      if (symbol < 256) {
        if (out.length >= out.bytes.length) out.reserve(1);
        out.bytes[out.length++] = symbol;
        continue;
      }
      if (symbol === 256) break;
      const li = symbol - 257;
      if (li >= 29) throw corrupt('invalid length symbol');
      const extra = LENGTH_EXTRA[li]!;
      const length = LENGTH_BASE[li]! + (extra ? bits(extra) : 0);
      while (bitCount < distBits) {
        bitBuf |= (pos < inputLength ? input[pos]! : 0) << bitCount;
        pos++;
        bitCount += 8;
      }
      const dEntry = distTable[bitBuf & distMask]!;
      const dLen = dEntry & 15;
      if (dLen === 0) throw overrun() ? truncatedStream() : corrupt('invalid distance code');
      bitBuf >>>= dLen;
      bitCount -= dLen;
      const di = dEntry >>> 4;
      if (di >= 30) throw corrupt('invalid distance symbol');
      const dExtra = DISTANCE_EXTRA[di]!;
      const dist = DISTANCE_BASE[di]! + (dExtra ? bits(dExtra) : 0);
      if (dist > out.length - memberStart) {
        throw overrun() ? truncatedStream() : corrupt('a back-reference points before the start of the data');
      }
      out.reserve(length);
      const buf = out.bytes;
      let o = out.length;
      let from = o - dist;
      if (dist >= length) {
        buf.copyWithin(o, from, from + length);
        o += length;
      } else {
        const end = o + length;
        while (o < end) buf[o++] = buf[from++]!;
      }
      out.length = o;
    }
    if (overrun()) throw truncatedStream();
  }
  if (overrun()) throw truncatedStream();
  // Return the first unused whole byte.
  return pos - (bitCount >> 3);
}

/** Parses one gzip member header at `start`; returns the offset of its DEFLATE data. */
function skipGzipHeader(input: Uint8Array, start: number): number {
  if (start + 10 > input.length) throw truncatedStream();
  if (input[start] !== 0x1f || input[start + 1] !== 0x8b) throw corrupt('bad gzip magic number');
  if (input[start + 2] !== 8) throw corrupt(`unsupported compression method ${input[start + 2]}`);
  const flags = input[start + 3]!;
  if (flags & 0xe0) throw corrupt('reserved header flags are set');
  let pos = start + 10;
  if (flags & 4) {
    if (pos + 2 > input.length) throw truncatedStream();
    pos += 2 + (input[pos]! | (input[pos + 1]! << 8));
  }
  if (flags & 8) {
    while (pos < input.length && input[pos] !== 0) pos++;
    pos++;
  }
  if (flags & 16) {
    while (pos < input.length && input[pos] !== 0) pos++;
    pos++;
  }
  if (flags & 2) pos += 2;
  if (pos > input.length) throw truncatedStream();
  return pos;
}

/** The size the last member's trailer announces: a hint for the first allocation, never trusted. */
function announcedSize(input: Uint8Array): number {
  const n = input.length;
  if (n < 18) return 0;
  return (input[n - 4]! | (input[n - 3]! << 8) | (input[n - 2]! << 16) | (input[n - 1]! << 24)) >>> 0;
}

/**
 * Decompresses a gzip file (one or more members). Throws ProfileError: 'too-large' as soon as the output
 * would exceed `maxOutputBytes`, 'truncated' when the data stops early, 'corrupt-gzip' otherwise.
 */
export function gunzip(input: Uint8Array, maxOutputBytes: number): Uint8Array {
  // The trailer's ISIZE sizes the output buffer when it is plausible. It is only a hint: a cut-off file's
  // last bytes are not a trailer, and DEFLATE cannot expand more than about 1032:1, so only the actual
  // output counts against the cap.
  const hint = announcedSize(input);
  const plausible = hint > 0 && hint <= input.length * 1100 && hint <= maxOutputBytes;
  const out = new Output(plausible ? hint : input.length * 4, maxOutputBytes);
  let pos = 0;
  do {
    const memberStart = out.length;
    pos = inflate(input, skipGzipHeader(input, pos), out);
    if (pos + 8 > input.length) throw truncatedStream();
    const expectedCrc = (input[pos]! | (input[pos + 1]! << 8) | (input[pos + 2]! << 16) | (input[pos + 3]! << 24)) >>> 0;
    const expectedSize = (input[pos + 4]! | (input[pos + 5]! << 8) | (input[pos + 6]! << 16) | (input[pos + 7]! << 24)) >>> 0;
    pos += 8;
    if ((out.length - memberStart) % 0x100000000 !== expectedSize) throw corrupt('the decompressed length does not match the gzip trailer');
    if (crc32(out.bytes, memberStart, out.length) !== expectedCrc) throw corrupt('CRC-32 checksum mismatch');
  } while (pos < input.length);
  return out.length === out.bytes.length ? out.bytes : out.bytes.subarray(0, out.length);
}
