// The minimap: the whole trace's activity in one strip (the content's density over time), with the
// visible range as a window. Clicking or dragging on it moves the view there. The density is computed
// once per width, not per frame.

import { createSizedCanvas, type SizedCanvas } from '../shared/canvas';
import type { TimelineColours } from './timelineColours';
import type { TimeViewport } from './timeViewport';

export class Minimap {
  private readonly canvas: SizedCanvas;
  private density: Float32Array | null = null;
  private densityWidth = 0;
  private dragging = false;

  constructor(
    host: HTMLElement,
    signal: AbortSignal,
    private readonly source: () => { viewport: TimeViewport; colours: TimelineColours; density: (buckets: number) => Float32Array; range: [number, number] | null } | null,
    private readonly moveTo: (centreNs: number) => void,
  ) {
    // The first resize call comes before createSizedCanvas returns: draw on the next frame.
    this.canvas = createSizedCanvas(host, () => requestAnimationFrame(() => this.draw()));
    const canvas = this.canvas.canvas;
    canvas.addEventListener('mousedown', (event) => {
      this.dragging = true;
      this.follow(event);
    });
    window.addEventListener(
      'mousemove',
      (event) => {
        if (this.dragging) this.follow(event);
      },
      { signal },
    );
    window.addEventListener(
      'mouseup',
      () => {
        this.dragging = false;
      },
      { signal },
    );
    signal.addEventListener('abort', () => this.canvas.dispose());
  }

  /** Forget the density (a new trace, or rows that changed what it counts). */
  invalidate(): void {
    this.density = null;
  }

  private follow(event: MouseEvent): void {
    const state = this.source();
    if (!state) return;
    const rect = this.canvas.canvas.getBoundingClientRect();
    const fraction = Math.max(0, Math.min(1, (event.clientX - rect.left) / Math.max(1, rect.width)));
    this.moveTo(state.viewport.minNs + fraction * state.viewport.fullSpan);
  }

  draw(): void {
    const state = this.source();
    const { context, width, height } = this.canvas;
    if (!state) return;
    const { viewport, colours } = state;
    if (!this.density || this.densityWidth !== width) {
      this.density = state.density(width);
      this.densityWidth = width;
    }
    context.fillStyle = colours.background;
    context.fillRect(0, 0, width, height);
    context.fillStyle = colours.dimmed;
    const density = this.density;
    for (let x = 0; x < width; x++) {
      const h = Math.round(density[x]! * (height - 2));
      if (h > 0) context.fillRect(x, height - h, 1, h);
    }
    const toX = (t: number) => ((t - viewport.minNs) / viewport.fullSpan) * width;
    if (state.range) {
      context.fillStyle = colours.rangeShade;
      const x0 = toX(state.range[0]);
      context.fillRect(x0, 0, Math.max(1, toX(state.range[1]) - x0), height);
    }
    const x0 = toX(viewport.start);
    const x1 = toX(viewport.end);
    context.strokeStyle = colours.focus;
    context.lineWidth = 1;
    context.strokeRect(Math.floor(x0) + 0.5, 0.5, Math.max(2, x1 - x0 - 1), height - 1);
  }
}
