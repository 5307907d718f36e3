// The propagation rules in the language server (started in this process, driven over real JSON-RPC): they
// judge whole programs from the workspace index, so a quick fix in one service republishes the finding of
// another open service, and a file changed on disk (a file-system event) clears a finding in a third.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, FileChangeType, type Diagnostic } from 'vscode-languageserver-protocol';
import { IndexStatusRequest } from '../../common/analysisProtocol';
import { inProcessServer, TestLspClient } from '../helpers/lspClient';

let client: TestLspClient;
let workspace: string;
const uriOf = (rel: string) => pathToFileURL(join(workspace, rel)).href;
const textOf = (rel: string) => readFileSync(join(workspace, rel), 'utf8');
const ofRule = (ds: Diagnostic[], rule: string) => ds.filter((d) => d.code === rule);

/** The diagnostics published for `uri` from now on, until `accept` holds (republished after another file's change). */
async function until(uri: string, accept: (ds: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
  if (accept(client.latest(uri))) return client.latest(uri);
  for (;;) {
    const published = await client.nextDiagnostics(uri, undefined, 30000);
    if (accept(published.diagnostics)) return published.diagnostics;
  }
}

before(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'gtl-propagation-'));
  cpSync(join(__dirname, '..', 'fixtures', 'analyzer', 'propagation'), workspace, { recursive: true });
  client = new TestLspClient(inProcessServer());
  await client.initialize([workspace]);
  const deadline = Date.now() + 60000;
  for (;;) {
    const status = await client.request(IndexStatusRequest);
    if (status.state === 'ready' && status.files >= 8) break;
    if (Date.now() > deadline) throw new Error(`the index did not become ready: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
});

after(async () => {
  await client.shutdown();
  rmSync(workspace, { recursive: true, force: true });
});

test('a quick fix in one service clears the mixed-propagators finding of the other open service', async () => {
  const payments = uriOf('cmd/payments/main.go');
  const gateway = uriOf('cmd/gateway/main.go');
  const opened = await client.open(payments, textOf('cmd/payments/main.go'));
  const [finding] = ofRule(opened.diagnostics, 'mixed-propagators');
  assert.ok(finding, 'payments cannot read the gateway');
  assert.match(String(finding.message), /while cmd\/gateway sends only W3C trace context/);
  assert.deepEqual(finding.relatedInformation?.map((r) => r.location.uri), [gateway]);
  assert.equal(ofRule((await client.open(gateway, textOf('cmd/gateway/main.go'))).diagnostics, 'mixed-propagators').length, 1);

  const [action] = await client.codeActions(payments, finding.range, [finding]);
  assert.match(action!.title, /^Also read and send W3C trace context/);
  const fixed = await client.applyFix(payments, action!, 2);
  assert.deepEqual(ofRule(fixed.diagnostics, 'mixed-propagators'), []);
  // The gateway (another program) is republished: the two services now share W3C trace context.
  await until(gateway, (ds) => ofRule(ds, 'mixed-propagators').length === 0);
});

test('a file changed on disk updates the programs: a propagator set in the orders service clears propagator-not-set', async () => {
  const telemetry = uriOf('internal/telemetry/telemetry.go');
  const opened = await client.open(telemetry, textOf('internal/telemetry/telemetry.go'));
  assert.equal(ofRule(opened.diagnostics, 'propagator-not-set').length, 1);
  const main = textOf('cmd/orders/main.go')
    .replace('"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"', '"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"\n\t"go.opentelemetry.io/otel"\n\t"go.opentelemetry.io/otel/propagation"')
    .replace('\tdefer shutdown(ctx)\n', '\tdefer shutdown(ctx)\n\totel.SetTextMapPropagator(propagation.TraceContext{})\n');
  writeFileSync(join(workspace, 'cmd/orders/main.go'), main);
  await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf('cmd/orders/main.go'), type: FileChangeType.Changed }] });
  await until(telemetry, (ds) => ofRule(ds, 'propagator-not-set').length === 0);
});
