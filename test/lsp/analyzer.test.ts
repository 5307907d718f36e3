// The language server's workspace index over real JSON-RPC: call-chain-break across files with related
// information in the other file, kept current from file-system events (changed, created and deleted files and
// folders), from open documents (editor text wins over the disk, closing reverts to it), and from settings.
// Runs against a server bundle built here into .bench/analyzer/lsp/ (the same esbuild settings as
// esbuild.mjs), so it never touches dist/.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import {
  ConfigurationRequest, DidChangeConfigurationNotification, DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, ExitNotification,
  FileChangeType, InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, RegistrationRequest,
  ShutdownRequest, type Diagnostic, type PublishDiagnosticsParams, type Registration,
} from 'vscode-languageserver-protocol';
import { IndexStatusRequest, type IndexStatus } from '../../common/analysisProtocol';
import { sendCustom } from '../helpers/lspClient';

const root = join(__dirname, '..', '..');
const bundleDir = join(root, '.bench', 'analyzer', 'lsp');

async function buildServer(): Promise<string> {
  mkdirSync(bundleDir, { recursive: true });
  await esbuild.build({
    entryPoints: { server: join(root, 'server/src/server.ts') },
    outdir: bundleDir, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error',
    define: { GO_TRACE_LENS_VERSION: '"test"' },
    plugins: [{
      name: 'web-tree-sitter-cjs',
      setup(build) {
        build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
      },
    }],
  });
  copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join(bundleDir, 'tree-sitter.wasm'));
  copyFileSync(require.resolve('tree-sitter-go/tree-sitter-go.wasm'), join(bundleDir, 'tree-sitter-go.wasm'));
  return join(bundleDir, 'server.js');
}

class Client {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcessWithoutNullStreams;
  readonly registrations: Registration[] = [];
  readonly stderr: string[] = [];
  settings: Record<string, unknown> = {};
  private readonly latest = new Map<string, PublishDiagnosticsParams>();
  private waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];

  constructor(serverJs: string) {
    this.process = spawn(process.execPath, [serverJs, '--stdio'], { stdio: 'pipe' });
    this.process.stderr.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.latest.set(params.uri, params);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri !== params.uri || !w.accept(params)) return true;
        w.resolve(params);
        return false;
      });
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => this.settings));
    this.connection.onRequest(RegistrationRequest.type, (params) => { this.registrations.push(...params.registrations); });
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.listen();
  }

  /** Resolves with the first publication for `uri` that satisfies `accept` (now or later). */
  diagnostics(uri: string, accept: (d: Diagnostic[]) => boolean, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const current = this.latest.get(uri);
    if (current && accept(current.diagnostics)) return Promise.resolve(current.diagnostics);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(this.latest.get(uri)?.diagnostics.map((d) => [d.code, d.range.start.line]))}`)), timeoutMs);
      this.waiters.push({ uri, accept: (p) => accept(p.diagnostics), resolve: (p) => { clearTimeout(timer); resolve(p.diagnostics); } });
    });
  }

  async indexReady(): Promise<IndexStatus> {
    // A deadline, not a number of polls: on a busy machine each poll can take long.
    const deadline = Date.now() + 60000;
    for (;;) {
      const status = await sendCustom(this.connection, IndexStatusRequest);
      if (status.state === 'ready') return status;
      if (Date.now() > deadline) throw new Error(`the index did not become ready: ${JSON.stringify(status)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async shutdown(): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await this.connection.sendNotification(ExitNotification.type).catch(() => undefined);
    const code = await new Promise<number | null>((resolve) => {
      if (this.process.exitCode !== null) return resolve(this.process.exitCode);
      const timer = setTimeout(() => { this.process.kill(); resolve(null); }, 3000);
      this.process.on('exit', (c) => { clearTimeout(timer); resolve(c); });
    });
    this.connection.dispose();
    return code;
  }
}

const chainBreaks = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'call-chain-break');

let serverJs: string;
let workspace: string;
let client: Client;
const uriOf = (rel: string) => pathToFileURL(join(workspace, rel)).href;

before(async () => {
  serverJs = await buildServer();
  workspace = mkdtempSync(join(tmpdir(), 'gtl-lsp-'));
  cpSync(join(root, 'test', 'fixtures', 'analyzer', 'workspace'), workspace, { recursive: true });
  // Files the index must leave out by default.
  mkdirSync(join(workspace, 'vendor', 'example.com', 'dep'), { recursive: true });
  writeFileSync(join(workspace, 'vendor', 'example.com', 'dep', 'dep.go'), 'package dep\n\nfunc Dep() {}\n');
  mkdirSync(join(workspace, 'config', 'testdata'), { recursive: true });
  writeFileSync(join(workspace, 'config', 'testdata', 'sample.go'), 'package config\n\nfunc Sample() {}\n');
  client = new Client(serverJs);
  await client.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).href,
    workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'shop' }],
    capabilities: {
      workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
      textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true } },
    },
    initializationOptions: { docsRoot: root },
  });
  await client.connection.sendNotification(InitializedNotification.type, {});
});

