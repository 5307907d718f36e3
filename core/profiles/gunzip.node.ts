// gzip decompression with Node's zlib, for hosts that have it (the CLI, the language server): about four
// times faster than the portable decoder in `gunzip.ts`, with the same cap and the same typed errors.
// zlib writes into one output buffer sized from the gzip trailer, so a large profile costs its own size
// once, not a list of chunks plus their concatenation.
// Node-only: the pure pprof modules never import this file.

import * as zlib from 'node:zlib';
import { tooLargeError } from './gunzip';
import { ProfileError } from './profileError';

export function gunzipWithZlib(bytes: Uint8Array, maxBytes: number): Uint8Array {
  // The trailer's ISIZE (size mod 2^32 of the last member) is a hint, never trusted beyond DEFLATE's 1032:1.
  const n = bytes.length;
  const announced = n >= 18 ? (bytes[n - 4]! | (bytes[n - 3]! << 8) | (bytes[n - 2]! << 16) | (bytes[n - 1]! << 24)) >>> 0 : 0;
  const chunkSize = announced > 0 && announced <= n * 1100 && announced <= maxBytes ? announced + 64 : 64 * 1024;
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: maxBytes, chunkSize });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw tooLargeError(maxBytes);
    if (e.code === 'Z_BUF_ERROR') {
      throw new ProfileError('truncated', 'the gzip data ends early: the profile was cut off while it was being written or downloaded. Capture it again.');
    }
    throw new ProfileError('corrupt-gzip', `the gzip data is damaged (${e.message}). Download or copy the profile again.`);
  }
}
