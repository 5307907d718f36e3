// Where each frame sits, independent of zoom: a horizontal extent per node in "graph units" (the root
// spans [0, rootWidth)), computed once per graph. A node's width is its total; in diff mode the larger of
// its total and its base total, and when the children's widths then add up to more than their parent's,
// they are scaled down together so they still nest. Zoom is a window [start, start + span) onto those
// units; rows are depths, top-down (icicle) or bottom-up (flame).

import type { FlameModel } from './model';

export interface FlameLayout {
  /** Left edge of each node, in graph units. */
  readonly x: Float64Array;
  /** Width of each node, in graph units. */
  readonly width: Float64Array;
  readonly rootWidth: number;
}

export type Orientation = 'icicle' | 'flame';

/** The horizontal window of the graph on screen, in graph units. */
export interface Viewport {
  readonly start: number;
  readonly span: number;
}

export const ROW_HEIGHT = 18;
/** Frames narrower than this (CSS pixels) are not drawn, and neither is anything below them. */
export const MIN_FRAME_PIXELS = 0.5;

export function computeLayout(model: FlameModel): FlameLayout {
  const n = model.nodeCount;
  const x = new Float64Array(n);
  const base = model.diff?.baseTotalValue;
  if (!base) {
    // Children's totals never add up to more than their parent's: widths are the totals as they are.
    const width = model.totalValue.slice();
    for (let node = 0; node < n; node++) {
      const end = node + model.subtreeSize[node]!;
      let left = x[node]!;
      for (let child = node + 1; child < end; child += model.subtreeSize[child]!) {
        x[child] = left;
        left += width[child]!;
      }
    }
    return { x, width, rootWidth: width[0]! };
  }
  const width = new Float64Array(n);
  const own = (node: number) => Math.max(model.totalValue[node]!, base[node]!);
  width[0] = own(0);
  // Pre-order: a parent is placed before its children, which are laid out left to right.
  for (let node = 0; node < n; node++) {
    const end = node + model.subtreeSize[node]!;
    let sum = 0;
    for (let child = node + 1; child < end; child += model.subtreeSize[child]!) sum += own(child);
    const natural = own(node);
    const scale = Math.max(natural, sum) > 0 ? width[node]! / Math.max(natural, sum) : 0;
    let left = x[node]!;
    for (let child = node + 1; child < end; child += model.subtreeSize[child]!) {
      x[child] = left;
      width[child] = own(child) * scale;
      left += width[child]!;
    }
  }
  return { x, width, rootWidth: width[0]! };
}

export function viewportOf(layout: FlameLayout, node: number): Viewport {
  const span = layout.width[node]!;
  if (!(span > 0)) return { start: 0, span: layout.rootWidth > 0 ? layout.rootWidth : 1 };
  return { start: layout.x[node]!, span };
}

/** Total content height in CSS pixels for a graph `maxDepth` deep. */
export function contentHeight(maxDepth: number): number {
  return (maxDepth + 1) * ROW_HEIGHT;
}

/** Top of a row (depth), in content pixels (before scrolling). */
export function rowTop(depth: number, orientation: Orientation, maxDepth: number): number {
  return orientation === 'icicle' ? depth * ROW_HEIGHT : (maxDepth - depth) * ROW_HEIGHT;
}

/** The depth at a content y, or -1 outside the rows. */
export function depthAt(contentY: number, orientation: Orientation, maxDepth: number): number {
  const row = Math.floor(contentY / ROW_HEIGHT);
  if (row < 0 || row > maxDepth) return -1;
  return orientation === 'icicle' ? row : maxDepth - row;
}

/** Pixel extent of a node in a canvas `canvasWidth` CSS pixels wide. */
export function pixelExtent(layout: FlameLayout, viewport: Viewport, canvasWidth: number, node: number): { left: number; width: number } {
  const scale = canvasWidth / viewport.span;
  return { left: (layout.x[node]! - viewport.start) * scale, width: layout.width[node]! * scale };
}

/** The node drawn at pixel column `px` on row `depth`, or -1. Walks down from the root. */
export function nodeAt(model: FlameModel, layout: FlameLayout, viewport: Viewport, canvasWidth: number, px: number, depth: number): number {
  if (depth < 0 || depth > model.maxDepth || canvasWidth <= 0) return -1;
  const unit = viewport.start + (px / canvasWidth) * viewport.span;
  const minWidth = (MIN_FRAME_PIXELS * viewport.span) / canvasWidth;
  let node = 0;
  if (unit < layout.x[0]! || unit >= layout.x[0]! + layout.width[0]!) return -1;
  while (model.depth[node]! < depth) {
    let found = -1;
    const end = node + model.subtreeSize[node]!;
    for (let child = node + 1; child < end; child += model.subtreeSize[child]!) {
      const left = layout.x[child]!;
      if (left > unit) break;
      if (unit < left + layout.width[child]!) {
        found = child;
        break;
      }
    }
    if (found < 0 || layout.width[found]! < minWidth) return -1;
    node = found;
  }
  return node;
}
