// Callers and callees of a function, as the edges of pprof's call graph (`go tool pprof -peek`): along each
// sample's stack, every adjacent pair of distinct nodes (caller → callee, inlined frames included) counts
// the sample's value once per sample. An edge is "inline" when the callee was always an inlined frame.

import { accumulateNodeValues, mapQueryNodes, type QueryNodes } from './aggregate';
import { compareGoStrings, type Granularity } from './frameNodes';
import type { ProfileQuery } from './query';

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

  interface Edge { weight: number; inline: boolean; lastSample: number }
  const callers = new Map<number, Map<number, Edge>>();
  const callees = new Map<number, Map<number, Edge>>();
  const record = (table: Map<number, Map<number, Edge>>, target: number, other: number, w: number, inline: boolean, stamp: number) => {
    let edges = table.get(target);
    if (!edges) table.set(target, (edges = new Map()));
    let edge = edges.get(other);
    if (!edge) edges.set(other, (edge = { weight: 0, inline: true, lastSample: -1 }));
    if (edge.lastSample === stamp) return;
    edge.lastSample = stamp;
    edge.weight += w;
    if (!inline) edge.inline = false;
  };

  let stamp = 0;
  query.sources.forEach((source, sourceIndex) => {
    const { start: nodeStart, nodes: locNodes } = qn.perSource[sourceIndex]!;
    const { locationStart, locations, values, count } = source.profile.samples;
    const T = source.profile.sampleTypes.length;
    for (let s = 0; s < count; s++) {
      if (source.selected !== null && source.selected[s] === 0) continue;
      const w = values[s * T + query.sampleIndex]! * source.sign;
      if (w === 0) continue;
      stamp++;
      let parent = -1;
      for (let i = locationStart[s + 1]! - 1; i >= locationStart[s]!; i--) {
        const loc = locations[i]!;
        const outermost = nodeStart[loc + 1]! - 1;
        for (let j = outermost; j >= nodeStart[loc]!; j--) {
          const node = locNodes[j]!;
          if (parent !== -1 && node !== parent) {
            const inline = j !== outermost;
            // One edge per sample: pprof records the pair once, at its first (outermost) occurrence.
            if (isTarget[node]) record(callers, node, parent, w, inline, stamp);
            if (isTarget[parent]) record(callees, parent, node, w, inline, stamp);
          }
          parent = node;
        }
      }
    }
  });

  const values = accumulateNodeValues(query, qn);
  const toEdges = (edges: Map<number, Edge> | undefined): CallEdge[] =>
    [...(edges ?? new Map<number, Edge>()).entries()]
      .map(([other, e]) => ({ node: other, name: nodes.name(other), functionName: nodes.functionName(other), file: nodes.file(other), weight: e.weight, inline: e.inline }))
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || compareGoStrings(a.name, b.name));
  const result: CallersAndCallees[] = [];
  for (let n = 0; n < nodes.size; n++) {
    if (!isTarget[n] || (values.flat[n] === 0 && values.cum[n] === 0)) continue;
    result.push({ node: n, name: nodes.name(n), functionName: nodes.functionName(n), file: nodes.file(n), flat: values.flat[n]!, cum: values.cum[n]!, callers: toEdges(callers.get(n)), callees: toEdges(callees.get(n)) });
  }
  return result.sort((a, b) => Math.abs(b.cum) - Math.abs(a.cum) || compareGoStrings(a.name, b.name));
}
