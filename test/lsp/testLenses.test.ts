// The test lenses in a real language server session (the built dist/server.js over JSON-RPC): none until
// the client turns them on (it does in a trusted workspace only), then "Profile test ▸" / "Profile
// benchmark ▸" above each test and benchmark of a `_test.go` file, whose command carries the function;
// they follow edits, stay off other files, go when turned off, and the editor is asked to refresh its
// lenses each time. On the shop's test file, after loading a CPU profile written by `go test` itself,
// the benchmark has its profile lens too: both features' lenses come back from the one CodeLens request.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeLensRefreshRequest, CodeLensRequest, InitializeRequest, InitializedNotification, type CodeLens } from 'vscode-languageserver-protocol';
import { TestingCommands } from '../../common/ids';
import { LoadProfileRequest } from '../../common/profileProtocol';
import { TestLensesRequest, type TestFunctionRef } from '../../common/testingProtocol';
import { findTestProfileKind } from '../../client/src/testing/goTestArgs';
import { runGoTest } from '../../client/src/testing/goTestRun';
import { nodeProcessRunner } from '../../client/src/testing/processRunner';
import { findGo, goEnv } from '../helpers/goToolchain';
import { TestLspClient } from '../helpers/lspClient';
import { SHOP_DIR } from '../helpers/shopService';

const workspace = '/workspace/pricing';
const testUri = pathToFileURL(join(workspace, 'pricing_test.go')).href;
const SOURCE = `package pricing

import (
	"testing"
	tt "testing"
)

func TestTotal(t *testing.T) {}

func BenchmarkTotal(b *tt.B) {}

func Testlowercase(t *testing.T) {}

func helper(t *testing.T) {}
`;

let client: TestLspClient;
let refreshes = 0;
let scratch: string;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'gtl-lsp-test-lenses-'));
  client = new TestLspClient();
  client.connection.onRequest(CodeLensRefreshRequest.method, () => {
    refreshes++;
    return null;
  });
  // As VS Code does: the client can be asked to refresh its lenses.
  await client.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    capabilities: { workspace: { configuration: true, codeLens: { refreshSupport: true } } },
    workspaceFolders: [{ uri: pathToFileURL(SHOP_DIR).href, name: 'shop' }],
  });
  await client.connection.sendNotification(InitializedNotification.type, {});
});

after(async () => {
  await client.shutdown();
  rmSync(scratch, { recursive: true, force: true });
});

async function lenses(uri: string): Promise<CodeLens[]> {
  return (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
}

/** The test lenses of a document as `line title name kind`. */
async function testLenses(uri: string): Promise<string[]> {
  return (await lenses(uri))
    .filter((lens) => lens.command?.command === TestingCommands.profileFunction)
    .map((lens) => {
      const ref = lens.command!.arguments![0] as TestFunctionRef;
      assert.equal(ref.uri, uri);
      return `${lens.range.start.line} ${lens.command!.title} ${ref.name} ${ref.kind}`;
    });
}

test('no test lens until the client turns them on', async () => {
  await client.open(testUri, SOURCE);
  assert.deepEqual(await testLenses(testUri), []);
});

test('turned on, each test and benchmark has its lens, with the function in its command; the editor is asked to refresh', async () => {
  const before = refreshes;
  await client.request(TestLensesRequest, { enabled: true });
  assert.equal(refreshes, before + 1, 'workspace/codeLens/refresh was sent before the request was answered');
  assert.deepEqual(await testLenses(testUri), ['7 Profile test ▸ TestTotal test', '9 Profile benchmark ▸ BenchmarkTotal benchmark']);
});

test('the lenses follow edits: lines inserted above, a test renamed out of the rules', async () => {
  await client.change(testUri, 2, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '// Package pricing.\n\n' }]);
  assert.deepEqual(await testLenses(testUri), ['9 Profile test ▸ TestTotal test', '11 Profile benchmark ▸ BenchmarkTotal benchmark']);
  await client.change(testUri, 3, [{ range: { start: { line: 9, character: 5 }, end: { line: 9, character: 14 } }, text: 'Testtotal' }]);
  assert.deepEqual(await testLenses(testUri), ['11 Profile benchmark ▸ BenchmarkTotal benchmark']);
});

test('a file that is not a _test.go file has no test lens', async () => {
  const uri = pathToFileURL(join(workspace, 'pricing.go')).href;
  await client.open(uri, SOURCE);
  assert.deepEqual(await testLenses(uri), []);
});

test('on the shop\'s test file, a benchmark profiled by go test has its profile lens beside its test lens', async (t) => {
  const go = findGo();
  if (!go) {
    if (process.env.CI === 'true') throw new Error('CI=true and the Go toolchain is not installed');
    return t.skip('the Go toolchain is not installed');
  }
  const run = await runGoTest(
    { go, packageDir: SHOP_DIR, target: { kind: 'benchmark', name: 'BenchmarkPriceBasket' }, profile: findTestProfileKind('cpu')!, captureFolder: scratch, env: goEnv() },
    nodeProcessRunner,
  );
  assert.ok(run.status === 'finished' && run.saved, JSON.stringify(run));
  const loaded = await client.request(LoadProfileRequest, { path: run.saved.path, kind: 'cpu', makeActive: true });
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.message);

  const path = join(SHOP_DIR, 'gateway_test.go');
  const uri = pathToFileURL(path).href;
  const text = readFileSync(path, 'utf8');
  await client.open(uri, text);
  const line = text.split('\n').findIndex((l) => l.startsWith('func BenchmarkPriceBasket('));
  const onBenchmark = (await lenses(uri)).filter((lens) => lens.range.start.line === line).map((lens) => lens.command!.title);
  assert.equal(onBenchmark.length, 2, JSON.stringify(onBenchmark));
  assert.match(onBenchmark[0]!, /^cpu (?:[\d.]+m?s|0) \([\d.]+%\) flat · [\d.]+m?s \([\d.]+%\) cum$/);
  assert.equal(onBenchmark[1], 'Profile benchmark ▸');
  const expected = text.split('\n').flatMap((l, i) => {
    const match = /^func ((Test|Benchmark)\w*)\(/.exec(l);
    const kind = match?.[2] === 'Test' ? 'test' : 'benchmark';
    return match ? [`${i} Profile ${kind} ▸ ${match[1]} ${kind}`] : [];
  });
  assert.equal(expected.length, 3, 'the shop has two tests and a benchmark in gateway_test.go');
  assert.deepEqual(await testLenses(uri), expected);
});

test('turned off, the lenses go, and the editor is asked to refresh', async () => {
  const before = refreshes;
  await client.request(TestLensesRequest, { enabled: false });
  assert.equal(refreshes, before + 1);
  assert.deepEqual(await testLenses(testUri), []);
});
