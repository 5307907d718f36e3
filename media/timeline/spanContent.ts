// A span trace in the timeline shell: a waterfall per trace (or grouped by service), collapsible traces
// and subtrees, span details fetched from the worker on selection, the problems panel with its
// highlighted spans, and, when an execution trace of the same run is open, what each matched span's
// goroutines did. Spans open their code from code.* attributes, or offer matching workspace functions.

import type { SpanProblem } from '../../core/timeline';
import { el, replaceChildren } from '../shared/dom';
import { ProblemsPanel } from './problemsPanel';
import type { RowLayout } from './rowLayout';
import { SpanDetailsPanel, type SpanDetailActions } from './spanDetails';
import { SpanRenderer } from './spanRenderer';
import { SpanRowKind, buildSpanRows, type SpanRows } from './spanRows';
import type { DrawFrame, Hit, RowLabel, StatLine, TimelineContent, TooltipText } from './timelineContent';
import type { TimelineColours } from './timelineColours';
import type { TimelineControls } from './timelineView';
import { durationText } from './timeFormat';
import type { SpanActivity, SpanModelView, SpanTaskMatchView } from './workerProtocol';

export interface SpanContentState {
  readonly collapsedSpans?: readonly string[];
  readonly collapsedTraces?: readonly string[];
  readonly groupByService?: boolean;
  readonly problemsOpen?: boolean;
}

export interface SpanContentHost extends Omit<SpanDetailActions, 'selectProblem'> {
  saveState(state: SpanContentState): void;
}

interface SpanHit extends Hit {
  readonly kind: 'span' | 'trace';
  readonly index: number;
}

/** Traces start collapsed when a file has more than this many (a list of traces, like Jaeger's search). */
const MANY_TRACES = 50;
const SLACK_PIXELS = 3;

export class SpanContent implements TimelineContent {
  readonly minNs: number;
  readonly maxNs: number;
  readonly originNs: number;
  readonly summary: string;
  readonly toolbarItems: HTMLElement[];
  private readonly renderer: SpanRenderer;
  private readonly details: SpanDetailsPanel;
  private readonly problemsPanel: ProblemsPanel;
  private readonly detailsTab: HTMLButtonElement;
  private readonly problemsTab: HTMLButtonElement;
  private readonly detailsBody: HTMLElement;
  private readonly problemsBody: HTMLElement;
  private readonly matchNote: HTMLElement;
  private rows: SpanRows;
  private collapsedTraces: Set<number>;
  private readonly collapsedSpans: Uint8Array;
  private groupByService: boolean;
  private readonly marks: { inProblem: Uint8Array; highlighted: Uint8Array; activity: Map<number, SpanActivity>; serviceColour: Map<number, number> };
  private controls: TimelineControls | null = null;
  private selectedSpan = -1;
  private problemsOpen = false;
  private findQuery = '';
  private findMatches: number[] = [];
  private findCursor = -1;

