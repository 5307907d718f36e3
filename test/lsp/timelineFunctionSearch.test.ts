// The find-functions request over real JSON-RPC against the built server (dist/server.js): a span's name
// finds the workspace method that records it, once the workspace index has read the folder; a function
// only in an open document's text is found too (the editor's text wins over the disk).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IndexStatusRequest } from '../../common/analysisProtocol';
import { FindFunctionsRequest } from '../../common/timelineProtocol';
import { REPO_ROOT } from '../helpers/goToolchain';
import { TestLspClient } from '../helpers/lspClient';

let client: TestLspClient;
let workspace: string;

before(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'gtl-find-functions-'));
  cpSync(join(REPO_ROOT, 'examples', 'shop'), join(workspace, 'shop'), { recursive: true, filter: (src) => !src.includes('.pprof') });
  client = new TestLspClient();
  await client.initialize([join(workspace, 'shop')]);
  const deadline = Date.now() + 30000;
  for (;;) {
    const status = await client.request(IndexStatusRequest);
    if (status.state === 'ready' && status.files > 0) break;
    if (Date.now() > deadline) throw new Error(`the index did not finish: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
});

after(async () => {
  await client?.shutdown();
  rmSync(workspace, { recursive: true, force: true });
});

test('a span name finds the method that records it, at its line', async () => {
  const result = await client.request(FindFunctionsRequest, { name: 'gateway.checkout' });
  assert.equal(result.indexing, false);
  const gateway = join(workspace, 'shop', 'gateway.go');
  const line = readFileSync(gateway, 'utf8').split('\n').findIndex((l) => l.startsWith('func (g *gateway) checkout(')) + 1;
  assert.deepEqual(result.matches[0], { name: 'gateway.checkout', packageName: 'main', path: gateway, line, score: 100, reason: 'method checkout of gateway: same name' });
  const limited = await client.request(FindFunctionsRequest, { name: 'stock', limit: 1 });
  assert.equal(limited.matches.length, 1);
  assert.equal(limited.matches[0]!.name, 'inventory.stock');
});

test('an open document\'s text is searched as it is in the editor', async () => {
  const file = join(workspace, 'shop', 'orders.go');
  const uri = pathToFileURL(file).href;
  const text = readFileSync(file, 'utf8') + '\nfunc (o *orders) refund(id string) error { return nil }\n';
  await client.open(uri, text);
  const result = await client.request(FindFunctionsRequest, { name: 'orders.refund' });
  assert.equal(result.matches[0]?.path, file);
  assert.equal(result.matches[0]?.line, text.split('\n').length - 1);
  await client.close(uri);
  const after = await client.request(FindFunctionsRequest, { name: 'orders.refund' });
  assert.notEqual(after.matches[0]?.name, 'orders.refund', 'closed: the disk again');
});
