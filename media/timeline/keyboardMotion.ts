// W/A/S/D as in `go tool trace`: while W or S is held the view zooms in or out around the pointer (or
// the middle), while A or D is held it pans, smoothly, frame by frame, at a speed that does not depend
// on the frame rate. A tap moves one step.

/** Zoom: the span shrinks (or grows) by e^(ZOOM_RATE) per second held. */
const ZOOM_RATE = 2.4;
/** Pan: views per second held. */
const PAN_RATE = 0.9;
/** What a tap (a press shorter than a frame) does: about 1/8 s of holding. */
const TAP_SECONDS = 0.125;

export interface MotionTarget {
  zoom(factor: number): void;
  pan(fraction: number): void;
  /** Redraw after the moves of this frame. */
  redraw(): void;
  motionStarted(): void;
  motionEnded(): void;
}

const KEYS: Record<string, 'in' | 'out' | 'left' | 'right'> = { w: 'in', s: 'out', a: 'left', d: 'right' };

export class KeyboardMotion {
  private readonly held = new Set<'in' | 'out' | 'left' | 'right'>();
  private frame = 0;
  private last = 0;

  constructor(private readonly target: MotionTarget) {}

  /** Handles a keydown; true when it was one of W/A/S/D. */
  keyDown(event: KeyboardEvent): boolean {
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    const action = KEYS[event.key.toLowerCase()];
    if (!action) return false;
    if (!this.held.has(action)) {
      this.held.add(action);
      if (!event.repeat) this.apply(action, TAP_SECONDS);
      this.target.redraw();
    }
    if (this.frame === 0) {
      this.target.motionStarted();
      this.last = performance.now();
      this.frame = requestAnimationFrame((t) => this.step(t));
    }
    return true;
  }

  keyUp(event: KeyboardEvent): boolean {
    const action = KEYS[event.key.toLowerCase()];
    if (!action) return false;
    this.held.delete(action);
    return true;
  }

  /** Stops everything (the window lost focus: no keyup will come). */
  releaseAll(): void {
    this.held.clear();
  }

  private apply(action: 'in' | 'out' | 'left' | 'right', seconds: number): void {
    switch (action) {
      case 'in':
        this.target.zoom(Math.exp(-ZOOM_RATE * seconds));
        break;
      case 'out':
        this.target.zoom(Math.exp(ZOOM_RATE * seconds));
        break;
      case 'left':
        this.target.pan(-PAN_RATE * seconds);
        break;
      case 'right':
        this.target.pan(PAN_RATE * seconds);
        break;
    }
  }

  private step(now: number): void {
    if (this.held.size === 0) {
      this.frame = 0;
      this.target.motionEnded();
      return;
    }
    const seconds = Math.min(0.1, Math.max(0, (now - this.last) / 1000));
    this.last = now;
    for (const action of this.held) this.apply(action, seconds);
    this.target.redraw();
    this.frame = requestAnimationFrame((t) => this.step(t));
  }
}
