// The language server over real JSON-RPC, twice: against the built dist/server.js (spawned, over stdio)
// and against its code started in this process (startServer over in-memory streams).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { inProcessServer, spawnedServer, TestLspClient, type ServerUnderTest } from '../helpers/lspClient';
import { analyzeSource, applyEdits } from '../helpers/analyze';
import { GOROUTINE_FROM_BACKGROUND } from '../helpers/goSnippets';

const BUGGY = GOROUTINE_FROM_BACKGROUND;

const SERVERS: readonly { readonly name: string; readonly start: () => ServerUnderTest; readonly exits: boolean }[] = [
  { name: 'the built server (dist/server.js)', start: () => spawnedServer(), exits: true },
  { name: 'the server in process (startServer)', start: () => inProcessServer(), exits: false },
];

for (const server of SERVERS) {
  describe(server.name, () => {
    let client: TestLspClient;
    let docCounter = 0;
    const newUri = () => `file:///workspace/doc${++docCounter}.go`;

    before(async () => {
      client = new TestLspClient(server.start());
      const result = await client.initialize();
      assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: 2 });
    });

    after(async () => {
      await client.shutdown();
      if (server.exits) assert.equal(client.exitCode, 0, `server exited with ${client.exitCode}: ${client.stderr.join('')}`);
    });

    test('opening a Go file publishes the goroutine-background diagnostic', async () => {
      const uri = newUri();
      const { diagnostics } = await client.open(uri, BUGGY);
      assert.equal(diagnostics.length, 1);
      const [d] = diagnostics;
      assert.equal(d!.code, 'goroutine-background');
      assert.equal(d!.source, 'go-trace-lens');
      assert.equal(d!.severity, 2);
      assert.deepEqual(d!.range, { start: { line: 10, character: 10 }, end: { line: 10, character: 30 } });
      assert.match(d!.message as string, /use context\.WithoutCancel\(r\.Context\(\)\)/);
      const href = d!.codeDescription?.href;
      assert.ok(href?.endsWith('/docs/rules/goroutine-background.md'), href);
      assert.ok(existsSync(fileURLToPath(href!)), `the rule's documentation exists at ${href}`);
      assert.equal(d!.relatedInformation?.[0]?.location.range.start.line, 9);
    });

    test('the quick fix, applied as the editor would, clears the diagnostic', async () => {
      const uri = newUri();
      const { diagnostics } = await client.open(uri, BUGGY);
      const actions = await client.codeActions(uri, diagnostics[0]!.range, diagnostics);
      assert.deepEqual(actions.map((a) => a.title), ['Use context.WithoutCancel(r.Context()) (keep the trace, outlive the request)', 'Use r.Context() (cancelled with the request)']);
      assert.equal(actions[0]!.kind, 'quickfix');
      assert.equal(actions[0]!.isPreferred, true);
      assert.ok(actions[0]!.edit?.changes?.[uri]?.length);
      const after = await client.applyFix(uri, actions[0]!, 2);
      assert.deepEqual(after.diagnostics, []);
    });

    test('incremental edits keep diagnostics on the right lines', async () => {
      const uri = newUri();
      await client.open(uri, BUGGY);
      const moved = await client.change(uri, 2, [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: '// one\n// two\n' }]);
      assert.equal(moved.diagnostics[0]?.range.start.line, 12);
      const typed = await client.change(uri, 3, [{ range: { start: { line: 12, character: 31 }, end: { line: 12, character: 31 } }, text: '\n\tgo audit(context.TODO())' }]);
      assert.deepEqual(typed.diagnostics.map((d) => d.range.start.line), [12, 13]);
    });

    test('random incremental edits give the same diagnostics as analysing the text from scratch', async () => {
      const uri = newUri();
      let text = BUGGY;
      let version = 1;
      await client.open(uri, text, version);
      const snippets = ['go audit(context.Background())\n', 'x', '\n', '}', 'func f(ctx context.Context) {\n', '(', '"', '😀', ''];
      await fc.assert(
        fc.asyncProperty(fc.nat(), fc.nat(), fc.constantFrom(...snippets), async (a, b, insert) => {
          const lines = text.split('\n');
          const line = a % lines.length;
          const startChar = b % (lines[line]!.length + 1);
          const endChar = Math.min(lines[line]!.length, startChar + (a % 4));
          const change: TextDocumentContentChangeEvent = { range: { start: { line, character: startChar }, end: { line, character: endChar } }, text: insert };
          text = applyEdits(text, [{ range: change.range, newText: insert }]);
          const published = await client.change(uri, ++version, [change]);
          const expected = (await analyzeSource(text)).map((f) => `${f.range.start.line}:${f.range.start.character}:${f.rule}`);
          assert.deepEqual(published.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}:${String(d.code)}`), expected);
        }),
        { numRuns: 150 },
      );
    });

    test('a rule turned off in the settings disappears from open documents', async () => {
      const uri = newUri();
      await client.open(uri, BUGGY);
      const next = client.nextDiagnostics(uri);
      await client.changeSettings({ rules: { 'goroutine-background': 'off' } });
      assert.deepEqual((await next).diagnostics, []);
      const again = client.nextDiagnostics(uri);
      await client.changeSettings({ rules: { 'goroutine-background': 'error' } });
      assert.equal((await again).diagnostics[0]?.severity, 1);
      const reset = client.nextDiagnostics(uri);
      await client.changeSettings({});
      await reset;
    });

    test('closing a document clears its diagnostics', async () => {
      const uri = newUri();
      await client.open(uri, BUGGY);
      assert.deepEqual((await client.close(uri)).diagnostics, []);
    });

    test('binary and huge files are skipped, and hostile input never takes the server down', async () => {
      const binary = await client.open(newUri(), 'package main\u0000\u0001\u0002' + BUGGY);
      assert.deepEqual(binary.diagnostics, []);
      const huge = await client.open(newUri(), BUGGY + '// padding\n'.repeat(250_000));
      assert.deepEqual(huge.diagnostics, []);
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 400 }), async (garbage) => {
          await client.open(newUri(), garbage);
        }),
        { numRuns: 100 },
      );
      const stillAlive = await client.open(newUri(), BUGGY);
      assert.equal(stillAlive.diagnostics.length, 1);
    });
  });
}