after(async () => {
  const code = await client.shutdown();
  rmSync(workspace, { recursive: true, force: true });
  assert.equal(code, 0, `server exited with ${code}: ${client.stderr.join('')}`);
});

test('the server watches Go files, go.mod files and deletions, and indexes the workspace without vendor and testdata', async () => {
  const status = await client.indexReady();
  assert.deepEqual({ files: status.files, modules: status.modules }, { files: 6, modules: 1 });
  assert.ok(status.functions >= 6);
  const watchers = client.registrations.find((r) => r.method === DidChangeWatchedFilesNotification.method)?.registerOptions as { watchers: { globPattern: string; kind?: number }[] };
  assert.deepEqual(watchers.watchers.map((w) => w.globPattern), ['**/*.go', '**/go.mod', '**/*']);
  assert.equal(watchers.watchers[2]!.kind, 4);
});

test('call-chain-break across packages, with related information in the file that creates the root', async () => {
  await client.indexReady();
  const handler = uriOf('api/handler.go');
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: handler, languageId: 'go', version: 1, text: readFileSync(join(workspace, 'api/handler.go'), 'utf8') },
  });
  const ds = chainBreaks(await client.diagnostics(handler, (d) => chainBreaks(d).length === 3));
  assert.deepEqual(ds.map((d) => d.range.start), [{ line: 10, character: 8 }, { line: 11, character: 1 }, { line: 23, character: 5 }]);
  assert.match(String(ds[0]!.message), /config\.Load takes no context and creates a root context with context\.Background\(\) \(config\.go:20\)/);
  assert.ok(ds[0]!.codeDescription?.href.endsWith('/docs/rules/call-chain-break.md'));
  assert.deepEqual(ds[0]!.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]), [[uriOf('config/config.go'), 19]]);
  assert.deepEqual(ds[1]!.relatedInformation?.map((r) => r.location.uri), [uriOf('internal/cache/cache.go')]);
  assert.match(String(ds[2]!.message), /Call cache\.GetCtx\(r\.Context\(\), …\) instead/);
});

test('file-system events keep the index current: changed, created and deleted files and folders', async () => {
  const handler = uriOf('api/handler.go');
  const notify = (changes: { rel: string; type: FileChangeType }[]) => client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
    changes: changes.map((c) => ({ uri: uriOf(c.rel), type: c.type })),
  });
  // Load stops creating a root: only Refresh's chain is left.
  const configPath = join(workspace, 'config/config.go');
  const original = readFileSync(configPath, 'utf8');
  writeFileSync(configPath, original.replace('configStore.Fetch(context.Background())', 'Config{}'));
  await notify([{ rel: 'config/config.go', type: FileChangeType.Changed }]);
  assert.deepEqual(chainBreaks(await client.diagnostics(handler, (d) => chainBreaks(d).length === 2)).map((d) => d.range.start.line), [11, 23]);
  // The folder behind Refresh's and Stock's roots is deleted.
  rmSync(join(workspace, 'internal'), { recursive: true });
  await notify([{ rel: 'internal', type: FileChangeType.Deleted }]);
  await client.diagnostics(handler, (d) => chainBreaks(d).length === 0);
  assert.equal((await client.indexReady()).files, 3);
  // A new file brings a root back, through a new function the handler then calls.
  writeFileSync(join(workspace, 'config/extra.go'), 'package config\n\nimport "context"\n\nfunc Extra() { _ = configStore.Fetch(context.TODO()) }\n');
  await notify([{ rel: 'config/extra.go', type: FileChangeType.Created }]);
  const text = readFileSync(join(workspace, 'api/handler.go'), 'utf8').replace('\t_ = cfg\n', '\t_ = cfg\n\tconfig.Extra()\n');
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: handler, version: 2 }, contentChanges: [{ text }] });
  assert.deepEqual(chainBreaks(await client.diagnostics(handler, (d) => chainBreaks(d).length === 1)).map((d) => d.range.start.line), [14]);
  writeFileSync(configPath, original);
  await notify([{ rel: 'config/config.go', type: FileChangeType.Changed }]);
  await client.diagnostics(handler, (d) => chainBreaks(d).length === 2);
});

