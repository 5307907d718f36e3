// Animated zoom: the visible window moves from where it is to the target over a short ease-out, one
// canvas redraw per animation frame. The frame timestamps of each run are kept, so the webview can
// report the frame rate it actually achieved (for `npm run bench:ui`).

import type { Viewport } from './layout';

export const ZOOM_DURATION_MS = 280;

export interface AnimationFigures {
  /** Frames painted during the animation. */
  readonly frames: number;
  /** Frames per second between the first and the last painted frame. */
  readonly fps: number;
  /** The longest gap between two painted frames, ms. */
  readonly worstFrameGapMs: number;
  /** The longest time one redraw took, ms. */
  readonly worstRenderMs: number;
}

const easeOutCubic = (t: number) => 1 - (1 - t) ** 3;

export function interpolateViewport(from: Viewport, to: Viewport, t: number): Viewport {
  const e = easeOutCubic(Math.min(1, Math.max(0, t)));
  const fromEnd = from.start + from.span;
  const toEnd = to.start + to.span;
  const start = from.start + (to.start - from.start) * e;
  const end = fromEnd + (toEnd - fromEnd) * e;
  return { start, span: Math.max(end - start, Number.MIN_VALUE) };
}

export class ZoomAnimation {
  private handle = 0;
  private running = false;

  /**
   * Animates from `from` to `to`, calling `draw` each frame (with the final window on the last one) and
   * `done` with the figures once it ends. A new start cancels the one in flight.
   */
  start(from: Viewport, to: Viewport, draw: (viewport: Viewport) => void, done: (figures: AnimationFigures) => void, duration = ZOOM_DURATION_MS): void {
    this.cancel();
    this.running = true;
    const stamps: number[] = [];
    let worstRender = 0;
    let begin = -1;
    const step = (now: number) => {
      if (!this.running) return;
      if (begin < 0) begin = now;
      const t = duration > 0 ? (now - begin) / duration : 1;
      const renderStart = performance.now();
      draw(t >= 1 ? to : interpolateViewport(from, to, t));
      worstRender = Math.max(worstRender, performance.now() - renderStart);
      stamps.push(now);
      if (t < 1) {
        this.handle = requestAnimationFrame(step);
        return;
      }
      this.running = false;
      let worstGap = 0;
      for (let i = 1; i < stamps.length; i++) worstGap = Math.max(worstGap, stamps[i]! - stamps[i - 1]!);
      const elapsed = stamps.length > 1 ? stamps[stamps.length - 1]! - stamps[0]! : 0;
      done({ frames: stamps.length, fps: elapsed > 0 ? ((stamps.length - 1) * 1000) / elapsed : 0, worstFrameGapMs: worstGap, worstRenderMs: worstRender });
    };
    this.handle = requestAnimationFrame(step);
  }

  get active(): boolean {
    return this.running;
  }

  cancel(): void {
    if (this.running) cancelAnimationFrame(this.handle);
    this.running = false;
  }
}
