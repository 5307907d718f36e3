// The time axis above the lanes: ticks at 1/2/5 × 10^n nanoseconds, labelled as offsets from the start
// of the trace, with the range selection shaded on it. Also gives the tick times the lanes draw their
// grid lines at.

import { offsetText, tickStep } from './timeFormat';
import type { TimelineColours } from './timelineColours';
import type { TimeViewport } from './timeViewport';

/** Tick times (ns) inside the view. */
export function tickTimes(viewport: TimeViewport, width: number): { step: number; times: number[] } {
  const step = tickStep(viewport.nsPerPixel(width));
  const times: number[] = [];
  const origin = viewport.minNs;
  const first = origin + Math.ceil((viewport.start - origin) / step) * step;
  for (let t = first; t <= viewport.end && times.length < 1000; t += step) times.push(t);
  return { step, times };
}

export function drawTimeAxis(
  context: CanvasRenderingContext2D,
  viewport: TimeViewport,
  colours: TimelineColours,
  width: number,
  height: number,
  originNs: number,
  range: [number, number] | null,
): void {
  context.fillStyle = colours.background;
  context.fillRect(0, 0, width, height);
  if (range) {
    const x0 = viewport.toX(range[0], width);
    const x1 = viewport.toX(range[1], width);
    context.fillStyle = colours.rangeShade;
    context.fillRect(x0, 0, Math.max(1, x1 - x0), height);
  }
  const { step, times } = tickTimes(viewport, width);
  context.strokeStyle = colours.grid;
  context.fillStyle = colours.muted;
  context.font = colours.font;
  context.textBaseline = 'top';
  context.beginPath();
  for (const t of times) {
    const x = Math.round(viewport.toX(t, width)) + 0.5;
    context.moveTo(x, height - 6);
    context.lineTo(x, height);
    context.fillText(offsetText(t - originNs, step, viewport.end - originNs), x + 3, 3);
  }
  context.moveTo(0, height - 0.5);
  context.lineTo(width, height - 0.5);
  context.stroke();
}
