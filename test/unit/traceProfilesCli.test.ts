// `go-trace-lens trace pprof`, run in-process (and once as a real process, for stdout): the file it writes
// is go tool trace's profile; it is written whole or not at all; usage errors, unreadable or damaged
// traces and groups that name nothing exit 2 with a message that says what to do; binary never goes to a
// terminal.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../../cli/main';
import type { CliIO } from '../../cli/io';
import { decodeProfileBytes } from '../../core/profiles/index.node';
import { decodeExecutionTrace } from '../../core/timeline';
import { REPO_ROOT, requireGo } from '../helpers/goToolchain';
import { assertMatchesGo, goTracePprof, sampleLines, writeBlockingTrace } from '../helpers/traceProfileReference';

interface Run {
  code: number;
  out: string;
  err: string;
  bytes: Uint8Array[];
}

async function run(argv: string[], options: { tty?: boolean } = {}): Promise<Run> {
  const result: Run = { code: 0, out: '', err: '', bytes: [] };
  const io: CliIO = {
    cwd: REPO_ROOT,
    out: (t) => void (result.out += t),
    err: (t) => void (result.err += t),
    outBytes: (b) => void result.bytes.push(b),
    stdoutIsTTY: options.tty ?? false,
  };
  result.code = await runCli(argv, io);
  return result;
}

const folders: string[] = [];
process.on('exit', () => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** A fresh, empty folder, removed when the process exits. */
function emptyFolder(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `go-trace-lens-${name}-`));
  folders.push(dir);
  return dir;
}

