// The timeline shell: the toolbar, the minimap, the time axis, the label column and the lane canvas,
// with everything a user does to move around: Ctrl/Alt+wheel zooms at the pointer, Shift+wheel and
// horizontal wheel pan, the wheel scrolls lanes, dragging pans, Shift+drag (or a drag on the axis)
// selects a range and shows its statistics, W/A/S/D zoom and pan as in `go tool trace`. Only the rows
// in view are drawn (the content draws only what is inside the visible time range of each row), and a
// redraw happens at most once per animation frame.

import { createSizedCanvas, type SizedCanvas } from '../shared/canvas';
import { el, replaceChildren } from '../shared/dom';
import { watchTheme } from '../shared/theme';
import { FrameStats, type MotionFigures } from './frameStats';
import { KeyboardMotion } from './keyboardMotion';
import { LabelColumn } from './labelColumn';
import { Minimap } from './minimap';
import { drawTimeAxis, tickTimes } from './timeAxis';
import type { Hit, TimelineContent } from './timelineContent';
import { TimelineColours } from './timelineColours';
import { durationText } from './timeFormat';
import { TimeViewport } from './timeViewport';
import { Tooltip } from '../shared/tooltip';
import type { RowLayout } from './rowLayout';

const POINTER_HINT = 'Click for details · double-click opens the code';
const HELP =
  'W/S zoom · A/D pan · Ctrl+wheel zooms · drag pans · Shift+drag selects a range · 0 shows everything · F fits the selection · Esc clears';

/** What the content may ask of the shell. */
export interface TimelineControls {
  redraw(): void;
  /** The rows changed (collapsed, sorted): lay out again. */
  relayout(): void;
  /** Scrolls row into view and, with a range, shows that time range. */
  reveal(row: number, range?: [number, number]): void;
  /** Selects a hit as if clicked (and shows its details). */
  selectHit(hit: Hit | null): void;
}

export interface ViewPosition {
  readonly viewStart: number;
  readonly viewEnd: number;
  readonly scrollTop: number;
}

export class TimelineView implements TimelineControls {
  readonly element: HTMLElement;
  readonly side: HTMLElement;
  private readonly rangePanel: HTMLElement;
  private readonly lanes: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly canvasHost: HTMLElement;
  private readonly canvas: SizedCanvas;
  private readonly axis: SizedCanvas;
  private readonly labels: LabelColumn;
  private readonly minimap: Minimap;
  private readonly tooltip: Tooltip;
  private readonly motion: KeyboardMotion;
  private readonly stats = new FrameStats();
  private readonly viewport: TimeViewport;
  private colours = TimelineColours.fromTheme();
  private layout: RowLayout;
  private selected: Hit | null = null;
  private hovered: Hit | null = null;
  private range: [number, number] | null = null;
  private pointerX: number | null = null;
  private drag: { x: number; y: number; moved: boolean; selecting: boolean; startTime: number; scrollTop: number; lastX: number } | null = null;
  private drawScheduled = false;
  private labelsKey = '';
  private wheelTimer = 0;
  private firstFrame: ((at: number) => void) | null;
  /** Removes the window and document listeners when the view goes. */
  private readonly listeners = new AbortController();
  private readonly stopWatchingTheme: () => void;

