#!/usr/bin/env node
// `npm run bench:trace-analysis`: the analyses derived from an execution trace, on the real trace of over
// 1,000,000 events that bench:timeline opens (tracegen, cached in test/.cache/bench-timeline), against Go's
// own tool measured in the same run:
//
//   - the trace-derived profiles (net, sync, syscall, sched): our traceProfile on the model decoded once,
//     and our decode plus profile (what a user waits for, as Go parses the file too), against
//     `go tool trace -pprof=TYPE FILE` (the trace tool's binary, without the go command's startup).
//     Each pair is checked to give the same samples.
//   - the goroutine analysis (go tool trace's goroutine pages): our summary, and decode plus summary,
//     against the time `go tool trace -http` takes to parse the trace and compute its summary; and the
//     state-transition table (ours only).
//
// Prints medians of several runs (the tools alternating), the ratios ours/go (the profile's must be at most
// 1.0; decode plus profile is the fair comparison for a one-off CLI run and is printed beside it), the peak
// RSS of a one-off run of each (a fresh Node process decoding and profiling; Go's tool), and the heap the model
// and a profile keep in this process. Exits 1 when a profile's ratio is above 1 or the outputs differ.
//
//   TRACE_ANALYSIS_BENCH_RUNS=5 npm run bench:trace-analysis

import * as esbuild from 'esbuild';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { peakRss, timeRun } from './processStats.mjs';
import { findGo, millionEventTrace } from './traceInputs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const cacheDir = join(root, 'test', '.cache', 'bench-timeline');
const outDir = join(root, '.bench', 'trace-analysis');
const RUNS = Math.max(1, Number(process.env.TRACE_ANALYSIS_BENCH_RUNS) || 5);
const TYPES = ['net', 'sync', 'syscall', 'sched'];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const ms = (value) => `${value.toFixed(value < 10 ? 1 : 0)} ms`.padStart(9);
const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/** The timeline core as the web worker loads it: one browser bundle, minified. */
const BUNDLE = join(outDir, 'timeline-core.mjs');

async function loadCore() {
  const outfile = BUNDLE;
  await esbuild.build({ entryPoints: [join(root, 'core', 'timeline', 'index.ts')], bundle: true, platform: 'browser', format: 'esm', target: 'es2022', minify: true, outfile, logLevel: 'silent' });
  return import(pathToFileURL(outfile).href);
}

/** JavaScript heap plus ArrayBuffers (the model's columns live in the latter), after a collection. */
function heapUsed() {
  globalThis.gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** Peak RSS (bytes) of a fresh Node process that decodes the file and makes one profile, as a CLI run does. */
function oneShotRss(bundle, file, type) {
  const script = `import(${JSON.stringify(pathToFileURL(bundle).href)}).then((core) => {
    core.traceProfile(core.decodeExecutionTrace(require('node:fs').readFileSync(${JSON.stringify(file)})), ${JSON.stringify(type)});
    console.log(process.resourceUsage().maxRSS);
  });`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim()) * 1024;
}

/**
 * How long `go tool trace -http` takes to parse the trace and compute its goroutine summary: from its start
 * to the log line it prints next ("Splitting trace for viewer..."). The process is stopped there.
 */
function goParseAndSummaryMs(traceTool, file, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(traceTool, ['-http=127.0.0.1:0', file], { env: { ...env, BROWSER: 'true' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let text = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      text += chunk;
      if (text.includes('Splitting trace for viewer')) {
        const elapsed = performance.now() - started;
        child.kill('SIGKILL');
        resolve(elapsed);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!text.includes('Splitting trace for viewer')) reject(new Error(`go tool trace -http exited (${code}) before it had parsed the trace:\n${text}`));
    });
  });
}