test('trace pprof --out FILE writes go tool trace -pprof=TYPE\'s profile, and says what it wrote', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const trace = writeBlockingTrace();
  const model = decodeExecutionTrace(readFileSync(trace));
  const dir = emptyFolder('cli-out');
  for (const type of ['net', 'sync', 'syscall', 'sched'] as const) {
    const out = join(dir, `${type}.pb.gz`);
    const { code, out: stdout, err } = await run(['trace', 'pprof', '--type', type, '--out', out, trace]);
    assert.equal(code, 0, err);
    const written = readFileSync(out);
    assert.deepEqual([...written.subarray(0, 2)], [0x1f, 0x8b], 'gzip-compressed');
    const profile = decodeProfileBytes(written);
    assertMatchesGo(profile, goTracePprof(trace, type), model, `--type ${type}`, `cli-${type}`);
    assert.match(stdout, new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${type} profile, ${profile.samples.count} stacks, \\d+ contentions, [\\d.]+[mun]?s delay\\n$`));
  }
  assert.deepEqual(readdirSync(dir).sort(), ['net.pb.gz', 'sched.pb.gz', 'sync.pb.gz', 'syscall.pb.gz'], 'no temporary file is left');

  // Replacing a file replaces it whole; stdout (not a terminal) gets the same bytes.
  const file = join(dir, 'sync.pb.gz');
  writeFileSync(file, 'an older profile');
  assert.equal((await run(['trace', 'pprof', '--type', 'sync', '--out', file, trace])).code, 0);
  const piped = await run(['trace', 'pprof', '--type', 'sync', trace]);
  assert.equal(piped.code, 0, piped.err);
  assert.equal(piped.out, '');
  assert.deepEqual(sampleLines(decodeProfileBytes(Buffer.concat(piped.bytes))), sampleLines(decodeProfileBytes(readFileSync(file))));
});

test('trace pprof filters: --group, --region, --task and --from/--to narrow the profile; a group that names nothing is an error', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const trace = writeBlockingTrace();
  const model = decodeExecutionTrace(readFileSync(trace));
  const dir = emptyFolder('cli-filters');
  const delay = async (...flags: string[]) => {
    const out = join(dir, 'p.pb.gz');
    const result = await run(['trace', 'pprof', '--type', 'sync', '--out', out, ...flags, trace]);
    assert.equal(result.code, 0, result.err);
    const p = decodeProfileBytes(readFileSync(out));
    let sum = 0;
    for (let s = 0; s < p.samples.count; s++) sum += p.samples.values[2 * s + 1]!;
    return { sum, err: result.err };
  };
  const whole = (await delay()).sum;
  const group = (await delay('--group', 'main.httpClient')).sum;
  const region = (await delay('--region', 'sync waits')).sum;
  const taskId = model.tasks.id[model.tasks.name.indexOf(model.strings.indexOf('sync'))]!;
  const task = (await delay('--task', String(taskId))).sum;
  const half = (await delay('--from', String(model.startNs), '--to', String(Math.round((model.startNs + model.endNs) / 2)))).sum;
  for (const [name, part] of Object.entries({ group, region, task, half })) assert.ok(part > 0 && part < whole, `${name}: ${part} of ${whole}`);
  const none = await delay('--region', 'no such region');
  assert.equal(none.sum, 0);
  assert.match(none.err, /the sync profile is empty: no region of the trace has type "no such region"/);

  const unknown = await run(['trace', 'pprof', '--type', 'sync', '--group', 'main.nothing', '--out', join(dir, 'unknown.pb.gz'), trace]);
  assert.equal(unknown.code, 2);
  // The hint names the largest groups: the twelve crunchers of the pile-up are one.
  assert.match(unknown.err, /No goroutine in the trace starts in "main\.nothing"\. Groups in this trace \(by start function\): .*main\.cruncher.*, and \d+ more\./);
  assert.ok(!existsSync(join(dir, 'unknown.pb.gz')), 'nothing written');
});

test('trace pprof usage errors: exit 2 and what to type', async () => {
  const cases: [string[], RegExp][] = [
    [['trace', 'pprof', 'trace.out'], /give the profile type: --type net\|sync\|syscall\|sched/],
    [['trace', 'pprof', '--type', 'cpu', 'trace.out'], /--type must be one of net, sync, syscall, sched \(got "cpu"\)/],
    [['trace', 'pprof', '--type', 'net'], /give exactly one TRACE file/],
    [['trace', 'pprof', '--type', 'net', 'a.out', 'b.out'], /give exactly one TRACE file/],
    [['trace', 'pprof', '--type', 'net', '--from', '10ms', 'a.out'], /--from must be a whole number \(got "10ms"\)/],
    [['trace', 'pprof', '--type', 'net', '--from', '20', '--to', '10', 'a.out'], /--from \(20\) is after --to \(10\)/],
    [['trace', 'pprof', '--type', 'net', '--task', 'x', 'a.out'], /--task must be a whole number/],
    [['trace', 'pprof', '--type', 'net', '--out', 'x.pb.gz', 'no-such.trace'], /no-such\.trace: no such file/],
    [['trace', 'pprof', '--type', 'net', '--out', 'x.pb.gz', 'test'], /test is a directory, not a trace file/],
    [['trace', 'pprof', '--type', 'net', '--bogus', 'a.out'], /unknown option --bogus/],
  ];
  for (const [argv, message] of cases) {
    const { code, err, bytes } = await run(argv);
    assert.equal(code, 2, argv.join(' '));
    assert.match(err, message, argv.join(' '));
    assert.equal(bytes.length, 0);
  }
  const help = await run(['trace', 'pprof', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /^usage: go-trace-lens trace pprof --type net\|sync\|syscall\|sched \[--out FILE\]/);
  assert.match((await run(['trace', '--help'])).out, /pprof {5}the profile `go tool trace -pprof=TYPE TRACE` writes/);
  assert.match((await run(['trace', 'nope'])).err, /Use "summary", "events", "latency", "goroutines", "pprof", "get" or "search"/);
});

test('trace pprof refuses to write binary to a terminal, before reading anything', async () => {
  const { code, err, bytes } = await run(['trace', 'pprof', '--type', 'sched', 'whatever.out'], { tty: true });
  assert.equal(code, 2);
  assert.match(err, /a profile is binary and stdout is a terminal: give --out FILE, or redirect stdout \(go-trace-lens trace pprof --type sched whatever\.out > sched\.pb\.gz\)/);
  assert.equal(bytes.length, 0);
});

test('trace pprof on a damaged or cut-off trace, or one it cannot write: exit 2, a message, and no file', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const trace = readFileSync(writeBlockingTrace());
  const dir = emptyFolder('cli-bad');
  const truncated = join(dir, 'truncated.out');
  writeFileSync(truncated, trace.subarray(0, Math.floor(trace.length * 0.6)));
  const cutLate = join(dir, 'cut-late.out');
  writeFileSync(cutLate, trace.subarray(0, trace.length - 7));
  const damaged = join(dir, 'damaged.out');
  const bytes = Buffer.from(trace);
  for (let i = 64; i < bytes.length; i += 97) bytes[i] = 0xff;
  writeFileSync(damaged, bytes);
  const existing = join(dir, 'existing.pb.gz');
  writeFileSync(existing, 'keep me');
  for (const [input, message] of [
    [truncated, /truncated\.out: .*capture it again/i],
    [cutLate, /cut-late\.out: .*capture it again/i],
    [damaged, /damaged\.out: .*(damaged|malformed|inconsistent|capture it again)/i],
    [join(REPO_ROOT, 'package.json'), /package\.json: .*not a .*trace/i],
  ] as const) {
    const result = await run(['trace', 'pprof', '--type', 'sync', '--out', existing, input]);
    assert.equal(result.code, 2, result.err);
    assert.match(result.err, message);
    assert.doesNotMatch(result.err, /internal error/);
    assert.equal(readFileSync(existing, 'utf8'), 'keep me', 'the --out file is untouched');
  }
  for (const out of [join(dir, 'missing-folder', 'x.pb.gz'), dir]) {
    const result = await run(['trace', 'pprof', '--type', 'sync', '--out', out, writeBlockingTrace()]);
    assert.equal(result.code, 2);
    assert.match(result.err, /cannot write .* \((the folder .* does not exist|it is a directory)\)\. Nothing was written/);
  }
  assert.deepEqual(readdirSync(dir).sort(), ['cut-late.out', 'damaged.out', 'existing.pb.gz', 'truncated.out'], 'no temporary file is left');
});

test('go-trace-lens trace pprof as a process: the profile on a piped stdout', (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const trace = writeBlockingTrace();
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'cli', 'cli.ts'), 'trace', 'pprof', '--type', 'net', trace], { cwd: dirname(trace), maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.status, 0, result.stderr.toString());
  const model = decodeExecutionTrace(readFileSync(trace));
  assertMatchesGo(decodeProfileBytes(new Uint8Array(result.stdout)), goTracePprof(trace, 'net'), model, 'stdout');
});
