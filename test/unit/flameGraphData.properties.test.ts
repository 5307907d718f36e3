// Properties of toFlameGraphData over random profiles (fast-check): random stacks over a few functions,
// with recursion, built into real profile.proto files, decoded and aggregated by the pprof core. The
// oracle is computed from the stacks themselves: each root-to-frame path's total and self value. A single
// graph's columns carry exactly those; a merged diff carries the profile's in value and the base's in base
// for the union of both sides' paths, each path once, children widest first, in a valid pre-order.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeFloat64Column, decodeInt32Column } from '../../common/base64Columns';
import type { FlameGraphData } from '../../common/flameGraphProtocol';
import { decodeProfileBytes } from '../../core/profiles/profileFile.node';
import { flameGraph } from '../../core/profiles/flameGraph';
import { prepareQuery } from '../../core/profiles/query';
import { toFlameGraphData } from '../../server/src/profiles/flameGraphData';
import { buildProfile, type ProfileSpec } from '../helpers/pprofBuilder';

const FUNCTIONS = ['main.main', 'main.work', 'main.fib', 'runtime.mallocgc', 'crypto/sha256.block'];

interface Sample {
  /** Leaf first, as in profile.proto. */
  readonly stack: readonly string[];
  readonly value: number;
}

const sampleArbitrary = fc.record({
  stack: fc.array(fc.constantFrom(...FUNCTIONS), { minLength: 1, maxLength: 6 }),
  value: fc.integer({ min: 1, max: 1_000_000 }),
});
const samplesArbitrary = fc.array(sampleArbitrary, { minLength: 0, maxLength: 25 });

/**
 * A profile of these samples. A zero-valued first sample names every function in a fixed order, so that
 * each function gets the same id, file and start line in every profile built here (as one binary would).
 */
function profileOf(samples: readonly Sample[]) {
  const spec: ProfileSpec = {
    sampleTypes: [['samples', 'count'], ['cpu', 'nanoseconds']],
    periodType: ['cpu', 'nanoseconds'],
    files: { 'runtime.mallocgc': 'runtime/malloc.go', 'crypto/sha256.block': 'crypto/sha256/sha256block.go' },
    samples: [{ stack: FUNCTIONS, values: [0, 0] }, ...samples.map((s) => ({ stack: s.stack, values: [1, s.value] }))],
  };
  return decodeProfileBytes(buildProfile(spec, { gzip: false }));
}

function graphOf(samples: readonly Sample[]) {
  return flameGraph(prepareQuery(profileOf(samples), { sampleIndex: 'cpu' }));
}

/** The oracle: per root-to-frame path ("\n"-joined names), the total and self value of the samples. */
function expectedPaths(samples: readonly Sample[]): { total: Map<string, number>; self: Map<string, number> } {
  const total = new Map<string, number>();
  const self = new Map<string, number>();
  for (const { stack, value } of samples) {
    let path = '';
    for (let i = stack.length - 1; i >= 0; i--) {
      path = path === '' ? stack[i]! : `${path}\n${stack[i]}`;
      total.set(path, (total.get(path) ?? 0) + value);
    }
    self.set(path, (self.get(path) ?? 0) + value);
  }
  return { total, self };
}

interface Node {
  readonly path: string;
  readonly total: number;
  readonly self: number;
  readonly baseTotal: number;
  readonly baseSelf: number;
}

