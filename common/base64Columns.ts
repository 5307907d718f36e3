// Typed arrays ↔ base64, little-endian, without Node's Buffer (runs in the webview too).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

const CODES = new Uint8Array(64);
for (let i = 0; i < ALPHABET.length; i++) CODES[i] = ALPHABET.charCodeAt(i);
const PAD = 61; // '='
const CHUNK = 0x8000;

/** A string of the ASCII codes in `codes`, built a chunk at a time (apply has an argument limit). */
function asciiString(codes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < codes.length; i += CHUNK) {
    parts.push(String.fromCharCode.apply(null, codes.subarray(i, i + CHUNK) as unknown as number[]));
  }
  return parts.join('');
}

/**
 * Base64 of `bytes`. The characters are written as bytes into one buffer and decoded to a string once:
 * concatenating strings three bytes at a time took seconds for the flame graph of a large profile.
 */
export function encodeBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = CODES[(v >> 18) & 63]!;
    out[o++] = CODES[(v >> 12) & 63]!;
    out[o++] = CODES[(v >> 6) & 63]!;
    out[o++] = CODES[v & 63]!;
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | (i + 1 < n ? bytes[i + 1]! << 8 : 0);
    out[o++] = CODES[(v >> 18) & 63]!;
    out[o++] = CODES[(v >> 12) & 63]!;
    out[o++] = i + 1 < n ? CODES[(v >> 6) & 63]! : PAD;
    out[o++] = PAD;
  }
  return asciiString(out);
}

export function decodeBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error('base64 column: length is not a multiple of 4');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n = (LOOKUP[text.charCodeAt(i)]! << 18) | (LOOKUP[text.charCodeAt(i + 1)]! << 12) | (LOOKUP[text.charCodeAt(i + 2)]! << 6) | LOOKUP[text.charCodeAt(i + 3)]!;
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

export function encodeColumn(array: Int32Array | Uint8Array | Float64Array): string {
  return encodeBase64(bytesOf(array));
}

function aligned(bytes: Uint8Array, width: number): ArrayBuffer {
  if (bytes.byteLength % width !== 0) throw new Error(`base64 column: ${bytes.byteLength} bytes is not a whole number of ${width}-byte values`);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export const decodeInt32Column = (text: string): Int32Array => new Int32Array(aligned(decodeBase64(text), 4));
export const decodeFloat64Column = (text: string): Float64Array => new Float64Array(aligned(decodeBase64(text), 8));
export const decodeUint8Column = (text: string): Uint8Array => decodeBase64(text);
