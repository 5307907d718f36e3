// gzip decompression for the hosts that decode profiles (the language server, the CLI, the capture check),
// with Node's zlib: under a cap, with typed errors that say what is wrong. zlib writes into one output
// buffer sized from the gzip trailer, so a large profile costs its own size once, not a list of chunks plus
// their concatenation. Multi-member files are joined, as Go's gzip reader does.
// Node-only: the pure pprof modules never import this file.

import * as zlib from 'node:zlib';
import { ProfileError, tooLargeError } from './profileError';

/** zlib's messages for a damaged stream, in the words the rest of the profile errors use. */
const DAMAGE: Readonly<Record<string, string>> = {
  'incorrect data check': 'its CRC-32 checksum does not match',
  'incorrect length check': 'the decompressed length does not match the gzip trailer',
  'incorrect header check': 'a gzip member header is invalid',
};

/** The ProfileError for a zlib failure: data that ends early, or damaged data. */
export function gzipError(error: NodeJS.ErrnoException): ProfileError {
  if (error.code === 'Z_BUF_ERROR') {
    return new ProfileError('truncated', 'the gzip data ends early: the profile was cut off while it was being written or downloaded. Capture it again.');
  }
  return new ProfileError('corrupt-gzip', `the gzip data is damaged (${DAMAGE[error.message] ?? error.message}). Download or copy the profile again.`);
}

/** Decompresses a whole gzip file; throws ProfileError: 'too-large' beyond `maxBytes`, 'truncated', 'corrupt-gzip'. */
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
    throw gzipError(e);
  }
}

/**
 * The first `keep` bytes (or fewer, when that is all there is) that `head`, the start of a longer gzip
 * file, decompresses to. Stops inflating once it has them, so the work is bounded by `keep` and by the
 * head, however far the data would expand. Damaged data throws 'corrupt-gzip'; the head ending is no error.
 */
export function gunzipPrefix(head: Uint8Array, keep: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const gunzip = zlib.createGunzip();
    const prefix = new Uint8Array(keep);
    let length = 0;
    let settled = false;
    const settle = (error: ProfileError | null) => {
      if (settled) return;
      settled = true;
      gunzip.destroy();
      if (error) reject(error);
      else resolve(prefix.subarray(0, length));
    };
    gunzip.on('data', (chunk: Buffer) => {
      const taken = Math.min(chunk.length, keep - length);
      prefix.set(chunk.subarray(0, taken), length);
      length += taken;
      if (length === keep) settle(null);
    });
    gunzip.on('error', (error: NodeJS.ErrnoException) => settle(gzipError(error)));
    // Everything the head holds comes out with a sync flush; its end is not the stream's end.
    gunzip.write(head, () => {
      if (!settled) gunzip.flush(zlib.constants.Z_SYNC_FLUSH, () => settle(null));
    });
  });
}
