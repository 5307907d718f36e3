// toFlameGraphData and summaryView on real profiles: the encoded columns are the core's flame tree
// exactly; every node's total equals the per-path total `go tool pprof -traces` gives for the same file
// (large.cpu.pb.gz and CPU/heap profiles captured from the Go test service, for each sample type); a diff
// of a profile with itself carries base == value everywhere; a real diff (a filtered profile against
// the whole) keeps the nodes that exist only in the base; the header's top rows equal `go tool pprof -top`;
// and bad input is refused with a FlameGraphDataError that says what to do.

import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFloat64Column, decodeInt32Column, decodeUint8Column } from '../../common/base64Columns';
import type { FlameGraphData } from '../../common/flameGraphProtocol';
import { flameGraph, type FlameGraph } from '../../core/profiles/flameGraph';
import { decodeProfileBytes } from '../../core/profiles/profileFile.node';
import { decodeProfileFile } from '../../core/profiles/profileFile.node';
import type { Profile } from '../../core/profiles/profile';
import { prepareQuery, type QueryOptions } from '../../core/profiles/query';
import { FlameGraphDataError, summaryView, toFlameGraphData } from '../../server/src/profiles/flameGraphData';
import { CACHE_DIR, buildGoProgram, requireGo, startGoService, type RunningService } from '../helpers/goToolchain';
import { buildProfile, sampleCpuProfileSpec } from '../helpers/pprofBuilder';
import { parseToolValue, runPprofTool, toolTop } from '../helpers/pprofTool';
import { sharedFixture } from '../helpers/sharedFixtures';

const LARGE = sharedFixture('pprof', 'large.cpu.pb.gz');
const CAPTURES = join(CACHE_DIR, 'flame-graph-data');

interface DecodedData {
  readonly parent: Int32Array;
  readonly depth: Int32Array;
  readonly subtreeSize: Int32Array;
  readonly name: Int32Array;
  readonly file: Int32Array;
  readonly line: Int32Array;
  readonly inline: Uint8Array;
  readonly selfValue: Float64Array;
  readonly totalValue: Float64Array;
  readonly baseSelfValue?: Float64Array;
  readonly baseTotalValue?: Float64Array;
}

function decodeData(data: FlameGraphData): DecodedData {
  return {
    parent: decodeInt32Column(data.parent),
    depth: decodeInt32Column(data.depth),
    subtreeSize: decodeInt32Column(data.subtreeSize),
    name: decodeInt32Column(data.name),
    file: decodeInt32Column(data.file),
    line: decodeInt32Column(data.line),
    inline: decodeUint8Column(data.inline),
    selfValue: decodeFloat64Column(data.selfValue),
    totalValue: decodeFloat64Column(data.totalValue),
    ...(data.diff ? { baseSelfValue: decodeFloat64Column(data.diff.baseSelfValue), baseTotalValue: decodeFloat64Column(data.diff.baseTotalValue) } : {}),
  };
}

/** Sums `value(node)` by the node's function-name path from the root (root excluded), "\n"-joined. */
function totalsByPath(data: FlameGraphData, decoded: DecodedData, value: (node: number) => number): Map<string, number> {
  const paths: string[] = new Array(data.nodeCount);
  paths[0] = '';
  const out = new Map<string, number>();
  for (let i = 1; i < data.nodeCount; i++) {
    const parent = decoded.parent[i]!;
    const name = data.strings[decoded.name[i]!]!;
    paths[i] = parent === 0 ? name : `${paths[parent]}\n${name}`;
    out.set(paths[i]!, (out.get(paths[i]!) ?? 0) + value(i));
  }
  return out;
}

/**
 * Per-path totals from `go tool pprof -traces`: each sample's stack (leaf first) with its value; every
 * prefix from the root gets the value added.
 */
