// The language server's code started in this process (startServer on the Node connection, over two
// in-memory streams) and driven over real JSON-RPC, as the editor drives it — its diagnostics run here
// and against the bundle in server.test.ts; this file covers the custom messages: a notification, custom
// requests (a profile loaded, its state announced before the answer, heat through a path mapping), and the
// one error wrapper turning a handler's throw into an error response logged once. Needs no build.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCodes, MessageType, ResponseError } from 'vscode-languageserver-protocol';
import { IndexStatusRequest } from '../../common/analysisProtocol';
import {
  FlameGraphRequest, LineHeatRequest, LoadProfileRequest, ProfileStateChangedNotification, ProfileStateRequest, TopFunctionsRequest,
  type ProfileState,
} from '../../common/profileProtocol';
import { SkippedFileNotification, type SkippedFileParams } from '../../common/protocol';
import { inProcessServer, TestLspClient } from '../helpers/lspClient';
import { buildProfile } from '../helpers/pprofBuilder';
import { GOROUTINE_FROM_BACKGROUND } from '../helpers/goSnippets';
import { sharedFixture } from '../helpers/sharedFixtures';

const BUGGY = GOROUTINE_FROM_BACKGROUND;

let client: TestLspClient;
let workspace: string;
const states: ProfileState[] = [];
const skipped: SkippedFileParams[] = [];
let docCounter = 0;
const newUri = () => pathToFileURL(join(workspace, `doc${++docCounter}.go`)).href;

before(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'gtl-in-process-'));
  client = new TestLspClient(inProcessServer());
  client.onNotification(ProfileStateChangedNotification, (state) => states.push(state));
  client.onNotification(SkippedFileNotification, (params) => skipped.push(params));
  const result = await client.initialize([workspace]);
  assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: 2 });
  assert.equal(result.capabilities.hoverProvider, true);
});

after(async () => {
  await client.shutdown();
  rmSync(workspace, { recursive: true, force: true });
});

test('a file the analyzer cannot handle is skipped, and the client is told why once (a custom notification)', async () => {
  const uri = newUri();
  const published = await client.open(uri, 'package main\u0000\u0001' + BUGGY);
  assert.deepEqual(published.diagnostics, []);
  const mine = skipped.filter((s) => s.uri === uri);
  assert.equal(mine.length, 1);
  assert.match(mine[0]!.reason, /binary/i);
});

test('custom requests: a loaded profile is announced before the answer, and heat follows a path mapping', async () => {
  // large.cpu.pb.gz was built in /tmp/large; its main.next is sampled on lines 17, 20 and 21.
  const mapped = join(workspace, 'mapped');
  mkdirSync(mapped, { recursive: true });
  const lines = ['package main', ...Array.from({ length: 59 }, (_, i) => `// line ${i + 2}`)];
  writeFileSync(join(mapped, 'large.go'), lines.join('\n'));
  await client.changeSettings({ profile: { pathMappings: [{ from: '/tmp/large', to: mapped }] } });
  const deadline = Date.now() + 30000;
  let heatLines: number[] = [];
  const uri = pathToFileURL(join(mapped, 'large.go')).href;
  await client.open(uri, lines.join('\n'));
  const announced = states.length;
  const loaded = await client.request(LoadProfileRequest, { path: sharedFixture('pprof', 'large.cpu.pb.gz'), makeActive: true });
  assert.ok(loaded.ok, !loaded.ok ? loaded.message : '');
  assert.equal(loaded.profile.kind, 'cpu');
  const latest = states.at(-1);
  assert.ok(states.length > announced, 'ProfileStateChanged came before the answer');
  assert.equal(latest?.activeId, loaded.profile.id);
  assert.deepEqual(await client.request(ProfileStateRequest), latest);
  // The mapping arrives with the settings the server pulls; heat appears once it has it.
  while (Date.now() < deadline) {
    heatLines = (await client.request(LineHeatRequest, { uri })).lines.map((l) => l.line + 1).filter((l) => l < 30);
    if (heatLines.length > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(heatLines, [17, 20, 21]);
  const flame = await client.request(FlameGraphRequest);
  assert.ok(flame.ok && flame.data.nodeCount > 1 && flame.summary.kind === 'cpu');
  const status = await client.request(IndexStatusRequest);
  assert.deepEqual(status.folders, [workspace]);
});

test('a profile has the kind the load names (a capture knows its endpoint); without one, the file name suggests it', async () => {
  // A heap delta (?seconds=N) has no default sample type: its contents cannot tell heap from allocs.
  const heapDelta = buildProfile({
    sampleTypes: [['alloc_objects', 'count'], ['alloc_space', 'bytes'], ['inuse_objects', 'count'], ['inuse_space', 'bytes']],
    samples: [{ stack: ['main.work', 'main.main'], values: [1, 64, 1, 64] }],
  });
  // Captured from an endpoint named "allocs-service", whose name comes first in the file name.
  const file = join(workspace, 'allocs-service-heap-delta-20250131T154500Z.pb.gz');
  writeFileSync(file, heapDelta);
  const told = await client.request(LoadProfileRequest, { path: file, kind: 'heap', makeActive: false });
  assert.ok(told.ok && told.profile.kind === 'heap', JSON.stringify(told));
  const guessed = await client.request(LoadProfileRequest, { path: file, makeActive: false });
  assert.ok(guessed.ok && guessed.profile.kind === 'allocs', JSON.stringify(guessed));
});

test('a handler that throws is answered with an error response naming its method, and logged once', async () => {
  const logged = client.logs.length;
  await assert.rejects(
    client.connection.sendRequest(TopFunctionsRequest.method, null),
    (error: unknown) => error instanceof ResponseError && error.code === ErrorCodes.InternalError && /^goTraceLens\/topFunctions failed: /.test(error.message),
  );
  const errors = client.logs.slice(logged).filter((l) => l.type === MessageType.Error);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /goTraceLens\/topFunctions failed: TypeError/);
  // …and the server goes on answering.
  assert.ok((await client.request(TopFunctionsRequest, { limit: 3, sortBy: 'flat' }))?.rows.length);
});
