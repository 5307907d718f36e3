#!/usr/bin/env node
// `npm run bench:backends`: the backends core against a local server in a separate process (so server and
// client do not share a thread), serving answers encoded once beforehand as the backends encode them.
//   - a 100,000-span trace fetched and turned into the timeline's model (fetchTrace + parseSpanTrace), from
//     Tempo's protobuf and from Jaeger's API v3 JSON, against parsing the same trace from a file on disk;
//     target: a model in under 2 s, as from a file.
//   - a 1,000,000-sample merged profile (scripts/bench/pprofGenerate.mjs) fetched from Pyroscope (raw pprof)
//     and Parca (gzipped, in gRPC-web) and decoded, against decoding the same profile from a file;
//     target: decoding what was fetched is no slower than decoding the file.
// Each case runs in its own Node process (median of BENCH_RUNS runs, the cases taking turns), so the peak
// memory printed is its own.
// Exits 1 when a target is missed.
//
//   BENCH_RUNS=5 npm run bench:backends

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = join(root, '.bench', 'backends');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS) || 3);
const SPANS = 100_000;
const SAMPLES = 1_000_000;
const MODEL_TARGET_MS = 2000;
const TRACE_ID_FILE = join(outDir, 'trace-id.txt');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// ---------------------------------------------------------------------------------------------------
// Inputs: written once under .bench/backends

async function prepare() {
  mkdirSync(outDir, { recursive: true });
  const { generateOtlpTrace, otlpProtoType, parcaType } = await import('../../test/helpers/backendServers.ts');
  if (!existsSync(TRACE_ID_FILE)) {
    const { traceId, document } = generateOtlpTrace(SPANS);
    writeFileSync(join(outDir, 'trace.otlp.json'), JSON.stringify(document));
    writeFileSync(join(outDir, 'jaeger-v3.json'), JSON.stringify({ result: document }));
    const bytes = (id) => (id ? Buffer.from(id, 'hex') : undefined);
    const proto = {
      resourceSpans: document.resourceSpans.map((rs) => ({ ...rs, scopeSpans: rs.scopeSpans.map((ss) => ({ ...ss, spans: ss.spans.map((s) => ({ ...s, traceId: bytes(s.traceId), spanId: bytes(s.spanId), parentSpanId: bytes(s.parentSpanId) })) })) })),
    };
    writeFileSync(join(outDir, 'tempo-v2.pb'), otlpProtoType('TraceByIDResponse').encode({ trace: proto }).finish());
    writeFileSync(TRACE_ID_FILE, traceId);
  }
  const profileGz = join(outDir, `profile-${SAMPLES}.pb.gz`);
  if (!existsSync(profileGz)) {
    execFileSync(process.execPath, [join(root, 'scripts', 'bench', 'pprofGenerate.mjs'), profileGz, String(SAMPLES)], { stdio: 'inherit' });
    const gz = readFileSync(profileGz);
    writeFileSync(join(outDir, 'profile.pb'), gunzipSync(gz));
    const message = parcaType('QueryResponse').encode({ pprof: gz, total: 1 }).finish();
    const frame = (flag, payload) => Buffer.concat([Buffer.from([flag, ...[24, 16, 8, 0].map((s) => (payload.length >>> s) & 0xff)]), payload]);
    writeFileSync(join(outDir, 'parca-query.grpcweb'), Buffer.concat([frame(0, message), frame(0x80, Buffer.from('grpc-status:0\r\ngrpc-message:\r\n'))]));
  }
  return { traceId: readFileSync(TRACE_ID_FILE, 'utf8'), profileGz };
}

// ---------------------------------------------------------------------------------------------------
// The server: a separate process answering from memory

const SERVER = `
const http = require('node:http');
const fs = require('node:fs');
const dir = process.argv[1];
const routes = [
  [/^\\/api\\/v2\\/traces\\//, 'tempo-v2.pb', 'application/protobuf'],
  [/^\\/api\\/v3\\/traces\\//, 'jaeger-v3.json', 'application/json'],
  [/^\\/querier\\.v1\\.QuerierService\\/SelectMergeProfile$/, 'profile.pb', 'application/proto'],
  [/^\\/api\\/parca\\.query\\.v1alpha1\\.QueryService\\/Query$/, 'parca-query.grpcweb', 'application/grpc-web+proto'],
].map(([path, file, type]) => ({ path, body: fs.readFileSync(dir + '/' + file), type }));
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const route = routes.find((r) => r.path.test(req.url.split('?')[0]));
    if (!route) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'Content-Type': route.type, 'Content-Length': route.body.length });
    res.end(route.body);
  });
});
server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port));
`;

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', SERVER, outDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', (data) => resolve({ child, url: String(data).trim() }));
    child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
  });
}

// ---------------------------------------------------------------------------------------------------
// One case in this process (when run as a child): prints {ms, parts, maxRssKb}

