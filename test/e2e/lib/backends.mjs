// Starts the backend stand-ins (test/e2e/lib/backendStandIns.ts, through tsx) in a child process for a
// scenario: Tempo, a token-guarded Tempo and Pyroscope on 127.0.0.1 (and, with `search: true`, the Tempo
// "Search Traces…" runs against). Resolves once they listen, with their URLs, the trace IDs they hold,
// `authorizations()` (what the guarded Tempo was sent, as null / 'token' / 'other'), `searches()` (the
// query parameters the search Tempo's /api/search was sent) and `stop()`.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { REPO_ROOT } from './host.mjs';

/** @param {{ token: string, profileFile?: string, search?: boolean }} config */
export function startBackendStandIns(config) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'e2e', 'lib', 'backendStandIns.ts'), JSON.stringify(config)], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.resolve(JSON.parse(line)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.once('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`the backend stand-ins exited (${code}) before answering`));
  });
  const next = () => new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  return next().then((urls) => ({
    ...urls,
    async authorizations() {
      const answer = next();
      child.stdin.write('authorizations\n');
      return (await answer).authorizations;
    },
    async searches() {
      const answer = next();
      child.stdin.write('searches\n');
      return (await answer).searches;
    },
    async stop() {
      child.stdin.end();
      await exited;
    },
  }));
}
