// Profiles in the language server, over real JSON-RPC, with real profiles captured from the running
// example shop: CodeLens on its hot functions, heat on lines that follows edits, hovers, the flame graph,
// the view controls, goroutine pile-ups, and clear errors for files that are not profiles.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeLensRequest, DidChangeConfigurationNotification, HoverRequest, type CodeLens, type MarkupContent } from 'vscode-languageserver-protocol';
import {
  FlameGraphRequest, LineHeatRequest, LoadProfileRequest, PILEUP_DIAGNOSTIC_CODE, ProfileStateChangedNotification, ProfileStateRequest,
  TopFunctionsRequest, UpdateProfileViewRequest, type ProfileState,
} from '../../common/profileProtocol';
import { decodeFloat64Column } from '../../common/base64Columns';
import { CACHE_DIR, findGo } from '../helpers/goToolchain';
import { TestLspClient } from '../helpers/lspClient';
import { SHOP_DIR, startShop, type RunningShop } from '../helpers/shopService';
import { sharedFixture } from '../helpers/sharedFixtures';

const dir = join(CACHE_DIR, 'lsp-profiles');
const cpuFile = join(dir, 'shop-cpu.pb.gz');
const goroutineFile = join(dir, 'shop-goroutine.pb.gz');
const gatewayPath = join(SHOP_DIR, 'gateway.go');
const gatewayUri = pathToFileURL(gatewayPath).href;
const inventoryUri = pathToFileURL(join(SHOP_DIR, 'inventory.go')).href;

let shop: RunningShop | undefined;
let client: TestLspClient;
/** Every state the server announced (the client's one source of it), in order. */
const announced: ProfileState[] = [];

