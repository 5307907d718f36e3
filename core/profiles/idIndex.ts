// Profile ids (of mappings, locations, functions) to positions in their tables: dense ids through an array,
// sparse ones through a map. Built while a profile is decoded, read by the sample filler for every location
// reference.

import { ProfileError } from './profileError';

/** Maps sparse or dense ids to positions. */
export class IdIndex {
  readonly dense: Int32Array | null;
  private readonly sparse: Map<number, number> | null;

  constructor(ids: ArrayLike<number>, what: string) {
    let max = 0;
    for (let i = 0; i < ids.length; i++) max = Math.max(max, ids[i]!);
    if (max <= ids.length * 4 + 1024) {
      this.dense = new Int32Array(max + 1).fill(-1);
      this.sparse = null;
    } else {
      this.dense = null;
      this.sparse = new Map();
    }
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id === 0) throw new ProfileError('bad-index', `the profile has a ${what} with the reserved id 0.`);
      if (this.get(id) !== -1) throw new ProfileError('bad-index', `the profile has two ${what}s with id ${id}.`);
      if (this.dense) this.dense[id] = i;
      else this.sparse!.set(id, i);
    }
  }

  /** Position of `id`, or -1. */
  get(id: number): number {
    if (this.dense) return id < this.dense.length ? this.dense[id]! : -1;
    return this.sparse!.get(id) ?? -1;
  }
}
