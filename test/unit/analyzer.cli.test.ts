// `go-trace-lens check` in-process: text, JSON and SARIF output, --rule filters, worker threads giving the
// same answer as one thread, call-chain-break across the checked files, and the shape of the SARIF log
// (checked against the parts of the SARIF 2.1.0 schema GitHub code scanning relies on).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/main';
import type { CliIO } from '../../cli/io';
import { RULE_IDS } from '../../common/rules';
import { expandGoSources } from '../../cli/goSources';
import { analyzeSource, expectationsOf } from '../helpers/analyze';
import { findGo } from '../helpers/goToolchain';

const fixtures = join(__dirname, '..', 'fixtures', 'analyzer');

async function check(argv: string[], cwd = fixtures): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { cwd, out: (t) => { out += t; }, err: (t) => { err += t; } };
  const code = await runCli(['check', ...argv], io);
  return { code, out, err };
}

/** Every annotated expectation of the corpus (top-level files and the workspace), as file:line:rule. */
function expectedCorpus(): string[] {
  return expandGoSources(['.'], fixtures).flatMap((file) => {
    const rel = file.slice(fixtures.length + 1);
    return expectationsOf(readFileSync(file, 'utf8')).map((e) => `${rel}:${e.line + 1}:${e.rule}`);
  }).sort();
}

test('text output lists every annotated finding of the corpus (the workspace index included), exit 1', async () => {
  const { code, out, err } = await check(['--jobs', '1', '.']);
  assert.equal(code, 1);
  const found = out.trim().split('\n').map((l) => {
    const m = /^(.+?):(\d+):\d+: (\w+): .* \(([a-z-]+)\)$/.exec(l);
    assert.ok(m, `line has the text format: ${l}`);
    return `${m[1]}:${m[2]}:${m[4]}`;
  }).sort();
  assert.deepEqual(found, expectedCorpus());
  const files = expandGoSources(['.'], fixtures).length;
  assert.match(err, new RegExp(`^${found.length} findings in ${files} Go files \\(${files} analysed in full, 1 thread\\)\\.\n$`));
});

test('worker threads give exactly the output of one thread', async () => {
  const one = await check(['--format', 'json', '--jobs', '1', '.']);
  const two = await check(['--format', 'json', '--jobs', '2', '.']);
  assert.equal(two.code, one.code);
  assert.equal(two.out, one.out);
  assert.match(two.err, /2 threads/);
});

test('--rule keeps only the named rules; JSON carries positions, severity and related locations', async () => {
  const { code, out } = await check(['--format', 'json', '--rule', 'call-chain-break', '--rule', 'context-in-pool', '.']);
  assert.equal(code, 1);
  const { version, diagnostics } = JSON.parse(out) as { version: number; diagnostics: { file: string; line: number; column: number; rule: string; severity: string; related: { file: string; line: number }[] }[] };
  assert.equal(version, 1);
  assert.deepEqual([...new Set(diagnostics.map((d) => d.rule))].sort(), ['call-chain-break', 'context-in-pool']);
  const load = diagnostics.find((d) => d.file === 'workspace/api/handler.go' && d.line === 11)!;
  assert.deepEqual({ column: load.column, severity: load.severity }, { column: 9, severity: 'warning' });
  assert.deepEqual(load.related.map((r) => `${r.file}:${r.line}`), ['workspace/config/config.go:20']);
  assert.ok(diagnostics.filter((d) => d.rule === 'context-in-pool').every((d) => d.severity === 'information'));
});

