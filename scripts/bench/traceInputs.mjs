// Large trace inputs for benchmarks: a real Go execution trace of about a million events (written by
// test/go/tracegen with the installed Go) and a synthetic OTLP/JSON file of 100,000 spans (1,000 traces
// of 100 spans over 8 services, a waterfall with client/server pairs). Both are cached under .bench/.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

export function findGo() {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/lib/go-1.23/bin', '/usr/local/go/bin'];
  return dirs.map((d) => join(d, 'go')).find((p) => existsSync(p)) ?? null;
}

/** A Go execution trace with at least `minEvents` events (tracegen rounds scale it; about 22,000 events per round). */
export function executionTrace(root, outDir, minEvents = 1_000_000) {
  const rounds = Math.ceil(minEvents / 21_000);
  const file = join(outDir, `tracegen-${rounds}-rounds.out`);
  if (existsSync(file)) return file;
  const go = findGo();
  if (!go) throw new Error('the Go toolchain is not installed (apt-get install -t bookworm-backports golang-1.23-go)');
  mkdirSync(outDir, { recursive: true });
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTELEMETRY: 'off' };
  const binary = join(outDir, 'tracegen');
  execFileSync(go, ['build', '-o', binary, './tracegen'], { cwd: join(root, 'test', 'go'), env, stdio: 'inherit' });
  execFileSync(binary, ['-o', file, '-rounds', String(rounds), '-workers', '8'], { stdio: 'inherit' });
  return file;
}

/**
 * A real execution trace of at least a million events: tracegen with as many rounds as it takes (the
 * events per round depend on the machine's scheduling, so the count is checked with our decoder and the
 * rounds raised until it is reached). Cached with its event count in `cacheDir`. bench:timeline and
 * bench:trace-analysis share it (test/.cache/bench-timeline). Runs under tsx: it loads TypeScript helpers.
 */
export function millionEventTrace(cacheDir) {
  const file = join(cacheDir, 'tracegen-1M.trace');
  const countFile = `${file}.events`;
  if (existsSync(file) && existsSync(countFile) && Number(readFileSync(countFile, 'utf8')) >= 1_000_000) return file;
  mkdirSync(cacheDir, { recursive: true });
  const require = createRequire(import.meta.url);
  const { buildGoProgram } = require('../../test/helpers/goToolchain.ts');
  const { decodeExecutionTrace } = require('../../core/timeline/index.ts');
  const tracegen = buildGoProgram('tracegen');
  let rounds = 50;
  for (let attempt = 0; attempt < 6; attempt++) {
    const partial = `${file}.partial`;
    execFileSync(tracegen, ['-o', partial, '-rounds', String(rounds), '-workers', '8'], { stdio: 'ignore' });
    const events = decodeExecutionTrace(readFileSync(partial)).events.count;
    console.log(`  tracegen -rounds ${rounds}: ${events.toLocaleString('en-US')} events`);
    if (events >= 1_000_000) {
      renameSync(partial, file);
      writeFileSync(countFile, String(events));
      return file;
    }
    rounds = Math.ceil((rounds * 1_100_000) / Math.max(1, events));
  }
  throw new Error('tracegen did not write a million events in six tries');
}

/** Deterministic pseudo-random numbers (a 32-bit LCG), so every run benchmarks the same file. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const SERVICES = ['gateway', 'auth', 'checkout', 'payments', 'inventory', 'shipping', 'email', 'audit'];

/** OTLP/JSON text of `traces` traces of `perTrace` spans each. */
export function generateOtlpSpans(traces = 1000, perTrace = 100) {
  const next = random(7);
  const hex = (n) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
  const byService = new Map(SERVICES.map((s) => [s, []]));
  const base = 1_700_000_000_000_000_000n;
  for (let t = 0; t < traces; t++) {
    const traceId = hex(32);
    const spans = [];
    for (let i = 0; i < perTrace; i++) {
      const parent = i === 0 ? undefined : spans[Math.floor(next() * i)];
      const start = parent ? parent.start + Math.floor(next() * 1000) : t * 10_000_000;
      const length = parent ? Math.max(1, Math.floor((parent.end - start) * next())) : 5_000_000;
      const service = parent && next() < 0.7 ? parent.service : SERVICES[Math.floor(next() * SERVICES.length)];
      const span = { id: hex(16), start, end: start + length, service, parent };
      spans.push(span);
      byService.get(service).push({
        traceId,
        spanId: span.id,
        ...(parent && { parentSpanId: parent.id }),
        name: `${service} operation ${i % 17}`,
        kind: parent && parent.service !== service ? 2 : 1,
        startTimeUnixNano: String(base + BigInt(start)),
        endTimeUnixNano: String(base + BigInt(span.end)),
        attributes: [
          { key: 'code.function.name', value: { stringValue: `main.${service}Handler${i % 5}` } },
          { key: 'http.route', value: { stringValue: `/api/${service}/${i % 9}` } },
        ],
      });
    }
  }
  return JSON.stringify({
    resourceSpans: [...byService].map(([service, spans]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{ scope: { name: 'bench' }, spans }],
    })),
  });
}

export function spanTrace(outDir, traces = 1000, perTrace = 100) {
  const file = join(outDir, `spans-${traces}x${perTrace}.otlp.json`);
  if (!existsSync(file)) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(file, generateOtlpSpans(traces, perTrace));
  }
  return file;
}
