// The flame graph (merged call tree in flat arrays) and callers/callees: structural invariants a canvas
// renderer relies on, and agreement with the top report's flat and cum for every function (recursion
// counted once), on a real profile and on a small one built for the purpose.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { callersAndCallees } from '../../core/profiles/callGraph';
import { decodeProfileBytes } from '../../core/profiles/profileFile.node';
import { flameGraph, type FlameGraph } from '../../core/profiles/flameGraph';
import type { Profile } from '../../core/profiles/profile';
import { prepareQuery, type QueryOptions } from '../../core/profiles/query';
import { topReport } from '../../core/profiles/topReport';
import { buildProfile, sampleCpuProfileSpec } from '../helpers/pprofBuilder';
import { sharedFixture } from '../helpers/sharedFixtures';

const LARGE = decodeProfileBytes(readFileSync(sharedFixture('pprof', 'large.cpu.pb.gz')));
const SMALL = decodeProfileBytes(buildProfile(sampleCpuProfileSpec()));

function assertWellFormed(g: FlameGraph): void {
  assert.equal(g.parent[0], -1);
  assert.equal(g.strings[g.name[0]!], 'root');
  assert.equal(g.subtreeSize[0], g.nodeCount);
  for (let i = 1; i < g.nodeCount; i++) {
    const p = g.parent[i]!;
    assert.ok(p >= 0 && p < i, 'pre-order: parents come first');
    assert.equal(g.depth[i], g.depth[p]! + 1);
    assert.ok(i + g.subtreeSize[i]! <= p + g.subtreeSize[p]!, 'a subtree lies inside its parent\'s');
  }
  for (let i = 0; i < g.nodeCount; i++) {
    let childrenTotal = 0;
    let previous = Infinity;
    for (let c = i + 1; c < i + g.subtreeSize[i]!; c += g.subtreeSize[c]!) {
      assert.equal(g.parent[c], i);
      assert.ok(Math.abs(g.totalValue[c]!) <= previous, 'children heaviest first');
      previous = Math.abs(g.totalValue[c]!);
      childrenTotal += g.totalValue[c]!;
    }
    assert.equal(g.totalValue[i], g.selfValue[i]! + childrenTotal, 'total = self + children');
  }
}

/** Flat and cum per function computed from the tree: cum counts a function once per root-to-node path. */
function fromTree(g: FlameGraph): Map<string, { flat: number; cum: number }> {
  const result = new Map<string, { flat: number; cum: number }>();
  const onPath: string[] = [];
  for (let i = 1; i < g.nodeCount; i++) {
    onPath.length = g.depth[i]! - 1;
    const name = g.strings[g.name[i]!]!;
    const entry = result.get(name) ?? { flat: 0, cum: 0 };
    entry.flat += g.selfValue[i]!;
    if (!onPath.includes(name)) entry.cum += g.totalValue[i]!;
    result.set(name, entry);
    onPath.push(name);
  }
  return result;
}

function assertAgreesWithTop(profile: Profile, options: QueryOptions): void {
  const query = prepareQuery(profile, options);
  const g = flameGraph(query);
  assertWellFormed(g);
  const top = topReport(query, { nodeFraction: 0 });
  const tree = fromTree(g);
  for (const row of top.rows) assert.deepEqual(tree.get(row.name), { flat: row.flat, cum: row.cum }, row.name);
  let sum = 0;
  for (const row of top.rows) sum += row.flat;
  assert.equal(g.total, sum, 'the root holds every sample drawn');
}

describe('flame graph', () => {
  it('is a well-formed tree whose functions have the top report\'s flat and cum (large.cpu, both types)', () => {
    assertAgreesWithTop(LARGE, { sampleIndex: 0 });
    assertAgreesWithTop(LARGE, { sampleIndex: 1 });
  });

  it('counts recursion once, follows filters and diffs, and marks inlined frames', () => {
    assertAgreesWithTop(SMALL, {});
    assertAgreesWithTop(SMALL, { tags: ['worker=fib'] });
    assertAgreesWithTop(SMALL, { focus: 'main\\.work', base: decodeProfileBytes(buildProfile({ ...sampleCpuProfileSpec(), samples: sampleCpuProfileSpec().samples.slice(3) })) });
    const g = flameGraph(prepareQuery(SMALL));
    const at = (name: string) => Array.from({ length: g.nodeCount }, (_, i) => i).filter((i) => g.strings[g.name[i]!] === name);
    assert.equal(at('main.fib').length, 3, 'three nested fib frames');
    assert.deepEqual(at('main.hash').map((i) => g.inline[i]), [1]);
    assert.deepEqual(at('main.work').map((i) => g.inline[i]), [0]);
    assert.equal(g.strings[g.file[at('main.hash')[0]!]!], 'example.com/app/work.go');
  });

  it('gives lines or function start lines, as asked', () => {
    const byLine = flameGraph(prepareQuery(SMALL), { granularity: 'lines' });
    assertWellFormed(byLine);
    const byFunction = flameGraph(prepareQuery(SMALL));
    const lineOf = (g: FlameGraph, name: string) => g.line[Array.from({ length: g.nodeCount }, (_, i) => i).find((i) => g.strings[g.name[i]!] === name)!];
    assert.notEqual(lineOf(byLine, 'main.hash'), lineOf(byFunction, 'main.hash'));
    assert.equal(lineOf(byFunction, 'main.main') % 10, 0, 'function start lines end in 0 in the built profile');
  });
});

describe('callers and callees', () => {
  it('are the call edges, weighted once per sample, inline when always inlined', () => {
    const [work] = callersAndCallees(prepareQuery(SMALL), 'main.work');
    assert.ok(work);
    assert.deepEqual(work.callers.map((e) => [e.name, e.weight, e.inline]), [['main.main', 80_000_000, false]]);
    assert.deepEqual(work.callees.map((e) => [e.name, e.weight, e.inline]), [['runtime.mallocgc', 40_000_000, false], ['main.hash', 30_000_000, true]]);
    const [fib] = callersAndCallees(prepareQuery(SMALL), 'main.fib');
    assert.deepEqual(fib!.callers.map((e) => [e.name, e.weight]), [['main.main', 20_000_000]], 'recursion is not an edge to itself');
    assert.deepEqual(fib!.callees, []);
    assert.deepEqual(callersAndCallees(prepareQuery(SMALL), 'main.nothing'), []);
    const byPredicate = callersAndCallees(prepareQuery(SMALL), (name) => name.startsWith('main.'));
    assert.deepEqual(byPredicate.map((c) => c.name), ['main.main', 'main.work', 'main.hash', 'main.fib']);
  });
});
