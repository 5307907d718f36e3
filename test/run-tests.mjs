#!/usr/bin/env node
// Runs one tier of tests with Node's built-in runner: `node test/run-tests.mjs unit|lsp [filter]`.
// Test files are TypeScript (`*.test.ts`), loaded through tsx; Node 20's --test does not expand globs.

import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [tier, filter] = process.argv.slice(2);
if (!tier) {
  console.error('usage: node test/run-tests.mjs <unit|lsp> [substring of a file name]');
  process.exit(2);
}

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...collect(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const files = collect(join(root, 'test', tier))
  .filter((f) => !filter || f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error(`No test files for tier "${tier}"${filter ? ` matching "${filter}"` : ''}.`);
  process.exit(1);
}
console.log(`${tier}: ${files.length} test file(s)`);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-reporter=${process.env.GO_TRACE_LENS_TEST_REPORTER || 'spec'}`, ...files.map((f) => relative(root, f))],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
