// A query's samples as every aggregation reads them: the nodes each location's frames map to (for all the
// query's profiles, in one node table), and the one walk over the samples — each sample the filters keep
// whose value (of the query's sample type, negated for a diff base) is not zero, with its stack as nodes
// from the root (outermost caller) to the leaf, a location's inlined frames included, its outermost frame
// first. Flat/cum values, callers and callees, top's inline markers, the flame graph and the values per
// source line all read the samples through it.

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

/**
 * The walk: `while (stacks.next())` visits every kept sample with a non-zero value, root first in `nodes`
 * (its first `length` entries), its signed value in `weight`. The arrays are reused from one sample to the
 * next. With `inlineFlags`, `inlined` is 1 where a frame is inlined into the one before it (not the
 * outermost frame of its location); without, it is not filled (a write per frame that flat and cum values
 * do not need).
 */
export class SampleStacks {
  // The current sample, for callers to read (and not to write).
  nodes: Int32Array = new Int32Array(256);
  inlined: Uint8Array = new Uint8Array(256);
  length = 0;
  weight = 0;
  // Where the walk is.
  private source = -1;
  private sample = 0;
  private count = 0;
  private width = 1;
  private sign = 1;
  private selected: Uint8Array | null = null;
  private values: ArrayLike<number> = [];
  private locationStart: ArrayLike<number> = [];
  private locations: ArrayLike<number> = [];
  private nodeStart: Uint32Array = new Uint32Array(1);
  private locationNodes: Int32Array = new Int32Array(0);
  /** The most nodes one location of the current source has, to size the arrays once per sample. */
  private maxLocationNodes = 1;

  constructor(
    private readonly query: ProfileQuery,
    private readonly queryNodes: QueryNodes,
    private readonly inlineFlags: boolean,
  ) {}

  /** Moves to the next sample; false when there is none. */
  next(): boolean {
    const vi = this.query.sampleIndex;
    for (;;) {
      while (this.sample >= this.count) {
        if (this.source + 1 >= this.query.sources.length) return false;
        this.openSource(this.source + 1);
      }
      const s = this.sample++;
      if (this.selected !== null && this.selected[s] === 0) continue;
      const weight = this.values[s * this.width + vi]! * this.sign;
      if (weight === 0) continue;
      const locations = this.locations;
      const nodeStart = this.nodeStart;
      const locationNodes = this.locationNodes;
      const first = this.locationStart[s]!;
      const last = this.locationStart[s + 1]!;
      const nodes = (last - first) * this.maxLocationNodes > this.nodes.length ? this.grow((last - first) * this.maxLocationNodes) : this.nodes;
      const inlined = this.inlineFlags ? this.inlined : null;
      let n = 0;
      for (let i = last - 1; i >= first; i--) {
        const location = locations[i]!;
        const innermost = nodeStart[location]!;
        const outermost = nodeStart[location + 1]! - 1;
        if (inlined !== null) inlined[n] = 0;
        nodes[n++] = locationNodes[outermost]!;
        for (let j = outermost - 1; j >= innermost; j--) {
          if (inlined !== null) inlined[n] = 1;
          nodes[n++] = locationNodes[j]!;
        }
      }
      this.length = n;
      this.weight = weight;
      return true;
    }
  }

  private openSource(index: number): void {
    const source = this.query.sources[index]!;
    const { start, nodes } = this.queryNodes.perSource[index]!;
    const samples = source.profile.samples;
    this.source = index;
    this.sample = 0;
    this.count = samples.count;
    this.width = source.profile.sampleTypes.length;
    this.sign = source.sign;
    this.selected = source.selected;
    this.values = samples.values;
    this.locationStart = samples.locationStart;
    this.locations = samples.locations;
    this.nodeStart = start;
    this.locationNodes = nodes;
    this.maxLocationNodes = 1;
    for (let l = 0; l + 1 < start.length; l++) this.maxLocationNodes = Math.max(this.maxLocationNodes, start[l + 1]! - start[l]!);
  }

  private grow(size: number): Int32Array {
    const capacity = Math.max(size, this.nodes.length * 2);
    const nodes = new Int32Array(capacity);
    nodes.set(this.nodes);
    const inlined = new Uint8Array(capacity);
    inlined.set(this.inlined);
    this.nodes = nodes;
    this.inlined = inlined;
    return nodes;
  }
}
