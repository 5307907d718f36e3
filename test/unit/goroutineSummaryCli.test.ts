// `go-trace-lens trace goroutines` and `trace latency`, run in-process on a real trace of
// test/go/traceanalysis: the groups and one group's goroutines as JSON and as text, with go tool trace's
// own pages as the reference; the transition table's documented JSON shape and its aligned text; the
// filters; exit codes and messages for what cannot be answered.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { runCli } from '../../cli/main';
import type { CliIO } from '../../cli/io';
import { decodeExecutionTrace, formatGoDuration, transitionTable } from '../../core/timeline';
import { REPO_ROOT, requireGo } from '../helpers/goToolchain';
import { assertClose, parseBreakdownPage, parseGoDuration, parseGoroutineGroups, startGoTraceServer, tieTolerance, writeAnalysisTrace } from '../helpers/goTraceHttp';
import { temporaryTraceFile } from '../helpers/traceModels';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { cwd: REPO_ROOT, out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await runCli(argv, io);
  return { code, out, err };
}

interface GroupJson {
  name: string;
  count: number;
  execTimePercent: string;
  goroutines: { id: number; totalNs: number; execNs: number; schedWaitNs: number; syscallNs: number; syscallBlockNs: number; unknownNs: number; blockNsByReason: Record<string, number>; rangeNs: Record<string, number>; startNs: number | null; endNs: number | null }[];
}

test('trace goroutines: the groups and a group\'s goroutines, as JSON and text, with go tool trace\'s numbers', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const trace = writeAnalysisTrace();
  const server = await startGoTraceServer(trace);
  t.after(() => server.stop());

  const groups = await run('trace', 'goroutines', '--format', 'json', trace);
  assert.equal(groups.code, 0, groups.err);
  const parsed = JSON.parse(groups.out) as { totalExecNs: number; groups: { name: string; count: number; execNs: number }[] };
  assert.deepEqual(Object.keys(parsed), ['totalExecNs', 'groups']);
  const reference = parseGoroutineGroups(await server.get('/goroutines'));
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const tolerance = tieTolerance(decodeExecutionTrace(readFileSync(trace)));
  assertClose([...parsed.groups].sort(byName), [...reference].sort(byName), tolerance, 'groups');

  const group = await run('trace', 'goroutines', '--format', 'json', '--group', 'main.mutexContender', trace);
  assert.equal(group.code, 0, group.err);
  const mutex = JSON.parse(group.out) as GroupJson;
  assert.deepEqual(Object.keys(mutex), ['name', 'count', 'execTimePercent', 'goroutines']);
  const page = parseBreakdownPage(await server.get('/goroutine?name=main.mutexContender'));
  assert.equal(mutex.count, 4);
  if (tolerance === 0) assert.equal(mutex.execTimePercent, page.execTimePercent);
  for (const row of page.stats) {
    const g = mutex.goroutines.find((x) => x.id === row.goroutine)!;
    const column = (name: string) => row.columns[name] ?? 0;
    assertClose(
      [g.totalNs, g.execNs, g.schedWaitNs, g.syscallNs, g.syscallBlockNs, g.unknownNs, g.blockNsByReason.sync ?? 0],
      [row.totalNs, column('Execution time'), column('Sched wait time'), column('Syscall execution time'), column('Block time (syscall)'), column('Unknown time'), column('Block time (sync)')],
      tolerance,
      `goroutine ${row.goroutine}`,
    );
    assert.ok(g.startNs !== null && g.endNs !== null, 'contenders ran and ended');
  }

  // Text: the groups page's table, and the breakdown with Go's durations.
  const text = await run('trace', 'goroutines', trace);
  assert.match(text.out, /^Start location\s+Count\s+Total execution time\n/);
  const execText = /main\.mutexContender\s+4\s+(\S+)\n/.exec(text.out);
  assert.ok(execText, text.out);
  assert.equal(execText[1], formatGoDuration(parsed.groups.find((g) => g.name === 'main.mutexContender')!.execNs), 'as Go prints durations');
  assertClose(parseGoDuration(execText[1]!), reference.find((g) => g.name === 'main.mutexContender')!.execNs, tolerance, 'go tool trace\'s number');
  const breakdown = await run('trace', 'goroutines', '--group', 'main.mutexContender', trace);
  assert.match(breakdown.out, new RegExp(`^Goroutine start location: main\\.mutexContender\\nCount: 4\\nExecution time: ${mutex.execTimePercent.replace('.', '\\.')} of total program execution time\\n`));
  assert.match(breakdown.out, /\nGoroutine\s+Total\s+Execution time\s.*Block time \(sync\)/);
  for (const row of page.stats) assert.match(breakdown.out, new RegExp(`\\n${row.goroutine}\\s+\\S+s\\s`), `a row for goroutine ${row.goroutine}`);
});

