// What the flame graph webview draws, made from the pprof core's flame trees: `toFlameGraphData` encodes a
// `FlameGraph` as the protocol's base64 columns and, given a base graph, merges the two trees by path (the
// same function/file/line sequence from the root) so that every node carries the profile's value and the
// base's; `summaryView` makes the header above the graph. Pure: no Node, DOM or vscode imports, so the
// language server and the tests share it.

import { encodeColumn } from '../../../common/base64Columns';
import {
  FLAME_COLUMNS, FLAME_DIFF_COLUMNS, newColumns, type ColumnKind, type EncodedColumns, type FlameDiffHeader, type FlameGraphData, type ProfileSummaryView, type TypedColumns,
} from '../../../common/flameGraphProtocol';
import { StringTable } from '../../../common/stringTable';
import { type FlameGraph, compareGoStrings, type Profile, describeProfile, type ProfileQuery, topReport } from '../../../core/profiles';

export type FlameGraphDataErrorCode =
  /** The base measures another sample type than the profile. */
  | 'incompatible-base'
  /** A graph carries negative values: it was built from a query that already subtracts a base. */
  | 'signed-values'
  /** The columns disagree with each other (lengths, parents, subtree sizes). */
  | 'inconsistent-graph';

export class FlameGraphDataError extends Error {
  override readonly name = 'FlameGraphDataError';