  constructor(
    readonly model: SpanModelView,
    sideTarget: HTMLElement,
    private readonly host: SpanContentHost,
    restored: SpanContentState | undefined,
  ) {
    const { spans, traces } = model;
    let min = Infinity;
    let max = -Infinity;
    for (let t = 0; t < traces.count; t++) {
      min = Math.min(min, traces.start[t]!);
      max = Math.max(max, traces.end[t]!);
    }
    if (!Number.isFinite(min)) [min, max] = [0, 1000];
    this.minNs = min;
    this.maxNs = Math.max(max, min + 1000);
    this.originNs = min;
    this.renderer = new SpanRenderer(model);

    const traceIndex = new Map<string, number>();
    for (let t = 0; t < traces.count; t++) traceIndex.set(traces.traceId[t]!, t);
    const spanIndex = new Map<string, number>();
    for (let s = 0; s < spans.count; s++) spanIndex.set(`${spans.trace[s]}:${spans.spanId[s]}`, s);
    this.collapsedTraces = new Set<number>();
    if (Array.isArray(restored?.collapsedTraces)) {
      for (const id of restored.collapsedTraces) if (traceIndex.has(id)) this.collapsedTraces.add(traceIndex.get(id)!);
    } else if (traces.count > MANY_TRACES) {
      for (let t = 0; t < traces.count; t++) this.collapsedTraces.add(t);
    }
    this.collapsedSpans = new Uint8Array(spans.count);
    if (Array.isArray(restored?.collapsedSpans)) {
      for (const key of restored.collapsedSpans) {
        const row = spanIndex.get(key);
        if (row !== undefined) this.collapsedSpans[row] = 1;
      }
    }
    this.groupByService = restored?.groupByService === true;
    const serviceColour = new Map<number, number>();
    model.services.forEach((s, i) => serviceColour.set(s, i));
    this.marks = { inProblem: new Uint8Array(spans.count), highlighted: new Uint8Array(spans.count), activity: new Map(), serviceColour };
    for (const problem of model.problems) for (const row of problem.spans) this.marks.inProblem[row] = 1;
    this.rows = this.buildRows();

    const formatNames = { 'otlp-json': 'OTLP/JSON', 'jaeger-json': 'Jaeger JSON', 'zipkin-json': 'Zipkin v2 JSON' } as const;
    this.summary = `${formatNames[model.format]} · ${traces.count} trace${traces.count === 1 ? '' : 's'} · ${spans.count.toLocaleString('en-US')} spans · ${model.services.length} services · ${model.problems.length} problem${model.problems.length === 1 ? '' : 's'}`;

    // Side panel: a Span tab (details) and a Problems tab.
    this.detailsTab = el('button', { type: 'button', class: 'tab', role: 'tab' }, 'Span');
    this.problemsTab = el('button', { type: 'button', class: 'tab', role: 'tab' }, `Problems (${model.problems.length})`);
    this.detailsBody = el('div', { class: 'tab-body details-body', role: 'tabpanel' });
    this.problemsBody = el('div', { class: 'tab-body problems-body', role: 'tabpanel' });
    this.matchNote = el('p', { class: 'match-note muted', hidden: true });
    this.detailsTab.addEventListener('click', () => this.showTab('details'));
    this.problemsTab.addEventListener('click', () => this.showTab('problems'));
    replaceChildren(sideTarget, el('div', { class: 'tabs', role: 'tablist' }, this.detailsTab, this.problemsTab), this.matchNote, this.detailsBody, this.problemsBody);
    this.details = new SpanDetailsPanel(this.detailsBody, model, { ...host, selectProblem: (p) => this.selectProblem(p) });
    this.problemsPanel = new ProblemsPanel(this.problemsBody, model, (p) => this.selectProblem(p));
    const problemsFirst = restored?.problemsOpen ?? model.problems.length > 0;
    this.showTab(problemsFirst ? 'problems' : 'details');

    const group = el('button', { type: 'button', class: 'secondary', 'aria-pressed': String(this.groupByService), title: 'Group each trace\'s spans by service' }, 'Group by Service');
    group.addEventListener('click', () => {
      this.groupByService = !this.groupByService;
      group.setAttribute('aria-pressed', String(this.groupByService));
      this.changed();
    });
    const collapse = el('button', { type: 'button', class: 'secondary', title: 'Collapse every trace to its header' }, 'Collapse Traces');
    collapse.addEventListener('click', () => {
      this.collapsedTraces = new Set(Array.from({ length: traces.count }, (_, t) => t));
      this.changed();
    });
    const expand = el('button', { type: 'button', class: 'secondary', title: 'Expand every trace' }, 'Expand Traces');
    expand.addEventListener('click', () => {
      this.collapsedTraces = new Set();
      this.changed();
    });
    this.toolbarItems = [group, collapse, expand];
  }

  attach(controls: TimelineControls): void {
    this.controls = controls;
  }

  private showTab(tab: 'details' | 'problems'): void {
    this.detailsBody.hidden = tab !== 'details';
    this.problemsBody.hidden = tab !== 'problems';
    this.detailsTab.setAttribute('aria-selected', String(tab === 'details'));
    this.problemsTab.setAttribute('aria-selected', String(tab === 'problems'));
    this.detailsTab.classList.toggle('active', tab === 'details');
    this.problemsTab.classList.toggle('active', tab === 'problems');
    this.saveState(tab === 'problems');
  }

  private saveState(problemsOpen = this.problemsOpen): void {
    this.problemsOpen = problemsOpen;
    const { spans, traces } = this.model;
    const collapsedSpans: string[] = [];
    for (let s = 0; s < spans.count && collapsedSpans.length < 5000; s++) if (this.collapsedSpans[s]) collapsedSpans.push(`${spans.trace[s]}:${spans.spanId[s]}`);
    this.host.saveState({
      collapsedSpans,
      collapsedTraces: [...this.collapsedTraces].slice(0, 5000).map((t) => traces.traceId[t]!),
      groupByService: this.groupByService,
      problemsOpen,
    });
  }

  private buildRows(): SpanRows {
    return buildSpanRows(this.model, { collapsedTraces: this.collapsedTraces, collapsedSpans: this.collapsedSpans, groupByService: this.groupByService });
  }

