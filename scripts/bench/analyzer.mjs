#!/usr/bin/env node
// npm run bench:analyzer — the context-chain analyzer's speed and memory, against the reference measured in
// the same run:
//   1. `go-trace-lens check` (bundled with esbuild into .bench/analyzer/, worker threads included) on the
//      installed Go toolchain's standard library, vs `gofmt -l` on the same tree: both times and the ratio
//      (target ≤ 1). The median of three runs each.
//   2. The language server (bundled likewise) with that tree as its workspace: the index's build time and
//      memory (heap after a forced GC, compared with a server on an empty workspace; target < 1 GiB).
//   3. In that server, 200 one-character edits of a 5,000-line Go file: the time from didChange to the
//      republished diagnostics over JSON-RPC (p50/p95/max; target p95 < 20 ms).

import * as esbuild from 'esbuild';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
// The custom request's descriptor from common/ (run with tsx: npm run bench:analyzer).
const { IndexStatusRequest } = require('../../common/analysisProtocol.ts');
const out = join(root, '.bench', 'analyzer');
const RUNS = 3;

function findGo() {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/lib/go-1.23/bin', '/usr/local/go/bin'];
  const dir = dirs.find((d) => existsSync(join(d, 'go')) && existsSync(join(d, 'gofmt')));
  if (!dir) throw new Error('bench:analyzer needs the Go toolchain (go and gofmt); install golang-1.23-go');
  return { go: join(dir, 'go'), gofmt: join(dir, 'gofmt') };
}

/** The CLI, its worker and the language server, built as esbuild.mjs builds them (CommonJS web-tree-sitter). */
async function bundle() {
  mkdirSync(out, { recursive: true });
  const plugin = {
    name: 'web-tree-sitter-cjs',
    setup(build) {
      build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
    },
  };
  await esbuild.build({
    entryPoints: {
      cli: join(root, 'cli/cli.ts'),
      checkWorker: join(root, 'cli/checkWorker.ts'),
      server: join(root, 'server/src/server.ts'),
    },
    outdir: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, logLevel: 'error',
    define: { GO_TRACE_LENS_VERSION: '"bench"' }, plugins: [plugin],
  });
  copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join(out, 'tree-sitter.wasm'));
  copyFileSync(require.resolve('tree-sitter-go/tree-sitter-go.wasm'), join(out, 'tree-sitter-go.wasm'));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function timeCommand(command, args) {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (result.error) throw result.error;
  return { ms, stdout: result.stdout, stderr: result.stderr, status: result.status };
}

async function benchCli(gofmt, src) {
  console.log(`\n1. go-trace-lens check vs gofmt -l on ${src}`);
  const ours = [];
  const theirs = [];
  let summary = '';
  let findings = 0;
  for (let i = 0; i < RUNS; i++) {
    const check = timeCommand(process.execPath, [join(out, 'cli.js'), 'check', '--format', 'json', src]);
    if (check.status !== 0 && check.status !== 1) throw new Error(`check failed (${check.status}): ${check.stderr}`);
    ours.push(check.ms);
    findings = JSON.parse(check.stdout).diagnostics.length;
    summary = check.stderr.trim().split('\n').pop();
    const fmt = timeCommand(gofmt, ['-l', src]);
    theirs.push(fmt.ms);
  }
  const a = median(ours);
  const b = median(theirs);
  console.log(`   go-trace-lens check: ${(a / 1000).toFixed(2)} s  (${summary.replace(/^(\d+ findings?|No findings) in /, '').replace(/\.$/, '')}; ${findings} findings)`);
  console.log(`   gofmt -l:            ${(b / 1000).toFixed(2)} s`);
  console.log(`   ratio:               ${(a / b).toFixed(2)} (target ≤ 1)`);
  return a / b;
}

/** A minimal JSON-RPC client over the server's stdio. */
function startServer(extraArgs = []) {
  const child = spawn(process.execPath, ['--expose-gc', join(out, 'server.js'), '--stdio', ...extraArgs], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buffer = Buffer.alloc(0);
  let nextId = 1;
  const pending = new Map();
  const listeners = [];
  child.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())[1]);
      if (buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString());
      buffer = buffer.subarray(headerEnd + 4 + length);
      if (message.id !== undefined && message.method === undefined) {
        pending.get(message.id)?.(message);
        pending.delete(message.id);
      } else if (message.id !== undefined) {
        // Requests from the server: configuration (no settings), capability registration.
        send({ jsonrpc: '2.0', id: message.id, result: message.method === 'workspace/configuration' ? message.params.items.map(() => ({})) : null });
      } else {
        for (const listener of listeners) listener(message);
      }
    }
  });
  function send(message) {
    const body = Buffer.from(JSON.stringify(message));
    child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin.write(body);
  }
  return {
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, (m) => (m.error ? reject(new Error(m.error.message)) : resolve(m.result)));
        send({ jsonrpc: '2.0', id, method, params });
      });
    },
    notify(method, params) {
      send({ jsonrpc: '2.0', method, params });
    },
    onNotification(listener) {
      listeners.push(listener);
    },
    async stop() {
      await this.request('shutdown', null).catch(() => undefined);
      this.notify('exit', null);
      await new Promise((resolve) => {
        const timer = setTimeout(() => { child.kill(); resolve(); }, 3000);
        child.on('exit', () => { clearTimeout(timer); resolve(); });
      });
    },
  };
}

