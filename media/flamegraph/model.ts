// The flame graph as the webview holds it: the host's base64 columns decoded into typed arrays and checked
// (a damaged message becomes a readable error, not a broken canvas), plus the tree queries the views need:
// children of a node, its ancestors, its path, the heaviest node of a function.

import { decodeBase64 } from '../../common/base64Columns';
import {
  FLAME_COLUMNS, FLAME_DIFF_COLUMNS, type ColumnArrays, type ColumnKind, type EncodedColumns, type FlameDiffHeader, type FlameGraph, type FlameGraphData, type TypedColumns,
} from '../../common/flameGraphProtocol';

export interface FlameModel extends FlameGraph {
  readonly maxDepth: number;
  /** Diff mode: the base's values of the same nodes. */
  readonly diff: (FlameDiffHeader & TypedColumns<typeof FLAME_DIFF_COLUMNS>) | null;
}

export class FlameDataError extends Error {
  override readonly name = 'FlameDataError';
}

/** The browser's own base64 decoder (Chromium 140+) is about twice as fast as the portable one. */
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array }).fromBase64;

const WIDTH: Record<ColumnKind, number> = { int32: 4, uint8: 1, float64: 8 };

/** A base64 column as a typed array of `count` entries, or a FlameDataError naming the column. */
function column<K extends ColumnKind>(label: string, kind: K, text: unknown, count: number): ColumnArrays[K] {
  if (typeof text !== 'string') throw new FlameDataError(`the "${label}" column is missing`);
  let bytes: Uint8Array;
  try {
    bytes = nativeFromBase64 ? nativeFromBase64(text) : decodeBase64(text);
  } catch (error) {
    throw new FlameDataError(`the "${label}" column is not valid base64 (${(error as Error).message})`);
  }
  const width = WIDTH[kind];
  if (bytes.byteLength % width !== 0) throw new FlameDataError(`the "${label}" column holds ${bytes.byteLength} bytes, not a whole number of ${width}-byte values`);
  const entries = bytes.byteLength / width;
  if (entries !== count) throw new FlameDataError(`the "${label}" column has ${entries} entries for ${count} nodes`);
  const aligned = bytes.byteOffset % width === 0 ? bytes : bytes.slice();
  const buffer = aligned.buffer as ArrayBuffer;
  if (kind === 'int32') return new Int32Array(buffer, aligned.byteOffset, entries) as ColumnArrays[K];
  if (kind === 'float64') return new Float64Array(buffer, aligned.byteOffset, entries) as ColumnArrays[K];
  return new Uint8Array(buffer, aligned.byteOffset, entries) as ColumnArrays[K];
}

/** Every column of `spec` from the message, decoded and of `count` entries. */
function columns<Spec extends Record<string, ColumnKind>>(spec: Spec, encoded: EncodedColumns<Spec>, count: number): TypedColumns<Spec> {
  return Object.fromEntries(Object.entries(spec).map(([name, kind]) => [name, column(name, kind, encoded[name], count)])) as TypedColumns<Spec>;
}

/** Decodes and checks the host's data; throws FlameDataError saying what is wrong. */
export function decodeFlameModel(data: FlameGraphData): FlameModel {
  const count = data.nodeCount;
  if (!Number.isInteger(count) || count < 1) throw new FlameDataError(`the graph has ${String(count)} nodes; it needs at least the root`);
  if (!Array.isArray(data.strings) || data.strings.length === 0) throw new FlameDataError('the string table is missing');
  const graph = columns(FLAME_COLUMNS, data, count);
  const { parent, depth, subtreeSize, name, file } = graph;
  const diff = data.diff
    ? { baseTotal: data.diff.baseTotal, baseLabel: String(data.diff.baseLabel ?? 'base'), ...columns(FLAME_DIFF_COLUMNS, data.diff, count) }
    : null;

  // Structure: pre-order with subtree sizes that nest, parents before children, string indexes in range.
  if (subtreeSize[0] !== count || parent[0] !== -1) throw new FlameDataError('node 0 is not a root spanning the whole graph');
  const stringCount = data.strings.length;
  let maxDepth = 0;
  for (let i = 1; i < count; i++) {
    const p = parent[i]!;
    if (p < 0 || p >= i || i >= p + subtreeSize[p]! || depth[i] !== depth[p]! + 1) {
      throw new FlameDataError(`node ${i} is not inside its parent ${p} in pre-order`);
    }
    const size = subtreeSize[i]!;
    if (size < 1 || i + size > p + subtreeSize[p]!) throw new FlameDataError(`node ${i}'s subtree of ${size} nodes overruns its parent`);
    if (name[i]! < 0 || name[i]! >= stringCount || file[i]! < 0 || file[i]! >= stringCount) throw new FlameDataError(`node ${i} names a string outside the table`);
    if (depth[i]! > maxDepth) maxDepth = depth[i]!;
  }
  return { sampleType: data.sampleType, total: data.total, nodeCount: count, strings: data.strings, ...graph, maxDepth, diff };
}

export function nameOf(model: FlameModel, node: number): string {
  return model.strings[model.name[node]!] ?? '';
}

export function fileOf(model: FlameModel, node: number): string {
  return model.strings[model.file[node]!] ?? '';
}

/** Calls `visit` for each child of `node`, in order (heaviest first), until it returns false. */
export function forEachChild(model: FlameModel, node: number, visit: (child: number) => boolean | void): void {
  const end = node + model.subtreeSize[node]!;
  for (let child = node + 1; child < end; child += model.subtreeSize[child]!) if (visit(child) === false) return;
}

/** `node` and its ancestors, root first. */
export function pathTo(model: FlameModel, node: number): number[] {
  const path: number[] = [];
  for (let n = node; n >= 0; n = model.parent[n]!) path.push(n);
  return path.reverse();
}

/** Function names from the root's first child down to `node`. */
export function namePath(model: FlameModel, node: number): string[] {
  return pathTo(model, node).slice(1).map((n) => nameOf(model, n));
}

/** The node reached by following `names` from the root, or the deepest one found on the way. */
export function findByNamePath(model: FlameModel, names: readonly string[]): number {
  let node = 0;
  for (const wanted of names) {
    let found = -1;
    forEachChild(model, node, (child) => {
      if (nameOf(model, child) !== wanted) return true;
      found = child;
      return false;
    });
    if (found < 0) break;
    node = found;
  }
  return node;
}

/** The node of function `functionName` with the largest value (either profile's in diff mode), or -1. */
export function heaviestNodeOf(model: FlameModel, functionName: string): number {
  const index = model.strings.indexOf(functionName);
  if (index <= 0) return -1;
  let best = -1;
  let bestValue = -1;
  for (let i = 1; i < model.nodeCount; i++) {
    if (model.name[i] !== index) continue;
    const value = Math.max(model.totalValue[i]!, model.diff ? model.diff.baseTotalValue[i]! : 0);
    if (value > bestValue) {
      best = i;
      bestValue = value;
    }
  }
  return best;
}
