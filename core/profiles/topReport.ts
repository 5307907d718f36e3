// The `go tool pprof -top` report: nodes (functions or lines) with flat and cum values, ordered as pprof
// orders them, after its node trimming (drop nodes whose |cum| is below nodeFraction of the total, keep
// the first nodeCount) and with its "(inline)" / "(partial-inline)" markers, which depend on the call
// edges that survive edge trimming.

import { accumulateNodeValues } from './aggregate';
import { callEdges } from './callGraph';
import { compareGoStrings, type Granularity, type NodeTable } from './frameNodes';
import type { ValueType } from './profile';
import type { ProfileQuery } from './query';
import { mapQueryNodes, type QueryNodes } from './sampleStacks';

export interface TopOptions {
  readonly granularity?: Granularity;
  /** Keep at most this many rows; 0 keeps all (pprof's default for -top). */
  readonly nodeCount?: number;
  /** Drop nodes whose |cum| is below this fraction of the shown total (pprof's default 0.005). */
  readonly nodeFraction?: number;
  /** Ignore call edges below this fraction for the inline markers (pprof's default 0.001). */
  readonly edgeFraction?: number;
  /** Order by cum instead of flat (`-cum`). */
  readonly sortByCum?: boolean;
  /** Compute the "(inline)" markers of the text report (one more pass over the samples). */
  readonly inlineMarkers?: boolean;
}

export type InlineMarker = '' | 'inline' | 'partial-inline';

export interface TopRow {
  /** Node id in `TopReport.nodes`. */
  readonly node: number;
  /** The name pprof prints (for lines: "function file:line"). */
  readonly name: string;
  readonly functionName: string;
  readonly file: string;
  readonly line: number;
  readonly flat: number;
  readonly cum: number;
  inline: InlineMarker;
}

export interface TopReport {
  readonly sampleType: ValueType;
  readonly total: number;
  readonly rows: TopRow[];
  /** Nodes with a value before nodeCount was applied (after nodeFraction). */
  readonly nodesBeforeLimit: number;
  /** Nodes dropped by nodeFraction, and the cum threshold used. */
  readonly droppedNodes: number;
  readonly nodeCutoff: number;
  /** The threshold pprof prints in its "Dropped N nodes (cum <= X)" line (a fraction of the total). */
  readonly nodeCutoffShown: number;
  readonly nodes: NodeTable;
}

export const DEFAULT_NODE_FRACTION = 0.005;
export const DEFAULT_EDGE_FRACTION = 0.001;

interface Candidate {
  node: number;
  flat: number;
  cum: number;
}

function comparator(nodes: NodeTable, byCum: boolean): (a: Candidate, b: Candidate) => number {
  return (a, b) => {
    const primary = byCum ? Math.abs(b.cum) - Math.abs(a.cum) : Math.abs(b.flat) - Math.abs(a.flat);
    if (primary !== 0) return primary;
    // pprof's FlatNameOrder (flat, name, cum) or CumNameOrder (cum, name, flat).
    const byName = compareGoStrings(nodes.name(a.node), nodes.name(b.node));
    if (byName !== 0) return byName;
    const secondary = byCum ? Math.abs(b.flat) - Math.abs(a.flat) : Math.abs(b.cum) - Math.abs(a.cum);
    if (secondary !== 0) return secondary;
    return compareGoStrings(nodes.sortKey(a.node), nodes.sortKey(b.node));
  };
}

export function topReport(query: ProfileQuery, options: TopOptions = {}, prepared?: QueryNodes): TopReport {
  const qn = prepared ?? mapQueryNodes(query, options.granularity ?? 'functions');
  const { flat, cum } = accumulateNodeValues(query, qn);
  const nodes = qn.table;

  const present: Candidate[] = [];
  let flatTotal = 0;
  for (let n = 0; n < nodes.size; n++) {
    if (flat[n] === 0 && cum[n] === 0) continue;
    present.push({ node: n, flat: flat[n]!, cum: cum[n]! });
    flatTotal += flat[n]!;
  }
  const nodeCutoff = Math.abs(Math.trunc(flatTotal * (options.nodeFraction ?? DEFAULT_NODE_FRACTION)));
  const edgeCutoff = Math.abs(Math.trunc(flatTotal * (options.edgeFraction ?? DEFAULT_EDGE_FRACTION)));
  const kept = nodeCutoff > 0 ? present.filter((c) => Math.abs(c.cum) >= nodeCutoff) : present;
  let rebuilt = kept.length !== present.length;
  kept.sort(comparator(nodes, options.sortByCum ?? false));
  const nodeCount = options.nodeCount ?? 0;
  let shown = kept;
  if (nodeCount > 0 && nodeCount < kept.length) {
    shown = kept.slice(0, nodeCount);
    rebuilt = true;
  }
  const rows: TopRow[] = shown.map((c) => ({
    node: c.node,
    name: nodes.name(c.node),
    functionName: nodes.functionName(c.node),
    file: nodes.file(c.node),
    line: nodes.line(c.node),
    flat: c.flat,
    cum: c.cum,
    inline: '',
  }));
  if (options.inlineMarkers) markInlineRows(query, qn, rows, rebuilt, edgeCutoff);
  return {
    sampleType: query.sampleType,
    total: query.total,
    rows,
    nodesBeforeLimit: kept.length,
    droppedNodes: present.length - kept.length,
    nodeCutoff,
    nodeCutoffShown: Math.abs(Math.trunc(query.total * (options.nodeFraction ?? DEFAULT_NODE_FRACTION))),
    nodes,
  };
}

/**
 * Sets each row's inline marker from its incoming call edges, as pprof's graph has them: an edge caller →
 * callee is inline when every time it occurs the callee is an inlined frame of its location. When pprof
 * rebuilt its graph from the kept nodes only (`onlyRows`), a caller is the nearest kept frame.
 */
function markInlineRows(query: ProfileQuery, qn: QueryNodes, rows: TopRow[], onlyRows: boolean, edgeCutoff: number): void {
  const isRow = new Uint8Array(qn.table.size);
  for (const row of rows) isRow[row.node] = 1;
  const { callers } = callEdges(query, qn, isRow, { callees: false, onlyTargets: onlyRows });
  rows.forEach((row) => {
    let inline = false;
    let notInline = false;
    for (const edge of callers.of(row.node).values()) {
      if (Math.abs(edge.weight) < edgeCutoff) continue;
      if (edge.inline) inline = true;
      else notInline = true;
    }
    row.inline = inline ? (notInline ? 'partial-inline' : 'inline') : '';
  });
}