async function initialize(server, folder) {
  await server.request('initialize', {
    processId: process.pid,
    rootUri: folder ? pathToFileURL(folder).href : null,
    workspaceFolders: folder ? [{ uri: pathToFileURL(folder).href, name: 'bench' }] : null,
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
    initializationOptions: { docsRoot: root },
  });
  server.notify('initialized', {});
  for (;;) {
    const status = await server.request(IndexStatusRequest.method, null);
    if (status.state === 'ready') return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A 5,000-line Go file of handlers and helpers, a few of them with findings. */
function bigGoFile() {
  const lines = ['package bench', '', 'import (', '\t"context"', '\t"database/sql"', '\t"net/http"', ')', ''];
  for (let i = 0; lines.length < 4990; i++) {
    lines.push(
      `// handler${i} serves /items/${i}.`,
      `func handler${i}(w http.ResponseWriter, r *http.Request, db *sql.DB) {`,
      `\tctx, cancel := context.WithCancel(r.Context())`,
      `\tdefer cancel()`,
      `\trows, err := db.QueryContext(ctx, "SELECT id FROM items WHERE n = ?", ${i})`,
      `\tif err != nil {`,
      `\t\thttp.Error(w, err.Error(), http.StatusInternalServerError)`,
      `\t\treturn`,
      `\t}`,
      `\tdefer rows.Close()`,
      i % 10 === 0 ? `\tgo audit(context.Background(), ${i})` : `\tgo audit(ctx, ${i})`,
      `\tfor rows.Next() {`,
      `\t\tvar id int`,
      `\t\t_ = rows.Scan(&id)`,
      `\t}`,
      `}`,
      '',
      `func helper${i}(ctx context.Context, n int) int {`,
      `\tif n > ${i} {`,
      `\t\treturn helper${i}(ctx, n-1) + 1`,
      `\t}`,
      `\treturn n`,
      `}`,
      '',
    );
  }
  lines.push('func audit(ctx context.Context, id int) {}', '');
  return lines.join('\n');
}

async function benchServer(src) {
  console.log(`\n2. Language server: workspace index of ${src}`);
  const empty = startServer();
  const baseline = await initialize(empty, null);
  await empty.stop();

  const server = startServer();
  const started = performance.now();
  const status = await initialize(server, src);
  const wall = performance.now() - started;
  const heapMiB = (status.heapUsedBytes - baseline.heapUsedBytes) / 1048576;
  console.log(`   indexed ${status.files} files, ${status.functions} functions, ${status.calls} calls, ${status.modules} modules in ${(status.milliseconds / 1000).toFixed(2)} s (ready after ${(wall / 1000).toFixed(2)} s)`);
  console.log(`   index memory: ${heapMiB.toFixed(1)} MiB of heap over an empty-workspace server (heap ${(status.heapUsedBytes / 1048576).toFixed(1)} MiB, RSS ${(status.rssBytes / 1048576).toFixed(1)} MiB; target < 1024 MiB)`);

  console.log('\n3. Language server: one-character edits in a 5,000-line file');
  const dir = mkdtempSync(join(tmpdir(), 'gtl-bench-'));
  const file = join(dir, 'big.go');
  const text = bigGoFile();
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const waiters = new Map();
  server.onNotification((message) => {
    if (message.method !== 'textDocument/publishDiagnostics' || message.params.uri !== uri) return;
    const resolve = waiters.get(message.params.version);
    if (resolve) {
      waiters.delete(message.params.version);
      resolve(message.params.diagnostics);
    }
  });
  const published = (version) => new Promise((resolve) => waiters.set(version, resolve));
  let version = 1;
  const opened = published(version);
  server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version, text } });
  const first = await opened;
  const lineCount = text.split('\n').length;
  const target = text.split('\n').findIndex((l, i) => i > lineCount / 2 && l.startsWith('\tdefer cancel()'));
  const times = [];
  let diagnostics = first.length;
  for (let i = 0; i < 200; i++) {
    // Alternately type a character into the middle function and delete it again.
    const insert = i % 2 === 0;
    const change = insert
      ? { range: { start: { line: target, character: 1 }, end: { line: target, character: 1 } }, text: 'x' }
      : { range: { start: { line: target, character: 1 }, end: { line: target, character: 2 } }, text: '' };
    version++;
    const next = published(version);
    const sent = performance.now();
    server.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    diagnostics = (await next).length;
    times.push(performance.now() - sent);
  }
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  console.log(`   ${lineCount} lines, ${first.length} diagnostics on open (${diagnostics} after the last edit)`);
  console.log(`   didChange → publishDiagnostics over 200 edits: p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms (target p95 < 20 ms)`);
  return { heapMiB, p95: percentile(times, 95) };
}

const { go, gofmt } = findGo();
const goroot = execFileSync(go, ['env', 'GOROOT'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } }).trim();
// gofmt does not follow a symbolic link given as the tree's root (Debian links GOROOT/src): use the real path.
const src = realpathSync(join(goroot, 'src'));
console.log(`bench:analyzer — ${execFileSync(go, ['version'], { encoding: 'utf8' }).trim()}, Node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)}`);
await bundle();
const ratio = await benchCli(gofmt, src);
const { heapMiB, p95 } = await benchServer(src);
const ok = ratio <= 1 && heapMiB < 1024 && p95 < 20;
console.log(`\n${ok ? 'All targets met.' : 'Some targets missed.'}`);
process.exitCode = ok ? 0 : 1;
