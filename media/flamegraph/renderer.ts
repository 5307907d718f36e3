// Draws the flame graph on its canvas. Virtualised: the walk starts at the root and descends only into
// frames at least MIN_FRAME_PIXELS wide that overlap the visible window; children are ordered widest
// first and left to right, so the first too-narrow child ends its siblings and the first child past the
// right edge does too. Rows above or below the scrolled window are walked through but not painted.
// Frames are batched by fill (one style change per colour, then its rectangles), labels drawn after: a
// zoom frame that shows tens of thousands of thin frames costs a few style changes, not one per frame.

import { fitText } from '../shared/canvas';
import { SEARCH_FILL, frameColourKey, type FlameColours } from './colours';
import { MIN_FRAME_PIXELS, ROW_HEIGHT, rowTop, type FlameLayout, type Orientation, type Viewport } from './layout';
import type { FlameModel } from './model';
import type { SearchResult } from './search';

export interface RenderInput {
  readonly model: FlameModel;
  readonly layout: FlameLayout;
  readonly colours: FlameColours;
  readonly viewport: Viewport;
  readonly orientation: Orientation;
  /** Vertical scroll of the content, CSS pixels. */
  readonly scrollTop: number;
  /** Canvas size, CSS pixels. */
  readonly width: number;
  readonly height: number;
  readonly search: SearchResult | null;
  /** Frames outlined in the focus colour (keyboard focus, a revealed function); -1 for none. */
  readonly outlined: readonly number[];
}

export interface RenderStats {
  /** Frames painted (thin neighbours merged into one rectangle count each). */
  readonly drawn: number;
  /** Frames the walk looked at (painted or not). */
  readonly visited: number;
}

const FONT_SIZE = 12;
/** Frames narrower than this (CSS pixels) that touch on one row are painted as one rectangle. */
const THIN_FRAME_PIXELS = 1.5;
const TEXT_PADDING = 4;

let measuredFont = '';
let measuredCharWidth = 7;

function charWidthFor(context: CanvasRenderingContext2D, font: string): number {
  if (font !== measuredFont) {
    context.font = font;
    const sample = 'runtime.(*mheap).alloc_m github.com/x/y.Func';
    measuredCharWidth = context.measureText(sample).width / sample.length || 7;
    measuredFont = font;
  }
  return measuredCharWidth;
}

const colourKeysByModel = new WeakMap<FlameModel, Int16Array>();

/** Colour keys per string index, computed on first use (-1 until then). */
function colourKeysOf(model: FlameModel): Int16Array {
  let keys = colourKeysByModel.get(model);
  if (!keys) {
    keys = new Int16Array(model.strings.length).fill(-1);
    colourKeysByModel.set(model, keys);
  }
  return keys;
}