function pprofPathTotals(file: string, sampleIndex: string, unit: string): Map<string, number> {
  const text = runPprofTool(['-traces', `-sample_index=${sampleIndex}`, `-unit=${unit}`, file]);
  const blocks = text.split(/^-{11}\+-+$/m).slice(1);
  const totals = new Map<string, number>();
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    const valueAt = lines.findIndex((l) => /^\s*(?:-?\d+[A-Za-z*μ]*|\.)\s{3}\S/.test(l));
    if (valueAt < 0) continue;
    const first = /^\s*(\S+)\s{3}(.*)$/.exec(lines[valueAt]!)!;
    const value = parseToolValue(first[1]!);
    const frames = [first[2]!, ...lines.slice(valueAt + 1)].map((l) => l.trim().replace(/ \(inline\)$/, ''));
    let path = '';
    for (let i = frames.length - 1; i >= 0; i--) {
      path = path === '' ? frames[i]! : `${path}\n${frames[i]}`;
      totals.set(path, (totals.get(path) ?? 0) + value);
    }
  }
  for (const [path, value] of totals) if (value === 0) totals.delete(path);
  return totals;
}

function withoutZeros(map: Map<string, number>): Map<string, number> {
  return new Map([...map].filter(([, v]) => v !== 0));
}

function assertSameTotals(actual: Map<string, number>, expected: Map<string, number>, label: string): void {
  const a = withoutZeros(actual);
  assert.equal(a.size, expected.size, `${label}: ${a.size} paths with a value, pprof has ${expected.size}`);
  for (const [path, value] of expected) {
    assert.equal(a.get(path), value, `${label}: total of ${path.split('\n').join(' > ')}`);
  }
}

function graphOf(profile: Profile, options: QueryOptions = {}): FlameGraph {
  return flameGraph(prepareQuery(profile, options));
}

