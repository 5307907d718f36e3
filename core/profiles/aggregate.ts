// Flat and cumulative values per node, as `go tool pprof` computes them: a sample's value is added once to
// the cum of every distinct node on its stack (so recursion counts once) and to the flat of the innermost
// frame of its leaf location. Samples whose value is 0 are skipped, like pprof does.

import { NodeTable, mapLocationsToNodes, type Granularity, type LocationNodes } from './frameNodes';
import type { ProfileQuery } from './query';

/** The node table of a query and, for each of its sources, the nodes of each location. */
export interface QueryNodes {
  readonly table: NodeTable;
  readonly perSource: readonly LocationNodes[];
}

export function mapQueryNodes(query: ProfileQuery, granularity: Granularity): QueryNodes {
  const table = new NodeTable(granularity);
  const perSource = query.sources.map((source) => mapLocationsToNodes(source.profile, table));
  return { table, perSource };
}

export interface NodeValues {
  readonly flat: Float64Array;
  readonly cum: Float64Array;
}

export function accumulateNodeValues(query: ProfileQuery, nodes: QueryNodes): NodeValues {
  const n = nodes.table.size;
  const flat = new Float64Array(n);
  const cum = new Float64Array(n);
  const seen = new Int32Array(n).fill(-1);
  let stamp = 0;
  query.sources.forEach((source, sourceIndex) => {
    const { start: nodeStart, nodes: locNodes } = nodes.perSource[sourceIndex]!;
    const { samples } = source.profile;
    const { locationStart, locations, values, count } = samples;
    const T = source.profile.sampleTypes.length;
    const vi = query.sampleIndex;
    const selected = source.selected;
    const sign = source.sign;
    for (let s = 0; s < count; s++) {
      if (selected !== null && selected[s] === 0) continue;
      const w = values[s * T + vi]! * sign;
      if (w === 0) continue;
      const first = locationStart[s]!;
      const last = locationStart[s + 1]!;
      if (first === last) continue;
      stamp++;
      for (let i = first; i < last; i++) {
        const loc = locations[i]!;
        const end = nodeStart[loc + 1]!;
        for (let j = nodeStart[loc]!; j < end; j++) {
          const node = locNodes[j]!;
          if (seen[node] !== stamp) {
            seen[node] = stamp;
            cum[node] += w;
          }
        }
      }
      flat[locNodes[nodeStart[locations[first]!]!]!] += w;
    }
  });
  return { flat, cum };
}

/** Calls `visit` for every kept sample with a non-zero value, with its signed value. */
export function forEachWeightedSample(
  query: ProfileQuery,
  visit: (sourceIndex: number, sample: number, weight: number) => void,
): void {
  query.sources.forEach((source, sourceIndex) => {
    const { values, count } = source.profile.samples;
    const T = source.profile.sampleTypes.length;
    const vi = query.sampleIndex;
    const selected = source.selected;
    for (let s = 0; s < count; s++) {
      if (selected !== null && selected[s] === 0) continue;
      const w = values[s * T + vi]! * source.sign;
      if (w !== 0) visit(sourceIndex, s, w);
    }
  });
}
