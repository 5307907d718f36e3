// Profiling tests with the real `go test`, through the runner the extension uses (runGoTest with the Node
// process runner): a benchmark of the example shop gives a CPU profile that decodes, with the same total
// and the same flat and cum on the shop's hot function as `go tool pprof` reads from it and the test
// binary kept beside it; a test of the shop gives an execution trace that decodes, with the shop's region
// in it, and that `go tool trace` reads; all the shop's benchmarks give a memory profile with its
// allocations; a failing test still saves its profile; a build error, a panic and a test that does not exist save
// nothing and say why; a cancel stops go test and the test binary and leaves nothing behind; a go that
// cannot be started says so.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareQuery, topReport } from '../../core/profiles';
import { decodeProfileFile } from '../../core/profiles/index.node';
import { decodeExecutionTrace } from '../../core/timeline';
import { findTestProfileKind, type TestTarget } from '../../client/src/testing/goTestArgs';
import { runGoTest, type GoTestRunResult } from '../../client/src/testing/goTestRun';
import { nodeProcessRunner } from '../../client/src/testing/processRunner';
import { findGo, goEnv, requireGo, runGo } from '../helpers/goToolchain';
import { SHOP_DIR } from '../helpers/shopService';

let scratch: string;

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'gtl-test-profiling-'));
});

after(() => rmSync(scratch, { recursive: true, force: true }));

/** A module of its own with one `_test.go` file. */
function goPackage(name: string, testSource: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'go.mod'), `module example.com/${name}\n\ngo 1.23\n`);
  writeFileSync(join(dir, `${name}_test.go`), testSource);
  return dir;
}

function run(packageDir: string, target: TestTarget, profile: string, captureFolder: string, extra: { signal?: AbortSignal; onOutput?: (text: string) => void; onStart?: (line: string) => void; go?: string } = {}): Promise<GoTestRunResult> {
  return runGoTest({ go: extra.go ?? findGo()!, packageDir, target, profile: findTestProfileKind(profile)!, captureFolder, env: goEnv(), ...extra }, nodeProcessRunner);
}

function finished(result: GoTestRunResult): Extract<GoTestRunResult, { status: 'finished' }> {
  assert.equal(result.status, 'finished', JSON.stringify(result));
  return result as Extract<GoTestRunResult, { status: 'finished' }>;
}

/** Every file in the folder, hidden temporary files included. */
function filesIn(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

const BUSY = 'func busy() int { x := 0; for i := 0; i < 300000000; i++ { x += i % 7 }; return x }\n';

test('a shop benchmark\'s CPU profile: saved under its capture name with the test binary, read by go tool pprof with the same numbers', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const folder = join(scratch, 'captures-bench');
  const result = finished(await run(SHOP_DIR, { kind: 'benchmark', name: 'BenchmarkPriceBasket' }, 'cpu', folder));
  assert.deepEqual(result.verdict, { status: 'passed' });
  const saved = result.saved!;
  assert.ok(saved, result.unsaved);
  assert.match(saved.fileName, /^shop\.BenchmarkPriceBasket-cpu-\d{8}T\d{6}Z\.pb\.gz$/);
  assert.equal(saved.binary, join(folder, saved.fileName.replace(/\.pb\.gz$/, '.test')));
  assert.deepEqual(filesIn(folder), [saved.fileName, saved.fileName.replace(/\.pb\.gz$/, '.test')].sort(), 'nothing else, no temporary file');

  const profile = await decodeProfileFile(saved.path);
  const ours = topReport(prepareQuery(profile, {}), { nodeFraction: 0 });
  const hot = ours.rows.find((row) => row.name === 'example.com/shop.applyDiscounts');
  assert.ok(hot && hot.cum > 0, 'the benchmark\'s profile has the shop\'s hot function');

  const pprof = runGo(['tool', 'pprof', '-top', '-unit=ns', '-nodecount=1000', saved.binary!, saved.path], { cwd: folder });
  assert.match(pprof, /^File: shop\.BenchmarkPriceBasket-cpu-.*\.test$/m, 'go tool pprof reads the kept test binary');
  const total = /Total samples = (\d+)ns/.exec(pprof)?.[1];
  assert.equal(Number(total), ours.total, 'the same total as go tool pprof');
  // (pprof prints a zero without its unit.)
  const row = new RegExp(String.raw`^\s*(\d+)(?:ns)?\s+[\d.]+%\s+[\d.]+%\s+(\d+)(?:ns)?\s+[\d.]+%\s+example\.com/shop\.applyDiscounts$`, 'm').exec(pprof);
  assert.ok(row, pprof);
  assert.deepEqual([Number(row[1]), Number(row[2])], [hot.flat, hot.cum], 'the same flat and cum as go tool pprof');
});

