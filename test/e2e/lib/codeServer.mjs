// Starts a real VS Code (code-server) with the packaged extension installed into a fresh profile, on a
// free loopback port, and stops it again (with everything it started).

import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { CODE_SERVER, HOST_BIN, NODE24, findGo } from './host.mjs';

/** User settings for a quiet, deterministic workbench. */
export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * VS Code's environment: the host's Node first, and Go on the PATH, as on a Go developer's machine (the
 * extension runs go test). VSCODE_CLI=1, as when VS Code is started from a terminal, gives the extension
 * host this environment rather than the one a login shell of this machine sets up.
 */
function env() {
  const go = findGo();
  return { ...process.env, VSCODE_CLI: '1', PATH: [HOST_BIN, ...(go ? [dirname(go)] : []), process.env.PATH].join(delimiter) };
}

async function waitForHttp(url, timeoutMs, isAlive) {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error('code-server exited while starting');
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms (${lastError})`);
}

/**
 * @param {{ workspace: string, vsix: string, logFile: string, settings?: object, logLevel?: 'trace' | 'debug' | 'info' }} options
 *   logLevel: VS Code's (and so every extension's output channel's) log level; code-server's default is info.
 */
export async function startCodeServer({ workspace, vsix, logFile, settings = {}, logLevel }) {
  const base = mkdtempSync(join(tmpdir(), 'go-trace-lens-e2e-'));
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2));

  const install = spawnSync(NODE24, [CODE_SERVER, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], { env: env(), encoding: 'utf8' });
  if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
    throw new Error(`code-server could not install ${vsix}:\n${install.stdout}\n${install.stderr}`);
  }

  const port = await freePort();
  const log = createWriteStream(logFile);
  const child = spawn(
    NODE24,
    [
      CODE_SERVER, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir, '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
      ...(logLevel ? ['--log', logLevel] : []), workspace,
    ],
    { env: env(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let alive = true;
  child.once('exit', () => { alive = false; });
  const origin = `http://127.0.0.1:${port}`;
  await waitForHttp(`${origin}/healthz`, 60000, () => alive);

  return {
    origin,
    url: `${origin}/?folder=${encodeURIComponent(workspace)}`,
    userDataDir,
    extensionsDir,
    base,
    async stop() {
      if (!alive) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
