// Callers and callees of a function, as the edges of pprof's call graph (`go tool pprof -peek`): along each
// sample's stack, every adjacent pair of distinct nodes (caller → callee, inlined frames included) counts
// the sample's value once per sample. An edge is "inline" when the callee was always an inlined frame.
// `callEdges` counts them; top's inline markers read them too.

import { accumulateNodeValues } from './aggregate';
import { compareGoStrings, type Granularity } from './frameNodes';
import type { ProfileQuery } from './query';
import { SampleStacks, mapQueryNodes, type QueryNodes } from './sampleStacks';

export interface CallEdge {
  /** The node at the other end of the edge. */
  readonly node: number;
  readonly name: string;
  readonly functionName: string;
  readonly file: string;
  readonly weight: number;
  readonly inline: boolean;
}

export interface CallersAndCallees {
  readonly node: number;
  readonly name: string;
  readonly functionName: string;
  readonly file: string;
  readonly flat: number;
  readonly cum: number;
  /** Heaviest first. */
  readonly callers: CallEdge[];
  readonly callees: CallEdge[];
}

export interface CallGraphOptions {
  readonly granularity?: Granularity;
}

/** An edge's total: the weight of the samples that make the call, and whether the callee was inlined each time. */
interface EdgeTotal {
  weight: number;
  inline: boolean;
  /** The last sample counted (a call repeated in one stack counts once). */
  lastSample: number;
}

/** Edge totals by target node and the node at the other end. */
export class EdgeTotals {
  private readonly byTarget: (Map<number, EdgeTotal> | undefined)[];

  constructor(nodeCount: number) {
    this.byTarget = new Array<Map<number, EdgeTotal> | undefined>(nodeCount);
  }

  /** The edges of `target`, by the node at their other end. */
  of(target: number): ReadonlyMap<number, Readonly<EdgeTotal>> {
    return this.byTarget[target] ?? new Map<number, EdgeTotal>();
  }

  /** Counts sample `sample` (of weight `w`) on the edge, once per sample. */
  add(target: number, other: number, w: number, inline: boolean, sample: number): void {
    let edges = this.byTarget[target];
    if (!edges) this.byTarget[target] = edges = new Map();
    let edge = edges.get(other);
    if (!edge) edges.set(other, (edge = { weight: 0, inline: true, lastSample: -1 }));
    if (edge.lastSample === sample) return;
    edge.lastSample = sample;
    edge.weight += w;
    if (!inline) edge.inline = false;
  }
}

/**
 * The edges of pprof's call graph at the nodes `targets` marks: their callers, and with `callees` their
 * callees. With `onlyTargets`, frames of other nodes are passed over, as in the graph pprof rebuilds from
 * its kept nodes (a caller is then the nearest target frame).
 */
export function callEdges(query: ProfileQuery, qn: QueryNodes, targets: Uint8Array, options: { readonly callees: boolean; readonly onlyTargets: boolean }): { callers: EdgeTotals; callees: EdgeTotals } {
  const callers = new EdgeTotals(qn.table.size);
  const callees = new EdgeTotals(options.callees ? qn.table.size : 0);
  const { callees: withCallees, onlyTargets } = options;
  let sample = 0;
  for (const stack = new SampleStacks(query, qn, true); stack.next(); sample++) {
    const { nodes: stackNodes, inlined, length, weight: w } = stack;
    let parent = -1;
    for (let k = 0; k < length; k++) {
      const node = stackNodes[k]!;
      if (onlyTargets && !targets[node]) continue;
      if (parent !== -1 && node !== parent) {
        const inline = inlined[k] === 1;
        // One edge per sample: pprof records the pair once, at its first (outermost) occurrence.
        if (targets[node]) callers.add(node, parent, w, inline, sample);
        if (withCallees && targets[parent]) callees.add(parent, node, w, inline, sample);
      }
      parent = node;
    }
  }
  return { callers, callees };
}

/**
 * Callers and callees of every node whose function name satisfies `match` (a name to compare exactly, or
 * a predicate), ordered by cum.
 */
export function callersAndCallees(query: ProfileQuery, match: string | ((functionName: string) => boolean), options: CallGraphOptions = {}, prepared?: QueryNodes): CallersAndCallees[] {
  const qn = prepared ?? mapQueryNodes(query, options.granularity ?? 'functions');
  const nodes = qn.table;
  const isTarget = new Uint8Array(nodes.size);
  const test = typeof match === 'string' ? (name: string) => name === match : match;
  let any = false;
  for (let i = 0; i < nodes.size; i++) {
    const fn = nodes.functionName(i);
    if (fn !== '' && test(fn)) {
      isTarget[i] = 1;
      any = true;
    }
  }
  if (!any) return [];

  const { callers, callees } = callEdges(query, qn, isTarget, { callees: true, onlyTargets: false });
  const values = accumulateNodeValues(query, qn);
  const toEdges = (edges: ReadonlyMap<number, Readonly<EdgeTotal>>): CallEdge[] =>
    [...edges.entries()]
      .map(([other, e]) => ({ node: other, name: nodes.name(other), functionName: nodes.functionName(other), file: nodes.file(other), weight: e.weight, inline: e.inline }))
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || compareGoStrings(a.name, b.name));
  const result: CallersAndCallees[] = [];
  for (let n = 0; n < nodes.size; n++) {
    if (!isTarget[n] || (values.flat[n] === 0 && values.cum[n] === 0)) continue;
    result.push({ node: n, name: nodes.name(n), functionName: nodes.functionName(n), file: nodes.file(n), flat: values.flat[n]!, cum: values.cum[n]!, callers: toEdges(callers.of(n)), callees: toEdges(callees.of(n)) });
  }
  return result.sort((a, b) => Math.abs(b.cum) - Math.abs(a.cum) || compareGoStrings(a.name, b.name));
}