  constructor(
    root: HTMLElement,
    private readonly content: TimelineContent,
    private readonly hooks: {
      readonly toolbarItems: readonly HTMLElement[];
      readonly restored?: Partial<ViewPosition>;
      readonly savePosition: (position: ViewPosition) => void;
      readonly motionFigures: (name: string, figures: MotionFigures) => void;
      readonly firstFrame: (at: number) => void;
      /** A panel docked under the lanes and the side column (the execution trace's Analysis view). */
      readonly panel?: HTMLElement;
      /** The selected range changed (null: cleared). */
      readonly rangeChanged?: (range: [number, number] | null) => void;
    },
  ) {
    this.firstFrame = hooks.firstFrame;
    this.viewport = new TimeViewport(content.minNs, content.maxNs);
    this.layout = content.layout();

    const summary = el('span', { class: 'summary-text' }, content.summary);
    const findInput = el('input', { type: 'search', class: 'find', placeholder: 'Find…', 'aria-label': 'Find by name', spellcheck: 'false' });
    const findStatus = el('span', { class: 'find-status muted', role: 'status' });
    findInput.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      event.preventDefault();
      const query = findInput.value.trim();
      if (!query) {
        findStatus.textContent = '';
        return;
      }
      const found = this.content.find(query, event.shiftKey ? -1 : 1);
      findStatus.textContent = found ? `${found.position} of ${found.total}` : 'No match';
    });
    const showAll = el('button', { type: 'button', class: 'secondary', title: 'Show the whole trace (0)' }, 'Show All');
    showAll.addEventListener('click', () => this.showAll());
    const fit = el('button', { type: 'button', class: 'secondary', title: 'Zoom to the selected range or item (F)' }, 'Zoom to Selection');
    fit.addEventListener('click', () => this.zoomToSelection());
    const help = el('span', { class: 'help', title: HELP }, '?');
    const toolbar = el('div', { class: 'toolbar', role: 'toolbar' }, summary, el('span', { class: 'spacer-flex' }), findInput, findStatus, ...hooks.toolbarItems, showAll, fit, help);

    const minimapHost = el('div', { class: 'minimap-host', title: 'The whole trace: click or drag to move the view' });
    const axisHost = el('div', { class: 'axis-host', title: 'Drag to select a range' });
    this.canvasHost = el('div', { class: 'canvas-host' });
    const labelsHost = el('div', { class: 'labels-host' });
    const sticky = el('div', { class: 'lanes-sticky' }, labelsHost, this.canvasHost);
    this.spacer = el('div', { class: 'lanes-spacer' });
    this.lanes = el('div', { class: 'lanes', tabindex: 0, role: 'application', 'aria-label': `Timeline. ${HELP}.` }, sticky, this.spacer);
    const chart = el(
      'div',
      { class: 'chart' },
      el('div', { class: 'minimap-row' }, el('div', { class: 'corner' }, 'Overview'), minimapHost),
      el('div', { class: 'axis-row' }, el('div', { class: 'corner' }, 'Time'), axisHost),
      this.lanes,
    );
    this.rangePanel = el('section', { class: 'range-panel', hidden: true, 'aria-label': 'Selected range' });
    this.side = el('div', { class: 'side-content' });
    const sidePanel = el('aside', { class: 'side' }, this.rangePanel, this.side);
    this.element = el('div', { class: 'timeline' }, toolbar, el('div', { class: 'main' }, chart, sidePanel), hooks.panel ?? null);
    root.appendChild(this.element);

    this.labels = new LabelColumn(labelsHost, (row) => {
      if (this.content.toggle(row)) this.relayout();
    });
    this.tooltip = new Tooltip(document.body);
    this.canvas = createSizedCanvas(this.canvasHost, () => this.onResize());
    this.axis = createSizedCanvas(axisHost, () => this.scheduleDraw());
    this.minimap = new Minimap(
      minimapHost,
      this.listeners.signal,
      () => ({ viewport: this.viewport, colours: this.colours, density: (b) => this.content.density(b), range: this.range }),
      (centre) => {
        this.viewport.set(centre - this.viewport.span / 2, centre + this.viewport.span / 2);
        this.viewChanged();
      },
    );
    this.motion = new KeyboardMotion({
      zoom: (factor) => this.viewport.zoomAt(factor, this.pointerX ?? this.canvas.width / 2, this.canvas.width),
      pan: (fraction) => this.viewport.panFraction(fraction),
      redraw: () => this.drawNow(),
      motionStarted: () => this.stats.begin(),
      motionEnded: () => {
        this.endMotion('keyboard');
        this.savePosition();
      },
    });

    const restored = hooks.restored;
    if (restored && Number.isFinite(restored.viewStart) && Number.isFinite(restored.viewEnd) && restored.viewEnd! > restored.viewStart!) {
      this.viewport.set(restored.viewStart!, restored.viewEnd!);
    }
    this.onResize();
    if (restored && Number.isFinite(restored.scrollTop)) this.lanes.scrollTop = restored.scrollTop!;
    this.listen(axisHost);
    this.stopWatchingTheme = watchTheme(() => {
      this.colours = TimelineColours.fromTheme();
      this.minimap.invalidate();
      this.labelsKey = '';
      this.scheduleDraw();
    });
    this.drawNow();
  }

  /** Stops listening to the window, the document and the theme; the caller removes the element. */
  dispose(): void {
    this.listeners.abort();
    this.stopWatchingTheme();
    this.motion.releaseAll();
    this.tooltip.element.remove();
    this.canvas.dispose();
    this.axis.dispose();
  }

  // --- Controls for the content ------------------------------------------------------------------------

  redraw(): void {
    this.labelsKey = '';
    this.scheduleDraw();
  }

  relayout(): void {
    this.layout = this.content.layout();
    this.labelsKey = '';
    this.minimap.invalidate();
    this.onResize();
  }

  reveal(row: number, range?: [number, number]): void {
    if (row >= 0 && row < this.layout.count) {
      const top = this.layout.top(row);
      const height = this.lanes.clientHeight;
      if (top < this.lanes.scrollTop || top + this.layout.height(row) > this.lanes.scrollTop + height) {
        this.lanes.scrollTop = Math.max(0, top - height / 3);
      }
    }
    if (range) {
      const pad = Math.max((range[1] - range[0]) * 0.15, 1000);
      this.viewport.set(range[0] - pad, range[1] + pad);
    }
    this.viewChanged();
  }

  selectHit(hit: Hit | null): void {
    this.selected = hit;
    this.content.select(hit);
    this.redraw();
  }

  /** The visible time range, for tests and the bench (also on the element as data attributes). */
  get visibleRange(): [number, number] {
    return [this.viewport.start, this.viewport.end];
  }

  // --- Drawing ----------------------------------------------------------------------------------------

  private onResize(): void {
    this.spacer.style.height = `${Math.max(0, this.layout.totalHeight - this.lanes.clientHeight)}px`;
    this.labelsKey = '';
    this.scheduleDraw();
  }

  private scheduleDraw(): void {
    if (this.drawScheduled) return;
    this.drawScheduled = true;
    requestAnimationFrame(() => {
      this.drawScheduled = false;
      this.drawNow();
    });
  }

  private drawNow(): void {
    const started = performance.now();
    const { context, width, height } = this.canvas;
    const colours = this.colours;
    const scrollTop = this.lanes.scrollTop;
    const [firstRow, lastRow] = this.layout.visible(scrollTop, scrollTop + height);

    context.fillStyle = colours.background;
    context.fillRect(0, 0, width, height);
    context.fillStyle = colours.laneStripe;
    for (let row = firstRow; row < lastRow; row++) {
      if (row % 2 === 1) context.fillRect(0, this.layout.top(row) - scrollTop, width, this.layout.height(row));
    }
    const { times } = tickTimes(this.viewport, width);
    context.strokeStyle = colours.grid;
    context.lineWidth = 1;
    context.beginPath();
    for (const t of times) {
      const x = Math.round(this.viewport.toX(t, width)) + 0.5;
      context.moveTo(x, 0);
      context.lineTo(x, height);
    }
    context.stroke();

    this.content.draw({ context, viewport: this.viewport, colours, width, height, scrollTop, firstRow, lastRow, selected: this.selected, hovered: this.hovered });

    if (this.range) {
      const x0 = this.viewport.toX(this.range[0], width);
      const x1 = this.viewport.toX(this.range[1], width);
      context.fillStyle = colours.rangeShade;
      context.fillRect(x0, 0, Math.max(1, x1 - x0), height);
      context.strokeStyle = colours.focus;
      context.beginPath();
      context.moveTo(Math.round(x0) + 0.5, 0);
      context.lineTo(Math.round(x0) + 0.5, height);
      context.moveTo(Math.round(x1) + 0.5, 0);
      context.lineTo(Math.round(x1) + 0.5, height);
      context.stroke();
    }
    drawTimeAxis(this.axis.context, this.viewport, colours, this.axis.width, this.axis.height, this.content.originNs, this.range);
    this.minimap.draw();

    const labelsKey = `${firstRow}:${lastRow}:${scrollTop}:${this.layout.count}`;
    if (labelsKey !== this.labelsKey) {
      this.labelsKey = labelsKey;
      this.labels.render(firstRow, lastRow, (r) => this.layout.top(r), (r) => this.layout.height(r), (r) => this.content.label(r, colours), scrollTop);
    }
    this.lanes.dataset.viewStart = String(this.viewport.start);
    this.lanes.dataset.viewEnd = String(this.viewport.end);

    const finished = performance.now();
    this.stats.frame(finished - started, finished);
    if (this.firstFrame) {
      const report = this.firstFrame;
      this.firstFrame = null;
      report(finished);
    }
  }

  private viewChanged(): void {
    this.scheduleDraw();
    this.savePosition();
  }

  private savePosition(): void {
    this.hooks.savePosition({ viewStart: this.viewport.start, viewEnd: this.viewport.end, scrollTop: this.lanes.scrollTop });
  }

  private endMotion(name: string): void {
    const figures = this.stats.end();
    if (figures) this.hooks.motionFigures(name, figures);
  }

  /** Wheel and drag motions end when nothing happened for a moment. */
  private continueMotion(name: string): void {
    this.stats.begin();
    window.clearTimeout(this.wheelTimer);
    this.wheelTimer = window.setTimeout(() => {
      this.endMotion(name);
      this.savePosition();
    }, 250);
  }

  // --- Navigation -------------------------------------------------------------------------------------

  private showAll(): void {
    this.viewport.showAll();
    this.viewChanged();
  }

  private zoomToSelection(): void {
    const extent = this.range ?? (this.selected ? this.content.extent(this.selected) : null);
    if (!extent) return;
    const pad = Math.max((extent[1] - extent[0]) * 0.05, 500);
    this.viewport.set(extent[0] - pad, extent[1] + pad);
    this.viewChanged();
  }

  private setRange(range: [number, number] | null): void {
    this.range = range && range[1] - range[0] > 0 ? range : null;
    this.hooks.rangeChanged?.(this.range);
    if (!this.range) {
      this.rangePanel.hidden = true;
      replaceChildren(this.rangePanel);
    } else {
      const [t0, t1] = this.range;
      const lines = this.content.rangeStats(t0, t1);
      const clear = el('button', { type: 'button', class: 'link', title: 'Clear the range (Esc)' }, 'Clear');
      clear.addEventListener('click', () => {
        this.setRange(null);
        this.scheduleDraw();
      });
      replaceChildren(
        this.rangePanel,
        el('h2', {}, 'Selected range ', clear),
        el(
          'dl',
          { class: 'stats' },
          ...[
            { label: 'From', value: durationText(t0 - this.content.originNs), raw: t0 },
            { label: 'To', value: durationText(t1 - this.content.originNs), raw: t1 },
            { label: 'Duration', value: durationText(t1 - t0), raw: t1 - t0 },
            ...lines,
          ].flatMap((line) => {
            const value = el('dd', {}, line.value);
            if (line.raw !== undefined) value.dataset.value = String(line.raw);
            return [el('dt', {}, line.label), value];
          }),
        ),
        this.content.rangeActions?.(t0, t1) ?? null,
      );
      this.rangePanel.hidden = false;
    }
  }

  // --- Pointer and keyboard ---------------------------------------------------------------------------

  private hitAt(clientX: number, clientY: number): Hit | null {
    const rect = this.canvas.canvas.getBoundingClientRect();
    const x = clientX - rect.left;
    const y = clientY - rect.top;
    if (x < 0 || y < 0 || x >= rect.width || y >= rect.height) return null;
    const contentY = y + this.lanes.scrollTop;
    const row = this.layout.rowAt(contentY);
    if (row < 0) return null;
    const width = this.canvas.width;
    return this.content.hitTest(row, this.viewport.toTime(x, width), contentY - this.layout.top(row), this.viewport.nsPerPixel(width));
  }

  private listen(axisHost: HTMLElement): void {
    const canvas = this.canvas.canvas;
    this.lanes.addEventListener('scroll', () => {
      this.tooltip.hide();
      this.scheduleDraw();
      // Dragging scrolls too: that is still the drag.
      this.continueMotion(this.drag ? 'drag' : 'scroll');
    });
    this.lanes.addEventListener(
      'wheel',
      (event) => {
        const rect = canvas.getBoundingClientRect();
        const x = event.clientX - rect.left;
        const scale = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? rect.height : 1;
        if (event.ctrlKey || event.metaKey || event.altKey) {
          event.preventDefault();
          this.viewport.zoomAt(Math.exp(event.deltaY * scale * 0.002), x >= 0 ? x : this.canvas.width / 2, this.canvas.width);
        } else if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
          event.preventDefault();
          const delta = event.shiftKey && event.deltaX === 0 ? event.deltaY : event.deltaX;
          this.viewport.panPixels(delta * scale, this.canvas.width);
        } else {
          return; // the lanes scroll natively
        }
        this.tooltip.hide();
        this.continueMotion('wheel');
        this.scheduleDraw();
      },
      { passive: false },
    );

    canvas.addEventListener('mousemove', (event) => {
      const rect = canvas.getBoundingClientRect();
      this.pointerX = event.clientX - rect.left;
      if (this.drag) return;
      const hit = this.hitAt(event.clientX, event.clientY);
      if (hit?.key !== this.hovered?.key) {
        this.hovered = hit;
        canvas.classList.toggle('over-item', hit !== null);
        this.scheduleDraw();
      }
      if (hit) this.tooltip.show(this.content.tooltip(hit), event.clientX, event.clientY, POINTER_HINT);
      else this.tooltip.hide();
    });
    canvas.addEventListener('mouseleave', () => {
      this.pointerX = null;
      this.tooltip.hide();
      if (this.hovered) {
        this.hovered = null;
        this.scheduleDraw();
      }
    });
    const startDrag = (event: MouseEvent, selecting: boolean) => {
      if (event.button !== 0) return;
      event.preventDefault();
      this.lanes.focus({ preventScroll: true });
      const rect = canvas.getBoundingClientRect();
      const x = event.clientX - rect.left;
      this.drag = { x: event.clientX, y: event.clientY, moved: false, selecting, startTime: this.viewport.toTime(x, this.canvas.width), scrollTop: this.lanes.scrollTop, lastX: event.clientX };
    };
    canvas.addEventListener('mousedown', (event) => startDrag(event, event.shiftKey));
    axisHost.addEventListener('mousedown', (event) => startDrag(event, true));
    const signal = this.listeners.signal;
    window.addEventListener('mousemove', (event) => {
      const drag = this.drag;
      if (!drag) return;
      if (!drag.moved && Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) < 4) return;
      drag.moved = true;
      this.tooltip.hide();
      const rect = canvas.getBoundingClientRect();
      if (drag.selecting) {
        const t = this.viewport.toTime(Math.max(0, Math.min(rect.width, event.clientX - rect.left)), this.canvas.width);
        this.setRange([Math.min(drag.startTime, t), Math.max(drag.startTime, t)]);
      } else {
        this.viewport.panPixels(drag.lastX - event.clientX, this.canvas.width);
        this.lanes.scrollTop = drag.scrollTop - (event.clientY - drag.y);
        this.continueMotion('drag');
      }
      drag.lastX = event.clientX;
      this.scheduleDraw();
    }, { signal });
    window.addEventListener('mouseup', (event) => {
      const drag = this.drag;
      this.drag = null;
      if (!drag) return;
      if (drag.moved) {
        this.savePosition();
        return;
      }
      if (drag.selecting) return;
      this.selectHit(this.hitAt(event.clientX, event.clientY));
    }, { signal });
    canvas.addEventListener('dblclick', (event) => {
      const hit = this.hitAt(event.clientX, event.clientY);
      if (hit) this.content.activate(hit);
    });

    document.addEventListener('keydown', (event) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT')) return;
      if (this.element.hidden) return;
      if (this.motion.keyDown(event)) {
        event.preventDefault();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      switch (event.key) {
        case '0':
        case 'Home':
          this.showAll();
          break;
        case 'f':
        case 'F':
          this.zoomToSelection();
          break;
        case 'Escape':
          this.setRange(null);
          this.selectHit(null);
          break;
        case 'Enter':
          if (this.selected && target?.closest('.lanes')) this.content.activate(this.selected);
          else return;
          break;
        default:
          return;
      }
      event.preventDefault();
    }, { signal });
    document.addEventListener('keyup', (event) => {
      if (this.motion.keyUp(event)) event.preventDefault();
    }, { signal });
    window.addEventListener('blur', () => this.motion.releaseAll(), { signal });
  }
}
