// Where the webview tests find things: the repository, the built webview bundles, Chromium and the e2e
// host's playwright-core. Plain JavaScript (no TypeScript imports), so the runner can check them first.

import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const WEBVIEW_DIST = process.env.WEBVIEW_DIST || join(REPO_ROOT, 'dist', 'webview');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const PLAYWRIGHT_MODULE = join(REPO_ROOT, 'test', 'e2e', 'host', 'node_modules', 'playwright-core', 'index.mjs');

/** What is missing to run the webview tests, each with what to do about it. */
export function missingPrerequisites(view = 'flamegraph', dist = WEBVIEW_DIST) {
  const missing = [];
  const bundle = join(dist, `${view}.js`);
  if (!existsSync(bundle)) missing.push(`${bundle}: build it first with "node esbuild.mjs" (or "npm run test:webview", which builds)`);
  if (!existsSync(CHROMIUM)) missing.push(`Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  if (!existsSync(PLAYWRIGHT_MODULE)) missing.push(`playwright-core at ${PLAYWRIGHT_MODULE}: run "npm run e2e:install"`);
  return missing;
}

/** Copies a view's style sheets and the shared base into `dist` under the names the build gives them. */
export function copyWebviewStyles(view, dist) {
  for (const dir of ['shared', view]) {
    for (const file of readdirSync(join(REPO_ROOT, 'media', dir))) {
      if (file.endsWith('.css')) copyFileSync(join(REPO_ROOT, 'media', dir, file), join(dist, `${dir}.${file}`));
    }
  }
}