test('a shop test\'s execution trace: decoded with the shop\'s region in it, and read by go tool trace', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const folder = join(scratch, 'captures-trace');
  const result = finished(await run(SHOP_DIR, { kind: 'test', name: 'TestPriceBasket' }, 'trace', folder));
  assert.deepEqual(result.verdict, { status: 'passed' });
  const saved = result.saved!;
  assert.match(saved.fileName, /^shop\.TestPriceBasket-trace-\d{8}T\d{6}Z\.trace$/);
  const model = decodeExecutionTrace(readFileSync(saved.path));
  assert.equal(model.incomplete, undefined);
  const regions = new Set(Array.from(model.regions.name, (name) => model.strings[name]));
  assert.ok(regions.has('priceBasket'), `regions: ${[...regions].join(', ')}`);
  runGo(['tool', 'trace', '-d=1', saved.path], { cwd: folder, maxBuffer: 1024 * 1024 * 1024 });
});

test('all the benchmarks of a package, with a memory profile: named after the package, with the shop\'s allocations in it', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const folder = join(scratch, 'captures-package');
  const result = finished(await run(SHOP_DIR, { kind: 'package', run: 'benchmarks' }, 'memory', folder));
  assert.deepEqual(result.verdict, { status: 'passed' });
  assert.match(result.saved?.fileName ?? '', /^shop\.benchmarks-allocs-\d{8}T\d{6}Z\.pb\.gz$/);
  const profile = await decodeProfileFile(result.saved!.path);
  const space = prepareQuery(profile, { sampleIndex: 'alloc_space' });
  const rows = topReport(space, { nodeFraction: 0 }).rows;
  assert.ok(rows.some((row) => row.name === 'example.com/shop.formatLines' && row.cum > 0), 'BenchmarkFormatLines\'s allocations are in the profile');
});

test('a failing test still saves its profile, and says which test failed', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const dir = goPackage('failing', `package failing\n\nimport "testing"\n\n${BUSY}\nfunc TestBad(t *testing.T) {\n\tif busy() > 0 {\n\t\tt.Fatal("boom")\n\t}\n}\n`);
  const folder = join(scratch, 'captures-failing');
  const result = finished(await run(dir, { kind: 'test', name: 'TestBad' }, 'cpu', folder));
  assert.deepEqual(result.verdict, { status: 'failed', failedTests: ['TestBad'] });
  assert.match(result.saved?.fileName ?? '', /^failing\.TestBad-cpu-.*\.pb\.gz$/);
  const profile = await decodeProfileFile(result.saved!.path);
  assert.ok(profile.samples.count > 0, 'the failing test was profiled');
});

test('a build error or a file that does not parse saves nothing, says the error, and leaves no folder it created', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const dir = goPackage('broken', 'package broken\n\nimport "testing"\n\nfunc TestX(t *testing.T) { undefinedThing() }\n');
  const folder = join(scratch, 'created-for-broken', 'captures');
  const result = finished(await run(dir, { kind: 'test', name: 'TestX' }, 'cpu', folder));
  assert.equal(result.verdict.status, 'build-failed');
  assert.match((result.verdict as { error: string }).error, /broken_test\.go:5:\d+: undefined: undefinedThing/);
  assert.equal(result.saved, undefined);
  assert.match(result.unsaved ?? '', /could not build the package .*undefinedThing.*TestX never ran/);
  assert.equal(existsSync(join(scratch, 'created-for-broken')), false, 'the folders made for the run are gone');

  // A file that does not parse: go 1.23 says only where.
  const unparsable = goPackage('unparsable', 'import "testing"\n\nfunc TestX(t *testing.T) {}\n');
  const parse = finished(await run(unparsable, { kind: 'test', name: 'TestX' }, 'cpu', folder));
  assert.equal(parse.verdict.status, 'build-failed');
  assert.match((parse.verdict as { error: string }).error, /unparsable_test\.go:1:1: expected 'package', found 'import'/);
  assert.equal(parse.saved, undefined);
});