  private changed(): void {
    this.rows = this.buildRows();
    this.saveState();
    this.controls?.relayout();
  }

  layout(): RowLayout {
    return this.rows.layout;
  }

  get currentRows(): SpanRows {
    return this.rows;
  }

  private name(row: number): string {
    return this.model.strings[this.model.spans.name[row]!] ?? '';
  }

  private service(row: number): string {
    return this.model.strings[this.model.spans.service[row]!] ?? '';
  }

  label(row: number, colours: TimelineColours): RowLabel {
    const { spans, traces, strings } = this.model;
    const ref = this.rows.ref[row]!;
    switch (this.rows.kind[row]) {
      case SpanRowKind.Trace: {
        const first = traces.firstSpan[ref]!;
        const traceId = traces.traceId[ref]!;
        const problems = this.model.problems.filter((p) => p.traceId === traceId).length;
        return {
          kind: 'trace',
          depth: 0,
          text: this.name(first),
          detail: `${traceId.slice(0, 8)} · ${traces.spanCount[ref]} spans${problems ? ` · ${problems} problem${problems === 1 ? '' : 's'}` : ''}`,
          twisty: this.collapsedTraces.has(ref) ? 'closed' : 'open',
          title: `Trace ${traceId}: ${traces.spanCount[ref]} spans in ${traces.services[ref]!.length} services, ${durationText(traces.end[ref]! - traces.start[ref]!)}`,
          error: problems > 0,
        };
      }
      case SpanRowKind.Service: {
        const service = this.rows.service[row]!;
        return { kind: 'service', depth: 1, text: strings[service] ?? '', swatch: colours.category(this.marks.serviceColour.get(service) ?? 0), title: `Spans of ${strings[service]} in this trace` };
      }
      default: {
        const hasChildren = spans.subtreeEnd[ref]! > ref + 1 && !this.groupByService;
        return {
          kind: 'span',
          depth: 1 + (this.groupByService ? 1 : Math.min(24, spans.depth[ref]!)),
          text: this.name(ref),
          detail: this.service(ref),
          swatch: colours.category(this.marks.serviceColour.get(spans.service[ref]!) ?? 0),
          twisty: hasChildren ? (this.collapsedSpans[ref] ? 'closed' : 'open') : undefined,
          title: `${this.name(ref)} (${this.service(ref)}): ${durationText(spans.end[ref]! - spans.start[ref]!)}`,
          error: spans.status[ref] === 2,
          highlighted: this.marks.highlighted[ref] === 1,
          selected: this.selectedSpan === ref,
        };
      }
    }
  }

  toggle(row: number): boolean {
    const ref = this.rows.ref[row]!;
    if (this.rows.kind[row] === SpanRowKind.Trace) {
      if (this.collapsedTraces.has(ref)) this.collapsedTraces.delete(ref);
      else this.collapsedTraces.add(ref);
    } else if (this.rows.kind[row] === SpanRowKind.Span && this.model.spans.subtreeEnd[ref]! > ref + 1) {
      this.collapsedSpans[ref] = this.collapsedSpans[ref] ? 0 : 1;
    } else {
      return false;
    }
    this.rows = this.buildRows();
    this.saveState();
    return true;
  }

  draw(frame: DrawFrame): void {
    this.renderer.draw(frame, this.rows, this.marks);
    const hit = frame.selected as SpanHit | null;
    if (hit?.kind === 'span') {
      const row = this.rows.spanRow[hit.index]!;
      if (row >= 0) {
        const { viewport, width, context, colours } = frame;
        const x0 = Math.max(-2, viewport.toX(this.model.spans.start[hit.index]!, width));
        const x1 = Math.min(width + 2, viewport.toX(this.model.spans.end[hit.index]!, width));
        context.strokeStyle = colours.focus;
        context.lineWidth = 2;
        context.strokeRect(x0 - 1, this.rows.layout.top(row) - frame.scrollTop + 2, Math.max(2, x1 - x0) + 2, this.rows.layout.height(row) - 6);
        context.lineWidth = 1;
      }
    }
  }

