// gzip bombs for the decompression-cap tests, written by hand rather than by compressing gigabytes: one
// fixed-Huffman DEFLATE block of a short pattern followed by length-258 copies of it (13 bits per 258
// output bytes), wrapped in a gzip header and a trailer whose size field can tell the truth or lie.

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE), as gzip's trailer carries it. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function bitWriter() {
  const bytes: number[] = [];
  let acc = 0;
  let count = 0;
  const bits = (value: number, n: number) => {
    for (let i = 0; i < n; i++) {
      acc |= ((value >>> i) & 1) << count;
      if (++count === 8) {
        bytes.push(acc);
        acc = 0;
        count = 0;
      }
    }
  };
  /** Huffman codes go most significant bit first. */
  const code = (value: number, n: number) => {
    for (let i = n - 1; i >= 0; i--) bits((value >>> i) & 1, 1);
  };
  const finish = () => {
    if (count > 0) bytes.push(acc);
    return Uint8Array.from(bytes);
  };
  return { bits, code, finish };
}

/**
 * A gzip file that expands to `pattern` (1 or 2 bytes) repeated over `pattern.length + 258 * copies` bytes;
 * its trailer announces `announcedSize`.
 */
export function gzipBomb(copies: number, announcedSize: number, pattern: readonly number[] = [0]): Uint8Array {
  if (pattern.length < 1 || pattern.length > 2) throw new Error('gzipBomb repeats patterns of 1 or 2 bytes');
  const w = bitWriter();
  w.bits(1, 1); // final block
  w.bits(1, 2); // fixed Huffman
  for (const byte of pattern) {
    if (byte < 144) w.code(0x30 + byte, 8);
    else w.code(0x190 + byte - 144, 9);
  }
  for (let i = 0; i < copies; i++) {
    w.code(0xc5, 8); // length 258 (symbol 285)
    w.code(pattern.length - 1, 5); // distance 1 or 2 (codes 0 and 1, no extra bits)
  }
  w.code(0, 7); // end of block
  const deflate = w.finish();
  const out = new Uint8Array(10 + deflate.length + 8);
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff], 0);
  out.set(deflate, 10);
  const view = new DataView(out.buffer);
  // A real CRC for small outputs (decoded to the end); for large ones decompression stops at the cap.
  const size = pattern.length + 258 * copies;
  let crc = 0;
  if (size <= 64 * 1024 * 1024) {
    const output = new Uint8Array(size);
    for (let i = 0; i < size; i++) output[i] = pattern[i % pattern.length]!;
    crc = crc32(output);
  }
  view.setUint32(10 + deflate.length, crc, true);
  view.setUint32(10 + deflate.length + 4, announcedSize >>> 0, true);
  return out;
}
