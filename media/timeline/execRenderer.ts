// Draws the rows of an execution-trace timeline that are in view: goroutine states, regions, mark
// assists and logs on goroutine lanes, what ran on each P, the GC / stop-the-world band and user tasks.
// Only intervals inside the visible time range are visited (binary search), and where many fall within
// one pixel column the column is drawn once, sampled at its middle, so a zoomed-out lane of 500,000
// intervals costs about as much as its width in pixels.

import { GoroutineState, visibleIntervals, type ExecutionTraceModel } from '../../core/timeline';
import { fitText } from '../shared/canvas';
import { forEachDrawnInterval } from './drawnIntervals';
import { MAX_REGION_DEPTH, type ExecIndex } from './execIndex';
import { REGION_ROW_HEIGHT, RowKind, STATE_BAR_HEIGHT, STATE_BAR_TOP, type ExecRows } from './execRows';
import type { IntervalIndex } from './intervalIndex';
import { RectBatch } from './rectBatch';
import type { DrawFrame } from './timelineContent';
import type { TimelineColours } from './timelineColours';

const CHAR_WIDTH = 6.2;

export class ExecRenderer {
  private readonly batch = new RectBatch();
  private readonly texts: { text: string; x: number; y: number; fill: string }[] = [];

  constructor(
    private readonly model: ExecutionTraceModel,
    private readonly index: ExecIndex,
  ) {}

  goroutineColour(colours: TimelineColours, goroutine: number): string {
    return colours.category(this.index.groupOf[goroutine]!);
  }

  stateColour(colours: TimelineColours, state: number): string {
    switch (state) {
      case GoroutineState.Running:
        return colours.running;
      case GoroutineState.Runnable:
        return colours.runnable;
      case GoroutineState.Syscall:
        return colours.syscall;
      default:
        return colours.waiting;
    }
  }

  draw(frame: DrawFrame, rows: ExecRows): void {
    const { context, colours } = frame;
    this.texts.length = 0;
    for (let row = frame.firstRow; row < frame.lastRow; row++) {
      const y = rows.layout.top(row) - frame.scrollTop;
      const ref = rows.ref[row]!;
      switch (rows.kind[row]) {
        case RowKind.GC:
          this.drawGc(frame, y);
          break;
        case RowKind.Proc:
          this.drawProc(frame, ref, y, rows.layout.height(row));
          break;
        case RowKind.TaskRow:
          this.drawTaskRow(frame, ref, y, rows.layout.height(row));
          break;
        case RowKind.Goroutine:
          this.drawGoroutine(frame, ref, y);
          break;
      }
    }
    this.batch.flush(context);
    context.font = colours.monoFont;
    context.textBaseline = 'middle';
    for (const t of this.texts) {
      context.fillStyle = t.fill;
      context.fillText(t.text, t.x, t.y);
    }
  }

  private label(text: string, x0: number, x1: number, y: number, fill: string, width: number): void {
    const left = Math.max(0, x0) + 3;
    const right = Math.min(width, x1) - 3;
    if (right - left < CHAR_WIDTH * 3) return;
    const fitted = fitText(text, right - left, CHAR_WIDTH);
    if (fitted) this.texts.push({ text: fitted, x: left, y, fill });
  }

  private drawRanges(frame: DrawFrame, ranges: IntervalIndex, lane: number, y: number, height: number, fill: (range: number) => string, withLabels: boolean): void {
    const { viewport, width } = frame;
    const k = width / viewport.span;
    const [first, last] = ranges.candidates(lane, viewport.start, viewport.end);
    let lastColumn = -1;
    for (let p = first; p < last; p++) {
      if (ranges.end[p]! <= viewport.start) continue;
      const x0 = (ranges.start[p]! - viewport.start) * k;
      const x1 = (ranges.end[p]! - viewport.start) * k;
      if (x1 - x0 < 1) {
        const column = Math.floor(x0);
        if (column === lastColumn) continue;
        lastColumn = column;
        this.batch.add(fill(ranges.order[p]!), column, y, 1, height);
        continue;
      }
      const left = Math.max(-1, x0);
      const right = Math.min(width + 1, x1);
      this.batch.add(fill(ranges.order[p]!), left, y, right - left, height);
      if (withLabels) this.label(this.model.strings[this.model.ranges.name[ranges.order[p]!]!]!, x0, x1, y + height / 2, frame.colours.background, width);
    }
  }

  private drawGc(frame: DrawFrame, y: number): void {
    const colours = frame.colours;
    this.drawRanges(frame, this.index.globalRanges, 0, y + 2, 10, () => colours.gc, true);
    this.drawRanges(frame, this.index.globalRanges, 1, y + 14, 10, () => colours.stw, true);
  }

