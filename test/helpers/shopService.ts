// The example shop (examples/shop) as a running service for tests: built with the installed Go, started
// on free ports, with load, so its profiles show the shop's own hot functions.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CACHE_DIR, REPO_ROOT, runGo } from './goToolchain';

export const SHOP_DIR = join(REPO_ROOT, 'examples', 'shop');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningShop {
  readonly pprof: string;
  stop(): Promise<void>;
}

let binary: string | undefined;

/** Starts the shop under load; `spans` is a file its tracer exports OTLP/JSON spans to. */
export async function startShop(options: { readonly spans?: string } = {}): Promise<RunningShop> {
  if (!binary) {
    binary = join(CACHE_DIR, 'bin', 'shop');
    runGo(['build', '-o', binary, '.'], { cwd: SHOP_DIR });
  }
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const child = spawn(binary, ['-gateway', `127.0.0.1:${ports[0]}`, '-orders', `127.0.0.1:${ports[1]}`, '-inventory', `127.0.0.1:${ports[2]}`, '-pprof', `127.0.0.1:${ports[3]}`, '-load', '5ms', ...(options.spans ? ['-spans', options.spans] : [])], { stdio: 'ignore' });
  const pprof = `http://127.0.0.1:${ports[3]}/debug/pprof`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${pprof}/`)).ok) break;
    } catch {
      if (i > 100 || child.exitCode !== null) throw new Error('the example shop did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    pprof,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