test('no findings: exit 0; usage errors: exit 2 with a message that says what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gtl-cli-'));
  try {
    writeFileSync(join(dir, 'clean.go'), 'package clean\n\nimport "context"\n\nfunc f(ctx context.Context) { _ = ctx }\n');
    const clean = await check(['.'], dir);
    assert.equal(clean.code, 0);
    assert.equal(clean.out, '');
    assert.match(clean.err, /^No findings in 1 Go file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const unknown = await check(['--rule', 'no-such-rule', '.']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown rule "no-such-rule"\. Rules: goroutine-background, /);
  assert.equal((await check(['--format', 'xml', '.'])).code, 2);
  assert.match((await check(['--jobs', '0', '.'])).err, /--jobs must be at least 1/);
  assert.match((await check([])).err, /no PATH given/);
  assert.match((await check(['--help'])).out, /--format text\|json\|sarif/);
});

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: { id: string; name: string; shortDescription: { text: string }; fullDescription: { text: string }; helpUri: string; help: { text: string }; defaultConfiguration: { level: string } }[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    columnKind: string;
    results: {
      ruleId: string; ruleIndex: number; level: string; message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
      relatedLocations?: { id: number; message: { text: string }; physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } } }[];
      partialFingerprints: Record<string, string>;
    }[];
  }[];
}

/** The SARIF 2.1.0 schema's rules for the parts GitHub code scanning reads. */
function assertValidSarif(log: SarifLog): void {
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-2\.1\.0/);
  assert.equal(log.runs.length, 1);
  const [run] = log.runs;
  const driver = run!.tool.driver;
  assert.equal(typeof driver.name, 'string');
  assert.ok(driver.name.length > 0);
  assert.match(driver.informationUri, /^https:\/\//);
  const ids = new Set<string>();
  for (const rule of driver.rules) {
    assert.match(rule.id, /^[a-z-]+$/);
    assert.ok(!ids.has(rule.id), `rule ids are unique: ${rule.id}`);
    ids.add(rule.id);
    assert.match(rule.name, /^[A-Z][A-Za-z]+$/);
    assert.ok(rule.shortDescription.text.length > 0 && rule.fullDescription.text.length > rule.shortDescription.text.length);
    assert.ok(rule.fullDescription.text.length <= 1000, 'GitHub truncates longer descriptions');
    assert.match(rule.helpUri, new RegExp(`^https://.+/docs/rules/${rule.id}\\.md$`));
    assert.ok(rule.help.text.includes(rule.helpUri));
    assert.ok(['none', 'note', 'warning', 'error'].includes(rule.defaultConfiguration.level));
  }
  assert.deepEqual([...ids], [...RULE_IDS]);
  assert.equal(run!.columnKind, 'utf16CodeUnits');
  assert.match(run!.originalUriBaseIds['%SRCROOT%']!.uri, /^file:\/\/\/.*\/$/);
  for (const result of run!.results) {
    assert.ok(ids.has(result.ruleId));
    assert.equal(driver.rules[result.ruleIndex]!.id, result.ruleId);
    assert.ok(['none', 'note', 'warning', 'error'].includes(result.level));
    assert.ok(result.message.text.length > 0);
    assert.equal(result.locations.length, 1);
    for (const location of [...result.locations.map((l) => l.physicalLocation), ...(result.relatedLocations ?? []).map((l) => l.physicalLocation)]) {
      const { artifactLocation, region } = location as { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn?: number; endLine?: number; endColumn?: number } };
      if (artifactLocation.uriBaseId !== undefined) {
        assert.equal(artifactLocation.uriBaseId, '%SRCROOT%');
        assert.ok(!artifactLocation.uri.startsWith('/') && !artifactLocation.uri.includes('\\') && !/^[a-z]+:/.test(artifactLocation.uri), `a relative URI reference: ${artifactLocation.uri}`);
      } else {
        assert.match(artifactLocation.uri, /^file:\/\//);
      }
      assert.ok(Number.isInteger(region.startLine) && region.startLine >= 1);
      if (region.startColumn !== undefined) assert.ok(Number.isInteger(region.startColumn) && region.startColumn >= 1);
      if (region.endLine !== undefined) assert.ok(region.endLine >= region.startLine);
      if (region.endColumn !== undefined && region.endLine === region.startLine) assert.ok(region.endColumn >= region.startColumn!);
    }
    for (const [key, value] of Object.entries(result.partialFingerprints)) {
      assert.match(key, /^[A-Za-z]+\/[A-Za-z]+\/v\d+$/);
      assert.match(value, /^[0-9a-f]{16}:\d+$/);
    }
  }
}

