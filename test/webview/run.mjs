#!/usr/bin/env node
// Runs the webview component tests (test/webview/*.test.mjs): each opens a built webview bundle from
// dist/webview in headless Chromium under the extension's real Content-Security-Policy and drives it as
// the extension host and a user would. One file at a time (each starts its own browser).
//
//   node test/webview/run.mjs [substring of a file name]
//   WEBVIEW_DIST=/other/dir node test/webview/run.mjs     test another build of the bundles

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT, missingPrerequisites } from './lib/paths.mjs';

const filter = process.argv[2];
const dir = join(REPO_ROOT, 'test', 'webview');
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.test.mjs') && (!filter || name.includes(filter)))
  .sort()
  .map((name) => relative(REPO_ROOT, join(dir, name)));
if (files.length === 0) {
  console.error(`No webview test file matches "${filter}".`);
  process.exit(1);
}
const missing = missingPrerequisites('flamegraph');
if (missing.length > 0) {
  console.error(`The webview tests cannot run:\n  - ${missing.join('\n  - ')}`);
  process.exit(1);
}
console.log(`webview: ${files.length} test file(s)`);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', `--test-reporter=${process.env.GO_TRACE_LENS_TEST_REPORTER || 'spec'}`, ...files], { cwd: REPO_ROOT, stdio: 'inherit' });
process.exit(result.status ?? 1);
