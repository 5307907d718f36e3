// How the flame graph webview reads FlameGraphData, tested in plain Node on its pure modules
// (media/flamegraph/model, layout, search, navigation): decoding checks every column and says what is
// damaged; the layout nests every frame inside its parent, also in diff mode where widths are the larger
// of the two values; hit-testing finds the frame under a point; search's matched share equals the share
// of samples that pass through a match; keyboard moves follow the tree.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeColumn } from '../../common/base64Columns';
import type { FlameGraphData } from '../../common/flameGraphProtocol';
import { computeLayout, nodeAt, pixelExtent, viewportOf } from '../../media/flamegraph/layout';
import { FlameDataError, decodeFlameModel, findByNamePath, heaviestNodeOf, namePath, type FlameModel } from '../../media/flamegraph/model';
import { moveFrom, moveForKey } from '../../media/flamegraph/navigation';
import { compileSearch, searchGraph } from '../../media/flamegraph/search';
import { decodeProfileBytes } from '../../core/profiles/profileFile.node';
import { flameGraph } from '../../core/profiles/flameGraph';
import { prepareQuery } from '../../core/profiles/query';
import { toFlameGraphData } from '../../server/src/profiles/flameGraphData';
import { buildProfile, sampleCpuProfileSpec } from '../helpers/pprofBuilder';

const FUNCTIONS = ['main.main', 'main.work', 'main.fib', 'runtime.mallocgc', 'crypto/sha256.block'];

interface Sample {
  readonly stack: readonly string[];
  readonly value: number;
}

const samplesArbitrary = fc.array(
  fc.record({ stack: fc.array(fc.constantFrom(...FUNCTIONS), { minLength: 1, maxLength: 6 }), value: fc.integer({ min: 1, max: 1_000_000 }) }),
  { minLength: 0, maxLength: 20 },
);

function graphOf(samples: readonly Sample[]) {
  const profile = decodeProfileBytes(
    buildProfile({
      sampleTypes: [['samples', 'count'], ['cpu', 'nanoseconds']],
      samples: [{ stack: FUNCTIONS, values: [0, 0] }, ...samples.map((s) => ({ stack: s.stack, values: [1, s.value] }))],
    }, { gzip: false }),
  );
  return flameGraph(prepareQuery(profile, { sampleIndex: 'cpu' }));
}

function modelOf(samples: readonly Sample[], base?: readonly Sample[]): FlameModel {
  return decodeFlameModel(toFlameGraphData(graphOf(samples), base ? graphOf(base) : undefined));
}

const EPSILON = 1e-6;

function assertNested(model: FlameModel): void {
  const layout = computeLayout(model);
  const { x, width } = layout;
  const own = (n: number) => Math.max(model.totalValue[n]!, model.diff ? model.diff.baseTotalValue[n]! : 0);
  assert.equal(layout.rootWidth, own(0));
  for (let p = 0; p < model.nodeCount; p++) {
    let left = x[p]!;
    let scale = -1;
    for (let c = p + 1; c < p + model.subtreeSize[p]!; c += model.subtreeSize[c]!) {
      assert.ok(Math.abs(x[c]! - left) <= EPSILON * layout.rootWidth, 'siblings sit side by side, in order');
      left = x[c]! + width[c]!;
      assert.ok(left <= x[p]! + width[p]! + EPSILON * layout.rootWidth, 'a child ends inside its parent');
      assert.ok(width[c]! <= own(c) + EPSILON, 'a frame is never wider than its larger value');
      // Siblings share one scale: widths stay proportional to the larger of their two values.
      if (own(c) > 0) {
        const s = width[c]! / own(c);
        if (scale < 0) scale = s;
        else assert.ok(Math.abs(s - scale) <= 1e-9, 'siblings are scaled alike');
      }
    }
  }
}

