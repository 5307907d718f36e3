// The profiles' access to the machine: profile files, source files, and `go env`. Node-only; the store,
// the source resolver and the projections stay plain logic.

import * as fs from 'node:fs';
import { goEnvLocations } from '../../../core/analysis/index.node';
import { decodeProfileFile, nodeSourceFileSystem } from '../../../core/profiles/index.node';
import type { ProfileHost } from './profileModel';

/** Source files larger than this are not read for line mapping (a generated blob, not code to annotate). */
const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

export const nodeProfileHost: ProfileHost = {
  decodeProfileFile: (path, maxDecompressedBytes) => decodeProfileFile(path, { maxDecompressedBytes }),
  readHead(path, bytes) {
    const fd = fs.openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const read = fs.readSync(fd, buffer, 0, bytes, 0);
      return buffer.subarray(0, read);
    } finally {
      fs.closeSync(fd);
    }
  },
  readText(path) {
    try {
      if (fs.statSync(path).size > MAX_SOURCE_BYTES) return undefined;
      return fs.readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  fs: nodeSourceFileSystem,
  goLocations: () => goEnvLocations(),
  now: () => Date.now(),
};