  constructor(
    readonly code: FlameGraphDataErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Node 0 of a merged or encoded graph is the synthetic root, named as the pprof core names it. */
const ROOT_NAME = 'root';

const COLUMN_NAMES = Object.keys(FLAME_COLUMNS) as (keyof typeof FLAME_COLUMNS)[];

function checkGraph(graph: FlameGraph, role: 'profile' | 'base'): void {
  const n = graph.nodeCount;
  const columns = COLUMN_NAMES.map((name) => graph[name]);
  if (n < 1 || columns.some((column) => column.length !== n)) {
    throw new FlameGraphDataError('inconsistent-graph', `the ${role} flame graph has ${n} nodes but columns of ${columns.map((c) => c.length).join('/')} entries; rebuild it with flameGraph().`);
  }
  if (graph.subtreeSize[0] !== n) {
    throw new FlameGraphDataError('inconsistent-graph', `the ${role} flame graph's root spans ${graph.subtreeSize[0]} of its ${n} nodes; rebuild it with flameGraph().`);
  }
  for (let i = 0; i < n; i++) {
    if (graph.totalValue[i]! < 0 || graph.selfValue[i]! < 0) {
      throw new FlameGraphDataError(
        'signed-values',
        `the ${role} flame graph has negative values, so it was built from a query with a diff base. Build the profile's graph and the base's graph each from its own query and pass the base as the second argument.`,
      );
    }
  }
}

/** Every column of `spec` in `columns`, as base64. */
function encodeColumns<Spec extends Record<string, ColumnKind>>(spec: Spec, columns: TypedColumns<Spec>): EncodedColumns<Spec> {
  return Object.fromEntries(Object.keys(spec).map((name) => [name, encodeColumn(columns[name]!)])) as EncodedColumns<Spec>;
}

/** The graph (and a diff base's values of its nodes) as the webview receives them. */
function encodeGraph(graph: FlameGraph, diff?: FlameDiffHeader & TypedColumns<typeof FLAME_DIFF_COLUMNS>): FlameGraphData {
  return {
    sampleType: { type: graph.sampleType.type, unit: graph.sampleType.unit },
    total: graph.total,
    nodeCount: graph.nodeCount,
    strings: [...graph.strings],
    ...encodeColumns(FLAME_COLUMNS, graph),
    ...(diff ? { diff: { baseTotal: diff.baseTotal, baseLabel: diff.baseLabel, ...encodeColumns(FLAME_DIFF_COLUMNS, diff) } } : {}),
  };
}

/** The first `count` entries of every column. */
function firstEntries<Spec extends Record<string, ColumnKind>>(columns: TypedColumns<Spec>, count: number): TypedColumns<Spec> {
  return Object.fromEntries(Object.entries(columns).map(([name, column]) => [name, column.subarray(0, count)])) as TypedColumns<Spec>;
}

/** Children of `node` in a pre-order graph: node+1, then each next sibling one subtree further. */
function childrenOf(graph: FlameGraph, node: number): number[] {
  const out: number[] = [];
  const end = node + graph.subtreeSize[node]!;
  for (let child = node + 1; child < end; child += graph.subtreeSize[child]!) out.push(child);
  return out;
}

function frameKey(graph: FlameGraph, node: number): string {
  return `${graph.strings[graph.name[node]!]}\u0000${graph.strings[graph.file[node]!]}\u0000${graph.line[node]}`;
}

interface MergedChild {
  readonly profileNode: number;
  readonly baseNode: number;
  readonly width: number;
  readonly name: string;
}

/** The two trees merged by path, in pre-order, children widest (max of the two totals) first. */
function mergeGraphs(graph: FlameGraph, base: FlameGraph, baseLabel: string): FlameGraphData {
  const capacity = graph.nodeCount + base.nodeCount - 1;
  const columns = newColumns(FLAME_COLUMNS, capacity);
  const { parent, depth, name, file, line, inline, selfValue, totalValue } = columns;
  const diffColumns = newColumns(FLAME_DIFF_COLUMNS, capacity);
  const { baseSelfValue, baseTotalValue } = diffColumns;

  const strings = new StringTable();

  // Each stack entry: profile node (-1 when absent), base node (-1 when absent), output parent.
  const stack: number[] = [0, 0, -1];
  let next = 0;
  while (stack.length > 0) {
    const outParent = stack.pop()!;
    const b = stack.pop()!;
    const p = stack.pop()!;
    const at = next++;
    parent[at] = outParent;
    depth[at] = outParent < 0 ? 0 : depth[outParent]! + 1;
    const source = p >= 0 ? graph : base;
    const sourceNode = p >= 0 ? p : b;
    name[at] = strings.intern(at === 0 ? ROOT_NAME : source.strings[source.name[sourceNode]!]!);
    file[at] = strings.intern(source.strings[source.file[sourceNode]!]!);
    line[at] = source.line[sourceNode]!;
    inline[at] = source.inline[sourceNode]!;
    if (p >= 0) {
      selfValue[at] = graph.selfValue[p]!;
      totalValue[at] = graph.totalValue[p]!;
    }
    if (b >= 0) {
      baseSelfValue[at] = base.selfValue[b]!;
      baseTotalValue[at] = base.totalValue[b]!;
    }

    const merged: MergedChild[] = [];
    const baseChildren = b >= 0 ? childrenOf(base, b) : [];
    const baseByKey = new Map<string, number>();
    for (const child of baseChildren) baseByKey.set(frameKey(base, child), child);
    if (p >= 0) {
      for (const child of childrenOf(graph, p)) {
        const key = frameKey(graph, child);
        const baseChild = baseByKey.get(key) ?? -1;
        if (baseChild >= 0) baseByKey.delete(key);
        merged.push({
          profileNode: child,
          baseNode: baseChild,
          width: Math.max(graph.totalValue[child]!, baseChild >= 0 ? base.totalValue[baseChild]! : 0),
          name: graph.strings[graph.name[child]!]!,
        });
      }
    }
    for (const baseChild of baseByKey.values()) {
      merged.push({ profileNode: -1, baseNode: baseChild, width: base.totalValue[baseChild]!, name: base.strings[base.name[baseChild]!]! });
    }
    merged.sort((x, y) => y.width - x.width || compareGoStrings(x.name, y.name));
    for (let k = merged.length - 1; k >= 0; k--) stack.push(merged[k]!.profileNode, merged[k]!.baseNode, at);
  }

  const count = next;
  const subtreeSize = new Int32Array(count).fill(1);
  for (let at = count - 1; at > 0; at--) subtreeSize[parent[at]!]! += subtreeSize[at]!;
  const merged: FlameGraph = { sampleType: graph.sampleType, total: graph.total, nodeCount: count, strings: strings.strings, ...firstEntries(columns, count), subtreeSize };
  return encodeGraph(merged, { baseTotal: base.total, baseLabel, ...firstEntries(diffColumns, count) });
}

/**
 * The webview's data for `graph`; with `base`, both trees merged by path so each node carries the
 * profile's and the base's values (a node only in the base keeps zero profile value). Both graphs must be
 * built from their own, undiffed queries over the same sample type.
 */
export function toFlameGraphData(graph: FlameGraph, base?: FlameGraph, baseLabel = 'base'): FlameGraphData {
  checkGraph(graph, 'profile');
  if (!base) return encodeGraph(graph);
  checkGraph(base, 'base');
  if (base.sampleType.type !== graph.sampleType.type || base.sampleType.unit !== graph.sampleType.unit) {
    throw new FlameGraphDataError(
      'incompatible-base',
      `the base graph measures ${base.sampleType.type}/${base.sampleType.unit} but the profile's measures ${graph.sampleType.type}/${graph.sampleType.unit}. Build both graphs for the same sample type.`,
    );
  }
  return mergeGraphs(graph, base, baseLabel);
}

export interface SummaryViewOptions {
  /** Shown as the header's title, e.g. "cpu profile · shop-cpu.pb.gz". */
  readonly title: string;
  /** The capture endpoint the profile came from, when known (tells heap from allocs, mutex from block). */
  readonly kindHint?: string;
  /** The label filter in effect, as the user typed it. */
  readonly filter?: string;
  /** The diff base's label, in diff mode. */
  readonly diffBase?: string;
  /** Rows in the header's top list (default 10). */
  readonly topCount?: number;
}

/** The header above the graph: kind, sample types, duration, the query's total and its top functions by flat. */
export function summaryView(profile: Profile, query: ProfileQuery, options: SummaryViewOptions): ProfileSummaryView {
  const info = describeProfile(profile, { kindHint: options.kindHint, maxLabelValues: 0 });
  const top = topReport(query, { nodeCount: options.topCount ?? 10, nodeFraction: 0 });
  return {
    title: options.title,
    kind: info.kind,
    sampleType: { type: query.sampleType.type, unit: query.sampleType.unit },
    sampleTypes: info.sampleTypes,
    durationNanos: info.durationNanos,
    timeMs: info.timeMs,
    total: query.total,
    top: top.rows.map((row) => ({ functionName: row.functionName, flat: row.flat, cum: row.cum })),
    ...(options.filter ? { filter: options.filter } : {}),
    ...(options.diffBase ? { diffBase: options.diffBase } : {}),
  };
}
