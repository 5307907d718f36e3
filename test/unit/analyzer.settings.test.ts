// Settings for the analyzer: goTraceLens.rules (off / severity) applied to every rule, ignore directives for
// every rule, goTraceLens.analysis.* validated with helpful warnings, and the index's glob patterns.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_IDS, RULES } from '../../common/rules';
import { parseSettings } from '../../server/src/lsp/settings';
import { globMatcher, GlobSyntaxError } from '../../server/src/workspace/globs';
import type { AnalyzeOptions } from '../../core/analysis/analyzer';
import { CallGraphIndex } from '../../core/analysis/workspace/callGraph';
import { analyzeSource } from '../helpers/analyze';

const dir = join(__dirname, '..', 'fixtures', 'analyzer');
const singleFiles = readdirSync(dir).filter((f) => f.endsWith('.go')).map((f) => readFileSync(join(dir, f), 'utf8'));

// The services of the propagation fixture, each analysed with the index of all of them (the propagation rules
// judge whole programs; mixed-propagators needs two). The file analysed replaces its indexed version.
const services = join(dir, 'propagation');
const serviceFiles = ['internal/telemetry/telemetry.go', 'cmd/orders/clients.go', 'cmd/payments/main.go', 'cmd/gateway/main.go', 'cmd/orders/main.go']
  .map((f) => join(services, f));
function serviceOptions(file: string, source: string): AnalyzeOptions {
  const index = new CallGraphIndex();
  index.setModule(services, 'example.com/mesh');
  for (const f of serviceFiles) index.setSource(f, f === file ? source : readFileSync(f, 'utf8'));
  return { index, filePath: file };
}

interface Case {
  readonly source: string;
  /** The options to analyse `source` (the case's text, or an edited copy) with. */
  options(source: string): AnalyzeOptions;
}
const corpus: Case[] = [
  ...singleFiles.map((source) => ({ source, options: () => ({}) })),
  ...serviceFiles.map((file) => ({ source: readFileSync(file, 'utf8'), options: (source: string) => serviceOptions(file, source) })),
];
const analyzeCase = (c: Case, extra: AnalyzeOptions = {}, source = c.source) => analyzeSource(source, { ...c.options(source), ...extra });

test('every rule reports in the corpus with its default severity, can be turned off, and its severity changed', async () => {
  const all = (await Promise.all(corpus.map((c) => analyzeCase(c)))).flat();
  for (const id of RULE_IDS) {
    const mine = all.filter((f) => f.rule === id);
    assert.ok(mine.length > 0, `${id} has findings in the fixture corpus`);
    assert.ok(mine.every((f) => f.severity === RULES[id].defaultSeverity), `${id} uses its default severity`);
    if (RULES[id].hasFix) assert.ok(mine.some((f) => f.fixes.length > 0), `${id} offers quick fixes`);
    else assert.ok(mine.every((f) => f.fixes.length === 0), `${id} offers no quick fix`);
  }
  for (const c of corpus) {
    const findings = await analyzeCase(c);
    for (const id of new Set(findings.map((f) => f.rule))) {
      const off = await analyzeCase(c, { ruleSettings: { [id]: 'off' } });
      assert.equal(off.filter((f) => f.rule === id).length, 0, `${id} off`);
      assert.equal(off.length, findings.filter((f) => f.rule !== id).length, `turning ${id} off leaves the others`);
      const hint = await analyzeCase(c, { ruleSettings: { [id]: 'hint' } });
      assert.ok(hint.filter((f) => f.rule === id).every((f) => f.severity === 'hint'));
      const only = await analyzeCase(c, { only: [id] });
      assert.deepEqual(only.map((f) => f.rule), findings.filter((f) => f.rule === id).map((f) => f.rule));
    }
  }
});

test('an ignore directive on the line above silences exactly that finding, for every rule', async () => {
  for (const c of corpus) {
    const findings = await analyzeCase(c);
    for (const finding of findings.slice(0, 4)) {
      const lines = c.source.split('\n');
      const line = finding.range.start.line;
      const indent = /^\s*/.exec(lines[line]!)![0];
      lines.splice(line, 0, `${indent}//go-trace-lens:ignore ${finding.rule} tested deliberately`);
      const after = await analyzeCase(c, {}, lines.join('\n'));
      const same = (f: { rule: string; range: { start: { line: number; character: number } } }) =>
        f.rule === finding.rule && f.range.start.line === line + 1 && f.range.start.character === finding.range.start.character;
      assert.equal(after.filter(same).length, 0, `${finding.rule} at line ${line + 1} is silenced`);
      assert.equal(after.length, findings.length - 1, `only ${finding.rule} at line ${line + 1} is silenced`);
    }
  }
});

test('goTraceLens.rules and goTraceLens.analysis.* are validated, with warnings that say what is wrong', () => {
  const warnings: string[] = [];
  const settings = parseSettings({
    rules: { 'span-not-ended': 'error', 'no-such-rule': 'off', 'call-chain-break': 'loud' },
    analysis: { maxFileSizeKiB: 512, include: ['src/**/*.go', '[oops'], exclude: '*.pb.go', includeVendor: true, includeTestdata: 'yes' },
  }, (m) => warnings.push(m));
  assert.deepEqual(settings.ruleSettings, { 'span-not-ended': 'error' });
  assert.equal(settings.maxFileSize, 512 * 1024);
  assert.deepEqual(settings.index.include, ['src/**/*.go']);
  assert.deepEqual(settings.index.exclude, []);
  assert.equal(settings.index.includeVendor, true);
  assert.equal(settings.index.includeTestdata, false);
  assert.deepEqual(warnings, [
    'goTraceLens.rules: "no-such-rule" is not a rule id; ignored.',
    'goTraceLens.rules.call-chain-break: "loud" is not one of off, error, warning, information, hint; ignored.',
    'goTraceLens.analysis.include: "[oops": "[" at 1 is never closed; ignored.',
    'goTraceLens.analysis.exclude: expected a list of glob patterns; using [].',
    'goTraceLens.analysis.includeTestdata: "yes" is not true or false; using false.',
  ]);
  const defaults = parseSettings(undefined, () => assert.fail('no warnings for defaults'));
  assert.deepEqual(defaults.index.include, ['**/*.go']);
  assert.equal(defaults.index.includeVendor, false);
});

test('glob patterns match workspace-relative paths as VS Code does', () => {
  const cases: [string, string, boolean][] = [
    ['**/*.go', 'main.go', true],
    ['**/*.go', 'a/b/c.go', true],
    ['**/*.go', 'a/b/c.go.txt', false],
    ['*.pb.go', 'api/v1/service.pb.go', true],
    ['api/*.go', 'api/x.go', true],
    ['api/*.go', 'api/v1/x.go', false],
    ['api/**', 'api/v1/x.go', true],
    ['**/gen/**', 'internal/gen/x.go', true],
    ['**/{mock,fake}_*.go', 'a/mock_db.go', true],
    ['**/{mock,fake}_*.go', 'a/real_db.go', false],
    ['x?.go', 'x1.go', true],
    ['[a-c]*.go', 'b.go', true],
    ['[!a-c]*.go', 'b.go', false],
  ];
  for (const [glob, path, expected] of cases) assert.equal(globMatcher(glob)(path), expected, `${glob} vs ${path}`);
  assert.throws(() => globMatcher('{a,b'), GlobSyntaxError);
});
