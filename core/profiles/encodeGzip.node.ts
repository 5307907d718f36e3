// A decoded Profile as the bytes of a .pb.gz file (profile.proto, gzip-compressed as Go writes profiles),
// and such a file written whole or not at all: into a temporary file beside it, synced, then renamed, so
// no reader ever sees it half-written. Node-only (zlib, fs); used for the profiles derived in TypeScript
// (the trace-derived profiles) by the CLI and the language server.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeProfile } from './encode';
import type { Profile } from './profile';

export function encodeProfileGzip(profile: Profile): Uint8Array {
  return gzipSync(encodeProfile(profile));
}

/** Why a file could not be written; nothing was left behind. */
export class FileWriteError extends Error {
  override readonly name = 'FileWriteError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Writes `bytes` to `file` whole or not at all. Throws FileWriteError saying why, with nothing written. */
export function writeFileWhole(file: string, bytes: Uint8Array): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(temporary, 'wx');
    try {
      fs.writeSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? 'failed';
    const why =
      code === 'ENOENT' ? `the folder ${path.dirname(file)} does not exist`
      : code === 'EISDIR' ? 'it is a directory'
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : code === 'ENOSPC' ? 'the disk is full'
      : code;
    throw new FileWriteError(code, `cannot write ${file} (${why}). Nothing was written.`);
  }
}

/** Writes a profile as a .pb.gz file, whole or not at all. */
export function writeProfileFile(file: string, profile: Profile): void {
  writeFileWhole(file, encodeProfileGzip(profile));
}