async function capture(url: string, file: string): Promise<void> {
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url} answered ${response.status}`);
  writeFileSync(file, new Uint8Array(await response.arrayBuffer()));
}

before(async () => {
  if (!findGo()) {
    if (process.env.CI === 'true') throw new Error('CI=true and the Go toolchain is not installed');
    return;
  }
  mkdirSync(dir, { recursive: true });
  shop = await startShop();
  await capture(`${shop.pprof}/profile?seconds=3`, cpuFile);
  await capture(`${shop.pprof}/goroutine`, goroutineFile);
  client = new TestLspClient();
  client.onNotification(ProfileStateChangedNotification, (state) => announced.push(state));
  client.settings = { profile: { goroutinePileupThreshold: 20 } };
  await client.initialize([SHOP_DIR, dir]);
});

after(async () => {
  await shop?.stop();
  if (client) await client.shutdown();
});

test('loading a CPU profile makes it active', async (t) => {
  if (!shop) return t.skip('the Go toolchain is not installed');
  const result = await client.request(LoadProfileRequest, { path: cpuFile, makeActive: true });
  assert.ok(result.ok, !result.ok ? result.message : '');
  assert.equal(result.profile.kind, 'cpu');
  // Announced before the answer: the client has the new state when its request resolves.
  const state = announced.at(-1);
  assert.equal(state?.activeId, result.profile.id);
  assert.ok(state.total > 0);
  assert.deepEqual(await client.request(ProfileStateRequest), state);
});

test('a CodeLens sits on the hot function with its flat and cum', async (t) => {
  if (!shop) return t.skip('the Go toolchain is not installed');
  await client.open(gatewayUri, readFileSync(gatewayPath, 'utf8'));
  const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: gatewayUri } })) as CodeLens[];
  const funcLine = readFileSync(gatewayPath, 'utf8').split('\n').findIndex((l) => l.startsWith('func applyDiscounts('));
  const lens = lenses.find((l) => l.range.start.line === funcLine);
  assert.ok(lens, `no lens on line ${funcLine}: ${JSON.stringify(lenses.map((l) => [l.range.start.line, l.command?.title]))}`);
  assert.match(lens.command!.title, /^(cpu|samples) [\d.]+(ms|s)? \([\d.]+%\) flat · [\d.]+(ms|s)? \([\d.]+%\) cum$/);
  assert.equal(lens.command!.command, 'goTraceLens.flameGraph.reveal');
  assert.deepEqual(lens.command!.arguments, ['main.applyDiscounts']);
});

test('heat marks the hashing loop of applyDiscounts, and follows a line inserted above', async (t) => {
  if (!shop) return t.skip('the Go toolchain is not installed');
  const text = readFileSync(gatewayPath, 'utf8');
  const hashLine = text.split('\n').findIndex((l) => l.includes('sum := sha256.Sum256(seed)'));
  const before = await client.request(LineHeatRequest, { uri: gatewayUri });
  const hot = before.lines.find((l) => l.line === hashLine);
  assert.ok(hot, `no heat on line ${hashLine}`);
  assert.ok(hot.share > 0.05, `share ${hot.share}`);
  assert.match(hot.text, /flat · .* cum/);

  await client.change(gatewayUri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// a new first line\n' }]);
  const after = await client.request(LineHeatRequest, { uri: gatewayUri });
  assert.deepEqual(after.lines.map((l) => l.line), before.lines.map((l) => l.line + 1));
  const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: gatewayUri } })) as CodeLens[];
  assert.ok(lenses.some((l) => l.command?.arguments?.[0] === 'main.applyDiscounts' && l.range.start.line === text.split('\n').findIndex((x) => x.startsWith('func applyDiscounts(')) + 1));

  await client.change(gatewayUri, 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 400, character: 0 } }, text: 'package main\n\nfunc somethingElse() {}\n' }]);
  const gone = await client.request(LineHeatRequest, { uri: gatewayUri });
  assert.deepEqual(gone.lines, []);
  assert.match(gone.note ?? '', /changed beyond recognition/);
  await client.change(gatewayUri, 4, [{ range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } }, text }]);
});

test('hovering a hot function shows its values and its callers', async (t) => {
  if (!shop) return t.skip('the Go toolchain is not installed');
  const funcLine = readFileSync(gatewayPath, 'utf8').split('\n').findIndex((l) => l.startsWith('func applyDiscounts('));
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: gatewayUri }, position: { line: funcLine, character: 6 } });
  const value = (hover?.contents as MarkupContent).value;
  assert.match(value, /`main\.applyDiscounts`: \*\*(?:[\d.]+m?s|0)\*\* flat/);
  assert.match(value, /Called from:\n- \[`main\.priceBasket\.func1\.1`\]\(file:\/\/.*gateway\.go#L\d+\)/);
  assert.match(value, /Calls:/);
});

test('the flame graph comes with its summary', async (t) => {
  if (!shop) return t.skip('the Go toolchain is not installed');
  const result = await client.request(FlameGraphRequest);
  assert.ok(result.ok);
  assert.ok(result.data.nodeCount > 20);
  assert.equal(decodeFloat64Column(result.data.totalValue)[0], result.data.total);
  assert.ok(result.data.strings.includes('main.applyDiscounts'));
  assert.equal(result.summary.kind, 'cpu');
  assert.equal(result.summary.top.length, 10);
});

test('a label filter narrows the view; a bad one is refused and the view kept', async (t) => {
  if (!shop) return t.skip('the Go toolchain is not installed');
  const all = await client.request(ProfileStateRequest);
  assert.ok(all);
  const filtered = await client.request(UpdateProfileViewRequest, { labelFilter: 'stage=pricing' });
  assert.ok(filtered.ok);
  const top = await client.request(TopFunctionsRequest, { limit: 50, sortBy: 'cum' });
  assert.ok(top, 'a profile is active');
  assert.ok(top.rows.some((r) => r.functionName === 'main.applyDiscounts'));
  assert.ok(!top.rows.some((r) => r.functionName === 'main.(*orders).receipt'), 'orders work carries no pricing label');
  const bad = await client.request(UpdateProfileViewRequest, { labelFilter: 'stage=(' });
  assert.equal(bad.ok, false);
  assert.match(bad.message, /regexp|regular expression|parse/i);
  const state = await client.request(ProfileStateRequest);
  assert.equal(state?.labelFilter, 'stage=pricing');
  await client.request(UpdateProfileViewRequest, { labelFilter: null });
  assert.equal((await client.request(ProfileStateRequest))?.total, all.total);
});

test('a goroutine profile of the leaking shop publishes a pile-up where the goroutines wait', async (t) => {
  if (!shop) return t.skip('the Go toolchain is not installed');
  const published = client.nextDiagnostics(inventoryUri);
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  const result = await client.request(LoadProfileRequest, { path: goroutineFile, makeActive: false });
  assert.ok(result.ok);
  let diagnostics = (await published).diagnostics;
  for (let i = 0; i < 5 && !diagnostics.some((d) => d.code === PILEUP_DIAGNOSTIC_CODE); i++) diagnostics = (await client.nextDiagnostics(inventoryUri)).diagnostics;
  const pileup = diagnostics.find((d) => d.code === PILEUP_DIAGNOSTIC_CODE);
  assert.ok(pileup, JSON.stringify(diagnostics));
  const waitLine = readFileSync(join(SHOP_DIR, 'inventory.go'), 'utf8').split('\n').findIndex((l) => l.includes('case <-ch:'));
  assert.ok(Math.abs(pileup.range.start.line - waitLine) <= 1, `pile-up on ${pileup.range.start.line}, the select is on ${waitLine}`);
  assert.match(pileup.message as string, /^[\d,]+ goroutines blocked here \(select\)/);
});

test('a file that is not a profile is refused with what to do', async (t) => {
  if (!shop) return t.skip('the Go toolchain is not installed');
  const html = join(dir, 'page.pb.gz');
  writeFileSync(html, '<!DOCTYPE html><html><body>Login</body></html>');
  const result = await client.request(LoadProfileRequest, { path: html, makeActive: true });
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.message : '', /HTML/);
  const missing = await client.request(LoadProfileRequest, { path: join(dir, 'nope.pb.gz'), makeActive: true });
  assert.equal(missing.ok, false);
  assert.match(!missing.ok ? missing.message : '', /cannot be read \(ENOENT\)/);
  const state = await client.request(ProfileStateRequest);
  assert.ok(state);
  assert.equal(state.profiles.find((p) => p.id === state.activeId)?.kind, 'cpu', 'the active profile is unchanged');
});

test('a path mapping from the settings maps a profile built elsewhere onto local files', async (t) => {
  if (!shop) return t.skip('the Go toolchain is not installed');
  // large.cpu.pb.gz was built in /tmp/large; its main.next is sampled on lines 17, 20 and 21.
  const mapped = join(dir, 'mapped');
  mkdirSync(mapped, { recursive: true });
  const lines = ['package main', ...Array.from({ length: 59 }, (_, i) => `// line ${i + 2}`)];
  writeFileSync(join(mapped, 'large.go'), lines.join('\n'));
  const uri = pathToFileURL(join(mapped, 'large.go')).href;
  await client.changeSettings({ profile: { goroutinePileupThreshold: 20, pathMappings: [{ from: '/tmp/large', to: mapped }] } });
  const loaded = await client.request(LoadProfileRequest, { path: sharedFixture('pprof', 'large.cpu.pb.gz'), makeActive: true });
  assert.ok(loaded.ok);
  await client.open(uri, lines.join('\n'));
  const heat = await client.request(LineHeatRequest, { uri });
  assert.deepEqual(heat.lines.map((l) => l.line + 1).filter((l) => l < 30), [17, 20, 21]);
  await client.changeSettings({ profile: { goroutinePileupThreshold: 20 } });
  // The server pulls the new settings when it is told they changed: wait for it to drop the mapping.
  const deadline = Date.now() + 30000;
  let heatLines = (await client.request(LineHeatRequest, { uri })).lines;
  while (heatLines.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    heatLines = (await client.request(LineHeatRequest, { uri })).lines;
  }
  assert.deepEqual(heatLines, [], 'without the mapping the file is not the profile\'s');
});
