#!/usr/bin/env node
// Runs one test tier several times under CPU load, as a busy shared CI runner would see it, and prints
// how often each test passed and failed, with the first lines of every failure. A flaky test shows up
// here before it fails for a newcomer.
//
//   npm run test:soak -- <unit|lsp|webview|e2e> [--runs N] [--load K] [filter]
//
//   --runs N   how many times the tier runs (default 5)
//   --load K   busy loops (one process each, at normal priority) beside it (default 1; 0 for none)
//   filter     passed to the tier's runner: a substring of a test file or scenario name
//
// The tier is built once (bundles, or the packaged .vsix for e2e), then run N times in a row. Each run's
// whole output is kept in .soak/<tier>-<run>.log (end-to-end screenshots in .soak/e2e-<run>-artifacts/).
// Exits 1 when any run had a failure.

import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LOG_DIR = join(ROOT, '.soak');

const TIERS = {
  unit: { build: [], run: (filter) => ['test/run-tests.mjs', 'unit', ...(filter ? [filter] : [])], parse: parseTap },
  lsp: { build: [['node', 'esbuild.mjs']], run: (filter) => ['test/run-tests.mjs', 'lsp', ...(filter ? [filter] : [])], parse: parseTap },
  webview: { build: [['node', 'esbuild.mjs']], run: (filter) => ['test/webview/run.mjs', ...(filter ? [filter] : [])], parse: parseTap },
  e2e: { build: [['npm', 'run', 'package']], run: (filter) => ['test/e2e/run.mjs', ...(filter ? [filter] : [])], parse: parseScenarios },
};

function usage(message) {
  if (message) console.error(`test:soak: ${message}`);
  console.error('usage: npm run test:soak -- <unit|lsp|webview|e2e> [--runs N] [--load K] [filter]');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { tier: undefined, runs: 5, load: 1, filter: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--runs' || arg === '--load') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < (arg === '--runs' ? 1 : 0)) usage(`${arg} takes a whole number${arg === '--runs' ? ' of at least 1' : ''}, not "${argv[i]}"`);
      options[arg.slice(2)] = value;
    } else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else if (!options.tier) options.tier = arg;
    else if (!options.filter) options.filter = arg;
    else usage(`unexpected argument "${arg}"`);
  }
  if (!options.tier) usage('name a tier');
  if (!TIERS[options.tier]) usage(`unknown tier "${options.tier}"`);
  return options;
}

/**
 * Results of Node's test runner from its TAP output: one entry per test, named by its path of suites
 * (`file > describe > it`). TAP announces each test with `# Subtest: name` at its depth before its
 * result line, so the path is known when the `ok`/`not ok` line arrives.
 */
export function parseTap(text) {
  const results = [];
  const path = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const subtest = /^(\s*)# Subtest: (.*)$/.exec(line);
    if (subtest) {
      const depth = subtest[1].length / 4;
      path.length = depth;
      path[depth] = subtest[2];
      continue;
    }
    const result = /^(\s*)(not ok|ok) \d+ - (.*?)(?: # (SKIP|TODO).*)?$/.exec(line);
    if (!result) continue;
    const depth = result[1].length / 4;
    const name = [...path.slice(0, depth), result[3]].join(' > ');
    const hasChildren = i > 0 && results.length > 0 && results[results.length - 1].depth > depth;
    const outcome = result[4] ? 'skipped' : result[2] === 'ok' ? 'passed' : 'failed';
    const detail = outcome === 'failed' ? failureDetail(lines, i + 1, result[1]) : '';
    results.push({ name, depth, outcome, detail, parent: hasChildren });
  }
  // A suite's own line repeats its children's verdict: keep the leaves (and a suite that failed by itself).
  return results.filter((r) => !r.parent || (r.outcome === 'failed' && !results.some((c) => c.depth > r.depth && c.outcome === 'failed' && c.name.startsWith(`${r.name} > `))));
}

/** The YAML block under a failed TAP result: its error message and the first stack line, on one line. */
function failureDetail(lines, from, indent) {
  const out = [];
  for (let i = from; i < lines.length && i < from + 60; i++) {
    const line = lines[i];
    if (!line.startsWith(`${indent}  `)) break;
    const trimmed = line.trim();
    if (trimmed === '---' || trimmed === '...' || /^(duration_ms|type|failureType|code|location|name):/.test(trimmed)) continue;
    out.push(trimmed.replace(/^error: /, ''));
    if (out.length >= 4) break;
  }
  return stripAnsi(out.join(' ')).replace(/\s+/g, ' ').slice(0, 400);
}