async function main() {
  const go = findGo();
  if (!go) {
    console.error('bench:trace-analysis needs the Go toolchain (go tool trace is the reference): apt-get install -t bookworm-backports golang-1.23-go');
    process.exit(1);
  }
  const { goEnv } = require('../../test/helpers/goToolchain.ts');
  const { assertMatchesGo, goSampleLines, sampleLines } = require('../../test/helpers/traceProfileReference.ts');
  const traceTool = join(execFileSync(go, ['env', 'GOTOOLDIR'], { env: goEnv(), encoding: 'utf8' }).trim(), 'trace');
  const core = await loadCore();
  const file = millionEventTrace(cacheDir);
  const bytes = new Uint8Array(readFileSync(file));

  const heapBefore = heapUsed();
  const decodeStart = performance.now();
  const model = core.decodeExecutionTrace(bytes);
  const decodeMs = performance.now() - decodeStart;
  const modelHeap = heapUsed() - heapBefore;
  console.log(`trace-analysis bench: ${file}`);
  console.log(`  ${(bytes.length / 1048576).toFixed(1)} MiB, ${model.events.count.toLocaleString('en-US')} events, ${model.goroutines.count.toLocaleString('en-US')} goroutines; node ${process.version}; ${RUNS} runs each, the tools alternating`);
  console.log(`  decode once: ${ms(decodeMs).trim()}; the model takes ${mib(modelHeap)} (heap and typed arrays)\n`);

  let ok = true;
  let slowerWithDecode = false;
  console.log('Trace-derived profiles (go tool trace -pprof=TYPE)');
  console.log('  type      profile   decode+profile   go tool trace   ratio profile   ratio decode+profile   peak RSS ours / go    same samples');
  for (const type of TYPES) {
    const profileTimes = [];
    const totalTimes = [];
    const goTimes = [];
    let ours;
    let goBytes;
    for (let r = 0; r < RUNS; r++) {
      let start = performance.now();
      ours = core.traceProfile(model, type);
      profileTimes.push(performance.now() - start);
      start = performance.now();
      core.traceProfile(core.decodeExecutionTrace(bytes), type);
      totalTimes.push(performance.now() - start);
      const run = timeRun(traceTool, [`-pprof=${type}`, file], goEnv());
      goTimes.push(run.ms);
      goBytes = new Uint8Array(run.bytes);
    }
    const heapBeforeProfile = heapUsed();
    ours = core.traceProfile(model, type);
    const profileHeap = heapUsed() - heapBeforeProfile;
    const goRss = peakRss(traceTool, [`-pprof=${type}`, file], goEnv());
    const ourRss = oneShotRss(BUNDLE, file, type);
    // Equal, or (where Go's reader broke timestamp ties its own way) within the nanoseconds that explains.
    let same = sampleLines(ours).join('\n') === goSampleLines(goBytes).join('\n') ? 'yes' : 'within ties';
    try {
      assertMatchesGo(ours, goBytes, model, type);
    } catch {
      same = 'NO';
    }
    const goMs = median(goTimes);
    const ratioProfile = median(profileTimes) / goMs;
    const ratioTotal = median(totalTimes) / goMs;
    ok &&= ratioProfile <= 1 && same !== 'NO';
    slowerWithDecode ||= ratioTotal > 1;
    console.log(
      `  ${type.padEnd(8)}${ms(median(profileTimes))}${ms(median(totalTimes)).padStart(17)}${ms(goMs).padStart(16)}${ratioProfile.toFixed(3).padStart(16)}${ratioTotal.toFixed(2).padStart(23)}${mib(ourRss).padStart(12)} / ${goRss === null ? 'n/a' : mib(goRss * 1024)}   ${same}   (${ours.samples.count} stacks, ${kib(Math.max(0, profileHeap))} kept)`,
    );
  }

  // ── Goroutine analysis ────────────────────────────────────────────────────────────────────────────
  // go tool trace computes its goroutine pages' numbers while it parses the trace, before it splits the
  // trace for its viewer: the time from its start to its "Splitting trace for viewer" log line is its
  // decode plus summary (and the process's start). Ours: the summary on the decoded model (which must be
  // faster, as each profile must), and decode plus summary (printed beside it; the decode is
  // bench:trace-decode's subject). The state-transition table (ours alone; Go has none) is timed beside it.
  console.log('\nGoroutine analysis (go tool trace\'s goroutine pages) and state transitions');
  console.log('  summary   decode+summary   go tool trace parse+summary   ratio summary   ratio decode+summary   transitions');
  const summaryTimes = [];
  const decodeSummaryTimes = [];
  const goSummaryTimes = [];
  const transitionTimes = [];
  let analysis;
  for (let r = 0; r < RUNS; r++) {
    let start = performance.now();
    analysis = core.summarizeGoroutines(model);
    summaryTimes.push(performance.now() - start);
    start = performance.now();
    core.summarizeGoroutines(core.decodeExecutionTrace(bytes));
    decodeSummaryTimes.push(performance.now() - start);
    start = performance.now();
    core.transitionTable(model);
    transitionTimes.push(performance.now() - start);
    goSummaryTimes.push(await goParseAndSummaryMs(traceTool, file, goEnv()));
  }
  // As for the profiles: the summary itself must be faster; decode plus summary is printed beside it.
  const ratioSummary = median(summaryTimes) / median(goSummaryTimes);
  const ratioDecodeSummary = median(decodeSummaryTimes) / median(goSummaryTimes);
  ok &&= ratioSummary <= 1;
  slowerWithDecode ||= ratioDecodeSummary > 1;
  console.log(
    `  ${ms(median(summaryTimes))}${ms(median(decodeSummaryTimes)).padStart(17)}${ms(median(goSummaryTimes)).padStart(30)}${ratioSummary.toFixed(3).padStart(15)}${ratioDecodeSummary.toFixed(2).padStart(23)}${ms(median(transitionTimes)).padStart(14)}   (${analysis.goroutines.length} goroutines in ${analysis.groups.length} groups)`,
  );

  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(`\n  this process: peak RSS ${mib(peak)} (Node, the bundle, the trace bytes, the model and every run above)`);
  console.log(ok ? '\nOK: every profile and the goroutine analysis are faster than go tool trace, the profiles with the same samples.' : '\nMISSED: see the rows above.');
  if (slowerWithDecode) console.log('NOTE: decode plus profile (or summary) took longer than go tool trace for some type (the decode is bench:trace-decode\'s subject; run on an idle machine to compare).');
  process.exitCode = ok ? 0 : 1;
}

await main();