/** Decodes the columns, checks the pre-order structure, and lists the nodes with their paths. */
function nodesOf(data: FlameGraphData): Node[] {
  const parent = decodeInt32Column(data.parent);
  const depth = decodeInt32Column(data.depth);
  const size = decodeInt32Column(data.subtreeSize);
  const name = decodeInt32Column(data.name);
  const total = decodeFloat64Column(data.totalValue);
  const self = decodeFloat64Column(data.selfValue);
  const baseTotal = data.diff ? decodeFloat64Column(data.diff.baseTotalValue) : null;
  const baseSelf = data.diff ? decodeFloat64Column(data.diff.baseSelfValue) : null;
  const n = data.nodeCount;
  for (const column of [parent, depth, size, name, total, self, ...(baseTotal ? [baseTotal, baseSelf!] : [])]) assert.equal(column.length, n);
  assert.equal(parent[0], -1);
  assert.equal(depth[0], 0);
  assert.equal(size[0], n);
  assert.equal(data.strings[name[0]!], 'root');
  const paths: string[] = [''];
  for (let i = 1; i < n; i++) {
    const p = parent[i]!;
    assert.ok(p >= 0 && p < i && i < p + size[p]!, `node ${i} lies inside its parent's subtree`);
    assert.equal(depth[i], depth[p]! + 1);
    assert.ok(i + size[i]! <= p + size[p]!, `node ${i}'s subtree nests in its parent's`);
    paths.push(p === 0 ? data.strings[name[i]!]! : `${paths[p]}\n${data.strings[name[i]!]}`);
  }
  // Each node's subtree is itself plus its children's subtrees, and the children are widest first.
  for (let p = 0; p < n; p++) {
    let covered = 1;
    let previous = Infinity;
    for (let c = p + 1; c < p + size[p]!; c += size[c]!) {
      covered += size[c]!;
      const width = Math.max(total[c]!, baseTotal ? baseTotal[c]! : 0);
      assert.ok(width <= previous, `children of ${paths[p] || 'root'} are ordered widest first`);
      previous = width;
    }
    assert.equal(covered, size[p]);
  }
  return paths.map((path, i) => ({ path, total: total[i]!, self: self[i]!, baseTotal: baseTotal ? baseTotal[i]! : 0, baseSelf: baseSelf ? baseSelf[i]! : 0 })).slice(1);
}

function assertPathValues(nodes: readonly Node[], expected: ReturnType<typeof expectedPaths>, side: 'value' | 'base'): void {
  const seen = new Set<string>();
  for (const node of nodes) {
    const total = side === 'value' ? node.total : node.baseTotal;
    const self = side === 'value' ? node.self : node.baseSelf;
    assert.equal(total, expected.total.get(node.path) ?? 0, `${side} total of ${node.path}`);
    assert.equal(self, expected.self.get(node.path) ?? 0, `${side} self of ${node.path}`);
    if (total > 0) seen.add(node.path);
  }
  assert.deepEqual([...seen].sort(), [...expected.total.keys()].sort(), `${side}: every path with samples is a node`);
}

const sum = (samples: readonly Sample[]) => samples.reduce((a, s) => a + s.value, 0);

describe('toFlameGraphData properties', () => {
  it('a single graph carries each path\'s total and self value exactly', () => {
    fc.assert(
      fc.property(samplesArbitrary, (samples) => {
        const data = toFlameGraphData(graphOf(samples));
        assert.equal(data.total, sum(samples));
        assert.equal(data.diff, undefined);
        const nodes = nodesOf(data);
        assert.equal(new Set(nodes.map((n) => n.path)).size, nodes.length, 'each path once');
        assertPathValues(nodes, expectedPaths(samples), 'value');
      }),
      { numRuns: 1000 },
    );
  });

  it('a merged diff carries the profile\'s and the base\'s values for the union of their paths', () => {
    fc.assert(
      fc.property(samplesArbitrary, samplesArbitrary, (samples, baseSamples) => {
        const data = toFlameGraphData(graphOf(samples), graphOf(baseSamples), 'base');
        assert.equal(data.total, sum(samples));
        assert.equal(data.diff?.baseTotal, sum(baseSamples));
        const nodes = nodesOf(data);
        assert.equal(new Set(nodes.map((n) => n.path)).size, nodes.length, 'each path once');
        assertPathValues(nodes, expectedPaths(samples), 'value');
        assertPathValues(nodes, expectedPaths(baseSamples), 'base');
        for (const node of nodes) assert.ok(node.total > 0 || node.baseTotal > 0, `${node.path} has a value on one side`);
      }),
      { numRuns: 1000 },
    );
  });

  it('a diff against itself has base == value at every node, and swapping the sides swaps the columns', () => {
    fc.assert(
      fc.property(samplesArbitrary, samplesArbitrary, (samples, other) => {
        const self = nodesOf(toFlameGraphData(graphOf(samples), graphOf(samples)));
        for (const node of self) {
          assert.equal(node.baseTotal, node.total);
          assert.equal(node.baseSelf, node.self);
        }
        const forward = new Map(nodesOf(toFlameGraphData(graphOf(samples), graphOf(other))).map((n) => [n.path, n]));
        const backward = nodesOf(toFlameGraphData(graphOf(other), graphOf(samples)));
        assert.equal(backward.length, forward.size);
        for (const node of backward) {
          const twin = forward.get(node.path)!;
          assert.deepEqual([node.total, node.self, node.baseTotal, node.baseSelf], [twin.baseTotal, twin.baseSelf, twin.total, twin.self]);
        }
      }),
      { numRuns: 500 },
    );
  });
});