test('an open document\'s text replaces the file on disk in the index; closing it reverts to the disk', async () => {
  const handler = uriOf('api/handler.go');
  const config = uriOf('config/config.go');
  const onDisk = readFileSync(join(workspace, 'config/config.go'), 'utf8');
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: config, languageId: 'go', version: 1, text: onDisk } });
  // Edited in the editor, not saved: Load no longer creates a root, and the handler (another open document) is republished.
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: config, version: 2 }, contentChanges: [{ text: onDisk.replace('configStore.Fetch(context.Background())', 'Config{}') }],
  });
  await client.diagnostics(handler, (d) => chainBreaks(d).length === 1);
  await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: config } });
  await client.diagnostics(handler, (d) => chainBreaks(d).length === 2);
});

test('goTraceLens.analysis.exclude re-indexes the workspace; goTraceLens.rules turns the rule off', async () => {
  const handler = uriOf('api/handler.go');
  client.settings = { analysis: { exclude: ['config/**'] } };
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  await client.diagnostics(handler, (d) => chainBreaks(d).length === 0);
  client.settings = { rules: { 'call-chain-break': 'error' } };
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  const ds = chainBreaks(await client.diagnostics(handler, (d) => chainBreaks(d).length === 2));
  assert.ok(ds.every((d) => d.severity === 1));
  client.settings = { rules: { 'call-chain-break': 'off' } };
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  await client.diagnostics(handler, (d) => chainBreaks(d).length === 0);
  client.settings = {};
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  await client.diagnostics(handler, (d) => chainBreaks(d).length === 2);
});

test('quick fixes of the new rules arrive as code actions and their edits clear the diagnostic', async () => {
  const uri = uriOf('api/spans.go');
  const text = 'package api\n\nimport (\n\t"context"\n\n\t"go.opentelemetry.io/otel"\n)\n\nfunc step(ctx context.Context) {}\n\nfunc traced(ctx context.Context) {\n\tctx, span := otel.Tracer("api").Start(ctx, "traced")\n\tspan.AddEvent("x")\n\tstep(ctx)\n}\n';
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'go', version: 1, text } });
  const [d] = await client.diagnostics(uri, (ds) => ds.some((x) => x.code === 'span-not-ended'));
  const actions = await client.connection.sendRequest<{ title: string; edit: { changes: Record<string, { range: Diagnostic['range']; newText: string }[]> } }[]>(
    'textDocument/codeAction', { textDocument: { uri }, range: d!.range, context: { diagnostics: [d] } });
  assert.equal(actions[0]!.title, 'Insert defer span.End()');
  const edit = actions[0]!.edit.changes[uri]![0]!;
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 }, contentChanges: [{ range: edit.range, text: edit.newText }],
  });
  await client.diagnostics(uri, (ds) => ds.length === 0);
});

test('a required module (here replaced by a local folder) is indexed: a call into its context-less Get is a break', async () => {
  // The module lives outside the workspace folder, as the module cache does.
  const library = mkdtempSync(join(tmpdir(), 'gtl-lsp-kv-'));
  writeFileSync(join(library, 'go.mod'), 'module example.com/kvlib\n\ngo 1.22\n');
  writeFileSync(join(library, 'kv.go'), 'package kvlib\n\nimport "context"\n\ntype Client struct{}\n\nfunc (c *Client) Get(key string) string { return c.GetCtx(context.Background(), key) }\n\nfunc (c *Client) GetCtx(ctx context.Context, key string) string { return key }\n');
  const goModPath = join(workspace, 'go.mod');
  const goMod = readFileSync(goModPath, 'utf8');
  try {
    writeFileSync(goModPath, `${goMod}\nrequire example.com/kvlib v0.0.0\n\nreplace example.com/kvlib => ${library}\n`);
    const uri = uriOf('api/kv.go');
    writeFileSync(join(workspace, 'api/kv.go'), 'package api\n\nimport (\n\t"net/http"\n\n\t"example.com/kvlib"\n)\n\nfunc Lookup(w http.ResponseWriter, r *http.Request, c *kvlib.Client) {\n\t_ = c.Get("k")\n}\n');
    // A settings change re-indexes the workspace, with its dependencies.
    client.settings = { analysis: { exclude: ['nothing/**'] } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'go', version: 1, text: readFileSync(join(workspace, 'api/kv.go'), 'utf8') },
    });
    const [d] = chainBreaks(await client.diagnostics(uri, (ds) => chainBreaks(ds).length === 1));
    assert.match(String(d!.message), /^c\.Get takes no context .* Call c\.GetCtx\(r\.Context\(\), …\) instead/);
    assert.equal(d!.relatedInformation?.[0]?.location.uri, pathToFileURL(join(library, 'kv.go')).href);
  } finally {
    writeFileSync(goModPath, goMod);
    rmSync(join(workspace, 'api/kv.go'), { force: true });
    rmSync(library, { recursive: true, force: true });
    client.settings = {};
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }
});
