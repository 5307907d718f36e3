// Keyboard movement between frames: to the parent, to the widest child, to the previous or next sibling.
// Arrow keys map onto these by orientation (in a flame graph the children are above, in an icicle below).

import type { Orientation } from './layout';
import type { FlameModel } from './model';

export type Move = 'parent' | 'child' | 'previous' | 'next';

export function moveFrom(model: FlameModel, node: number, move: Move): number {
  switch (move) {
    case 'parent':
      return node > 0 ? model.parent[node]! : node;
    case 'child':
      return model.subtreeSize[node]! > 1 ? node + 1 : node;
    case 'next': {
      if (node === 0) return node;
      const parent = model.parent[node]!;
      const next = node + model.subtreeSize[node]!;
      return next < parent + model.subtreeSize[parent]! ? next : node;
    }
    case 'previous': {
      if (node === 0) return node;
      const parent = model.parent[node]!;
      let previous = node;
      for (let child = parent + 1; child < node; child += model.subtreeSize[child]!) previous = child;
      return previous;
    }
  }
}

/** The move an arrow key means, or null for other keys. */
export function moveForKey(key: string, orientation: Orientation): Move | null {
  switch (key) {
    case 'ArrowLeft':
      return 'previous';
    case 'ArrowRight':
      return 'next';
    case 'ArrowUp':
      return orientation === 'icicle' ? 'parent' : 'child';
    case 'ArrowDown':
      return orientation === 'icicle' ? 'child' : 'parent';
    default:
      return null;
  }
}
