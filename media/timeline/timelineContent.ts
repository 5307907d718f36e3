// What the timeline shell (timelineView.ts) asks of the trace it shows. The shell owns the canvas,
// scrolling, zoom and pan, the axis, the minimap, range selection, the tooltip and the label column;
// an execution trace (execContent.ts) and a span trace (spanContent.ts) each say what their rows are,
// draw them, find what is under the pointer, and describe it.

import type { TimelineColours } from './timelineColours';
import type { TimeViewport } from './timeViewport';
import type { RowLayout } from './rowLayout';

/** The text at the left of a row; all of it from the file, so it is only ever set as text. */
export interface RowLabel {
  readonly text: string;
  /** Muted text after it (a count, a duration). */
  readonly detail?: string;
  /** Indentation level. */
  readonly depth: number;
  /** 'open' / 'closed' for rows that collapse what is under them. */
  readonly twisty?: 'open' | 'closed';
  /** A colour chip (a service, a goroutine group). */
  readonly swatch?: string;
  /** Row style: section, group, lane, trace, service, span. */
  readonly kind: string;
  /** Full text for the hover title. */
  readonly title?: string;
  readonly error?: boolean;
  readonly highlighted?: boolean;
  readonly selected?: boolean;
}

/** Something drawn on the canvas that the pointer is over: content-specific, compared by `key`. */
export interface Hit {
  readonly row: number;
  readonly key: string;
}

import type { TooltipText } from '../shared/tooltip';

export type { TooltipText };

export interface DrawFrame {
  readonly context: CanvasRenderingContext2D;
  readonly viewport: TimeViewport;
  readonly colours: TimelineColours;
  /** Drawing area in CSS pixels. */
  readonly width: number;
  readonly height: number;
  /** Content y at the canvas's top. */
  readonly scrollTop: number;
  /** Rows to draw: [firstRow, lastRow). */
  readonly firstRow: number;
  readonly lastRow: number;
  readonly selected: Hit | null;
  readonly hovered: Hit | null;
}

export interface StatLine {
  readonly label: string;
  readonly value: string;
  /** The number behind the text (ns, a count), kept on the element for tests and tools. */
  readonly raw?: number;
}

export interface TimelineContent {
  /** The time range of the trace (ns) and the time the axis counts from. */
  readonly minNs: number;
  readonly maxNs: number;
  readonly originNs: number;
  /** A one-line description for the toolbar. */
  readonly summary: string;
  /** Rows as they are now (changes when something collapses or the sort changes). */
  layout(): RowLayout;
  label(row: number, colours: TimelineColours): RowLabel;
  /** The row's twisty was clicked: collapse or expand; true when the layout changed. */
  toggle(row: number): boolean;
  draw(frame: DrawFrame): void;
  /** What is at time t (and `yInRow` pixels below the row's top), with `nsPerPixel` for a few pixels' slack. */
  hitTest(row: number, t: number, yInRow: number, nsPerPixel: number): Hit | null;
  tooltip(hit: Hit): TooltipText;
  /** Shows the hit's details (the side panel); null clears them. */
  select(hit: Hit | null): void;
  /** Double click / Enter: open the hit's source when it has one. */
  activate(hit: Hit): void;
  /** The time range a hit covers, for "zoom to selection". */
  extent(hit: Hit): [number, number] | null;
  rangeStats(t0: number, t1: number): StatLine[];
  /** Buttons for what can be done with a selected range (an execution trace: its profiles on the code). */
  rangeActions?(t0: number, t1: number): HTMLElement | null;
  /** Activity over time for the minimap: `buckets` values in 0..1. */
  density(buckets: number): Float32Array;
  /**
   * Finds the next (direction 1) or previous (-1) item whose name matches `query`, shows and selects it;
   * its place among all matches, or null when nothing matches.
   */
  find(query: string, direction: 1 | -1): { readonly position: number; readonly total: number } | null;
}