describe('the webview\'s model of FlameGraphData', () => {
  it('decodes the columns as toFlameGraphData wrote them, and finds frames by path and by function', () => {
    const graph = flameGraph(prepareQuery(decodeProfileBytes(buildProfile(sampleCpuProfileSpec()))));
    const model = decodeFlameModel(toFlameGraphData(graph));
    assert.equal(model.nodeCount, graph.nodeCount);
    assert.deepEqual(model.subtreeSize, graph.subtreeSize);
    assert.deepEqual(model.totalValue, graph.totalValue);
    assert.deepEqual(model.file, graph.file);
    assert.equal(model.maxDepth, Math.max(...graph.depth));
    const fib = heaviestNodeOf(model, 'main.fib');
    assert.deepEqual(namePath(model, fib), ['main.main', 'main.fib']);
    assert.equal(findByNamePath(model, ['main.main', 'main.fib', 'main.fib']), fib + 1);
    assert.equal(findByNamePath(model, ['main.main', 'nope']), heaviestNodeOf(model, 'main.main'), 'the deepest frame found on the way');
    assert.equal(heaviestNodeOf(model, 'nope'), -1);
  });

  it('names the damaged column, or the node that does not nest, instead of decoding garbage', () => {
    const data = toFlameGraphData(flameGraph(prepareQuery(decodeProfileBytes(buildProfile(sampleCpuProfileSpec())))));
    const refuses = (broken: Partial<FlameGraphData> & Record<string, unknown>, message: RegExp) =>
      assert.throws(() => decodeFlameModel({ ...data, ...broken } as FlameGraphData), (e: unknown) => e instanceof FlameDataError && message.test(e.message));
    refuses({ nodeCount: 0 }, /the graph has 0 nodes/);
    refuses({ depth: undefined as unknown as string }, /the "depth" column is missing/);
    refuses({ line: encodeColumn(new Int32Array(data.nodeCount + 1)) }, new RegExp(`the "line" column has ${data.nodeCount + 1} entries for ${data.nodeCount} nodes`));
    refuses({ selfValue: encodeColumn(new Uint8Array(12)) }, /the "selfValue" column holds 12 bytes, not a whole number of 8-byte values/);
    const parent = new Int32Array(data.nodeCount).fill(0);
    parent[0] = -1;
    parent[3] = 5;
    refuses({ parent: encodeColumn(parent) }, /node \d+ is not inside its parent \d+ in pre-order/);
    const names = new Int32Array(data.nodeCount).fill(data.strings.length + 5);
    refuses({ name: encodeColumn(names) }, /names a string outside the table/);
    refuses({ diff: { baseTotal: 1, baseLabel: 'b', baseSelfValue: data.selfValue, baseTotalValue: encodeColumn(new Float64Array(1)) } }, /the "baseTotalValue" column has 1 entries/);
  });

  it('lays out every frame inside its parent, widths the larger of the two values in diff mode', () => {
    fc.assert(
      fc.property(samplesArbitrary, samplesArbitrary, (samples, base) => {
        assertNested(modelOf(samples));
        assertNested(modelOf(samples, base));
        // Without a base the widths are the totals themselves.
        const model = modelOf(samples);
        assert.deepEqual(computeLayout(model).width, model.totalValue);
      }),
      { numRuns: 500 },
    );
  });

  it('hit-tests the frame drawn under a point at any zoom', () => {
    fc.assert(
      fc.property(samplesArbitrary.filter((s) => s.length > 0), fc.nat(), fc.double({ min: 0, max: 0.999, noNaN: true }), (samples, pick, fraction) => {
        const model = modelOf(samples);
        const layout = computeLayout(model);
        const zoom = pick % model.nodeCount;
        const viewport = viewportOf(layout, zoom);
        const width = 1000;
        const px = fraction * width;
        for (let depth = 0; depth <= model.maxDepth; depth++) {
          const node = nodeAt(model, layout, viewport, width, px, depth);
          if (node < 0) continue;
          assert.equal(model.depth[node], depth);
          const extent = pixelExtent(layout, viewport, width, node);
          assert.ok(px >= extent.left - 1e-6 && px < extent.left + extent.width + 1e-6, `node ${node} covers x=${px}`);
        }
        // Frames above the zoomed one span the whole width.
        for (let n = zoom; n >= 0; n = model.parent[n]!) assert.equal(nodeAt(model, layout, viewport, width, px, model.depth[n]!), n);
      }),
      { numRuns: 500 },
    );
  });

  it('search counts the samples that pass through a matching function once, however often it recurs', () => {
    fc.assert(
      fc.property(samplesArbitrary, fc.constantFrom(...FUNCTIONS, 'main.', 'MAIN.FIB', '/^main\\.(fib|work)$/'), (samples, query) => {
        const model = modelOf(samples);
        const outcome = searchGraph(model, query);
        assert.ok(outcome.ok && outcome.result);
        const compiled = compileSearch(query);
        assert.ok(compiled.ok);
        const expected = samples.filter((s) => s.stack.some((f) => compiled.test(f))).reduce((a, s) => a + s.value, 0);
        assert.equal(outcome.result.matchedTotal, expected);
        const functions = new Set(samples.flatMap((s) => s.stack).filter((f) => compiled.test(f)));
        assert.equal(outcome.result.functionCount, functions.size);
      }),
      { numRuns: 500 },
    );
    const model = modelOf([{ stack: ['main.fib', 'main.main'], value: 1 }]);
    assert.deepEqual(searchGraph(model, '   '), { ok: true, result: null });
    const bad = searchGraph(model, '/(/');
    assert.ok(!bad.ok && /Not a valid regular expression/.test(bad.message));
  });

  it('moves between frames as the arrow keys say, by orientation', () => {
    const model = modelOf([
      { stack: ['main.fib', 'main.main'], value: 3 },
      { stack: ['main.work', 'main.main'], value: 2 },
      { stack: ['runtime.mallocgc'], value: 1 },
    ]);
    const main = heaviestNodeOf(model, 'main.main');
    const fib = heaviestNodeOf(model, 'main.fib');
    const work = heaviestNodeOf(model, 'main.work');
    assert.equal(moveFrom(model, 0, 'child'), main);
    assert.equal(moveFrom(model, main, 'child'), fib, 'the widest child first');
    assert.equal(moveFrom(model, fib, 'next'), work);
    assert.equal(moveFrom(model, work, 'next'), work, 'the last sibling stays');
    assert.equal(moveFrom(model, work, 'previous'), fib);
    assert.equal(moveFrom(model, fib, 'parent'), main);
    assert.equal(moveFrom(model, 0, 'parent'), 0);
    assert.equal(moveFrom(model, main, 'next'), heaviestNodeOf(model, 'runtime.mallocgc'));
    assert.equal(moveForKey('ArrowDown', 'icicle'), 'child');
    assert.equal(moveForKey('ArrowDown', 'flame'), 'parent');
    assert.equal(moveForKey('ArrowUp', 'flame'), 'child');
    assert.equal(moveForKey('Enter', 'icicle'), null);
  });
});
