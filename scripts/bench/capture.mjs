#!/usr/bin/env node
// Benchmark of the capture core (`npm run bench:capture`): how fast captureToFile streams a large
// execution trace to disk, captures a large CPU profile (the shared large.cpu.pb.gz, so the check of a
// profile's bytes is measured) and a real heap profile, against curl (and `go tool pprof -proto` for the
// heap profile) measured in the same run on the same endpoints. Prints the medians and the ratios.
//
// The core is bundled with esbuild into .bench/capture/ and loaded from there. The trace and the large
// profile come from a separate Node process (so server and client do not share a thread); the heap profile
// from test/go/service built with the installed Go toolchain (skipped with a note when Go is missing).

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

// A separate process serving one file at /debug/pprof/profile, as Go sends a CPU profile.
const profileServer = (file) => `
const http = require('node:http');
const body = require('node:fs').readFileSync(${JSON.stringify(file)});
http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Disposition': 'attachment; filename="profile"' });
  res.end(body);
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
    /**
     * Medians (s) of capturing `kind` from `base` with captureToFile and with curl, alternating; each of our
     * files must have `expectedSize` bytes.
     */
    const againstCurl = async (base, kind, urlPath, expectedSize, options = {}) => {
      const ours = [];
      const curl = [];
      for (let i = 0; i < RUNS; i++) {
        const dest = join(scratch, `${kind}-${i}`);
        let saved;
        ours.push(await timed(async () => (saved = await captureToFile({ endpoint: { baseUrl: base }, kind, seconds: 1, destination: dest }, options))));
        if (statSync(saved.path).size !== expectedSize) throw new Error(`the captured ${kind} has the wrong size`);
        rmSync(dest, { recursive: true, force: true });
        const file = join(scratch, `curl-${kind}-${i}`);
        curl.push(await timed(async () => execFileSync('curl', ['-sSf', '-o', file, `${base}/${urlPath}`])));
        rmSync(file, { force: true });
      }
      return { o: median(ours), c: median(curl) };
    };

    // 1. A large trace: streaming throughput.
    const traceServer = await startChild(process.execPath, ['-e', TRACE_SERVER], /listening on (http:\/\/\S+)/);
    try {
      const { o, c } = await againstCurl(`${traceServer.url}/debug/pprof`, 'trace', 'trace?seconds=1', TRACE_MB * 1024 * 1024 + 16, { maxBytes: (TRACE_MB + 1) * 1024 * 1024 });
      lines.push(`trace ${TRACE_MB} MB   go-trace-lens ${o.toFixed(3)} s (${(TRACE_MB / o).toFixed(0)} MB/s)   curl ${c.toFixed(3)} s (${(TRACE_MB / c).toFixed(0)} MB/s)   ratio ${(o / c).toFixed(2)}`);
    } finally {
      await stop(traceServer.child);
    }

    // 2. A large CPU profile: latency of a capture whose check sees 1.1 MiB of gzipped profile.
    const profileFile = join(root, 'test', 'fixtures', 'shared', 'pprof', 'large.cpu.pb.gz');
    const profileServerProcess = await startChild(process.execPath, ['-e', profileServer(profileFile)], /listening on (http:\/\/\S+)/);
    try {
      const size = statSync(profileFile).size;
      const { o, c } = await againstCurl(`${profileServerProcess.url}/debug/pprof`, 'cpu', 'profile?seconds=1', size);
      lines.push(`large.cpu.pb.gz (${(size / 1048576).toFixed(1)} MiB; curl includes starting its process)`);
      lines.push(`                   go-trace-lens ${(o * 1000).toFixed(1)} ms   curl ${(c * 1000).toFixed(1)} ms (ratio ${(o / c).toFixed(2)})`);
    } finally {
      await stop(profileServerProcess.child);
    }

    // 3. A real heap profile from the Go test service: latency of a small capture, validation included.
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