  hitTest(row: number, t: number, _yInRow: number, nsPerPixel: number): Hit | null {
    const ref = this.rows.ref[row]!;
    const slack = nsPerPixel * SLACK_PIXELS;
    if (this.rows.kind[row] === SpanRowKind.Trace) {
      const { traces } = this.model;
      if (t < traces.start[ref]! - slack || t > traces.end[ref]! + slack) return null;
      return { row, key: `trace:${ref}`, kind: 'trace', index: ref } as SpanHit;
    }
    if (this.rows.kind[row] !== SpanRowKind.Span) return null;
    const { spans } = this.model;
    if (t < spans.start[ref]! - slack || t > spans.end[ref]! + slack) return null;
    return { row, key: `span:${ref}`, kind: 'span', index: ref } as SpanHit;
  }

  tooltip(hit: Hit): TooltipText {
    const h = hit as SpanHit;
    const { spans, traces } = this.model;
    if (h.kind === 'trace') {
      return { title: `Trace ${traces.traceId[h.index]}`, lines: [`${traces.spanCount[h.index]} spans · ${durationText(traces.end[h.index]! - traces.start[h.index]!)}`] };
    }
    const s = h.index;
    const lines = [`${this.service(s)} · ${durationText(spans.end[s]! - spans.start[s]!)}`, `starts ${durationText(spans.start[s]! - traces.start[spans.trace[s]!]!)} into the trace`];
    if (spans.status[s] === 2) lines.push('status: error');
    if (this.marks.inProblem[s]) lines.push('part of a broken chain (see Problems)');
    const activity = this.marks.activity.get(s);
    if (activity) lines.push(`matched runtime/trace task ${activity.taskId} (${activity.goroutines.length} goroutine${activity.goroutines.length === 1 ? '' : 's'})`);
    return { title: this.name(s), lines };
  }

  select(hit: Hit | null): void {
    const h = hit as SpanHit | null;
    this.selectedSpan = h?.kind === 'span' ? h.index : -1;
    if (!h) {
      this.details.clear();
      return;
    }
    this.showTab('details');
    if (h.kind === 'trace') this.details.showTrace(h.index);
    else void this.details.showSpan(h.index, this.marks.activity.get(h.index));
  }

  activate(hit: Hit): void {
    const h = hit as SpanHit;
    if (h.kind === 'trace') {
      this.controls?.reveal(hit.row, [this.model.traces.start[h.index]!, this.model.traces.end[h.index]!]);
      return;
    }
    this.select(hit);
    void this.openCode(h.index);
  }

  /** Opens a span's code: its code attributes, or the best workspace function when one stands out. */
  private async openCode(span: number): Promise<void> {
    const details = await this.host.requestDetails(span);
    const source = details?.source;
    if (source?.file) {
      this.host.openSource(source.file, source.line ?? 1, source.function ?? this.name(span));
      return;
    }
    const result = await this.host.findFunctions(source?.function ?? this.name(span));
    const [best, second] = result.matches;
    if (best && best.score >= 90 && (!second || second.score < best.score)) this.host.openFunction(best);
  }

  extent(hit: Hit): [number, number] | null {
    const h = hit as SpanHit;
    if (h.kind === 'trace') return [this.model.traces.start[h.index]!, this.model.traces.end[h.index]!];
    return [this.model.spans.start[h.index]!, this.model.spans.end[h.index]!];
  }

  rangeStats(t0: number, t1: number): StatLine[] {
    const { spans, strings } = this.model;
    let overlapping = 0;
    let starting = 0;
    let errors = 0;
    const traces = new Set<number>();
    const byService = new Map<number, number>();
    for (let s = 0; s < spans.count; s++) {
      if (spans.end[s]! <= t0 || spans.start[s]! >= t1) continue;
      overlapping++;
      if (spans.start[s]! >= t0) starting++;
      if (spans.status[s] === 2) errors++;
      traces.add(spans.trace[s]!);
      byService.set(spans.service[s]!, (byService.get(spans.service[s]!) ?? 0) + 1);
    }
    const lines: StatLine[] = [
      { label: 'Spans in the range', value: overlapping.toLocaleString('en-US'), raw: overlapping },
      { label: 'Spans starting in it', value: starting.toLocaleString('en-US'), raw: starting },
      { label: 'Traces', value: String(traces.size), raw: traces.size },
      { label: 'Errors', value: String(errors), raw: errors },
    ];
    for (const [service, count] of [...byService].sort((a, b) => b[1] - a[1]).slice(0, 5)) lines.push({ label: strings[service] ?? '', value: `${count} spans`, raw: count });
    return lines;
  }

