#!/usr/bin/env node
// The main job: build and package the extension, start the example shop (a real Go service with
// /debug/pprof), and open a real VS Code on examples/shop with the extension installed: the desktop
// `code` when it is on PATH, otherwise code-server in the browser (the URL is printed).
// Ctrl+C stops everything this script started.
//
//   npm run demo                 (after `npm run setup` on a fresh machine)
//   npm run demo -- --smoke      start everything, check it answers, stop (used by the tests)
//   npm run demo -- --port 8443  code-server's port (default 8443, or a free one if that is taken)

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE_SETTINGS, freePort } from '../test/e2e/lib/codeServer.mjs';
import { CODE_SERVER, HOST_BIN, NODE24, VSIX } from '../test/e2e/lib/host.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const shopDir = join(root, 'examples', 'shop');
const demoDir = join(root, '.demo');
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const portArg = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : 8443;

const children = [];
let stopping = false;

function fail(message) {
  console.error(`\ndemo: ${message}`);
  stopAll(1);
}

function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  setTimeout(() => process.exit(code), 500);
}
process.on('SIGINT', () => { console.log('\ndemo: stopping'); stopAll(0); });
process.on('SIGTERM', () => stopAll(0));

function start(command, commandArgs, options = {}) {
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
  children.push(child);
  return child;
}

function findOnPath(name, extraDirs = []) {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...extraDirs]) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function step(title) {
  console.log(`\n==> ${title}`);
}

async function portIsFree(port) {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function waitFor(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return true;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

/** Builds and starts the example shop; returns its pprof base URL, or undefined without Go. */
async function startShop() {
  const go = findOnPath('go', ['/usr/lib/go-1.23/bin']);
  if (!go) {
    console.warn('demo: Go is not installed, so the example service will not run (the editor features that need no service still work).\n      Install it with: npm run setup');
    return undefined;
  }
  step('Building and starting the example shop (examples/shop)');
  mkdirSync(join(shopDir, '.traces'), { recursive: true });
  const binary = join(demoDir, 'shop');
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off' };
  const build = spawnSync(go, ['build', '-o', binary, '.'], { cwd: shopDir, env, encoding: 'utf8' });
  if (build.status !== 0) fail(`go build failed in examples/shop:\n${build.stderr}`);
  const ports = {};
  for (const [name, preferred] of [['gateway', 8080], ['orders', 8081], ['inventory', 8082], ['pprof', 6060]]) {
    ports[name] = (await portIsFree(preferred)) ? preferred : await freePort();
  }
  const shop = start(binary, [
    '-gateway', `127.0.0.1:${ports.gateway}`, '-orders', `127.0.0.1:${ports.orders}`,
    '-inventory', `127.0.0.1:${ports.inventory}`, '-pprof', `127.0.0.1:${ports.pprof}`,
    '-spans', join(shopDir, '.traces', 'spans.jsonl'),
  ], { cwd: shopDir });
  shop.stdout.on('data', (d) => process.stdout.write(`[shop] ${d}`));
  shop.stderr.on('data', (d) => process.stderr.write(`[shop] ${d}`));
  shop.once('exit', (code) => { if (!stopping) fail(`the example shop exited (${code})`); });
  const pprofURL = `http://127.0.0.1:${ports.pprof}/debug/pprof`;
  if (!(await waitFor(`${pprofURL}/`, 20000))) fail(`the example shop did not answer on ${pprofURL}/`);
  return pprofURL;
}

async function openInDesktopCode(code) {
  step('Installing the extension into VS Code and opening examples/shop');
  const install = spawnSync(code, ['--install-extension', VSIX, '--force'], { encoding: 'utf8' });
  if (install.status !== 0) fail(`code --install-extension failed:\n${install.stderr}`);
  spawnSync(code, [shopDir], { stdio: 'inherit' });
}

async function openInCodeServer(pprofURL) {
  if (!existsSync(CODE_SERVER) || !existsSync(NODE24)) {
    fail('code-server is not installed. Run "npm run setup" first (it installs code-server and Node 24 from the npm registry).');
  }
  step('Starting code-server (VS Code in the browser) with the extension installed');
  const userDataDir = join(demoDir, 'user-data');
  const extensionsDir = join(demoDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  if (!existsSync(settingsFile)) writeFileSync(settingsFile, JSON.stringify(BASE_SETTINGS, null, 2));
  const env = { ...process.env, PATH: `${HOST_BIN}${delimiter}${process.env.PATH}` };
  const install = spawnSync(NODE24, [CODE_SERVER, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', VSIX, '--force'], { env, encoding: 'utf8' });
  if (install.status !== 0) fail(`code-server could not install the extension:\n${install.stdout}${install.stderr}`);
  const port = Number.isInteger(portArg) && (await portIsFree(portArg)) ? portArg : await freePort();
  const server = start(NODE24, [
    CODE_SERVER, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', shopDir,
  ], { env });
  server.once('exit', (code) => { if (!stopping) fail(`code-server exited (${code})`); });
  let log = '';
  server.stderr.on('data', (d) => { log += d; });
  server.stdout.on('data', (d) => { log += d; });
  const origin = `http://127.0.0.1:${port}`;
  if (!(await waitFor(`${origin}/healthz`, 60000))) fail(`code-server did not start on ${origin}:\n${log}`);
  const url = `${origin}/?folder=${encodeURIComponent(shopDir)}`;
  console.log(`\nGo Trace Lens is running in VS Code at:\n\n    ${url}\n`);
  if (pprofURL) console.log(`The example shop serves profiles at ${pprofURL}/ (spans: examples/shop/.traces/spans.jsonl).`);
  console.log('Press Ctrl+C to stop.');
  return origin;
}

async function main() {
  mkdirSync(demoDir, { recursive: true });
  step('Building and packaging the extension');
  const pack = spawnSync('npm', ['run', 'package', '--silent'], { cwd: root, stdio: smoke ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (pack.status !== 0) fail(`npm run package failed${smoke ? `:\n${pack.stdout}${pack.stderr}` : ''}`);
  const pprofURL = await startShop();

  const code = smoke ? undefined : findOnPath('code');
  if (code) {
    await openInDesktopCode(code);
    console.log(pprofURL ? `\nThe example shop serves profiles at ${pprofURL}/. Press Ctrl+C to stop it.` : '');
    return;
  }
  const origin = await openInCodeServer(pprofURL);
  if (smoke) {
    const workbench = await fetch(`${origin}/?folder=${encodeURIComponent(shopDir)}`);
    const listed = spawnSync(NODE24, [CODE_SERVER, '--extensions-dir', join(demoDir, 'extensions'), '--list-extensions'], { encoding: 'utf8', env: { ...process.env, PATH: `${HOST_BIN}${delimiter}${process.env.PATH}` } });
    const ok = workbench.ok && /go-trace-lens\.go-trace-lens/.test(listed.stdout) && (!pprofURL || (await waitFor(`${pprofURL}/goroutine?debug=1`, 5000)));
    console.log(ok ? '\ndemo smoke check: code-server, the extension and the example shop all answer' : '\ndemo smoke check FAILED');
    stopAll(ok ? 0 : 1);
  }
}

main().catch((error) => fail(error?.stack ?? String(error)));
