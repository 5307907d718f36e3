// Profiling tests, the pure parts: the go test command line for a test, a benchmark and a package with
// each kind of profile; the saved files' names as the Captures view reads them; what a run's output says
// it came to (outputs as go 1.23 prints them); the messages a run ends with; where go is found.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureFileName, findCaptureKind } from '../../core/capture';
import { listCaptures } from '../../core/capture/index.node';
import { captureViewRows } from '../../client/src/capture/capturesViewItems';
import {
  TEST_PROFILE_KINDS, binaryNameFor, findTestProfileKind, formatCommandLine, goTestArgs, quoteMeta, savedFileSubject, type TestProfileKind, type TestTarget,
} from '../../client/src/testing/goTestArgs';
import { locateGo } from '../../client/src/testing/goLocation';
import { GoTestOutputReader, type GoTestExit, type GoTestVerdict } from '../../client/src/testing/goTestOutcome';
import type { GoTestRunResult } from '../../client/src/testing/goTestRun';
import { reportRun } from '../../client/src/testing/runReport';

const kind = (id: string): TestProfileKind => findTestProfileKind(id)!;
const args = (target: TestTarget, profile = 'cpu') => goTestArgs({ target, profile: kind(profile), profileFile: '/c/p.partial', binaryFile: '/c/b.partial' });

test('a test runs alone, a benchmark alone and without the tests, a package\'s tests or benchmarks all', () => {
  assert.deepEqual(args({ kind: 'test', name: 'TestPriceBasket' }), ['test', '-count=1', '-v', '-run', '^TestPriceBasket$', '-cpuprofile', '/c/p.partial', '-o', '/c/b.partial', '.']);
  assert.deepEqual(args({ kind: 'benchmark', name: 'BenchmarkPriceBasket' }), ['test', '-count=1', '-v', '-run', '^$', '-bench', '^BenchmarkPriceBasket$', '-cpuprofile', '/c/p.partial', '-o', '/c/b.partial', '.']);
  assert.deepEqual(args({ kind: 'package', run: 'tests' }), ['test', '-count=1', '-v', '-cpuprofile', '/c/p.partial', '-o', '/c/b.partial', '.']);
  assert.deepEqual(args({ kind: 'package', run: 'benchmarks' }), ['test', '-count=1', '-v', '-run', '^$', '-bench', '.', '-cpuprofile', '/c/p.partial', '-o', '/c/b.partial', '.']);
});

test('each kind of profile has its go test flag and the capture kind of the file it writes', () => {
  const flags = TEST_PROFILE_KINDS.map((k) => [k.id, args({ kind: 'test', name: 'TestX' }, k.id)[5], k.captureKind]);
  assert.deepEqual(flags, [
    ['cpu', '-cpuprofile', 'cpu'],
    ['memory', '-memprofile', 'allocs'],
    ['block', '-blockprofile', 'block'],
    ['mutex', '-mutexprofile', 'mutex'],
    ['trace', '-trace', 'trace'],
  ]);
  for (const k of TEST_PROFILE_KINDS) assert.ok(findCaptureKind(k.captureKind), k.id);
});

test('names are quoted as Go\'s regexp.QuoteMeta quotes them', () => {
  // The example of Go's documentation of QuoteMeta.
  assert.equal(quoteMeta('Escaping symbols like: .+*?()|[]{}^$'), 'Escaping symbols like: \\.\\+\\*\\?\\(\\)\\|\\[\\]\\{\\}\\^\\$');
  assert.equal(quoteMeta('TestÉcole_1'), 'TestÉcole_1');
  assert.equal(quoteMeta('a\\b'), 'a\\\\b');
});

test('the command line in the output channel is one a shell runs as it is', () => {
  assert.equal(formatCommandLine('/usr/bin/go', ['test', '-run', '^TestX$', '-o', '/tmp/my dir/x.test', '.']), "/usr/bin/go test -run '^TestX$' -o '/tmp/my dir/x.test' .");
  assert.equal(formatCommandLine('go', ["it's"]), "go 'it'\\''s'");
});

