// Flat and cumulative values per node, as `go tool pprof` computes them: a sample's value is added once to
// the cum of every distinct node on its stack (so recursion counts once) and to the flat of the innermost
// frame of its leaf location. Samples whose value is 0 are skipped, like pprof does.

import { SampleStacks, type QueryNodes } from './sampleStacks';
import type { ProfileQuery } from './query';

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
  for (const stack = new SampleStacks(query, nodes, false); stack.next(); ) {
    const { length, nodes: stackNodes, weight: w } = stack;
    if (length === 0) continue;
    stamp++;
    for (let k = 0; k < length; k++) {
      const node = stackNodes[k]!;
      if (seen[node] !== stamp) {
        seen[node] = stamp;
        cum[node] += w;
      }
    }
    flat[stackNodes[length - 1]!] += w;
  }
  return { flat, cum };
}