  density(buckets: number): Float32Array {
    const { spans } = this.model;
    const delta = new Float32Array(buckets + 1);
    const width = (this.maxNs - this.minNs) / buckets;
    for (let s = 0; s < spans.count; s++) {
      const b0 = Math.max(0, Math.min(buckets - 1, Math.floor((spans.start[s]! - this.minNs) / width)));
      const b1 = Math.max(b0, Math.min(buckets - 1, Math.floor((spans.end[s]! - this.minNs) / width)));
      delta[b0]! += 1;
      delta[b1 + 1]! -= 1;
    }
    const out = new Float32Array(buckets);
    let running = 0;
    let max = 0;
    for (let b = 0; b < buckets; b++) {
      running += delta[b]!;
      out[b] = running;
      max = Math.max(max, running);
    }
    if (max > 0) for (let b = 0; b < buckets; b++) out[b] = out[b]! / max;
    return out;
  }

  /** Highlights a problem's spans, expands what hides them and shows the first. */
  selectProblem(problem: SpanProblem): void {
    this.marks.highlighted.fill(0);
    for (const row of problem.spans) this.marks.highlighted[row] = 1;
    this.problemsPanel.select(problem);
    const first = problem.spans[0];
    if (first === undefined) return;
    const changed = this.expandTo(first);
    if (changed) this.changed();
    const { traces, spans } = this.model;
    const trace = spans.trace[first]!;
    let start = Infinity;
    let end = -Infinity;
    for (const row of problem.spans) {
      start = Math.min(start, spans.start[row]!);
      end = Math.max(end, spans.end[row]!);
    }
    start = Math.min(start, traces.start[trace]!);
    end = Math.max(end, traces.end[trace]!);
    this.controls?.reveal(this.rows.spanRow[first]!, [start, end]);
    this.controls?.redraw();
  }

  /** Makes span `row` visible (its trace and ancestors expanded); true when rows changed. */
  private expandTo(row: number): boolean {
    const { spans } = this.model;
    let changed = this.collapsedTraces.delete(spans.trace[row]!);
    for (let p = spans.parent[row]!; p >= 0; p = spans.parent[p]!) {
      if (this.collapsedSpans[p]) {
        this.collapsedSpans[p] = 0;
        changed = true;
      }
    }
    return changed;
  }

  /** Selects and shows a span (from a test, a problem or a search). */
  revealSpan(row: number): void {
    if (this.expandTo(row)) this.changed();
    const at = this.rows.spanRow[row]!;
    this.controls?.reveal(at, [this.model.spans.start[row]!, this.model.spans.end[row]!]);
    this.controls?.selectHit({ row: at, key: `span:${row}`, kind: 'span', index: row } as SpanHit);
  }

  /** Spans whose name or service contains the query, or whose span or trace ID starts with it. */
  find(query: string, direction: 1 | -1): { position: number; total: number } | null {
    if (query !== this.findQuery) {
      this.findQuery = query;
      const needle = query.toLowerCase();
      const { spans, traces, strings } = this.model;
      this.findMatches = [];
      for (let s = 0; s < spans.count && this.findMatches.length < 10_000; s++) {
        const name = (strings[spans.name[s]!] ?? '').toLowerCase();
        const service = (strings[spans.service[s]!] ?? '').toLowerCase();
        if (name.includes(needle) || service.includes(needle) || spans.spanId[s]!.startsWith(needle) || traces.traceId[spans.trace[s]!]!.startsWith(needle)) this.findMatches.push(s);
      }
      this.findCursor = -1;
    }
    const total = this.findMatches.length;
    if (total === 0) return null;
    this.findCursor = this.findCursor < 0 ? (direction === 1 ? 0 : total - 1) : (this.findCursor + direction + total) % total;
    this.revealSpan(this.findMatches[this.findCursor]!);
    return { position: this.findCursor + 1, total };
  }

  /** Spans matched with the runtime/trace tasks of an execution trace of the same run. */
  setMatch(match: SpanTaskMatchView | null): void {
    this.marks.activity.clear();
    if (match) for (const activity of match.activities) this.marks.activity.set(activity.span, activity);
    if (!match) this.matchNote.hidden = true;
    else {
      this.matchNote.hidden = false;
      this.matchNote.textContent =
        match.matched > 0
          ? `${match.matched} span${match.matched === 1 ? '' : 's'} matched with runtime/trace tasks in ${match.fileName} (${match.alignment === 'wall-clock' ? 'clocks aligned by the trace' : 'clock offset estimated'}): select one to see what its goroutines did.`
          : `No span matched a runtime/trace task in ${match.fileName}: it is probably not from the same run.`;
    }
    if (this.selectedSpan >= 0) void this.details.showSpan(this.selectedSpan, this.marks.activity.get(this.selectedSpan));
    this.controls?.redraw();
  }
}
