// `go-trace-lens trace summary|events`, run in-process: the JSON shapes the issue fixes, the text a
// person reads, and exit codes and messages for files that are not traces.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../../cli/main';
import type { CliIO } from '../../cli/io';
import { REPO_ROOT, requireGo } from '../helpers/goToolchain';
import { compareListings, goToolTraceEvents, listingFacts } from '../helpers/traceGoTool';
import { writeRealTrace } from '../helpers/traceModels';
import { sharedFixture } from '../helpers/sharedFixtures';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { cwd: REPO_ROOT, out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await runCli(argv, io);
  return { code, out, err };
}

const FIXTURES = join('test', 'fixtures', 'traces');

test('trace summary --format json, execution trace: the numbers go tool trace reports for the same file', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const { tracePath } = writeRealTrace({ rounds: 2 });
  const { code, out, err } = await run('trace', 'summary', '--format', 'json', tracePath);
  assert.equal(code, 0, err);
  const summary = JSON.parse(out) as Record<string, unknown>;
  assert.deepEqual(Object.keys(summary), ['kind', 'goVersion', 'durationNs', 'events', 'goroutines', 'procs', 'tasks', 'regions', 'logs']);
  const facts = listingFacts(goToolTraceEvents(tracePath).stdout);
  const count = (kind: string) => facts.eventsByKind[kind] ?? 0;
  assert.equal(summary.kind, 'go-execution-trace');
  assert.equal(summary.goVersion, '1.23');
  assert.equal(summary.events, Object.values(facts.eventsByKind).reduce((a, b) => a + b, 0));
  assert.equal(summary.goroutines, facts.goroutines.length);
  assert.equal(summary.tasks, count('TaskBegin'));
  assert.equal(summary.regions, count('RegionBegin'));
  assert.equal(summary.logs, count('Log'));
  assert.ok((summary.durationNs as number) > 1e6 && (summary.procs as number) >= 1);

  const text = await run('trace', 'summary', tracePath);
  assert.match(text.out, /^Go execution trace, Go 1\.23 format, [\d.]+ ms, 1 generation/);
  assert.match(text.out, new RegExp(`tasks\\s+${summary.tasks}`));
});

test('trace events lists the events as go tool trace -d=1 does', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const { tracePath } = writeRealTrace({ rounds: 2 });
  const { code, out } = await run('trace', 'events', tracePath);
  assert.equal(code, 0);
  assert.equal(compareListings(out, goToolTraceEvents(tracePath).stdout), undefined);
});

test('trace summary --format json, span trace: format, counts and every problem; exit 1 when there are problems', async () => {
  const { code, out } = await run('trace', 'summary', '--format', 'json', join(FIXTURES, 'problems.otlp.json'));
  assert.equal(code, 1);
  const summary = JSON.parse(out) as { kind: string; format: string; traces: number; spans: number; services: number; problems: { type: string; traceId: string; spanId: string }[] };
  assert.deepEqual(Object.keys(summary), ['kind', 'format', 'traces', 'spans', 'services', 'problems']);
  assert.deepEqual([summary.kind, summary.format, summary.traces, summary.spans, summary.services], ['spans', 'otlp-json', 7, 19, 4]);
  assert.deepEqual(new Set(summary.problems.map((p) => p.type)), new Set(['orphan', 'multiple-roots', 'disconnected-service', 'clock-skew', 'partial-sampling', 'duplicate-span-id']));
  assert.deepEqual(summary.problems.find((p) => p.type === 'orphan'), { type: 'orphan', traceId: '02'.repeat(16), spanId: '0202020202020202' });

  const healthy = await run('trace', 'summary', sharedFixture('spans', 'zipkin-messaging.json'));
  assert.equal(healthy.code, 0);
  assert.equal(healthy.out, 'Zipkin v2 JSON: 1 trace, 4 spans, 2 services\nNo broken chains found.\n');
});

test('files that cannot be read as traces: exit 2 and a message that says what to do', async () => {
  const old = await run('trace', 'summary', join(FIXTURES, 'go1.19-runtime-trace.out'));
  assert.equal(old.code, 2);
  assert.match(old.err, /go1\.19-runtime-trace\.out: This trace is from Go 1\.19; re-capture with Go 1\.22 or later/);
  const notTrace = await run('trace', 'summary', 'package.json');
  assert.equal(notTrace.code, 2);
  assert.match(notTrace.err, /package\.json: This is not a trace format Go Trace Lens reads/);
  const profile = await run('trace', 'summary', sharedFixture('pprof', 'large.cpu.pb.gz'));
  assert.equal(profile.code, 2);
  assert.match(profile.err, /not a Go execution trace.*gzip-compressed data, which is what a pprof profile looks like: open it as a profile instead/);
  const missing = await run('trace', 'summary', 'no-such.trace');
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no-such\.trace: no such file/);
  const usage = await run('trace', 'summary');
  assert.equal(usage.code, 2);
  assert.match(usage.err, /give exactly one FILE/);
  const unknown = await run('trace', 'show', 'x');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown subcommand "show"/);
  const help = await run('trace', '--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /orphan, multiple-roots, disconnected-service, clock-skew,\s+partial-sampling, duplicate-span-id/);
});