test('trace goroutines with a time range clips the numbers; errors say what to do', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const trace = writeAnalysisTrace();
  const whole = JSON.parse((await run('trace', 'goroutines', '--format', 'json', trace)).out) as { totalExecNs: number };
  const events = (await run('trace', 'events', trace)).out.split('\n');
  const first = Number(/ Time=(\d+)/.exec(events[0]!)![1]);
  const last = Number(/ Time=(\d+)/.exec(events[events.length - 2]!)![1]);
  const half = JSON.parse((await run('trace', 'goroutines', '--format', 'json', '--from', String(first), '--to', String(Math.round((first + last) / 2)), trace)).out) as { totalExecNs: number };
  assert.ok(half.totalExecNs > 0 && half.totalExecNs < whole.totalExecNs, 'half the trace, part of the execution time');

  const unknown = await run('trace', 'goroutines', '--group', 'mutexContender', trace);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /has no goroutines that start in "mutexContender"\. Did you mean "main\.mutexContender"\?/);
  const backwards = await run('trace', 'goroutines', '--from', '10', '--to', '5', trace);
  assert.equal(backwards.code, 2);
  assert.match(backwards.err, /--from \(10\) is after --to \(5\)/);
  const notNumber = await run('trace', 'goroutines', '--from', '1.5ms', trace);
  assert.equal(notNumber.code, 2);
  assert.match(notNumber.err, /--from must be a whole number/);

  const truncated = temporaryTraceFile('truncated-analysis.out');
  const bytes = readFileSync(trace);
  writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const cut = await run('trace', 'goroutines', truncated);
  assert.equal(cut.code, 2);
  assert.match(cut.err, /truncated-analysis\.out: .*(damaged|ends|truncated).*capture it again/i);
  assert.equal(cut.out, '', 'nothing half-written');
  const notTrace = await run('trace', 'goroutines', 'package.json');
  assert.equal(notTrace.code, 2);
  assert.match(notTrace.err, /package\.json: .*not/);
});

interface LatencyJson {
  from: number | null;
  to: number | null;
  group: string | null;
  instances: number;
  kinds: {
    from: string;
    to: string;
    reason: string;
    label: string;
    count: number;
    totalNs: number;
    p50Ns: number;
    p90Ns: number;
    p99Ns: number;
    maxNs: number;
    worst: { goroutine: number; startNs: number; endNs: number; durationNs: number; startEvent: number; endEvent: number; stack: { func: string; file: string; line: number }[] }[];
  }[];
}

