#!/usr/bin/env node
// End-to-end tests in a real VS Code: installs the packaged .vsix into code-server, opens a copy of
// examples/shop in Chromium (playwright-core) and runs every scenario in test/e2e/scenarios/ in order.
// Screenshots and logs go to test/e2e/artifacts/ (git-ignored).
//
//   node test/e2e/run.mjs [substring of a scenario file name[,another…]]

import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCodeServer } from './lib/codeServer.mjs';
import { ARTIFACTS, CHROMIUM, E2E_DIR, REPO_ROOT, VSIX, checkHost, loadPlaywright } from './lib/host.mjs';
import { Workbench } from './lib/workbench.mjs';

const filter = process.argv[2];
const scenarioDir = join(E2E_DIR, 'scenarios');
// Several substrings may be given, separated by commas: "03,30" runs both scenarios.
const filters = filter ? filter.split(',').filter((f) => f !== '') : [];
const scenarios = readdirSync(scenarioDir).filter((f) => f.endsWith('.mjs') && (filters.length === 0 || filters.some((part) => f.includes(part)))).sort();
if (scenarios.length === 0) {
  console.error(`No end-to-end scenario matches "${filter}".`);
  process.exit(1);
}

try {
  checkHost();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

rmSync(ARTIFACTS, { recursive: true, force: true });
mkdirSync(ARTIFACTS, { recursive: true });
const workspaceRoot = join(tmpdir(), `go-trace-lens-e2e-workspace-${process.pid}`);
const workspace = join(workspaceRoot, 'shop');

/** A fresh copy of examples/shop, so scenarios can edit files without touching the repository. */
function resetWorkspace() {
  rmSync(workspaceRoot, { recursive: true, force: true });
  mkdirSync(workspaceRoot, { recursive: true });
  cpSync(join(REPO_ROOT, 'examples', 'shop'), workspace, { recursive: true, filter: (src) => !src.includes(`${join('shop', '.pprof')}`) });
}

resetWorkspace();
const server = await startCodeServer({ workspace, vsix: VSIX, logFile: join(ARTIFACTS, 'code-server.log') });
const { chromium } = await loadPlaywright();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

let failures = 0;
try {
  for (const file of scenarios) {
    const scenario = await import(pathToFileURL(join(scenarioDir, file)).href);
    const started = Date.now();
    const label = `${file.replace(/\.mjs$/, '')}: ${scenario.title ?? ''}`;
    let workbench;
    try {
      workbench = await Workbench.open(browser, server.url, ARTIFACTS);
      await scenario.run({ workbench, page: workbench.page, workspace, server, artifacts: ARTIFACTS, resetWorkspace });
      console.log(`✔ ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failures++;
      console.log(`✖ ${label}\n  ${String(error?.stack ?? error).split('\n').join('\n  ')}`);
      if (workbench) await workbench.screenshot(`FAILED-${file.replace(/\.mjs$/, '')}`).catch(() => undefined);
    } finally {
      await workbench?.close().catch(() => undefined);
      resetWorkspace();
    }
  }
} finally {
  await browser.close();
  await server.stop();
  const logs = join(server.userDataDir, 'logs');
  if (existsSync(logs)) cpSync(logs, join(ARTIFACTS, 'vscode-logs'), { recursive: true });
  rmSync(server.base, { recursive: true, force: true });
  rmSync(workspaceRoot, { recursive: true, force: true });
}
console.log(`\nend-to-end: ${scenarios.length - failures} passed, ${failures} failed; screenshots in ${ARTIFACTS}`);
process.exit(failures ? 1 : 0);