test('saved files are named as captures, so the Captures view lists them with their kind and test', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gtl-test-names-'));
  try {
    const time = new Date(Date.UTC(2025, 0, 31, 15, 45, 1));
    const cpu = captureFileName({ endpointName: savedFileSubject({ kind: 'benchmark', name: 'BenchmarkPriceBasket' }, 'shop'), kind: 'cpu', time, sequence: 1, extension: 'pb.gz' });
    const trace = captureFileName({ endpointName: savedFileSubject({ kind: 'package', run: 'tests' }, 'shop'), kind: 'trace', time, sequence: 2, extension: 'trace' });
    assert.equal(cpu, 'shop.BenchmarkPriceBasket-cpu-20250131T154501Z.pb.gz');
    assert.equal(binaryNameFor(cpu), 'shop.BenchmarkPriceBasket-cpu-20250131T154501Z.test');
    assert.equal(binaryNameFor(trace), 'shop.tests-trace-20250131T154501Z-2.test');
    for (const name of [cpu, trace, binaryNameFor(cpu)]) writeFileSync(join(dir, name), 'x');
    const rows = captureViewRows(await listCaptures(dir), time);
    assert.deepEqual(rows.map((r) => [r.label, r.description.split(' · ')[0]]), [
      ['Execution trace', 'shop.tests'],
      ['CPU profile', 'shop.BenchmarkPriceBasket'],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Reads `output` in chunks cut at awkward places (mid-line, mid-character), as a pipe delivers it. */
function judge(output: string, target: TestTarget, exit: GoTestExit = { exitCode: 0, signal: null }): GoTestVerdict {
  const reader = new GoTestOutputReader(target);
  for (let i = 0; i < output.length; i += 7) reader.push(output.slice(i, i + 7));
  return reader.verdict(exit);
}

const TEST_X: TestTarget = { kind: 'test', name: 'TestOK' };
const BENCH: TestTarget = { kind: 'benchmark', name: 'BenchmarkOK' };

test('a passing test and a benchmark that ran are passes', () => {
  assert.deepEqual(judge('=== RUN   TestOK\n--- PASS: TestOK (0.03s)\nPASS\nok  \texample.com/pass\t0.204s\n', TEST_X), { status: 'passed' });
  const bench = 'goos: linux\ngoarch: amd64\npkg: example.com/pass\nBenchmarkOK\nBenchmarkOK-2   \t1000000000\t         0.4044 ns/op\nPASS\nok  \texample.com/pass\t0.518s\n';
  assert.deepEqual(judge(bench, BENCH), { status: 'passed' });
  assert.deepEqual(judge('BenchmarkOK/small-2 \t 100\t 10 ns/op\nPASS\n', BENCH), { status: 'passed' }, 'sub-benchmarks count for their parent');
});

test('a failing test is named', () => {
  const output = '=== RUN   TestBad\n    p_test.go:3: boom\n--- FAIL: TestBad (0.00s)\n=== RUN   TestSub\n    --- FAIL: TestSub/a (0.00s)\n--- FAIL: TestSub (0.00s)\nFAIL\nFAIL\texample.com/fail\t0.214s\nFAIL\n';
  assert.deepEqual(judge(output, { kind: 'package', run: 'tests' }, { exitCode: 1, signal: null }), { status: 'failed', failedTests: ['TestBad', 'TestSub'] });
});

test('a build failure gives the compiler\'s first error', () => {
  const output = '# example.com/build [example.com/build.test]\n./p_test.go:3:28: undefined: undefinedThing\n./p_test.go:4:1: missing return\nFAIL\texample.com/build [build failed]\nFAIL\n';
  assert.deepEqual(judge(output, TEST_X, { exitCode: 1, signal: null }), { status: 'build-failed', error: './p_test.go:3:28: undefined: undefinedThing' });
  assert.deepEqual(judge('FAIL\texample.com/x [setup failed]\n', TEST_X, { exitCode: 1, signal: null }), { status: 'build-failed', error: 'example.com/x did not build (the output says why)' });
  // A file that does not parse: go 1.23 prints the error alone.
  assert.deepEqual(judge('gateway_test.go:4:1: expected \'package\', found \'import\'\n', TEST_X, { exitCode: 1, signal: null }), { status: 'build-failed', error: 'gateway_test.go:4:1: expected \'package\', found \'import\'' });
});

test('a panic, a fatal error or a signal is a crash, even though a test is reported failed', () => {
  const panicked = '=== RUN   TestPanic\n--- FAIL: TestPanic (0.06s)\npanic: kaboom [recovered]\n\tpanic: kaboom\n\ngoroutine 10 [running]:\nFAIL\texample.com/panic\t0.070s\nFAIL\n';
  assert.deepEqual(judge(panicked, TEST_X, { exitCode: 1, signal: null }), { status: 'crashed', why: 'panicked (kaboom)' });
  assert.deepEqual(judge('fatal error: all goroutines are asleep - deadlock!\n', TEST_X, { exitCode: 1, signal: null }), { status: 'crashed', why: 'stopped with a fatal error (all goroutines are asleep - deadlock!)' });
  assert.deepEqual(judge('=== RUN   TestOK\n', TEST_X, { exitCode: null, signal: 'SIGKILL' }), { status: 'crashed', why: 'was ended by SIGKILL' });
});

test('nothing ran: no test files, no test or benchmark of that name', () => {
  assert.deepEqual(judge('?   \texample.com/notests\t[no test files]\n', TEST_X), { status: 'nothing-ran', why: 'example.com/notests has no test files' });
  const noTest = judge('testing: warning: no tests to run\nPASS\nok  \texample.com/pass\t0.204s [no tests to run]\n', { kind: 'test', name: 'TestNope' });
  assert.equal(noTest.status, 'nothing-ran');
  assert.match((noTest as { why: string }).why, /no test named TestNope/);
  const noBench = judge('PASS\nok  \texample.com/pass\t0.205s\n', { kind: 'benchmark', name: 'BenchmarkNope' });
  assert.match((noBench as { why: string }).why, /no benchmark named BenchmarkNope/);
  assert.deepEqual(judge('PASS\nok  \texample.com/pass\t0.2s\n', { kind: 'package', run: 'benchmarks' }), { status: 'nothing-ran', why: 'the package has no benchmarks' });
});

test('go itself refusing is said with go\'s words', () => {
  assert.deepEqual(judge('go: go.mod file not found in current directory or any parent directory; see \'go help modules\'\n', TEST_X, { exitCode: 1, signal: null }), {
    status: 'go-failed',
    error: 'go.mod file not found in current directory or any parent directory; see \'go help modules\'',
  });
});

const finished = (verdict: GoTestVerdict, extra: Partial<Extract<GoTestRunResult, { status: 'finished' }>> = {}): GoTestRunResult => ({
  status: 'finished', commandLine: 'go test', verdict, exitCode: verdict.status === 'passed' ? 0 : 1, elapsedMs: 3210, ...extra,
});
const saved = { path: '/c/shop.TestX-cpu-20250131T154501Z.pb.gz', fileName: 'shop.TestX-cpu-20250131T154501Z.pb.gz', bytes: 12_345, binary: '/c/shop.TestX-cpu-20250131T154501Z.test' };

test('a run that passed and saved its profile needs no popup; one that failed says so and that the profile was saved', () => {
  const passed = reportRun(finished({ status: 'passed' }, { saved }), 'TestX', 'CPU profile');
  assert.equal(passed.popup, undefined);
  assert.match(passed.status ?? '', /TestX: CPU profile saved \(12\.\d KB\)/);
  assert.match(passed.logLine, /exit status 0 after 3\.2 s: TestX passed\. Saved shop\.TestX-cpu-20250131T154501Z\.pb\.gz \(12\.\d KB\) with its test binary\./);

  const failed = reportRun(finished({ status: 'failed', failedTests: ['TestX'] }, { saved }), 'TestX', 'CPU profile');
  assert.deepEqual(failed.popup, { severity: 'warning', message: 'TestX failed; its CPU profile was saved anyway.' });

  const noticed = reportRun(finished({ status: 'passed' }, { saved: { ...saved, notice: 'The CPU profile has no samples.' } }), 'TestX', 'CPU profile');
  assert.deepEqual(noticed.popup, { severity: 'warning', message: 'The CPU profile has no samples.' });
});

test('no profile: the popup says why, an error unless nothing ran', () => {
  const build = reportRun(finished({ status: 'build-failed', error: './x_test.go:3:2: undefined: y' }, { unsaved: 'go test could not build the package (./x_test.go:3:2: undefined: y), so TestX never ran' }), 'TestX', 'CPU profile');
  assert.deepEqual(build.popup, { severity: 'error', message: 'No CPU profile of TestX: go test could not build the package (./x_test.go:3:2: undefined: y), so TestX never ran.' });
  const none = reportRun(finished({ status: 'nothing-ran', why: 'go test found no test named TestX' }, { unsaved: 'go test found no test named TestX' }), 'TestX', 'execution trace');
  assert.equal(none.popup?.severity, 'warning');
  assert.equal(none.popup?.message, 'No execution trace of TestX: go test found no test named TestX.');
  const cancelled = reportRun({ status: 'cancelled', commandLine: 'go test' }, 'TestX', 'CPU profile');
  assert.equal(cancelled.popup, undefined);
  assert.match(cancelled.status ?? '', /cancelled; nothing was saved/);
});

test('go is found from the setting, then PATH, then $GOROOT/bin; a setting that names no executable says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gtl-go-location-'));
  try {
    const fakeGo = (folder: string) => {
      mkdirSync(folder, { recursive: true });
      const file = join(folder, 'go');
      writeFileSync(file, '#!/bin/sh\n');
      chmodSync(file, 0o755);
      return file;
    };
    const onPath = fakeGo(join(dir, 'path-bin'));
    const inRoot = fakeGo(join(dir, 'goroot', 'bin'));
    const chosen = fakeGo(join(dir, 'chosen'));
    writeFileSync(join(dir, 'not-executable'), '');
    const lookup = { env: { PATH: join(dir, 'path-bin') }, platform: 'linux' as const, home: dir };

    assert.deepEqual(await locateGo({ ...lookup, setting: chosen }), { go: chosen });
    assert.deepEqual(await locateGo({ ...lookup, setting: '~/chosen/go' }), { go: chosen });
    assert.deepEqual(await locateGo({ ...lookup, setting: '' }), { go: onPath });
    assert.deepEqual(await locateGo({ ...lookup, env: { PATH: '/nowhere', GOROOT: join(dir, 'goroot') }, setting: '' }), { go: inRoot });

    const wrong = await locateGo({ ...lookup, setting: join(dir, 'not-executable') });
    assert.ok('problem' in wrong && wrong.fromSetting);
    assert.match(wrong.problem, /goTraceLens\.goExecutable is ".*not-executable", which is not an executable file/);
    const missingName = await locateGo({ ...lookup, setting: 'go1.99' });
    assert.ok('problem' in missingName && /not a command on the PATH/.test(missingName.problem));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
