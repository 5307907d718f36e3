// Where the end-to-end host lives: code-server (a real VS Code), the Node 24 it needs, playwright-core,
// and Debian's Chromium. They are installed apart from the extension (test/e2e/host/package.json) by
// `.ci/run` or by `npm run e2e:install`.

import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const REPO_ROOT = join(E2E_DIR, '..', '..');
export const HOST_DIR = join(E2E_DIR, 'host');
export const HOST_BIN = join(HOST_DIR, 'node_modules', '.bin');
export const CODE_SERVER = join(HOST_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const NODE24 = join(HOST_BIN, 'node');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** Screenshots and logs; GTL_E2E_ARTIFACTS puts them elsewhere (parallel runs must not share one). */
export const ARTIFACTS = process.env.GTL_E2E_ARTIFACTS || join(E2E_DIR, 'artifacts');
/** The packaged extension; GTL_E2E_VSIX installs another copy (a soak keeps its own while dist/ is rebuilt). */
export const VSIX = process.env.GTL_E2E_VSIX || join(REPO_ROOT, 'dist', 'go-trace-lens.vsix');

const GO_CANDIDATES = [...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'go')), '/usr/lib/go-1.23/bin/go'];

/** The installed go (PATH first, then where `npm run setup` installs it), or undefined. */
export function findGo() {
  return GO_CANDIDATES.find((p) => p && existsSync(p));
}

/** Throws an error that says exactly what to install when a part of the host is missing. */
export function checkHost() {
  const missing = [];
  if (!existsSync(NODE24) || !existsSync(CODE_SERVER)) missing.push('code-server and Node 24: run "npm run e2e:install"');
  if (!existsSync(join(HOST_DIR, 'node_modules', 'playwright-core'))) missing.push('playwright-core: run "npm run e2e:install"');
  if (!existsSync(CHROMIUM)) missing.push(`Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  if (!existsSync(VSIX)) missing.push(`the packaged extension ${VSIX}: run "npm run package"`);
  if (missing.length) throw new Error(`The end-to-end host is incomplete:\n  - ${missing.join('\n  - ')}`);
}

/** The host's playwright-core (it lives in the host's node_modules, not the extension's). */
export async function loadPlaywright() {
  return import(join(HOST_DIR, 'node_modules', 'playwright-core', 'index.mjs'));
}