test('--format sarif is a valid SARIF 2.1.0 log with every finding, relative paths and fingerprints', async () => {
  const { code, out } = await check(['--format', 'sarif', '.']);
  assert.equal(code, 1);
  const log = JSON.parse(out) as SarifLog;
  assertValidSarif(log);
  const results = log.runs[0]!.results;
  const found = results.map((r) => `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}:${r.ruleId}`).sort();
  assert.deepEqual(found, expectedCorpus());
  const pool = results.find((r) => r.ruleId === 'context-in-pool')!;
  assert.equal(pool.level, 'note');
  const chain = results.find((r) => r.ruleId === 'call-chain-break' && r.locations[0]!.physicalLocation.artifactLocation.uri === 'workspace/api/handler.go')!;
  assert.deepEqual(chain.relatedLocations!.map((r) => r.physicalLocation.artifactLocation.uri), ['workspace/config/config.go']);
  const fingerprints = results.map((r) => `${r.locations[0]!.physicalLocation.artifactLocation.uri}|${r.partialFingerprints['goTraceLens/lineHash/v1']}`);
  assert.equal(new Set(fingerprints).size, fingerprints.length, 'fingerprints are unique per file');
});

test('SARIF fingerprints survive lines moving; files outside the working directory get absolute URIs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gtl-sarif-'));
  try {
    cpSync(join(fixtures, 'goroutine_background.go'), join(dir, 'a.go'));
    const before = JSON.parse((await check(['--format', 'sarif', '.'], dir)).out) as SarifLog;
    writeFileSync(join(dir, 'a.go'), '// A comment that moves every line down.\n\n' + readFileSync(join(dir, 'a.go'), 'utf8'));
    const after = JSON.parse((await check(['--format', 'sarif', '.'], dir)).out) as SarifLog;
    const prints = (log: SarifLog) => log.runs[0]!.results.map((r) => r.partialFingerprints['goTraceLens/lineHash/v1']);
    assert.deepEqual(prints(after), prints(before));
    assert.deepEqual(after.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.region.startLine), before.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.region.startLine + 2));
    const outside = JSON.parse((await check(['--format', 'sarif', join(dir, 'a.go')], fixtures)).out) as SarifLog;
    assertValidSarif(outside);
    assert.match(outside.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, /^file:\/\/\/.*\/a\.go$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('skipping files without relevant imports loses no finding (standard library sample, full analysis vs check)', async (t) => {
  const go = findGo();
  if (!go) return t.skip('the Go toolchain is not installed');
  const src = join(go, '..', '..', 'src');
  // The standard library has (rightly) no findings of its own: the annotated single-file corpus gives the
  // sample some (not the workspace, whose findings depend on the index of all its files).
  const corpusFiles = readdirSync(fixtures).filter((f) => f.endsWith('.go')).map((f) => join(fixtures, f));
  const dirs = ['net/http', 'database/sql', 'context', 'log/slog', 'os/exec', 'net/rpc', 'expvar'].map((d) => join(src, d)).concat(corpusFiles);
  const files = expandGoSources(dirs, '/');
  let expected: string[] = [];
  for (const file of files) {
    const findings = await analyzeSource(readFileSync(file, 'utf8'), { only: RULE_IDS.filter((r) => r !== 'call-chain-break'), filePath: file });
    expected = expected.concat(findings.map((f) => `${file}:${f.range.start.line + 1}:${f.rule}`));
  }
  const rules = RULE_IDS.filter((r) => r !== 'call-chain-break').flatMap((r) => ['--rule', r]);
  const { out } = await check(['--format', 'json', '--jobs', '1', ...rules, ...dirs], '/');
  const actual = (JSON.parse(out) as { diagnostics: { file: string; line: number; rule: string }[] }).diagnostics.map((d) => `/${d.file}:${d.line}:${d.rule}`.replace(/^\/\//, '/'));
  assert.deepEqual(actual.sort(), expected.sort());
  assert.ok(expected.length > 0, 'the sample has findings to compare');
});
