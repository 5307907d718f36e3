// The analyzer against the annotated fixture corpus: exactly the annotated findings, no more, no fewer;
// and every quick fix, applied, leaves code that parses and is no longer flagged.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSource, applyEdits, describeFindings, expectationsOf, parseGo } from '../helpers/analyze';

const dir = join(__dirname, '..', 'fixtures', 'analyzer');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.go')).sort();

test('the fixture corpus is not empty', () => {
  assert.ok(fixtures.length > 0);
});

for (const name of fixtures) {
  const source = readFileSync(join(dir, name), 'utf8');

  test(`${name}: findings match the annotations exactly`, async () => {
    const findings = await analyzeSource(source);
    const actual = describeFindings(findings.map((f) => ({ line: f.range.start.line, rule: f.rule })));
    const expected = describeFindings(expectationsOf(source));
    assert.deepEqual(actual, expected);
  });

  test(`${name}: every quick fix parses and removes its finding`, async () => {
    const findings = await analyzeSource(source);
    for (const finding of findings) {
      for (const fix of finding.fixes) {
        const fixed = applyEdits(source, fix.edits);
        const tree = await parseGo(fixed);
        const hasError = tree.rootNode.hasError;
        tree.delete();
        assert.equal(hasError, false, `"${fix.title}" at line ${finding.range.start.line + 1} broke the syntax`);
        const after = await analyzeSource(fixed);
        const still = after.filter((f) => f.rule === finding.rule && f.range.start.line === finding.range.start.line);
        const before = findings.filter((f) => f.rule === finding.rule && f.range.start.line === finding.range.start.line);
        assert.equal(still.length, before.length - 1, `"${fix.title}" at line ${finding.range.start.line + 1} did not remove the finding`);
      }
    }
  });
}
