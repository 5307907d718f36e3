#!/usr/bin/env node
// Benchmark of the capture core (`npm run bench:capture`): how fast captureToFile streams a large
// execution trace to disk and captures a real heap profile, against curl (and `go tool pprof -proto` for
// the profile) measured in the same run on the same endpoints. Prints the medians and the ratios.
//
// The core is bundled with esbuild into .bench/capture/ and loaded from there. The large body comes from
// a separate Node process (so server and client do not share a thread); the profile from test/go/service
// built with the installed Go toolchain (skipped with a note when Go is missing).

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = join(root, '.bench', 'capture');
const TRACE_MB = Number(process.env.BENCH_TRACE_MB ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(fn) {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

function startChild(command, args, pattern, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], ...options });
    let output = '';
    child.stdout.on('data', (data) => {
      output += data;
      const match = pattern.exec(output);
      if (match) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code} before it was ready: ${output}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

// A separate process serving `go 1.23 trace` + TRACE_MB MB at /debug/pprof/trace, chunked like Go does.
const TRACE_SERVER = `
const http = require('node:http');
const header = Buffer.from('go 1.23 trace\\0\\0\\0');
const block = Buffer.alloc(1 << 20, 0x5a);
const total = ${TRACE_MB};
http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
  res.write(header);
  let sent = 0;
  const pump = () => {
    while (sent < total) {
      sent++;
      if (!res.write(block)) return res.once('drain', pump);
    }
    res.end();
  };
  pump();
}).listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });
`;

async function main() {
  mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(root, 'core/capture/captureToFile.node.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(outDir, 'captureToFile.mjs'),
    logLevel: 'warning',
  });
  const { captureToFile } = await import(pathToFileURL(join(outDir, 'captureToFile.mjs')).href);
  const scratch = mkdtempSync(join(tmpdir(), 'gtl-bench-capture-'));
  const lines = [];
  try {
    // 1. A large trace: streaming throughput.
    const traceServer = await startChild(process.execPath, ['-e', TRACE_SERVER], /listening on (http:\/\/\S+)/);
    try {
      const base = `${traceServer.url}/debug/pprof`;
      const ours = [];
      const curl = [];
      for (let i = 0; i < RUNS; i++) {
        const dest = join(scratch, `ours-${i}`);
        let saved;
        ours.push(await timed(async () => (saved = await captureToFile({ endpoint: { baseUrl: base }, kind: 'trace', seconds: 1, destination: dest }, { maxBytes: (TRACE_MB + 1) * 1024 * 1024 }))));
        if (statSync(saved.path).size !== TRACE_MB * 1024 * 1024 + 16) throw new Error('the captured trace has the wrong size');
        rmSync(dest, { recursive: true, force: true });
        const file = join(scratch, `curl-${i}.trace`);
        curl.push(await timed(async () => execFileSync('curl', ['-sSf', '-o', file, `${base}/trace?seconds=1`])));
        rmSync(file, { force: true });
      }
      const o = median(ours);
      const c = median(curl);
      lines.push(`trace ${TRACE_MB} MB   go-trace-lens ${o.toFixed(3)} s (${(TRACE_MB / o).toFixed(0)} MB/s)   curl ${c.toFixed(3)} s (${(TRACE_MB / c).toFixed(0)} MB/s)   ratio ${(o / c).toFixed(2)}`);
    } finally {
      await stop(traceServer.child);
    }

    // 2. A real heap profile from the Go test service: latency of a small capture, validation included.
    const go = ['/usr/lib/go-1.23/bin/go', '/usr/local/go/bin/go'].find((p) => existsSync(p));
    if (!go) {
      lines.push('heap profile: skipped (Go toolchain not installed)');
    } else {
      const env = { ...process.env, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '-mod=mod', GOTELEMETRY: 'off' };
      const binary = join(outDir, 'service');
      execFileSync(go, ['build', '-o', binary, './service'], { cwd: join(root, 'test/go'), env, stdio: 'inherit' });
      const service = await startChild(binary, ['-addr', '127.0.0.1:0'], /listening on (http:\/\/\S+)/);
      try {
        const base = `${service.url}/debug/pprof`;
        const ours = [];
        const curl = [];
        const pprof = [];
        for (let i = 0; i < RUNS; i++) {
          const dest = join(scratch, `heap-${i}`);
          ours.push(await timed(() => captureToFile({ endpoint: { baseUrl: base }, kind: 'heap', destination: dest })));
          curl.push(await timed(async () => execFileSync('curl', ['-sSf', '-o', join(scratch, `heap-${i}.curl`), `${base}/heap`])));
          pprof.push(await timed(async () => execFileSync(go, ['tool', 'pprof', '-proto', '-output', join(scratch, `heap-${i}.pprof`), `${base}/heap`], { env, stdio: 'ignore' })));
        }
        const o = median(ours);
        const c = median(curl);
        const p = median(pprof);
        lines.push(`heap profile (curl and go tool pprof include starting their process)`);
        lines.push(`                   go-trace-lens ${(o * 1000).toFixed(1)} ms   curl ${(c * 1000).toFixed(1)} ms (ratio ${(o / c).toFixed(2)})   go tool pprof -proto ${(p * 1000).toFixed(1)} ms (ratio ${(o / p).toFixed(2)})`);
      } finally {
        await stop(service.child);
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`capture benchmark, median of ${RUNS} runs (go-trace-lens includes validation and the rename):`);
  for (const line of lines) console.log(`  ${line}`);
}

await main();
