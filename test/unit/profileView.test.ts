// The editor's view of a profile agrees with the pprof core's go-tool-pprof numbers (which the pprof
// conformance tests hold equal to `go tool pprof` itself), per function and per line.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProfileFile } from '../../core/profiles/profileFile.node';
import { prepareQuery } from '../../core/profiles/query';
import { topReport } from '../../core/profiles/topReport';
import { ProfileView } from '../../server/src/profiles/profileView';
import { sharedFixture } from '../helpers/sharedFixtures';

const LARGE = sharedFixture('pprof', 'large.cpu.pb.gz');

test('per-function flat and cum equal pprof -top with nothing dropped', async () => {
  const profile = await decodeProfileFile(LARGE);
  const view = new ProfileView(profile);
  const top = topReport(prepareQuery(profile), { nodeFraction: 0, granularity: 'functions' });
  const expected = new Map(top.rows.filter((r) => r.functionName !== '').map((r) => [r.functionName, [r.flat, r.cum]]));
  assert.equal(view.functions.length, expected.size);
  for (const f of view.functions) assert.deepEqual([f.flat, f.cum], expected.get(f.functionName), f.functionName);
  assert.equal(view.total, top.total);
});

test('per-line values equal pprof -top -lines where one function owns the line, and never exceed the total', async () => {
  const profile = await decodeProfileFile(LARGE);
  const view = new ProfileView(profile);
  const rows = topReport(prepareQuery(profile), { nodeFraction: 0, granularity: 'lines' }).rows.filter((r) => r.file !== '' && r.line > 0);
  const owners = new Map<string, number>();
  for (const r of rows) owners.set(`${r.file}:${r.line}`, (owners.get(`${r.file}:${r.line}`) ?? 0) + 1);
  let compared = 0;
  for (const r of rows) {
    const stat = view.files.get(r.file)?.lines.get(r.line);
    assert.ok(stat, `${r.file}:${r.line} is missing`);
    assert.ok(Math.abs(stat.cum) <= Math.abs(view.total));
    if (owners.get(`${r.file}:${r.line}`) !== 1) continue;
    assert.deepEqual([stat.flat, stat.cum], [r.flat, r.cum], `${r.file}:${r.line}`);
    compared++;
  }
  assert.ok(compared > 1000, `compared ${compared} lines`);
});

test('lens and line texts read like pprof, with the sample type first', async () => {
  const view = new ProfileView(await decodeProfileFile(LARGE));
  const hottest = view.functions.find((f) => f.flat > 0)!;
  assert.match(view.lensText(hottest), /^(samples|cpu) \d+(\.\d+)?(ms|s|) \(\d+(\.\d+)?%\) flat · \d+(\.\d+)?(ms|s|) \(\d+(\.\d+)?%\) cum$/);
  assert.match(view.lineText({ flat: 520000000, cum: 1100000000 }), /flat · .* cum/);
});

test('diff mode: the profile against itself is zero everywhere, and the flame graphs are both positive', async () => {
  const profile = await decodeProfileFile(LARGE);
  const view = new ProfileView(profile, { base: profile });
  assert.equal(view.functions.length, 0);
  const { graph, base } = view.flameGraphs();
  assert.ok(base);
  assert.equal(graph.total, base.total);
  assert.ok(graph.total > 0);
});