async function download(service: RunningService, path: string, name: string): Promise<string> {
  const response = await fetch(`${service.url}${path}`);
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  const file = join(CAPTURES, name);
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

describe('toFlameGraphData', () => {
  let large: Profile;
  let largeGraph: FlameGraph;
  let largeData: FlameGraphData;
  let captured: { cpu: string; heap: string } | null = null;
  let service: RunningService | null = null;
  before(async () => {
    large = await decodeProfileFile(LARGE);
    largeGraph = graphOf(large);
    largeData = toFlameGraphData(largeGraph);
    if (!requireGo(() => undefined)) return;
    mkdirSync(CAPTURES, { recursive: true });
    service = await startGoService(buildGoProgram('service'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [cpu, heap] = await Promise.all([download(service, '/debug/pprof/profile?seconds=1', 'cpu.pb.gz'), download(service, '/debug/pprof/heap', 'heap.pb.gz')]);
    captured = { cpu, heap };
  });
  after(async () => {
    await service?.stop();
  });

  function capturedFile(t: TestContext, kind: 'cpu' | 'heap'): string | null {
    if (!requireGo((why) => t.skip(why))) return null;
    assert.ok(captured, 'the service profiles were captured');
    return captured[kind];
  }

  it('encodes the core\'s flame tree column for column, strings and totals included', () => {
    const graph = largeGraph;
    const data = largeData;
    const decoded = decodeData(data);
    assert.equal(data.nodeCount, graph.nodeCount);
    assert.equal(data.total, graph.total);
    assert.deepEqual(data.sampleType, { type: 'cpu', unit: 'nanoseconds' });
    assert.deepEqual(data.strings, graph.strings);
    for (const key of ['parent', 'depth', 'subtreeSize', 'name', 'file', 'line', 'inline', 'selfValue', 'totalValue'] as const) {
      assert.deepEqual(decoded[key], graph[key], `column ${key}`);
    }
    assert.equal(data.diff, undefined);
  });

  it('node totals equal go tool pprof -traces\' per-path totals on large.cpu.pb.gz', (t) => {
    if (!requireGo((why) => t.skip(why))) return;
    const data = largeData;
    const decoded = decodeData(data);
    assertSameTotals(totalsByPath(data, decoded, (n) => decoded.totalValue[n]!), pprofPathTotals(LARGE, 'cpu', 'ns'), 'large.cpu cpu');
  });

  it('node totals equal go tool pprof -traces\' per-path totals on service CPU and heap profiles, every sample type', async (t) => {
    for (const kind of ['cpu', 'heap'] as const) {
      const file = capturedFile(t, kind);
      if (!file) return;
      const profile = await decodeProfileFile(file);
      for (const type of profile.sampleTypes) {
        const data = toFlameGraphData(graphOf(profile, { sampleIndex: type.type }));
        const decoded = decodeData(data);
        const unit = type.unit === 'nanoseconds' ? 'ns' : type.unit === 'bytes' ? 'B' : type.unit;
        const reference = pprofPathTotals(file, type.type, unit);
        if (kind === 'cpu' && type.type === 'cpu') assert.ok(reference.size > 20, 'the CPU profile has stacks');
        assertSameTotals(totalsByPath(data, decoded, (n) => decoded.totalValue[n]!), reference, `${kind} ${type.type}`);
      }
    }
  });

  it('a diff of a profile with itself has base == value at every node, and the same tree', async (t) => {
    const file = capturedFile(t, 'cpu');
    if (!file) return;
    const profile = await decodeProfileFile(file);
    for (const sampleIndex of profile.sampleTypes.map((s) => s.type)) {
      const graph = graphOf(profile, { sampleIndex });
      const single = decodeData(toFlameGraphData(graph));
      const data = toFlameGraphData(graph, graphOf(profile, { sampleIndex }), 'the same profile');
      const decoded = decodeData(data);
      assert.equal(data.nodeCount, graph.nodeCount);
      assert.equal(data.diff?.baseTotal, data.total);
      assert.equal(data.diff?.baseLabel, 'the same profile');
      assert.deepEqual(decoded.baseTotalValue, decoded.totalValue);
      assert.deepEqual(decoded.baseSelfValue, decoded.selfValue);
      assert.deepEqual(decoded.subtreeSize, single.subtreeSize);
      assert.deepEqual(decoded.totalValue, single.totalValue);
      assert.deepEqual([...decoded.name].map((i) => data.strings[i]), [...single.name].map((i) => graph.strings[i]));
    }
  });

  it('a real diff keeps paths only in the base with zero value, and each side\'s per-path totals are its own', async (t) => {
    const file = capturedFile(t, 'cpu');
    if (!file) return;
    const profile = await decodeProfileFile(file);
    // The profile without main.burnCPU, against the whole profile as the base: burnCPU's frames shrank to 0.
    const graph = graphOf(profile, { ignore: 'main\\.burnCPU' });
    const base = graphOf(profile);
    const data = toFlameGraphData(graph, base, 'before');
    const decoded = decodeData(data);
    const burn = data.strings.indexOf('main.burnCPU');
    assert.ok(burn > 0, 'main.burnCPU is in the merged graph');
    let burnNodes = 0;
    for (let i = 0; i < data.nodeCount; i++) {
      if (decoded.name[i] !== burn) continue;
      burnNodes++;
      assert.equal(decoded.totalValue[i], 0);
      assert.ok(decoded.baseTotalValue![i]! > 0);
    }
    assert.ok(burnNodes > 0);
    const own = (g: FlameGraph) => {
      const d = toFlameGraphData(g);
      const dd = decodeData(d);
      return totalsByPath(d, dd, (n) => dd.totalValue[n]!);
    };
    assertSameTotals(totalsByPath(data, decoded, (n) => decoded.totalValue[n]!), withoutZeros(own(graph)), 'profile side');
    assertSameTotals(totalsByPath(data, decoded, (n) => decoded.baseTotalValue![n]!), withoutZeros(own(base)), 'base side');
    assert.equal(data.total, graph.total);
    assert.equal(data.diff!.baseTotal, base.total);
    // Children are ordered by the larger of the two values, as the webview lays them out.
    for (let p = 0; p < data.nodeCount; p++) {
      let previous = Infinity;
      for (let c = p + 1; c < p + decoded.subtreeSize[p]!; c += decoded.subtreeSize[c]!) {
        const width = Math.max(decoded.totalValue[c]!, decoded.baseTotalValue![c]!);
        assert.ok(width <= previous, `children of node ${p} are widest first`);
        previous = width;
      }
    }
  });

  it('refuses a base of another sample type, a graph with negative values, and inconsistent columns', () => {
    const small = decodeProfileBytes(buildProfile(sampleCpuProfileSpec()));
    const cpu = graphOf(small, { sampleIndex: 'cpu' });
    const samples = graphOf(small, { sampleIndex: 'samples' });
    assert.throws(() => toFlameGraphData(cpu, samples), (error: unknown) => {
      assert.ok(error instanceof FlameGraphDataError);
      assert.equal(error.code, 'incompatible-base');
      assert.match(error.message, /the base graph measures samples\/count but the profile's measures cpu\/nanoseconds\. Build both graphs for the same sample type\./);
      return true;
    });
    // A query with a base subtracts it: where the base is larger, values are negative.
    const spec = sampleCpuProfileSpec();
    const bigger = decodeProfileBytes(buildProfile({ ...spec, samples: spec.samples.map((s) => ({ ...s, values: s.values.map((v) => 2 * v) })) }));
    const signed = flameGraph(prepareQuery(small, { base: bigger }));
    assert.ok(signed.totalValue.some((v) => v < 0));
    assert.throws(() => toFlameGraphData(signed), (error: unknown) => error instanceof FlameGraphDataError && error.code === 'signed-values' && /pass the base as the second argument/.test(error.message));
    assert.throws(() => toFlameGraphData(cpu, signed), (error: unknown) => error instanceof FlameGraphDataError && error.code === 'signed-values' && /the base flame graph/.test(error.message));
    const cut = { ...cpu, subtreeSize: cpu.subtreeSize.subarray(0, cpu.nodeCount - 1) };
    assert.throws(() => toFlameGraphData(cut), (error: unknown) => error instanceof FlameGraphDataError && error.code === 'inconsistent-graph' && /rebuild it with flameGraph\(\)/.test(error.message));
  });
});

describe('summaryView', () => {
  it('describes large.cpu.pb.gz and lists the top 10 by flat exactly as go tool pprof -top does', async (t) => {
    const profile = await decodeProfileFile(LARGE);
    const query = prepareQuery(profile);
    const summary = summaryView(profile, query, { title: 'large.cpu.pb.gz', filter: 'worker=cpu', diffBase: 'yesterday' });
    assert.equal(summary.title, 'large.cpu.pb.gz');
    assert.equal(summary.kind, 'cpu');
    assert.deepEqual(summary.sampleType, { type: 'cpu', unit: 'nanoseconds' });
    assert.deepEqual(summary.sampleTypes, [{ type: 'samples', unit: 'count' }, { type: 'cpu', unit: 'nanoseconds' }]);
    assert.equal(summary.durationNanos, Number(profile.durationNanos));
    assert.equal(summary.total, 240290000000);
    assert.equal(summary.filter, 'worker=cpu');
    assert.equal(summary.diffBase, 'yesterday');
    assert.equal(summary.top.length, 10);
    if (!requireGo((why) => t.skip(why))) return;
    const reference = toolTop(LARGE, { sampleIndex: 1, unit: 'ns' }).slice(0, 10);
    assert.deepEqual(
      summary.top.map((r) => [r.functionName, r.flat, r.cum]),
      reference.map((r) => [r.name, r.flat, r.cum]),
    );
  });

  it('has no filter or diff base fields when none are given, and follows the query\'s sample type', async () => {
    const profile = await decodeProfileFile(LARGE);
    const summary = summaryView(profile, prepareQuery(profile, { sampleIndex: 'samples' }), { title: 't', topCount: 3 });
    assert.equal('filter' in summary, false);
    assert.equal('diffBase' in summary, false);
    assert.deepEqual(summary.sampleType, { type: 'samples', unit: 'count' });
    assert.equal(summary.top.length, 3);
    assert.equal(summary.total, 24029);
  });
});
