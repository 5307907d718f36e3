// `go-trace-lens pprof top|lines`, run in-process: JSON with raw integers equal to go tool pprof's, text
// equal to `go tool pprof -top`, the filters and diff, local paths for lines, and usage and input errors
// that exit 2 with a message saying what to do.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pprofCommand, REPORT_MAXRSS_ENV } from '../../cli/pprofCommand';
import { runCli } from '../../cli/main';
import type { CliIO } from '../../cli/io';
import { CACHE_DIR, requireGo } from '../helpers/goToolchain';
import { buildProfile, sampleCpuProfileSpec } from '../helpers/pprofBuilder';
import { runPprofTool, toolTop } from '../helpers/pprofTool';
import { sharedFixture } from '../helpers/sharedFixtures';

const FIXTURES = sharedFixture('pprof');
const LARGE = join(FIXTURES, 'large.cpu.pb.gz');
const TMP = join(CACHE_DIR, 'pprof-cli');

async function run(argv: string[], cwd = TMP): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { cwd, out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await pprofCommand.run(argv, io);
  return { code, out, err };
}

const withoutTime = (text: string) => text.split('\n').filter((l) => !l.startsWith('Time: ')).join('\n');

describe('go-trace-lens pprof top', () => {
  mkdirSync(TMP, { recursive: true });

  it('prints JSON with raw integers equal to go tool pprof\'s, for each sample type', async (t) => {
    if (!requireGo((why) => t.skip(why))) return;
    for (const [sampleIndex, name] of [[0, 'samples'], [1, 'cpu']] as const) {
      const { code, out } = await run(['top', '--format', 'json', '--node-fraction', '0', '--sample-index', name, LARGE]);
      assert.equal(code, 0);
      const json = JSON.parse(out) as { sampleType: { type: string; unit: string }; total: number; rows: { function: string; file: string; flat: number; cum: number }[] };
      assert.deepEqual(json.sampleType, { type: name, unit: name === 'cpu' ? 'nanoseconds' : 'count' });
      assert.equal(json.total, name === 'cpu' ? 240_290_000_000 : 24_029);
      const expected = toolTop(LARGE, { sampleIndex, unit: json.sampleType.unit });
      assert.deepEqual(json.rows.map((r) => [r.function, r.flat, r.cum]), expected.map((r) => [r.name, r.flat, r.cum]));
      assert.ok(json.rows.every((r) => Object.keys(r).join() === 'function,file,flat,cum'));
      assert.match(json.rows.find((r) => r.function === 'main.main')!.file, /\.go$/);
    }
  });

  it('prints the text go tool pprof -top prints, trimmed the same way', async (t) => {
    if (!requireGo((why) => t.skip(why))) return;
    for (const args of [[], ['--nodecount', '5'], ['--focus', 'main\\.next'], ['--ignore', 'time\\.']]) {
      const { code, out } = await run(['top', ...args, LARGE]);
      assert.equal(code, 0);
      const toolArgs = args.length === 0 ? [] : [`-${args[0]!.slice(2)}=${args[1]}`];
      assert.equal(withoutTime(out), withoutTime(runPprofTool(['-top', ...toolArgs, LARGE])), args.join(' '));
    }
  });

  it('filters by label and diffs against a base profile', async () => {
    mkdirSync(TMP, { recursive: true });
    const file = join(TMP, 'cpu.pb.gz');
    writeFileSync(file, buildProfile(sampleCpuProfileSpec()));
    const base = join(TMP, 'base.pb.gz');
    const spec = sampleCpuProfileSpec();
    writeFileSync(base, buildProfile({ ...spec, samples: spec.samples.slice(0, 2) }));
    const tagged = JSON.parse((await run(['top', '--format', 'json', '--node-fraction', '0', '--tag', 'worker=cpu', file])).out) as { rows: { function: string; flat: number }[] };
    assert.deepEqual(tagged.rows.map((r) => [r.function, r.flat]), [['main.hash', 30_000_000], ['main.work', 10_000_000], ['main.main', 0]]);
    const diff = JSON.parse((await run(['top', '--format', 'json', '--node-fraction', '0', '--base', base, file])).out) as { total: number; rows: { function: string; flat: number; cum: number }[] };
    assert.equal(diff.total, 40_000_000, 'percentages are of the base');
    assert.deepEqual(diff.rows.map((r) => r.function).sort(), ['main.fib', 'main.main', 'runtime.mallocgc', 'main.work'].sort());
    const unmatched = await run(['top', '--tag', 'worker=nobody', file]);
    assert.match(unmatched.err, /tag filter worker=nobody matched no samples/);
  });

  it('reports its peak memory when asked', async () => {
    process.env[REPORT_MAXRSS_ENV] = '1';
    try {
      const { err } = await run(['top', join(FIXTURES, 'go.nomappings.crash')]);
      assert.match(err, /maxRSS \d+ kB/);
    } finally {
      delete process.env[REPORT_MAXRSS_ENV];
    }
  });
});