export function renderFlameGraph(context: CanvasRenderingContext2D, input: RenderInput): RenderStats {
  const { model, layout, colours, viewport, orientation, scrollTop, width, height, search } = input;
  context.fillStyle = colours.background;
  context.fillRect(0, 0, width, height);
  if (viewport.span <= 0 || width <= 0) return { drawn: 0, visited: 0 };

  const font = `${FONT_SIZE}px ${colours.fontFamily}`;
  const charWidth = charWidthFor(context, font);
  context.font = font;
  context.textBaseline = 'middle';
  const scale = width / viewport.span;
  const maxDepth = model.maxDepth;

  // Depths whose rows intersect [scrollTop, scrollTop + height).
  const firstRow = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT));
  const lastRow = Math.min(maxDepth, Math.floor((scrollTop + height - 1) / ROW_HEIGHT));
  const minDepth = orientation === 'icicle' ? firstRow : maxDepth - lastRow;
  const maxVisibleDepth = orientation === 'icicle' ? lastRow : maxDepth - firstRow;

  const diff = model.diff;
  const matched = search?.matchedNames ?? null;
  const colourKeys = colourKeysOf(model);
  const batches: (number[] | undefined)[] = new Array(colours.fills.length);
  // Per depth, the run of thin frames being extended: fill, class, left, right, y. In the plain palette
  // the colour carries no data, so any thin neighbours merge; in search and diff modes only neighbours
  // of the same kind (matched or not; the same change) do.
  const runFill = new Int32Array(maxDepth + 1).fill(-1);
  const runClass = new Int32Array(maxDepth + 1);
  const runLeft = new Float64Array(maxDepth + 1);
  const runRight = new Float64Array(maxDepth + 1);
  const runY = new Float64Array(maxDepth + 1);
  const flushRun = (depth: number) => {
    const fill = runFill[depth]!;
    if (fill < 0) return;
    (batches[fill] ??= []).push(runLeft[depth]!, runY[depth]!, runRight[depth]! - runLeft[depth]!);
    runFill[depth] = -1;
  };
  const labels: string[] = [];
  const labelX: number[] = [];
  const labelY: number[] = [];
  let drawn = 0;
  let visited = 0;
  const stack: number[] = [0];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visited++;
    const depth = model.depth[node]!;
    const left = (layout.x[node]! - viewport.start) * scale;
    const frameWidth = layout.width[node]! * scale;
    if (depth >= minDepth) {
      const clippedLeft = Math.max(0, left);
      const clippedRight = Math.min(width, left + frameWidth);
      const y = rowTop(depth, orientation, maxDepth) - scrollTop;
      const nameIndex = model.name[node]!;
      const dimmed = matched !== null && matched[nameIndex] === 0;
      let fill: number;
      if (matched !== null && !dimmed) fill = SEARCH_FILL;
      else if (diff) fill = colours.diffFill(model.totalValue[node]!, diff.baseTotalValue[node]!, dimmed);
      else {
        let key = colourKeys[nameIndex]!;
        if (key < 0) key = colourKeys[nameIndex] = frameColourKey(model.strings[nameIndex]!);
        fill = colours.frameFill(key, model.inline[node] === 1, dimmed);
      }
      const visibleWidth = clippedRight - clippedLeft;
      drawn++;
      if (visibleWidth < THIN_FRAME_PIXELS) {
        const kind = diff ? fill : matched !== null && !dimmed ? 1 : 0;
        if (runFill[depth]! >= 0 && runClass[depth] === kind && clippedLeft - runRight[depth]! < 0.5) {
          runRight[depth] = clippedRight;
        } else {
          flushRun(depth);
          runFill[depth] = fill;
          runClass[depth] = kind;
          runLeft[depth] = clippedLeft;
          runRight[depth] = clippedRight;
          runY[depth] = y;
        }
      } else {
        flushRun(depth);
        (batches[fill] ??= []).push(clippedLeft, y, visibleWidth > 2 ? visibleWidth - 1 : visibleWidth);
      }
      if (visibleWidth > charWidth * 3 + TEXT_PADDING * 2) {
        const label = fitText(model.strings[nameIndex]!, visibleWidth - TEXT_PADDING * 2, charWidth);
        if (label !== '') {
          labels.push(label);
          labelX.push(clippedLeft + TEXT_PADDING);
          labelY.push(y + ROW_HEIGHT / 2);
        }
      }
    }
    if (depth >= maxVisibleDepth) continue;
    // Children, pushed right to left so the leftmost is painted first.
    const end = node + model.subtreeSize[node]!;
    const start = stack.length;
    for (let child = node + 1; child < end; child += model.subtreeSize[child]!) {
      const childWidth = layout.width[child]! * scale;
      if (childWidth < MIN_FRAME_PIXELS) break;
      const childLeft = (layout.x[child]! - viewport.start) * scale;
      if (childLeft >= width) break;
      if (childLeft + childWidth <= 0) continue;
      stack.push(child);
    }
    // Reverse the pushed range so that pops come out left to right.
    for (let i = start, j = stack.length - 1; i < j; i++, j--) {
      const t = stack[i]!;
      stack[i] = stack[j]!;
      stack[j] = t;
    }
  }

  for (let depth = 0; depth <= maxDepth; depth++) flushRun(depth);
  for (let fill = 0; fill < batches.length; fill++) {
    const rects = batches[fill];
    if (!rects) continue;
    context.fillStyle = colours.fills[fill]!;
    for (let i = 0; i < rects.length; i += 3) context.fillRect(rects[i]!, rects[i + 1]!, rects[i + 2]!, ROW_HEIGHT - 1);
  }
  context.fillStyle = colours.text();
  for (let i = 0; i < labels.length; i++) context.fillText(labels[i]!, labelX[i]!, labelY[i]!);

  for (const node of input.outlined) {
    if (node < 0 || node >= model.nodeCount) continue;
    const left = Math.max(0, (layout.x[node]! - viewport.start) * scale);
    const right = Math.min(width, (layout.x[node]! + layout.width[node]! - viewport.start) * scale);
    if (right - left <= 0) continue;
    const y = rowTop(model.depth[node]!, orientation, maxDepth) - scrollTop;
    context.strokeStyle = colours.focus;
    context.lineWidth = 2;
    context.strokeRect(left + 1, y + 1, Math.max(1, right - left - 2), ROW_HEIGHT - 3);
  }
  return { drawn, visited };
}