test('a panic before the profile is written saves nothing and says so; a test that does not exist too', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const dir = goPackage('panicky', `package panicky\n\nimport "testing"\n\n${BUSY}\nfunc TestPanic(t *testing.T) {\n\tif busy() > 0 {\n\t\tpanic("kaboom")\n\t}\n}\n`);
  const folder = join(scratch, 'captures-panicky');
  const panicked = finished(await run(dir, { kind: 'test', name: 'TestPanic' }, 'cpu', folder));
  assert.deepEqual(panicked.verdict, { status: 'crashed', why: 'panicked (kaboom)' });
  assert.equal(panicked.saved, undefined);
  assert.match(panicked.unsaved ?? '', /the test binary panicked \(kaboom\) before it wrote the CPU profile/);

  const missing = finished(await run(dir, { kind: 'test', name: 'TestNotThere' }, 'memory', folder));
  assert.equal(missing.verdict.status, 'nothing-ran');
  assert.match(missing.unsaved ?? '', /no test named TestNotThere/);
  assert.deepEqual(filesIn(folder), [], 'no profile, no test binary, no temporary file');
});

test('cancelling stops go test and the test binary, and leaves nothing behind', async (t) => {
  if (!requireGo((why) => t.skip(why))) return;
  const dir = goPackage('slow', 'package slow\n\nimport (\n\t"fmt"\n\t"os"\n\t"testing"\n\t"time"\n)\n\nfunc TestSlow(t *testing.T) {\n\tfmt.Printf("test binary pid %d\\n", os.Getpid())\n\tfor deadline := time.Now().Add(5 * time.Minute); time.Now().Before(deadline); {\n\t}\n}\n');
  const folder = join(scratch, 'captures-slow');
  const abort = new AbortController();
  let output = '';
  let pid = 0;
  const result = await run(dir, { kind: 'test', name: 'TestSlow' }, 'trace', folder, {
    signal: abort.signal,
    onOutput: (text) => {
      output += text;
      // Cancel once the test binary runs the test (and is writing its trace).
      const match = /test binary pid (\d+)\n/.exec(output);
      if (match && !pid) {
        pid = Number(match[1]);
        abort.abort();
      }
    },
  });
  assert.equal(result.status, 'cancelled');
  assert.ok(pid > 0);
  assert.deepEqual(filesIn(folder), [], 'no trace, no test binary, no temporary file');
  assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'the test binary is no longer running');
});

test('a go that cannot be started, or a captures folder that cannot be made, is said so', async () => {
  const folder = join(scratch, 'captures-nogo');
  const result = await run(SHOP_DIR, { kind: 'test', name: 'TestPriceBasket' }, 'cpu', folder, { go: join(scratch, 'no-such-go') });
  assert.equal(result.status, 'not-started');
  assert.equal((result as { code: string }).code, 'ENOENT');
  assert.deepEqual(filesIn(folder), []);

  const file = join(scratch, 'a-file');
  writeFileSync(file, '');
  const noFolder = await run(SHOP_DIR, { kind: 'test', name: 'TestPriceBasket' }, 'cpu', join(file, 'captures'), { go: join(scratch, 'no-such-go') });
  assert.equal(noFolder.status, 'not-started');
  assert.match((noFolder as { message: string }).message, /cannot save in .*a-file\/captures \(ENOTDIR\); choose a captures folder you can write to/);
});
