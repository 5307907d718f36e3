// The visible time range of the timeline and the moves a user makes on it: zoom around a point, pan by
// pixels or by a fraction of the view, jump to a range. Times are nanoseconds; x is in CSS pixels of the
// drawing area. Pure arithmetic, no DOM.

/** The narrowest view: 1 µs across the whole width. */
const MIN_SPAN_NS = 1000;

export class TimeViewport {
  /** First visible nanosecond and the visible duration. */
  start: number;
  span: number;

  constructor(
    /** The trace's own range, which the view never leaves. */
    readonly minNs: number,
    readonly maxNs: number,
  ) {
    this.start = minNs;
    this.span = Math.max(MIN_SPAN_NS, maxNs - minNs);
  }

  get end(): number {
    return this.start + this.span;
  }

  get fullSpan(): number {
    return Math.max(MIN_SPAN_NS, this.maxNs - this.minNs);
  }

  /** Pixel x of time t for a drawing area `width` pixels wide. */
  toX(t: number, width: number): number {
    return ((t - this.start) / this.span) * width;
  }

  toTime(x: number, width: number): number {
    return this.start + (x / width) * this.span;
  }

  nsPerPixel(width: number): number {
    return this.span / Math.max(1, width);
  }

  /** Shows [start, end), kept within the trace and no narrower than 1 µs. */
  set(start: number, end: number): void {
    const full = this.fullSpan;
    const span = Math.min(full, Math.max(MIN_SPAN_NS, end - start));
    const middle = (start + end) / 2;
    this.span = span;
    this.start = middle - span / 2;
    this.clamp();
  }

  /** Zooms by `factor` (< 1 zooms in) keeping the time under pixel x where it is. */
  zoomAt(factor: number, x: number, width: number): void {
    const anchor = this.toTime(x, width);
    const fraction = width > 0 ? x / width : 0.5;
    const span = Math.min(this.fullSpan, Math.max(MIN_SPAN_NS, this.span * factor));
    this.span = span;
    this.start = anchor - fraction * span;
    this.clamp();
  }

  panPixels(dx: number, width: number): void {
    this.start += (dx / Math.max(1, width)) * this.span;
    this.clamp();
  }

  /** Pans by a fraction of the visible span (positive moves towards later times). */
  panFraction(fraction: number): void {
    this.start += fraction * this.span;
    this.clamp();
  }

  showAll(): void {
    this.start = this.minNs;
    this.span = this.fullSpan;
  }

  private clamp(): void {
    if (this.span >= this.fullSpan) {
      this.span = this.fullSpan;
      this.start = this.minNs;
      return;
    }
    if (this.start < this.minNs) this.start = this.minNs;
    if (this.start + this.span > this.minNs + this.fullSpan) this.start = this.minNs + this.fullSpan - this.span;
  }
}
