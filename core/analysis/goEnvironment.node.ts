// Where the Go toolchain keeps things: GOROOT (the standard library's sources) and GOMODCACHE (the
// module cache), asked of `go env`. Node-only.

import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

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
