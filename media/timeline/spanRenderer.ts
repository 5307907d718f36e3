// Draws the visible rows of a span waterfall: each trace's extent on its header row, each span as a bar
// in its service's colour with its name and duration, error spans marked, spans of broken chains marked
// (and outlined when their problem is selected), and, for spans matched to runtime/trace tasks, a strip
// under the bar showing how their goroutines' time split between running, runnable, syscalls and waiting.

import { SpanStatus } from '../../core/timeline';
import { fitText } from '../shared/canvas';
import { RectBatch } from './rectBatch';
import { SpanRowKind, type SpanRows } from './spanRows';
import type { DrawFrame } from './timelineContent';
import { durationText } from './timeFormat';
import type { SpanActivity, SpanModelView } from './workerProtocol';

const CHAR_WIDTH = 6.2;

export interface SpanMarks {
  /** 1 for spans in some problem. */
  readonly inProblem: Uint8Array;
  /** 1 for spans of the selected problem. */
  readonly highlighted: Uint8Array;
  /** Matched task activity by span row. */
  readonly activity: ReadonlyMap<number, SpanActivity>;
  /** Category colour number per service string index. */
  readonly serviceColour: ReadonlyMap<number, number>;
}

export class SpanRenderer {
  private readonly batch = new RectBatch();

  constructor(private readonly model: SpanModelView) {}

  draw(frame: DrawFrame, rows: SpanRows, marks: SpanMarks): void {
    const { context, viewport, width, colours, scrollTop } = frame;
    const { spans, traces, strings } = this.model;
    const k = width / viewport.span;
    const texts: { text: string; x: number; y: number; fill: string }[] = [];
    const outlines: { x: number; y: number; w: number; h: number; colour: string }[] = [];
    for (let row = frame.firstRow; row < frame.lastRow; row++) {
      const y = rows.layout.top(row) - scrollTop;
      const height = rows.layout.height(row);
      const ref = rows.ref[row]!;
      if (rows.kind[row] === SpanRowKind.Trace) {
        const x0 = (traces.start[ref]! - viewport.start) * k;
        const x1 = (traces.end[ref]! - viewport.start) * k;
        if (x1 < 0 || x0 > width) continue;
        const left = Math.max(-1, x0);
        const right = Math.min(width + 1, x1);
        this.batch.add(colours.dimmed, left, y + height - 6, Math.max(1, right - left), 3);
        const first = traces.firstSpan[ref]!;
        const text = `${strings[spans.name[first]!]} · ${traces.spanCount[ref]} spans · ${durationText(traces.end[ref]! - traces.start[ref]!)}`;
        const at = Math.max(0, x0) + 2;
        if (width - at > CHAR_WIDTH * 6) texts.push({ text: fitText(text, width - at - 4, CHAR_WIDTH), x: at, y: y + 7, fill: colours.muted });
        continue;
      }
      if (rows.kind[row] !== SpanRowKind.Span) continue;
      const x0 = (spans.start[ref]! - viewport.start) * k;
      const x1 = (spans.end[ref]! - viewport.start) * k;
      if (x1 < -200 || x0 > width) continue;
      const left = Math.max(-1, x0);
      const right = Math.max(left + 1, Math.min(width + 1, x1));
      const fill = colours.category(marks.serviceColour.get(spans.service[ref]!) ?? 0);
      const top = y + 3;
      const barHeight = height - 8;
      if (marks.highlighted[ref]) this.batch.add(colours.rangeShade, 0, y, width, height);
      this.batch.add(fill, left, top, right - left, barHeight);
      if (spans.status[ref] === SpanStatus.Error) this.batch.add(colours.error, left, top, Math.min(3, right - left), barHeight);
      if (marks.inProblem[ref]) this.batch.add(colours.highlight, Math.max(0, left - 6), top + barHeight / 2 - 3, 4, 6);
      if (marks.highlighted[ref]) outlines.push({ x: left - 1.5, y: top - 1.5, w: right - left + 3, h: barHeight + 3, colour: colours.highlight });
      const activity = marks.activity.get(ref);
      if (activity) this.activityStrip(activity, left, right, top + barHeight + 1, colours);
      const label = `${strings[spans.name[ref]!]}  ${durationText(spans.end[ref]! - spans.start[ref]!)}`;
      if (right - left > CHAR_WIDTH * 8) texts.push({ text: fitText(label, right - left - 6, CHAR_WIDTH), x: left + 4, y: top + barHeight / 2, fill: colours.background });
      else if (width - right > CHAR_WIDTH * 8) texts.push({ text: fitText(label, width - right - 8, CHAR_WIDTH), x: right + 4, y: top + barHeight / 2, fill: colours.foreground });
    }
    this.batch.flush(context);
    context.lineWidth = 1.5;
    for (const o of outlines) {
      context.strokeStyle = o.colour;
      context.strokeRect(o.x, o.y, o.w, o.h);
    }
    context.lineWidth = 1;
    context.font = colours.monoFont;
    context.textBaseline = 'middle';
    for (const t of texts) {
      context.fillStyle = t.fill;
      context.fillText(t.text, t.x, t.y);
    }
  }

  private activityStrip(activity: SpanActivity, left: number, right: number, y: number, colours: DrawFrame['colours']): void {
    let running = 0;
    let runnable = 0;
    let syscall = 0;
    let waiting = 0;
    for (const g of activity.goroutines) {
      running += g.runningNs;
      runnable += g.runnableNs;
      syscall += g.syscallNs;
      waiting += g.waitingNs;
    }
    const total = running + runnable + syscall + waiting;
    if (total <= 0) return;
    let x = left;
    const width = right - left;
    for (const [ns, fill] of [[running, colours.running], [runnable, colours.runnable], [syscall, colours.syscall], [waiting, colours.waiting]] as const) {
      const w = (ns / total) * width;
      if (w > 0) this.batch.add(fill, x, y, w, 3);
      x += w;
    }
  }
}
