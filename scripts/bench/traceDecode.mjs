#!/usr/bin/env node
// `npm run bench:trace-decode`: how fast the trace cores turn files into timeline models, against a
// reference measured in the same run.
//
// - A real Go execution trace of about 1,000,000 events: our decode (bytes to the columnar model, the
//   bundle a web worker would load) and our decode plus the full event listing, against
//   `go tool trace -d=1 FILE`, Go's own reader listing the same events. The two listings are compared
//   (by SHA-256, as they are hundreds of megabytes).
// - 100,000 spans of OTLP/JSON: parseSpanTrace (JSON, model, waterfall, problems) against JSON.parse of
//   the same text, the floor any JSON-based reader pays.
//
// Prints medians of several runs (the tools alternating), the ratios, and the model's size. Exits 1 if
// the listings differ or a decode misses its budget (1 s per million events; 1.5 s per 100,000 spans).
//
//   TRACE_BENCH_RUNS=5 npm run bench:trace-decode

import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { executionTrace, findGo, spanTrace } from './traceInputs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, '.bench', 'traces');
const runs = Number(process.env.TRACE_BENCH_RUNS ?? 5);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function ms(value) {
  return `${Math.round(value).toLocaleString('en-US')} ms`.padStart(10);
}

function typedBytes(value, depth = 0) {
  if (depth > 3 || typeof value !== 'object' || value === null) return 0;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  return Object.values(value).reduce((sum, v) => sum + typedBytes(v, depth + 1), 0);
}

async function loadCores() {
  const outfile = join(outDir, 'traces.mjs');
  // The same bundle a web worker would load: platform "browser", no Node built-ins allowed.
  await esbuild.build({ entryPoints: [join(root, 'core', 'timeline', 'index.ts')], bundle: true, platform: 'browser', format: 'esm', target: 'es2022', minify: true, outfile, logLevel: 'silent' });
  return import(pathToFileURL(outfile).href);
}

const cores = await loadCores();
let failed = false;

// Execution trace.
const tracePath = executionTrace(root, outDir);
const bytes = new Uint8Array(readFileSync(tracePath));
const go = findGo();
const decodeTimes = [];
let model;
for (let r = 0; r < runs; r++) {
  model = undefined;
  const t0 = performance.now();
  model = cores.decodeExecutionTrace(bytes);
  decodeTimes.push(performance.now() - t0);
}

/** Decode plus the whole listing, hashed as it is made (the listing of a million events is ~700 MB of text). */
function ourListing() {
  const t0 = performance.now();
  const listed = cores.decodeExecutionTrace(bytes);
  const hash = createHash('sha256');
  let chunk = '';
  for (let i = 0; i < listed.events.count; i++) {
    chunk += cores.describeEvent(listed, i) + '\n';
    if (chunk.length > 1 << 20) {
      hash.update(chunk);
      chunk = '';
    }
  }
  hash.update(chunk);
  return { ms: performance.now() - t0, digest: hash.digest('hex') };
}

/** `go tool trace -d=1 FILE`, its output hashed instead of kept. */
function goListing() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(go, ['tool', 'trace', '-d=1', tracePath], { stdio: ['ignore', 'pipe', 'pipe'] });
    const hash = createHash('sha256');
    let stderr = '';
    child.stdout.on('data', (d) => hash.update(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ ms: performance.now() - t0, digest: hash.digest('hex') }) : reject(new Error(`go tool trace failed: ${stderr}`))));
  });
}

const listingTimes = [];
const goTimes = [];
let same = true;
for (let r = 0; r < Math.min(runs, 3); r++) {
  const ours = ourListing();
  const theirs = await goListing();
  listingTimes.push(ours.ms);
  goTimes.push(theirs.ms);
  same &&= ours.digest === theirs.digest;
}
if (!same) failed = true;
const events = model.events.count;
const perMillion = median(decodeTimes) / (events / 1e6);
console.log(`execution trace: ${events.toLocaleString('en-US')} events, ${(statSync(tracePath).size / 1e6).toFixed(1)} MB, ${model.generations} generations, ${model.goroutines.count} goroutines (${tracePath})`);
console.log(`  go-trace-lens decode to model           ${ms(median(decodeTimes))}   (${ms(perMillion).trim()} per million events; model ${(typedBytes(model) / 1e6).toFixed(0)} MB of columns)`);
console.log(`  go-trace-lens decode + full listing     ${ms(median(listingTimes))}`);
console.log(`  go tool trace -d=1 (Go)                 ${ms(median(goTimes))}`);
console.log(`  ratio, listing: ours / Go               ${(median(listingTimes) / median(goTimes)).toFixed(2)}`);
console.log(`  listings identical (sha256)             ${same ? 'yes' : 'NO (equal timestamps on different threads may be ordered differently; run go-trace-lens trace events to compare)'}`);
if (perMillion > 1000) {
  console.log('  MISSED: decode budget is 1 s per million events');
  failed = true;
}

// Span trace.
const spanPath = spanTrace(outDir);
const text = readFileSync(spanPath, 'utf8');
const parseTimes = [];
const jsonTimes = [];
let spans;
for (let r = 0; r < runs; r++) {
  let t0 = performance.now();
  JSON.parse(text);
  jsonTimes.push(performance.now() - t0);
  t0 = performance.now();
  spans = cores.parseSpanTrace(text);
  parseTimes.push(performance.now() - t0);
}
console.log(`span trace: ${spans.spans.count.toLocaleString('en-US')} spans, ${spans.traces.count} traces, ${spans.services.length} services, ${(text.length / 1e6).toFixed(1)} MB OTLP/JSON`);
console.log(`  go-trace-lens parseSpanTrace            ${ms(median(parseTimes))}   (${spans.problems.length} problems)`);
console.log(`  JSON.parse alone (floor)                ${ms(median(jsonTimes))}`);
console.log(`  ratio: ours / JSON.parse                ${(median(parseTimes) / median(jsonTimes)).toFixed(2)}`);
if (median(parseTimes) > 1500) {
  console.log('  MISSED: parse budget is 1.5 s per 100,000 spans');
  failed = true;
}
process.exitCode = failed ? 1 : 0;
