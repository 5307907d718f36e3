// Trace-derived profiles through the language server, over real JSON-RPC: the profile the timeline and
// the command palette ask for (goTraceLens/deriveTraceProfile) is written whole, with go tool trace's
// numbers, from a real trace of a real Go program (test/go/blockgen); it opens as a profile whose lenses
// say what was waited for ("sync block …"); a scope with nothing in it writes nothing and says why; a
// file that is no trace, a group that does not exist and a folder that cannot be written are refused
// with what is wrong.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeLensRequest, type CodeLens } from 'vscode-languageserver-protocol';
import { LoadProfileRequest } from '../../common/profileProtocol';
import { DeriveTraceProfileRequest } from '../../common/timelineProtocol';
import { decodeProfileFile } from '../../core/profiles/index.node';
import { decodeExecutionTrace } from '../../core/timeline';
import { GO_PROGRAMS, findGo } from '../helpers/goToolchain';
import { TestLspClient, inProcessServer } from '../helpers/lspClient';
import { assertMatchesGo, goTracePprof, writeBlockingTrace } from '../helpers/traceProfileReference';

const BLOCKGEN = join(GO_PROGRAMS, 'blockgen', 'main.go');

let client: TestLspClient | undefined;
let trace: string;
let out: string;

before(async () => {
  if (!findGo()) {
    if (process.env.CI === 'true') throw new Error('CI=true and the Go toolchain is not installed');
    return;
  }
  trace = writeBlockingTrace(2);
  out = mkdtempSync(join(tmpdir(), 'gtl-trace-profiles-'));
  client = new TestLspClient(inProcessServer());
  await client.initialize([join(GO_PROGRAMS, 'blockgen')]);
});

after(async () => {
  if (client) await client.shutdown();
  if (out) rmSync(out, { recursive: true, force: true });
});

test('the sync profile of a trace is written with go tool trace -pprof=sync\'s numbers, and opens with "sync block" lenses', async (t) => {
  if (!client) return t.skip('the Go toolchain is not installed');
  const file = join(out, 'blockgen-trace-sync-20261207T120000Z.pb.gz');
  const result = await client.request(DeriveTraceProfileRequest, { trace, type: 'sync', out: file });
  assert.ok(result.ok, !result.ok ? result.message : '');
  assert.equal(result.path, file);
  assert.equal(result.empty, undefined);
  assert.ok(result.stacks > 0 && result.delayNs > 0);
  const written = await decodeProfileFile(file);
  assertMatchesGo(written, goTracePprof(trace, 'sync'), decodeExecutionTrace(readFileSync(trace)), 'the server-written sync profile');
  assert.deepEqual(readdirSync(out).filter((name) => name.endsWith('.tmp')), [], 'no temporary file is left behind');

  const loaded = await client.request(LoadProfileRequest, { path: file, kind: 'trace-sync', makeActive: true });
  assert.ok(loaded.ok, !loaded.ok ? loaded.message : '');
  assert.equal(loaded.profile.kind, 'trace-sync');
  const uri = pathToFileURL(BLOCKGEN).href;
  const text = readFileSync(BLOCKGEN, 'utf8');
  await client.open(uri, text);
  const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
  const syncWaits = text.split('\n').findIndex((line) => line.startsWith('func syncWaits('));
  const lens = lenses.find((l) => l.range.start.line === syncWaits);
  assert.ok(lens, `a lens on syncWaits: ${JSON.stringify(lenses.map((l) => [l.range.start.line, l.command?.title]))}`);
  assert.match(lens.command!.title, /^sync block [\d.]+(ns|us|µs|ms|s)? \([\d.]+%\) flat · [\d.]+(ns|us|µs|ms|s) \([\d.]+%\) cum$/);
});

test('a scope in which nothing waited writes no file and says why', async (t) => {
  if (!client) return t.skip('the Go toolchain is not installed');
  const model = decodeExecutionTrace(readFileSync(trace));
  const file = join(out, 'empty-trace-net-20261207T120000Z.pb.gz');
  // The first nanosecond of the trace: no network wait can overlap it.
  const result = await client.request(DeriveTraceProfileRequest, { trace, type: 'net', out: file, scope: { fromNs: model.startNs, toNs: model.startNs + 1 } });
  assert.ok(result.ok, !result.ok ? result.message : '');
  assert.match(result.empty ?? '', /no goroutine waited on the network within the filters given/);
  assert.equal(existsSync(file), false);
});

test('a group no goroutine starts in, a file that is no trace and a folder that is not there are refused with what is wrong', async (t) => {
  if (!client) return t.skip('the Go toolchain is not installed');
  const group = await client.request(DeriveTraceProfileRequest, { trace, type: 'sched', out: join(out, 'g.pb.gz'), scope: { goroutineName: 'main.noSuchFunction' } });
  assert.equal(group.ok, false);
  assert.ok(!group.ok && group.code === 'no-such-goroutines' && /main\.noSuchFunction/.test(group.message), JSON.stringify(group));

  const notATrace = join(out, 'notes.trace');
  writeFileSync(notATrace, 'these are notes, not a trace\n');
  const refused = await client.request(DeriveTraceProfileRequest, { trace: notATrace, type: 'sync', out: join(out, 'n.pb.gz') });
  assert.equal(refused.ok, false);
  assert.ok(!refused.ok && /execution trace/i.test(refused.message), JSON.stringify(refused));

  const missing = join(out, 'no-such-folder', 'x.pb.gz');
  const unwritable = await client.request(DeriveTraceProfileRequest, { trace, type: 'sync', out: missing });
  assert.equal(unwritable.ok, false);
  assert.ok(!unwritable.ok && /does not exist\)\. Nothing was written\./.test(unwritable.message), JSON.stringify(unwritable));
  assert.equal(existsSync(join(out, 'g.pb.gz')) || existsSync(join(out, 'n.pb.gz')), false);
});
