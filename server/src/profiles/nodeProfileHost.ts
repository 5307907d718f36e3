// The profile service's access to the machine: profile files, source files, and `go env`.
// Node-only; the service itself stays plain logic.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeProfileFile } from '../pprof/nodeProfileFile';
import { nodeSourceFileSystem } from '../pprof/nodeSourceFileSystem';
import type { ProfileServiceHost } from './profileService';

/** Source files larger than this are not read for line mapping (a generated blob, not code to annotate). */
const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

/**
 * GOROOT and GOMODCACHE from `go env -json` (never downloading a toolchain), else the environment and
 * Go's default module cache (the first GOPATH entry's pkg/mod).
 */
export function goEnvLocations(timeoutMs = 10000): Promise<{ goroot?: string; gomodcache?: string }> {
  return new Promise((resolve) => {
    const candidates = ['go', '/usr/lib/go-1.23/bin/go', '/usr/local/go/bin/go'];
    const gopath = process.env.GOPATH?.split(path.delimiter)[0] || path.join(os.homedir(), 'go');
    const fallback = { goroot: process.env.GOROOT || undefined, gomodcache: process.env.GOMODCACHE || path.join(gopath, 'pkg', 'mod') };
    const attempt = (i: number) => {
      if (i >= candidates.length) return resolve(fallback);
      execFile(candidates[i]!, ['env', '-json', 'GOROOT', 'GOMODCACHE'], { timeout: timeoutMs, env: { ...process.env, GOTOOLCHAIN: 'local' } }, (error, stdout) => {
        if (error) return attempt(i + 1);
        try {
          const env = JSON.parse(stdout) as { GOROOT?: string; GOMODCACHE?: string };
          resolve({ goroot: env.GOROOT || fallback.goroot, gomodcache: env.GOMODCACHE || fallback.gomodcache });
        } catch {
          attempt(i + 1);
        }
      });
    };
    attempt(0);
  });
}

export const nodeProfileHost: ProfileServiceHost = {
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
