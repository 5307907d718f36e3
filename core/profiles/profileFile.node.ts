// Profiles in Node hosts, gzip decompressed with zlib. `decodeProfileFile` decodes a file for the CLI and
// the language server. A large profile is never held decompressed in memory: the file streams from disk
// through zlib (when gzipped) into the decoder, twice — once to read the tables and count the samples,
// once to fill the sample arrays — so peak memory is the decoded profile plus a few chunk buffers, not also
// the compressed file and the whole decompressed protobuf. A small one (below STREAM_THRESHOLD) is read and
// decompressed at once, which is faster. `checkProfileHead` checks the first bytes of a capture before it
// is kept, without decoding what follows them.
// Node-only: the pure pprof modules never import this file.

import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { DEFAULT_MAX_DECOMPRESSED_BYTES, ProfileDecoder, checkProfileStart, decodeProfile, type DecodeOptions } from './decode';
import { gunzipPrefix, gunzipWithZlib, gzipError } from './gunzip.node';
import type { Profile } from './profile';
import { ProfileError, tooLargeError } from './profileError';
import { isGzip } from './sniff';

const READ_SIZE = 1 << 20;

/** Decompressed size from which a profile is decoded while streaming rather than in memory. */
export const STREAM_THRESHOLD = 16 * 1024 * 1024;

export interface DecodeFileOptions {
  /** Refuse gzip data that decompresses to more than this (default 512 MiB). */
  readonly maxDecompressedBytes?: number;
  /** Stream profiles whose (decompressed) size reaches this many bytes (default STREAM_THRESHOLD). */
  readonly streamThreshold?: number;
}

/** Streams the file's (decompressed) bytes to `consume`, one chunk at a time. */
async function streamFile(file: string, gzipped: boolean, maxBytes: number, consume: (chunk: Uint8Array) => void): Promise<void> {
  const fd = fs.openSync(file, 'r');
  const input = Buffer.allocUnsafe(READ_SIZE);
  try {
    if (!gzipped) {
      for (let position = 0; ; ) {
        const n = fs.readSync(fd, input, 0, READ_SIZE, position);
        if (n === 0) return;
        position += n;
        consume(input.subarray(0, n));
      }
    }
    const gunzip = zlib.createGunzip({ chunkSize: 1 << 16 });
    let failure: unknown = null;
    let total = 0;
    gunzip.on('data', (chunk: Buffer) => {
      if (failure) return;
      total += chunk.length;
      try {
        if (total > maxBytes) throw tooLargeError(maxBytes);
        consume(chunk);
      } catch (error) {
        failure = error;
        gunzip.destroy();
      }
    });
    const ended = new Promise<void>((resolve) => {
      gunzip.on('end', () => resolve());
      gunzip.on('close', () => resolve());
      gunzip.on('error', (error: NodeJS.ErrnoException) => {
        failure ??= gzipError(error);
        resolve();
      });
    });
    for (let position = 0; !failure; ) {
      const n = fs.readSync(fd, input, 0, READ_SIZE, position);
      if (n === 0) break;
      position += n;
      // The read buffer is reused only after zlib has consumed it.
      await Promise.race([new Promise<void>((resolve) => gunzip.write(input.subarray(0, n), () => resolve())), ended]);
    }
    if (!failure) gunzip.end();
    await ended;
    if (failure) throw failure;
  } finally {
    fs.closeSync(fd);
  }
}

/** The file's size, whether it is gzip, and the decompressed size its gzip trailer announces (mod 2^32). */
function inspectFile(file: string): { size: number; gzipped: boolean; announced: number } {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(4);
    const gzipped = fs.readSync(fd, head, 0, 2, 0) === 2 && isGzip(head);
    const announced = gzipped && size >= 18 && fs.readSync(fd, head, 0, 4, size - 4) === 4 ? head.readUInt32LE(0) : size;
    return { size, gzipped, announced };
  } finally {
    fs.closeSync(fd);
  }
}

/** Decodes the profile in `file` (gzipped or not). Throws ProfileError for bad data, fs errors as they are. */
export async function decodeProfileFile(file: string, options: DecodeFileOptions = {}): Promise<Profile> {
  const maxBytes = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const { size, gzipped, announced } = inspectFile(file);
  if (size === 0) throw new ProfileError('empty', 'the file is empty (0 bytes): the capture produced no data. Capture the profile again.');
  if (!gzipped && size > maxBytes) throw tooLargeError(maxBytes);
  const threshold = options.streamThreshold ?? STREAM_THRESHOLD;
  if (size < threshold && announced < threshold) return decodeProfileBytes(fs.readFileSync(file), { maxDecompressedBytes: maxBytes });
  const decoder = new ProfileDecoder({ maxDecodedBytes: 3 * maxBytes });
  await streamFile(file, gzipped, maxBytes, (chunk) => decoder.scan(chunk));
  decoder.endScan();
  await streamFile(file, gzipped, maxBytes, (chunk) => decoder.fill(chunk));
  return decoder.finish();
}

/** Decodes a profile held in memory, gzipped or not (`decodeProfile` with zlib). */
export function decodeProfileBytes(bytes: Uint8Array, options: Omit<DecodeOptions, 'gunzip'> = {}): Profile {
  return decodeProfile(bytes, { ...options, gunzip: gunzipWithZlib });
}

/** Decompressed bytes of a profile's start that `checkProfileHead` examines: many fields, a small fixed cost. */
export const PROFILE_START_BYTES = 256 * 1024;

export interface ProfileHeadCheck {
  readonly gzipped: boolean;
  /** The number of samples, when the head was the whole profile and was decoded. */
  readonly sampleCount?: number;
}

/**
 * Checks a profile file by its first bytes, `head`, without reading further: a file that fits in the head
 * (`complete`) is decoded whole; of a longer one, only the start of its (decompressed) protobuf is read,
 * at most PROFILE_START_BYTES, and must start like a pprof Profile. Throws what the decoder throws.
 */
export async function checkProfileHead(head: Uint8Array, complete: boolean, options: Omit<DecodeOptions, 'gunzip'> = {}): Promise<ProfileHeadCheck> {
  const gzipped = isGzip(head);
  if (complete) return { gzipped, sampleCount: decodeProfileBytes(head, options).samples.count };
  checkProfileStart(gzipped ? await gunzipPrefix(head, PROFILE_START_BYTES) : head.subarray(0, PROFILE_START_BYTES));
  return { gzipped };
}