  private drawProc(frame: DrawFrame, proc: number, y: number, height: number): void {
    const { viewport, width, colours } = frame;
    const slices = this.model.procSlices;
    const [first, last] = visibleIntervals(slices.start, slices.end, slices.laneOffsets, proc, viewport.start, viewport.end);
    const k = width / viewport.span;
    const top = y + 2;
    const barHeight = height - 7;
    const ids = this.model.goroutines.id;
    forEachDrawnInterval(slices.start, slices.end, first, last, viewport.start, k, (i, x0, x1) => {
      const goroutine = slices.goroutine[i]!;
      const fill = slices.state[i] === GoroutineState.Syscall ? colours.syscall : goroutine >= 0 ? this.goroutineColour(colours, goroutine) : colours.dimmed;
      const left = Math.max(-1, x0);
      const right = Math.min(width + 1, x1);
      this.batch.add(fill, left, top, Math.max(1, right - left), barHeight);
      if (x1 - x0 > 40 && goroutine >= 0) {
        const name = this.model.strings[this.model.goroutines.startFunction[goroutine]!] ?? '';
        this.label(`G${ids[goroutine]} ${name}`, x0, x1, top + barHeight / 2, colours.foreground, width);
      }
    });
    this.drawRanges(frame, this.index.procRanges, proc, y + height - 4, 3, () => colours.assist, false);
  }

  private drawTaskRow(frame: DrawFrame, taskRow: number, y: number, height: number): void {
    const colours = frame.colours;
    const tasks = this.model.tasks;
    const ranges = this.index.tasks;
    const { viewport, width } = frame;
    const k = width / viewport.span;
    const [first, last] = ranges.candidates(taskRow, viewport.start, viewport.end);
    let lastColumn = -1;
    for (let p = first; p < last; p++) {
      if (ranges.end[p]! <= viewport.start) continue;
      const x0 = (ranges.start[p]! - viewport.start) * k;
      const x1 = (ranges.end[p]! - viewport.start) * k;
      const fill = this.index.taskDepth[ranges.order[p]!]! % 2 === 0 ? colours.task : colours.region;
      if (x1 - x0 < 1) {
        const column = Math.floor(x0);
        if (column !== lastColumn) this.batch.add(fill, column, y + 2, 1, height - 4);
        lastColumn = column;
        continue;
      }
      const left = Math.max(-1, x0);
      const right = Math.min(width + 1, x1);
      this.batch.add(fill, left, y + 2, Math.max(1, right - left - 1), height - 4);
      this.label(this.model.strings[tasks.name[ranges.order[p]!]!]!, x0, x1, y + height / 2, colours.background, width);
    }
  }

  private drawGoroutine(frame: DrawFrame, goroutine: number, y: number): void {
    const { viewport, width, colours } = frame;
    const states = this.model.goroutineStates;
    const k = width / viewport.span;
    const [first, last] = visibleIntervals(states.start, states.end, states.laneOffsets, goroutine, viewport.start, viewport.end);
    const top = y + STATE_BAR_TOP;
    forEachDrawnInterval(states.start, states.end, first, last, viewport.start, k, (i, x0, x1) => {
      const state = states.state[i]!;
      const left = Math.max(-1, x0);
      const right = Math.min(width + 1, x1);
      const w = Math.max(1, right - left);
      if (state === GoroutineState.Waiting) this.batch.add(colours.waiting, left, top + STATE_BAR_HEIGHT / 2 - 1, w, 2);
      else this.batch.add(this.stateColour(colours, state), left, top, w, STATE_BAR_HEIGHT);
    });
    // Mark assists and sweeps this goroutine did: a thin bar under its states.
    this.drawRanges(frame, this.index.goroutineRanges, goroutine, top + STATE_BAR_HEIGHT + 1, 3, () => colours.gc, false);

    // Regions, one sub-row per nesting depth.
    const depths = this.index.regionDepth[goroutine]!;
    const regions = this.index.regions;
    const regionTop = y + STATE_BAR_TOP + STATE_BAR_HEIGHT + 5;
    for (let d = 0; d < depths; d++) {
      const lane = goroutine * MAX_REGION_DEPTH + d;
      const [rFirst, rLast] = regions.candidates(lane, viewport.start, viewport.end);
      const rowTop = regionTop + d * REGION_ROW_HEIGHT;
      let lastColumn = -1;
      for (let p = rFirst; p < rLast; p++) {
        if (regions.end[p]! <= viewport.start) continue;
        const x0 = (regions.start[p]! - viewport.start) * k;
        const x1 = (regions.end[p]! - viewport.start) * k;
        if (x1 - x0 < 1) {
          const column = Math.floor(x0);
          if (column !== lastColumn) this.batch.add(colours.region, column, rowTop, 1, REGION_ROW_HEIGHT - 2);
          lastColumn = column;
          continue;
        }
        const left = Math.max(-1, x0);
        const right = Math.min(width + 1, x1);
        this.batch.add(colours.region, left, rowTop, Math.max(1, right - left - 1), REGION_ROW_HEIGHT - 2);
        this.label(this.model.strings[this.model.regions.name[regions.order[p]!]!]!, x0, x1, rowTop + (REGION_ROW_HEIGHT - 2) / 2, colours.foreground, width);
      }
    }

    // Logs: a small marker at the top of the lane.
    const logs = this.index.logs;
    const [lFirst, lLast] = logs.candidates(goroutine, viewport.start, viewport.end);
    let lastColumn = -10;
    for (let p = lFirst; p < lLast; p++) {
      const x = (logs.start[p]! - viewport.start) * k;
      if (x - lastColumn < 2) continue;
      lastColumn = x;
      this.batch.add(colours.log, x - 1, y, 3, 4);
    }
  }
}
