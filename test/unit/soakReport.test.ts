// npm run test:soak reads each run's results from the runners' own output: Node's TAP (tests named by their
// suites, a suite's line not counted twice, a failure's message kept) and the end-to-end runner's ✔/✖ lines.
// What it prints per test is only as right as these readers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Result { name: string; outcome: 'passed' | 'failed' | 'skipped'; detail: string }
type Parser = (text: string) => Result[];

async function parsers(): Promise<{ parseTap: Parser; parseScenarios: Parser }> {
  return (await import(pathToFileURL(join(__dirname, '..', '..', 'scripts', 'soak.mjs')).href)) as { parseTap: Parser; parseScenarios: Parser };
}

const TAP = `TAP version 13
# Subtest: test/webview/a.test.mjs
    # Subtest: timeline
        # Subtest: draws
        ok 1 - draws
          ---
          duration_ms: 3.2
          ...
        # Subtest: highlights
        not ok 2 - highlights
          ---
          duration_ms: 15001
          failureType: 'testCodeFailure'
          error: 'multiple-roots: its spans are highlighted'
          code: 'ERR_ASSERTION'
          ...
        # Subtest: needs go
        ok 3 - needs go # SKIP Go is not installed
        1..3
    not ok 1 - timeline
      ---
      type: 'suite'
      error: '1 subtest failed'
      ...
not ok 1 - test/webview/a.test.mjs
`;

test("TAP: one result per test, named by its suites, with the failure's message", async () => {
  const { parseTap } = await parsers();
  const results = parseTap(TAP).map((r) => [r.name, r.outcome, r.detail]);
  assert.deepEqual(results, [
    ['test/webview/a.test.mjs > timeline > draws', 'passed', ''],
    ['test/webview/a.test.mjs > timeline > highlights', 'failed', "'multiple-roots: its spans are highlighted'"],
    ['test/webview/a.test.mjs > timeline > needs go', 'skipped', ''],
  ]);
});

test('end-to-end output: passed and failed scenarios, with the first lines of the error', async () => {
  const { parseScenarios } = await parsers();
  const out = '✔ 01-context-diagnostics: a title (7.1 s)\n✖ 40-timeline: another\n  locator.waitFor: Timeout 30000ms exceeded.\n  at run\n\nend-to-end: 1 passed, 1 failed\n';
  assert.deepEqual(parseScenarios(out).map((r) => [r.name, r.outcome]), [['01-context-diagnostics: a title', 'passed'], ['40-timeline: another', 'failed']]);
  assert.match(parseScenarios(out)[1]!.detail, /Timeout 30000ms exceeded/);
});
