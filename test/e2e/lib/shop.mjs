// Builds and starts the example shop (examples/shop, a real Go service with /debug/pprof) on free
// loopback ports for a scenario, and stops it again.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './codeServer.mjs';
import { REPO_ROOT, findGo } from './host.mjs';

let builtBinary;

/** Builds examples/shop once per run. */
export function buildShop() {
  if (builtBinary) return builtBinary;
  const go = findGo();
  if (!go) throw new Error('The example shop needs Go: run "npm run setup" (installs golang-1.23-go).');
  const out = join(REPO_ROOT, 'test', '.cache', 'bin', 'shop');
  mkdirSync(join(REPO_ROOT, 'test', '.cache', 'bin'), { recursive: true });
  const build = spawnSync(go, ['build', '-o', out, '.'], {
    cwd: join(REPO_ROOT, 'examples', 'shop'),
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off' },
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`go build examples/shop failed:\n${build.stderr}`);
  builtBinary = out;
  return out;
}

/**
 * Starts the shop. Returns its URLs and `stop()`.
 * @param {{ spans?: string, load?: string, cwd?: string }} options
 */
export async function startShop(options = {}) {
  const binary = buildShop();
  const ports = { gateway: await freePort(), orders: await freePort(), inventory: await freePort(), pprof: await freePort() };
  const args = [
    '-gateway', `127.0.0.1:${ports.gateway}`, '-orders', `127.0.0.1:${ports.orders}`,
    '-inventory', `127.0.0.1:${ports.inventory}`, '-pprof', `127.0.0.1:${ports.pprof}`,
  ];
  if (options.spans) args.push('-spans', options.spans);
  if (options.load) args.push('-load', options.load);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const pprof = `http://127.0.0.1:${ports.pprof}/debug/pprof`;
  const deadline = Date.now() + 20000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the example shop exited: ${output}`);
    try {
      if ((await fetch(`${pprof}/`, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {
      // not yet listening
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the example shop did not answer on ${pprof}/: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    pprof,
    gateway: `http://127.0.0.1:${ports.gateway}`,
    ports,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Saves what a URL of the running shop answers (a profile, a trace) to `file`; fails on a non-200. */
async function download(url, file) {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  writeFileSync(file, new Uint8Array(await response.arrayBuffer()));
}

/** How many of the shop's goroutines are blocked in `functionName` now (from /debug/pprof/goroutine?debug=1). */
async function goroutinesIn(shop, functionName) {
  const response = await fetch(`${shop.pprof}/goroutine?debug=1`);
  const text = await response.text();
  let count = 0;
  // Stanzas are "N @ 0x… 0x…" followed by "#\t0x…\tfunction+0x…\tfile:line" frames, then a blank line.
  for (const stanza of text.split('\n\n')) {
    const head = /^(\d+) @/m.exec(stanza);
    if (head && stanza.includes(`\t${functionName}+`)) count += Number(head[1]);
  }
  return count;
}

/**
 * Runs the shop under load (`load`: the pause between generated checkouts), saves what its pprof endpoints
 * answer into the workspace's `folder` (.pprof unless told; `files`: file name → path below /debug/pprof/,
 * e.g. 'profile?seconds=3'), then stops it. `spans` is a file the shop exports its spans to meanwhile.
 * `leakedBefore` (file name → a goroutine count) waits, before that file, until the shop's leak
 * (goroutines parked in inventory.waitForChange) has reached the count: on a busy machine the load runs
 * slower, and the leak with it.
 */
export async function captureFromShop(workspace, files, { load = '5ms', leakedBefore = {}, spans, folder = '.pprof' } = {}) {
  const shop = await startShop({ load, spans });
  const dir = join(workspace, folder);
  mkdirSync(dir, { recursive: true });
  try {
    for (const [name, path] of Object.entries(files)) {
      const leaked = leakedBefore[name];
      if (leaked !== undefined) {
        const deadline = Date.now() + 120000;
        while ((await goroutinesIn(shop, 'main.(*inventory).waitForChange')) < leaked) {
          if (Date.now() > deadline) throw new Error(`the shop did not leak ${leaked} goroutines in inventory.waitForChange within 2 minutes`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      await download(`${shop.pprof}/${path}`, join(dir, name));
    }
  } finally {
    await shop.stop();
  }
}