test('trace latency --format json: the documented shape, each kind\'s numbers and its worst instances with their stacks', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const trace = writeAnalysisTrace();
  const { code, out, err } = await run('trace', 'latency', '--format', 'json', trace);
  assert.equal(code, 0, err);
  const json = JSON.parse(out) as LatencyJson;
  assert.deepEqual(Object.keys(json), ['from', 'to', 'group', 'instances', 'kinds']);
  assert.deepEqual([json.from, json.to, json.group], [null, null, null]);
  assert.deepEqual(Object.keys(json.kinds[0]!), ['from', 'to', 'reason', 'label', 'count', 'totalNs', 'p50Ns', 'p90Ns', 'p99Ns', 'maxNs', 'worst']);
  assert.deepEqual(Object.keys(json.kinds[0]!.worst[0]!), ['goroutine', 'startNs', 'endNs', 'durationNs', 'startEvent', 'endEvent', 'stack']);

  const model = decodeExecutionTrace(readFileSync(trace));
  const table = transitionTable(model);
  assert.equal(json.instances, table.instances);
  assert.deepEqual(json.kinds.map((k) => [k.label, k.count, k.p50Ns, k.p90Ns, k.p99Ns, k.maxNs]), table.kinds.map((k) => [k.label, k.count, k.p50Ns, k.p90Ns, k.p99Ns, k.maxNs]));
  for (const kind of json.kinds) {
    assert.equal(kind.worst.length, Math.min(5, kind.count), `${kind.label}: five worst by default`);
    assert.equal(kind.worst[0]!.durationNs, kind.maxNs);
    assert.ok(kind.worst.every((w) => w.endNs - w.startNs === w.durationNs && model.events.time[w.endEvent] === w.endNs));
  }
  // A contender's wait on the mutex began where it blocked: in sync.(*Mutex).Lock, called from its loop.
  const contenders = JSON.parse((await run('trace', 'latency', '--format', 'json', '--group', 'main.mutexContender', trace)).out) as LatencyJson;
  const sync = contenders.kinds.find((k) => k.label === 'waiting → runnable (sync)')!;
  const frames = sync.worst[0]!.stack.map((f) => f.func);
  assert.ok(frames.includes('sync.(*Mutex).Lock') && frames.some((f) => f.startsWith('main.mutexContender')), frames.join(' < '));

  const group = JSON.parse((await run('trace', 'latency', '--format', 'json', '--group', 'main.sleeper', '--worst', '1', trace)).out) as LatencyJson;
  assert.equal(group.group, 'main.sleeper');
  assert.equal(group.instances, transitionTable(model, { group: 'main.sleeper' }).instances);
  assert.ok(group.kinds.some((k) => k.label === 'waiting → runnable (sleep)') && group.kinds.every((k) => k.worst.length === 1));
  const region = JSON.parse((await run('trace', 'latency', '--format', 'json', '--region', 'round trip', trace)).out) as LatencyJson;
  assert.ok(region.kinds.some((k) => k.label === 'waiting → runnable (network)'), 'round trips wait on the network');
  assert.equal(region.instances, transitionTable(model, { region: 'round trip' }).instances);
});

test('trace latency: an aligned table with Go\'s durations; --worst adds the longest instances; errors say what to do', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const trace = writeAnalysisTrace();
  const model = decodeExecutionTrace(readFileSync(trace));
  const { code, out } = await run('trace', 'latency', trace);
  assert.equal(code, 0);
  const lines = out.split('\n');
  assert.match(lines[0]!, /^\d+ state transitions; time spent in the state each one left:$/);
  assert.match(lines[2]!, /^Transition\s+Count\s+p50\s+p90\s+p99\s+Max\s+Total$/);
  const countColumn = lines[2]!.indexOf('Count') + 'Count'.length;
  for (const kind of transitionTable(model).kinds) {
    const line = lines.find((l) => l.startsWith(kind.label + ' '))!;
    assert.ok(line, `a row for ${kind.label}`);
    assert.equal(line.slice(0, countColumn).trimEnd().endsWith(String(kind.count)), true, `${kind.label}: the count, right-aligned under its header`);
    assert.deepEqual(line.slice(countColumn).trim().split(/\s+/), [kind.p50Ns, kind.p90Ns, kind.p99Ns, kind.maxNs, kind.totalNs].map(formatGoDuration));
  }
  const worst = await run('trace', 'latency', '--worst', '2', '--group', 'main.mutexContender', trace);
  assert.match(worst.out, /\nwaiting → runnable \(sync\), longest:\n {2}\s*\S+s {2}goroutine \d+ {2}at \S+s \(events \d+–\d+\) {2}sync\.\(\*Mutex\)\.Lock /);

  const none = await run('trace', 'latency', '--group', 'no.such.function', trace);
  assert.equal(none.code, 0);
  assert.match(none.out, /^0 state transitions; .*\n\nNo transitions match\.\n$/);
  const badWorst = await run('trace', 'latency', '--worst', 'all', trace);
  assert.equal(badWorst.code, 2);
  assert.match(badWorst.err, /--worst must be a whole number/);
  const spans = await run('trace', 'latency', 'test/fixtures/traces/problems.otlp.json');
  assert.equal(spans.code, 2);
  assert.match(spans.err, /problems\.otlp\.json: /);
  const help = await run('trace', 'latency', '--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /"kinds":\[\{"from","to","reason","label","count",/);
  const usage = await run('trace', 'latency');
  assert.equal(usage.code, 2);
  assert.match(usage.err, /give exactly one FILE/);
});
