// Frame figures while the view moves (keyboard zoom/pan, wheel, drag): how long each redraw took and
// the gaps between frames, summarised at the end of a motion as counts and 95th percentiles. The
// timeline posts them as `metrics` messages; `npm run bench:timeline` reads them.

export interface MotionFigures {
  readonly frames: number;
  readonly drawP95Ms: number;
  readonly drawMaxMs: number;
  readonly gapP95Ms: number;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export class FrameStats {
  private draws: number[] = [];
  private gaps: number[] = [];
  private lastFrameAt = 0;
  private active = false;

  /** Records one drawn frame (`drawMs` spent drawing it) while a motion is going on. */
  frame(drawMs: number, at: number): void {
    if (!this.active) return;
    this.draws.push(drawMs);
    if (this.lastFrameAt > 0) this.gaps.push(at - this.lastFrameAt);
    this.lastFrameAt = at;
  }

  begin(): void {
    if (this.active) return;
    this.active = true;
    this.draws = [];
    this.gaps = [];
    this.lastFrameAt = 0;
  }

  get inMotion(): boolean {
    return this.active;
  }

  /** Ends the motion; its figures, or null when it drew nothing. */
  end(): MotionFigures | null {
    if (!this.active) return null;
    this.active = false;
    if (this.draws.length === 0) return null;
    return {
      frames: this.draws.length,
      drawP95Ms: percentile(this.draws, 95),
      drawMaxMs: Math.max(...this.draws),
      gapP95Ms: percentile(this.gaps, 95),
    };
  }
}
