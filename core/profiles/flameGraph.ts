// The flame graph: every kept sample's stack merged into one call tree, root → leaf, with each tree node's
// self value (samples ending there) and total value (samples passing through it). It is built for a
// webview: flat typed arrays in pre-order (a node's subtree is the `subtreeSize` nodes starting at it,
// children heaviest first) plus one string table, so 100k+ nodes travel as a few columns. The shape is
// declared with the webview's protocol (common/flameGraphProtocol.ts), which sends the same columns.

import { FLAME_COLUMNS, newColumns, type FlameGraph } from '../../common/flameGraphProtocol';
import { StringTable } from '../../common/stringTable';
import { compareGoStrings, type Granularity } from './frameNodes';
import { PairIndex } from './pairIndex';
import type { ProfileQuery } from './query';
import { SampleStacks, mapQueryNodes, type QueryNodes } from './sampleStacks';

export type { FlameGraph } from '../../common/flameGraphProtocol';

export interface FlameGraphOptions {
  readonly granularity?: Granularity;
}

class GrowableColumn {
  data: Float64Array;
  constructor(size: number) {
    this.data = new Float64Array(size);
  }
  ensure(size: number): void {
    if (size <= this.data.length) return;
    const grown = new Float64Array(Math.max(size, this.data.length * 2));
    grown.set(this.data);
    this.data = grown;
  }
}

export function flameGraph(query: ProfileQuery, options: FlameGraphOptions = {}, prepared?: QueryNodes): FlameGraph {
  const granularity = options.granularity ?? 'functions';
  const qn = prepared ?? mapQueryNodes(query, granularity);
  const frames = qn.table;

  // Trie ids: 0 is the root, child = index.intern(parent, frame) + 1.
  const index = new PairIndex(4096);
  const total = new GrowableColumn(4096);
  const self = new GrowableColumn(4096);
  const parentOf = new GrowableColumn(4096);
  const frameOf = new GrowableColumn(4096);
  const notInline = new GrowableColumn(4096);
  let rootTotal = 0;
  for (const stack = new SampleStacks(query, qn, true); stack.next(); ) {
    const { nodes: stackNodes, inlined, length, weight: w } = stack;
    rootTotal += w;
    let current = 0;
    for (let k = 0; k < length; k++) {
      const frame = stackNodes[k]!;
      const before = index.size;
      const child = index.intern(current, frame) + 1;
      if (index.size !== before) {
        const size = child + 1;
        total.ensure(size);
        self.ensure(size);
        parentOf.ensure(size);
        frameOf.ensure(size);
        notInline.ensure(size);
        parentOf.data[child] = current;
        frameOf.data[child] = frame;
      }
      if (inlined[k] === 0) notInline.data[child] = 1;
      total.data[child] += w;
      current = child;
    }
    self.data[current] += w;
  }
  const count = index.size + 1;
  total.ensure(count);
  total.data[0] = rootTotal;

  // Children lists (CSR), heaviest first, then by name.
  const childCount = new Int32Array(count + 1);
  for (let c = 1; c < count; c++) childCount[parentOf.data[c]! + 1]!++;
  for (let i = 0; i < count; i++) childCount[i + 1]! += childCount[i]!;
  const childStart = childCount;
  const children = new Int32Array(Math.max(0, count - 1));
  const fill = childStart.slice(0, count);
  for (let c = 1; c < count; c++) children[fill[parentOf.data[c]!]!++] = c;
  const totals = total.data;
  for (let p = 0; p < count; p++) {
    const a = childStart[p]!;
    const b = childStart[p + 1]!;
    if (b - a > 1) {
      const sorted = Array.from(children.subarray(a, b)).sort(
        (x, y) => Math.abs(totals[y]!) - Math.abs(totals[x]!) || compareGoStrings(frames.name(frameOf.data[x]!), frames.name(frameOf.data[y]!)),
      );
      children.set(sorted, a);
    }
  }

  // Strings: "" then every name and file used.
  const strings = new StringTable();

  const out = newColumns(FLAME_COLUMNS, count);
  const position = new Int32Array(count);
  const stack: number[] = [0];
  let next = 0;
  while (stack.length > 0) {
    const node = stack.pop()!;
    const at = next++;
    position[node] = at;
    if (node === 0) {
      out.parent[at] = -1;
      out.name[at] = strings.intern('root');
    } else {
      const parentAt = position[parentOf.data[node]!]!;
      out.parent[at] = parentAt;
      out.depth[at] = out.depth[parentAt]! + 1;
      const frame = frameOf.data[node]!;
      const fn = frames.functionName(frame);
      out.name[at] = strings.intern(fn !== '' ? fn : frames.name(frame));
      out.file[at] = strings.intern(frames.file(frame));
      out.line[at] = granularity === 'lines' ? frames.line(frame) : frames.startLine(frame);
      out.inline[at] = notInline.data[node] ? 0 : 1;
    }
    out.selfValue[at] = self.data[node] ?? 0;
    out.totalValue[at] = totals[node]!;
    for (let k = childStart[node + 1]! - 1; k >= childStart[node]!; k--) stack.push(children[k]!);
  }
  // Subtree sizes: in pre-order, accumulate from the end.
  out.subtreeSize.fill(1);
  for (let at = count - 1; at > 0; at--) out.subtreeSize[out.parent[at]!]! += out.subtreeSize[at]!;

  return { sampleType: query.sampleType, total: rootTotal, nodeCount: count, strings: strings.strings, ...out };
}