// eslint-disable-next-line no-control-regex
const stripAnsi = (text) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** Results of the end-to-end runner: `✔ label (12.3 s)` and `✖ label` followed by its indented error. */
export function parseScenarios(text) {
  const results = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const passed = /^✔ (.*?) \(\d+(?:\.\d+)? s\)$/.exec(lines[i]);
    if (passed) results.push({ name: passed[1], outcome: 'passed', detail: '' });
    const failed = /^✖ (.*)$/.exec(lines[i]);
    if (failed) {
      const detail = stripAnsi(lines.slice(i + 1, i + 4).map((l) => l.trim()).join(' ')).slice(0, 400);
      results.push({ name: failed[1], outcome: 'failed', detail });
    }
  }
  return results;
}

/** Starts `count` processes that each keep one CPU busy until stopped. */
function startLoad(count) {
  const loops = [];
  for (let i = 0; i < count; i++) {
    loops.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  }
  return () => {
    for (const loop of loops) loop.kill('SIGKILL');
  };
}

/** Runs the tier once with a TAP reporter added (Node's runner) and returns its whole output. */
function runOnce(tier, filter, logFile) {
  return new Promise((resolve) => {
    // Each run keeps its own end-to-end screenshots (a run clears the folder it writes to).
    const env = { ...process.env, GO_TRACE_LENS_TEST_REPORTER: 'tap', GTL_E2E_ARTIFACTS: logFile.replace(/\.log$/, '-artifacts') };
    const child = spawn(process.execPath, TIERS[tier].run(filter), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      writeFileSync(logFile, output);
      resolve({ code, output });
    });
  });
}

async function main() {
  const { tier, runs, load, filter } = parseArgs(process.argv.slice(2));
  for (const command of TIERS[tier].build) {
    console.log(`soak: building (${command.join(' ')})`);
    const built = spawnSync(command[0], command.slice(1), { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) {
      console.error(`soak: "${command.join(' ')}" failed; fix the build first.`);
      process.exit(1);
    }
  }
  mkdirSync(LOG_DIR, { recursive: true });
  if (tier === 'e2e') {
    // Runs install their own copy of the package: a build in dist/ meanwhile (another terminal, an editor's
    // watch) must not pull it away between runs.
    copyFileSync(join(ROOT, 'dist', 'go-trace-lens.vsix'), join(LOG_DIR, 'go-trace-lens.vsix'));
    process.env.GTL_E2E_VSIX = join(LOG_DIR, 'go-trace-lens.vsix');
  }
  const stopLoad = startLoad(load);
  const stop = () => {
    stopLoad();
    process.exit(130);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const tally = new Map();
  const failures = [];
  let failedRuns = 0;
  try {
    for (let run = 1; run <= runs; run++) {
      const started = Date.now();
      const logFile = join(LOG_DIR, `${tier}-${run}.log`);
      const { code, output } = await runOnce(tier, filter, logFile);
      const results = TIERS[tier].parse(output);
      let failed = 0;
      for (const result of results) {
        const entry = tally.get(result.name) ?? { passed: 0, failed: 0, skipped: 0 };
        entry[result.outcome]++;
        tally.set(result.name, entry);
        if (result.outcome === 'failed') {
          failed++;
          failures.push({ run, name: result.name, detail: result.detail });
        }
      }
      // A run that failed without a failed test (a crash, a build error) counts as a failure of the run.
      if (code !== 0 && failed === 0) failures.push({ run, name: '(the run itself)', detail: `exit code ${code}; see ${logFile}` });
      if (code !== 0 || failed > 0) failedRuns++;
      console.log(`soak: ${tier} run ${run}/${runs} with ${load} busy loop(s): ${results.length - failed} passed, ${failed} failed, exit ${code} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  } finally {
    stopLoad();
  }

  console.log(`\nsoak: ${tier}, ${runs} run(s), ${load} busy loop(s); logs in ${LOG_DIR}`);
  const rows = [...tally].sort((a, b) => b[1].failed - a[1].failed || a[0].localeCompare(b[0]));
  for (const [name, { passed, failed, skipped }] of rows) {
    console.log(`${failed ? '✖' : '✔'} ${String(passed).padStart(3)} passed ${String(failed).padStart(3)} failed${skipped ? ` ${skipped} skipped` : ''}  ${name}`);
  }
  for (const { run, name, detail } of failures) console.log(`\nrun ${run}: ${name}\n  ${detail}`);
  console.log(`\n${runs - failedRuns} passed, ${failedRuns} failed`);
  process.exit(failedRuns ? 1 : 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