describe('go-trace-lens pprof lines', () => {
  it('lists lines with the local file of each, and names the files it could not find', async () => {
    const workspace = join(TMP, 'workspace');
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, 'go.mod'), 'module example.com/app\n');
    writeFileSync(join(workspace, 'work.go'), 'package main\n');
    writeFileSync(join(workspace, 'main.go'), 'package main\n');
    const file = join(TMP, 'app.pb.gz');
    writeFileSync(file, buildProfile(sampleCpuProfileSpec()));
    const { code, out, err } = await run(['lines', '--format', 'json', '--node-fraction', '0', '--workspace', workspace, '--goroot', join(TMP, 'no-goroot'), '--gomodcache', join(TMP, 'no-modcache'), file]);
    assert.equal(code, 0);
    const json = JSON.parse(out) as { rows: { function: string; file: string; line: number; flat: number; cum: number; localPath: string | null }[]; unresolvedFiles: string[] };
    const hash = json.rows.find((r) => r.function === 'main.hash')!;
    assert.deepEqual(hash, { function: 'main.hash', file: 'example.com/app/work.go', line: hash.line, flat: 30_000_000, cum: 30_000_000, localPath: join(workspace, 'work.go') });
    assert.ok(hash.line > 0);
    assert.equal(json.rows.find((r) => r.function === 'main.main')!.localPath, join(workspace, 'main.go'));
    assert.deepEqual(json.unresolvedFiles, ['example.com/app/fib.go', 'runtime/malloc.go']);
    assert.match(err, /2 source files could not be found locally:\n {2}example\.com\/app\/fib\.go/);
  });

  it('says when a profile has no source information at all', async () => {
    const { code, out, err } = await run(['lines', join(FIXTURES, 'go.nomappings.crash')]);
    assert.equal(code, 0);
    assert.match(out, /<unknown>/);
    assert.match(err, /no source information/);
  });
});

describe('go-trace-lens pprof errors', () => {
  it('exits 2 with a message that says what to do', async () => {
    mkdirSync(TMP, { recursive: true });
    writeFileSync(join(TMP, 'index.html'), '<html><body>/debug/pprof/</body></html>');
    const cases: [string[], RegExp][] = [
      [['top', 'missing.pb.gz'], /missing\.pb\.gz: no such file/],
      [['top', 'index.html'], /index\.html: this is an HTML page/],
      [['top', LARGE, '--sample-index', 'alloc_space'], /no sample type "alloc_space"; it has samples, cpu/],
      [['top', '--frobnicate', LARGE], /unknown option --frobnicate/],
      [['top', '--tag', 'novalue', LARGE], /--tag takes KEY=VALUE/],
      [['top', '--focus', 'a(?=b)', LARGE], /look-around/],
      [['top', '--workspace', '.', LARGE], /only applies to "pprof lines"/],
      [['top'], /no profile FILE given/],
      [['frame', LARGE], /unknown subcommand "frame"/],
      [['top', '--node-fraction', '2', LARGE], /between 0 and 1/],
    ];
    for (const [argv, message] of cases) {
      let code: number;
      let err = '';
      try {
        ({ code, err } = await run(argv));
      } catch (error) {
        // Usage errors propagate to runCli, which prints them and exits 2.
        code = 2;
        err = String(error);
      }
      assert.equal(code, 2, argv.join(' '));
      assert.match(err, message, argv.join(' '));
    }
  });

  it('is registered with the CLI, with its own --help', async () => {
    let out = '';
    const io: CliIO = { cwd: TMP, out: (t) => void (out += t), err: () => undefined };
    assert.equal(await runCli(['--help'], io), 0);
    assert.match(out, /pprof\s+top functions or lines/);
    out = '';
    assert.equal(await runCli(['pprof', 'top', '--help'], io), 0);
    assert.match(out, /usage: go-trace-lens pprof top/);
    assert.equal(await runCli(['pprof', 'top', join(TMP, 'missing.pb.gz')], { ...io, err: (t) => void (out += t) }), 2);
    assert.match(out, /no such file/);
  });
});
