// call-chain-break across files: the workspace index (summaries of every file, go.mod modules) finds calls
// to context-less functions that create root contexts in other packages, directly or transitively, and the
// related information points at the root's creation in the other file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CallGraphIndex, parseModulePath } from '../../core/analysis/workspace/callGraph';
import { analyzeSource, describeFindings, expectationsOf } from '../helpers/analyze';

const workspace = join(__dirname, '..', 'fixtures', 'analyzer', 'workspace');
const files = ['api/handler.go', 'config/config.go', 'internal/cache/cache.go', 'internal/kv/kv.go', 'api/jobs.go', 'internal/work/work.go'].map((f) => join(workspace, f));

function workspaceIndex(): CallGraphIndex {
  const index = new CallGraphIndex();
  index.setModule(workspace, parseModulePath(readFileSync(join(workspace, 'go.mod'), 'utf8'))!);
  for (const file of files) index.setSource(file, readFileSync(file, 'utf8'));
  return index;
}

test('go.mod module paths are read, quoted or not, and map import paths to folders', () => {
  assert.equal(parseModulePath('// comment\nmodule example.com/shop\n\ngo 1.23\n'), 'example.com/shop');
  assert.equal(parseModulePath('module "example.com/quoted" // legacy\n'), 'example.com/quoted');
  assert.equal(parseModulePath('go 1.23\n'), undefined);
  const index = workspaceIndex();
  assert.equal(index.directoryOf('example.com/shop/config'), `${workspace}/config`);
  assert.equal(index.directoryOf('example.com/shopping'), undefined);
  index.setModule('/goroot/src', 'std');
  assert.equal(index.directoryOf('net/http'), '/goroot/src/net/http');
  assert.equal(index.directoryOf('github.com/x/y'), undefined);
});

test('each workspace file gets exactly its annotated findings, with the index of the whole workspace', async () => {
  const index = workspaceIndex();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const findings = await analyzeSource(source, { index, filePath: file });
    assert.deepEqual(
      describeFindings(findings.map((f) => ({ line: f.range.start.line, rule: f.rule }))),
      describeFindings(expectationsOf(source)),
      file,
    );
  }
});

test('the message names the chain, and related information points at the root in the other file', async () => {
  const index = workspaceIndex();
  const handler = files[0]!;
  const findings = await analyzeSource(readFileSync(handler, 'utf8'), { index, filePath: handler });
  const [load, refresh] = findings;
  assert.ok(load && refresh);
  assert.match(load.message, /^config\.Load takes no context and creates a root context with context\.Background\(\) \(config\.go:20\)/);
  assert.match(load.message, /Give Load a context\.Context parameter and pass r\.Context\(\)/);
  assert.deepEqual(load.related, [{
    file: files[1],
    range: { start: { line: 19, character: 26 }, end: { line: 19, character: 46 } },
    message: 'The root context is created here, in Load.',
  }]);
  assert.match(refresh.message, /^config\.Refresh takes no context and, through Warm, creates a root context with context\.TODO\(\) \(cache\.go:13\)/);
  assert.equal(refresh.related[0]!.file, files[2]);
  assert.equal(refresh.related[0]!.range.start.line, 12);
  assert.equal(load.fixes.length, 0);
});

test('a method of a parameter\'s type is followed into its package, and its context-taking twin suggested', async () => {
  const index = workspaceIndex();
  const handler = files[0]!;
  const findings = await analyzeSource(readFileSync(handler, 'utf8'), { index, filePath: handler });
  const get = findings.find((f) => f.range.start.line === 23);
  assert.ok(get, 'cache.Get on a *kv.Redis parameter is reported');
  assert.match(get.message, /^cache\.Get takes no context and creates a root context with context\.Background\(\) \(kv\.go:15\)/);
  assert.match(get.message, /Call cache\.GetCtx\(r\.Context\(\), …\) instead/);
  assert.equal(get.related[0]!.file, files[3]);
});

test('the index follows edits: a callee that stops creating a root stops being reported', async () => {
  const index = workspaceIndex();
  const handler = files[0]!;
  const handlerSource = readFileSync(handler, 'utf8');
  const lines = async () => (await analyzeSource(handlerSource, { index, filePath: handler })).map((f) => f.range.start.line);
  assert.deepEqual(await lines(), [10, 11, 23]);
  const config = readFileSync(files[1]!, 'utf8').replace('configStore.Fetch(context.Background())', 'Config{}');
  index.setSource(files[1]!, config);
  assert.deepEqual(await lines(), [11, 23]);
  index.removeFile(files[2]!);
  assert.deepEqual(await lines(), [23]);
  index.setSource(files[2]!, readFileSync(files[2]!, 'utf8'));
  assert.deepEqual(await lines(), [11, 23]);
  assert.deepEqual(index.removeUnder(join(workspace, 'internal')).sort(), [files[2], files[3], files[5]].sort());
  assert.deepEqual(await lines(), []);
  assert.equal(index.fileCount, 3);
});

test('span-context-discarded is dropped when every call handed the old ctx ignores its context, by the index', async () => {
  const index = workspaceIndex();
  const jobs = files[4]!;
  const source = readFileSync(jobs, 'utf8');
  const withIndex = await analyzeSource(source, { index, filePath: jobs });
  assert.deepEqual(withIndex.map((f) => `${f.range.start.line + 1}:${f.rule}`), ['26:span-context-discarded']);
  // Without the other package in the index, FlushToLocal's use of ctx is unknown: the findings stay.
  index.removeFile(files[5]!);
  const without = await analyzeSource(source, { index, filePath: jobs });
  assert.deepEqual(without.map((f) => `${f.range.start.line + 1}:${f.rule}`), ['20:span-context-discarded', '26:span-context-discarded', '33:span-context-discarded']);
});

test('call-chain-break can be turned off and its severity changed like any rule', async () => {
  const index = workspaceIndex();
  const handler = files[0]!;
  const source = readFileSync(handler, 'utf8');
  assert.deepEqual(await analyzeSource(source, { index, filePath: handler, ruleSettings: { 'call-chain-break': 'off' } }), []);
  const findings = await analyzeSource(source, { index, filePath: handler, ruleSettings: { 'call-chain-break': 'error' } });
  assert.deepEqual(findings.map((f) => f.severity), ['error', 'error', 'error']);
});