async function runCase(name, url, traceId, profileGz) {
  const timeline = await import('../../core/timeline/index.ts');
  const backends = await import('../../core/backends/index.node.ts');
  const profiles = await import('../../core/profiles/index.node.ts');
  const range = { startMs: Date.now() - 3600e3, endMs: Date.now() };
  const started = performance.now();
  const parts = {};
  const lap = (part, since) => (parts[part] = performance.now() - since);
  let check;
  if (name === 'trace-file') {
    const read = performance.now();
    const text = readFileSync(join(outDir, 'trace.otlp.json'), 'utf8');
    lap('read', read);
    const parse = performance.now();
    check = timeline.parseSpanTrace(text).spans.count;
    lap('parse', parse);
  } else if (name === 'trace-tempo' || name === 'trace-jaeger') {
    const fetch = performance.now();
    const trace = await backends.fetchTrace(name === 'trace-tempo' ? { kind: 'tempo', url } : { kind: 'jaeger', url }, traceId, { api: name === 'trace-tempo' ? 'v2' : 'v3' });
    lap('fetch', fetch);
    const parse = performance.now();
    check = timeline.parseSpanTrace(trace.text).spans.count;
    lap('parse', parse);
  } else if (name === 'profile-file') {
    check = (await profiles.decodeProfileFile(profileGz)).samples.count;
    lap('decode', started);
  } else {
    const kind = name === 'profile-pyroscope' ? 'pyroscope' : 'parca';
    const fetch = performance.now();
    const profile = await backends.fetchProfile({ kind, url }, { type: 'bench:cpu:nanoseconds:cpu:nanoseconds', selector: '{service_name="bench"}', range });
    lap('fetch', fetch);
    const decode = performance.now();
    check = profiles.decodeProfileBytes(profile.bytes).samples.count;
    lap('decode', decode);
  }
  const ms = performance.now() - started;
  console.log(JSON.stringify({ ms, parts, check, maxRssKb: process.resourceUsage().maxRSS }));
}

function runChild(name, url, traceId, profileGz) {
  const output = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--case', name, url, traceId, profileGz], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(output.trim().split('\n').at(-1));
}

/** Runs the cases round-robin (so a busy machine slows each alike) and takes each one's medians. */
function measure(names, url, traceId, profileGz) {
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < RUNS; i++) for (const name of names) runs[name].push(runChild(name, url, traceId, profileGz));
  return names.map((name) => {
    const all = runs[name];
    const parts = Object.fromEntries(Object.keys(all[0].parts).map((p) => [p, median(all.map((r) => r.parts[p]))]));
    return { ms: median(all.map((r) => r.ms)), parts, check: all[0].check, maxRssMb: Math.max(...all.map((r) => r.maxRssKb)) / 1024 };
  });
}

function row(label, result, reference) {
  const parts = Object.entries(result.parts).map(([p, ms]) => `${p} ${ms.toFixed(0)} ms`).join(', ');
  const ratio = reference ? `  ${(result.ms / reference.ms).toFixed(2)}x the file` : '';
  console.log(`  ${label.padEnd(34)} ${result.ms.toFixed(0).padStart(6)} ms  (${parts})  peak RSS ${result.maxRssMb.toFixed(0)} MB${ratio}`);
}

async function main() {
  const { traceId, profileGz } = await prepare();
  const { child, url } = await startServer();
  let failed = false;
  try {
    console.log(`Backends benchmark, median of ${RUNS} runs, each case in its own process\n`);
    console.log(`A ${SPANS.toLocaleString('en-US')}-span trace to the timeline's model (target < ${MODEL_TARGET_MS} ms):`);
    const [file, tempo, jaeger] = measure(['trace-file', 'trace-tempo', 'trace-jaeger'], url, traceId, profileGz);
    for (const r of [file, tempo, jaeger]) if (r.check !== SPANS) throw new Error(`a case parsed ${r.check} spans, not ${SPANS}`);
    row('OTLP/JSON file from disk', file);
    row('Tempo v2, protobuf', tempo, file);
    row('Jaeger API v3, OTLP/JSON', jaeger, file);
    for (const [label, r] of [['Tempo', tempo], ['Jaeger', jaeger]]) {
      if (r.ms > MODEL_TARGET_MS) {
        failed = true;
        console.log(`  MISSED: ${label} took ${r.ms.toFixed(0)} ms to a model, over ${MODEL_TARGET_MS} ms`);
      }
    }

    console.log(`\nA ${SAMPLES.toLocaleString('en-US')}-sample merged profile, decoded (target: decoding no slower than the file's):`);
    const [pfile, pyroscope, parca] = measure(['profile-file', 'profile-pyroscope', 'profile-parca'], url, traceId, profileGz);
    for (const r of [pyroscope, parca]) if (r.check !== pfile.check) throw new Error(`a case decoded ${r.check} samples, the file ${pfile.check}`);
    row('pprof file from disk (gzipped)', pfile);
    row('Pyroscope SelectMergeProfile', pyroscope, pfile);
    row('Parca Query (gRPC-web, gzipped)', parca, pfile);
    for (const [label, r] of [['Pyroscope', pyroscope], ['Parca', parca]]) {
      const ratio = r.parts.decode / pfile.ms;
      console.log(`  ${label}: decoding what was fetched takes ${ratio.toFixed(2)}x decoding the file`);
      if (ratio > 1) {
        failed = true;
        console.log(`  MISSED: ${label}'s profile decodes slower than the file`);
      }
    }
  } finally {
    child.kill();
  }
  process.exit(failed ? 1 : 0);
}

const caseAt = process.argv.indexOf('--case');
if (caseAt !== -1) {
  const [name, url, traceId, profileGz] = process.argv.slice(caseAt + 1);
  await runCase(name, url, traceId, profileGz);
} else {
  await main();
}
