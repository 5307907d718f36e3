// An execution trace in the timeline shell: its rows (GC band, P lanes, task rows, goroutine groups and
// lanes), labels, hit testing, tooltips, selection (the side panel with events and stacks), range
// statistics and the minimap's running-goroutine density. Goroutine groups collapse, and goroutines sort
// by busy time or ID; both are remembered in the webview's state.

import { GoroutineState, lowerBound, type ExecutionTraceModel, type TransitionInstance } from '../../core/timeline';
import { el } from '../shared/dom';
import { AnalysisView, type AnalysisSelection } from './analysisView';
import { ExecDetails, STATE_NAMES, programFrame, type ExecHit, type ExecHitKind } from './execDetails';
import { ExecIndex, MAX_REGION_DEPTH, regionLevel } from './execIndex';
import { ExecRenderer } from './execRenderer';
import { traceProfileActions, traceProfileMenu, type DeriveProfile } from './traceProfileActions';
import { execRangeStats } from './execRangeStats';
import {
  REGION_ROW_HEIGHT,
  RowKind,
  SECTION_NAMES,
  Section,
  STATE_BAR_HEIGHT,
  STATE_BAR_TOP,
  buildExecRows,
  defaultCollapsedGroups,
  type ExecRows,
  type SortBy,
} from './execRows';
import type { RowLayout } from './rowLayout';
import type { StackFrameView } from './stackView';
import type { DrawFrame, Hit, RowLabel, StatLine, TimelineContent, TooltipText } from './timelineContent';
import type { TimelineColours } from './timelineColours';
import type { TimelineControls } from './timelineView';
import { durationText, percentText } from './timeFormat';

export interface ExecContentState {
  readonly collapsedGroups?: readonly string[];
  readonly sortBy?: SortBy;
  readonly analysisOpen?: boolean;
}

export interface ExecContentHost {
  openFrame(frame: StackFrameView): void;
  /** Shows a profile derived from the trace (for a scope of it) on the code. */
  deriveProfile: DeriveProfile;
  saveState(state: ExecContentState): void;
}

const SLACK_PIXELS = 3;

/** The interval of a sorted, disjoint lane [from, to) containing t, or the nearest within slack; -1 if none. */
function intervalAt(start: Float64Array, end: Float64Array, from: number, to: number, t: number, slack: number): number {
  const i = lowerBound(start, from, to, t) - 1;
  let best = -1;
  let bestDistance = slack;
  for (const k of [i, i + 1]) {
    if (k < from || k >= to) continue;
    const distance = t < start[k]! ? start[k]! - t : t > end[k]! ? t - end[k]! : 0;
    if (distance <= bestDistance) {
      best = k;
      bestDistance = distance;
    }
  }
  return best;
}

export class ExecContent implements TimelineContent {
  readonly minNs: number;
  readonly maxNs: number;
  readonly originNs: number;
  readonly summary: string;
  readonly index: ExecIndex;
  readonly toolbarItems: HTMLElement[];
  /** The Analysis view (goroutines and latency), which the shell docks under the lanes. */
  readonly analysis: AnalysisView;
  private readonly analysisToggle: HTMLButtonElement;
  private readonly renderer: ExecRenderer;
  private readonly details: ExecDetails;
  private rows: ExecRows;
  private readonly collapsedSections = new Set<number>();
  private collapsedGroups: Set<string>;
  private sortBy: SortBy;
  private controls: TimelineControls | null = null;
  private findQuery = '';
  private findMatches: { kind: ExecHitKind; index: number }[] = [];
  private findCursor = -1;

  constructor(
    readonly model: ExecutionTraceModel,
    detailsTarget: HTMLElement,
    private readonly host: ExecContentHost,
    restored: ExecContentState | undefined,
  ) {
    this.minNs = model.startNs;
    this.maxNs = Math.max(model.endNs, model.startNs + 1000);
    this.originNs = model.startNs;
    this.index = new ExecIndex(model);
    this.renderer = new ExecRenderer(model, this.index);
    this.collapsedGroups = Array.isArray(restored?.collapsedGroups) ? new Set(restored.collapsedGroups) : defaultCollapsedGroups(this.index);
    this.sortBy = restored?.sortBy === 'id' ? 'id' : 'busy';
    this.rows = this.buildRows();
    this.summary = `Go ${model.goVersion} execution trace · ${durationText(model.endNs - model.startNs)} · ${model.events.count.toLocaleString('en-US')} events · ${model.goroutines.count} goroutines · ${model.procs.count} Ps · ${model.tasks.count} tasks · ${model.regions.count} regions · ${model.logs.count} logs`;
    this.details = new ExecDetails(detailsTarget, model, this.index, {
      openFrame: (frame) => this.host.openFrame(frame),
      revealGoroutine: (g, range) => this.revealGoroutine(g, range),
      revealTask: (task) => this.revealTask(task),
      deriveProfile: (type, scope, label) => this.host.deriveProfile(type, scope, label),
    });

    const sort = el('select', { class: 'sort', title: 'Order of goroutines within each group', 'aria-label': 'Sort goroutines' });
    sort.append(el('option', { value: 'busy' }, 'Sort goroutines by busy time'), el('option', { value: 'id' }, 'Sort goroutines by ID'));
    sort.value = this.sortBy;
    sort.addEventListener('change', () => {
      this.sortBy = sort.value === 'id' ? 'id' : 'busy';
      this.changed();
    });
    const collapseAll = el('button', { type: 'button', class: 'secondary', title: 'Collapse every goroutine group' }, 'Collapse Groups');
    collapseAll.addEventListener('click', () => {
      this.collapsedGroups = new Set(this.index.groups.map((g) => g.name));
      this.changed();
    });
    const expandAll = el('button', { type: 'button', class: 'secondary', title: 'Expand every goroutine group' }, 'Expand Groups');
    expandAll.addEventListener('click', () => {
      this.collapsedGroups = new Set();
      this.changed();
    });
    this.analysis = new AnalysisView(model, {
      revealGoroutines: (goroutines) => this.revealGoroutines(goroutines),
      revealTask: (id) => {
        const task = this.taskById(id);
        if (task >= 0) this.revealTask(task);
      },
      revealGoroutine: (g) => this.revealGoroutine(g, [model.startNs, model.endNs]),
      revealInstance: (instance) => this.revealInstance(instance),
      openFrame: (frame) => this.host.openFrame(frame),
      deriveProfile: (type, scope, label) => this.host.deriveProfile(type, scope, label),
      close: () => this.showAnalysis(false),
    });
    this.analysisToggle = el('button', { type: 'button', class: 'secondary analysis-toggle', 'aria-pressed': 'false', title: 'Where goroutines spent their time and how long state changes took, for the whole trace or a selection' }, 'Goroutines & Latency');
    this.analysisToggle.addEventListener('click', () => this.showAnalysis(!this.analysis.visible));
    this.toolbarItems = [sort, collapseAll, expandAll, this.analysisToggle, traceProfileMenu((type, scope, label) => this.host.deriveProfile(type, scope, label))];
    if (restored?.analysisOpen === true) this.showAnalysis(true);
  }

  /** Opens or closes the Analysis view (remembered in the webview's state). */
  showAnalysis(open: boolean): void {
    this.analysis.setVisible(open);
    this.analysisToggle.setAttribute('aria-pressed', String(open));
    this.host.saveState({ analysisOpen: open });
  }

  /** The shell's range selection changed. */
  rangeChanged(range: [number, number] | null): void {
    this.analysis.setRange(range);
  }

  attach(controls: TimelineControls): void {
    this.controls = controls;
  }

  private buildRows(): ExecRows {
    return buildExecRows(this.index, this.collapsedSections, this.collapsedGroups, this.sortBy);
  }

  private changed(): void {
    this.rows = this.buildRows();
    this.host.saveState({ collapsedGroups: [...this.collapsedGroups], sortBy: this.sortBy });
    this.controls?.relayout();
  }

  layout(): RowLayout {
    return this.rows.layout;
  }

  /** Where the rows are now (for tests of the label column and the bench). */
  get currentRows(): ExecRows {
    return this.rows;
  }

  label(row: number, colours: TimelineColours): RowLabel {
    const m = this.model;
    const ref = this.rows.ref[row]!;
    switch (this.rows.kind[row]) {
      case RowKind.GC: {
        let gcs = 0;
        for (let lane = 0; lane < 2; lane++) gcs += this.index.globalRanges.laneSize(lane);
        return { kind: 'lane', depth: 0, text: 'GC / stop-the-world', detail: `${this.index.globalRanges.laneSize(0)} GCs`, title: `GC mark phases (top) and stop-the-world pauses (bottom): ${gcs} ranges` };
      }
      case RowKind.Section: {
        const collapsed = this.collapsedSections.has(ref);
        const count = ref === 0 ? m.procs.count : ref === 1 ? m.tasks.count : m.goroutines.count;
        return { kind: 'section', depth: 0, text: `${SECTION_NAMES[ref]} (${count})`, twisty: collapsed ? 'closed' : 'open' };
      }
      case RowKind.Proc: {
        let busy = 0;
        const sl = m.procSlices;
        for (let i = sl.laneOffsets[ref]!; i < sl.laneOffsets[ref + 1]!; i++) busy += sl.end[i]! - sl.start[i]!;
        return { kind: 'lane', depth: 1, text: `P${m.procs.id[ref]}`, detail: `${percentText(busy, m.endNs - m.startNs)} busy` };
      }
      case RowKind.TaskRow:
        return { kind: 'lane', depth: 1, text: ref === 0 ? 'User tasks' : '', detail: ref === 0 ? 'nested below their parents' : undefined };
      case RowKind.Group: {
        const group = this.index.groups[ref]!;
        const collapsed = this.collapsedGroups.has(group.name);
        return {
          kind: 'group',
          depth: 1,
          text: group.name,
          detail: `${group.goroutines.length} · ${durationText(group.busyNs)}`,
          twisty: collapsed ? 'closed' : 'open',
          swatch: colours.category(group.colour),
          title: `${group.name}: ${group.goroutines.length} goroutine${group.goroutines.length === 1 ? '' : 's'}, busy ${durationText(group.busyNs)}`,
        };
      }
      default: {
        const g = m.goroutines;
        const name = m.strings[g.startFunction[ref]!] || m.strings[g.label[ref]!] || '';
        return {
          kind: 'goroutine',
          depth: 2,
          text: `G${g.id[ref]}`,
          detail: durationText(this.index.busyNs[ref]!),
          title: `G${g.id[ref]} ${name}: running ${durationText(g.runningNs[ref]!)}, runnable ${durationText(g.runnableNs[ref]!)}, waiting ${durationText(g.waitingNs[ref]!)}, in syscall ${durationText(g.syscallNs[ref]!)}`,
        };
      }
    }
  }

  toggle(row: number): boolean {
    const ref = this.rows.ref[row]!;
    if (this.rows.kind[row] === RowKind.Section) {
      if (this.collapsedSections.has(ref)) this.collapsedSections.delete(ref);
      else this.collapsedSections.add(ref);
    } else if (this.rows.kind[row] === RowKind.Group) {
      const name = this.index.groups[ref]!.name;
      if (this.collapsedGroups.has(name)) this.collapsedGroups.delete(name);
      else this.collapsedGroups.add(name);
    } else {
      return false;
    }
    this.rows = this.buildRows();
    this.host.saveState({ collapsedGroups: [...this.collapsedGroups], sortBy: this.sortBy });
    return true;
  }

  draw(frame: DrawFrame): void {
    this.renderer.draw(frame, this.rows);
    const { context, colours, viewport, width, scrollTop } = frame;
    const outline = (hit: Hit | null, colour: string, lineWidth: number) => {
      const place = hit ? this.placement(hit as ExecHit) : null;
      if (!place) return;
      const x0 = viewport.toX(place.start, width);
      const x1 = viewport.toX(place.end, width);
      context.strokeStyle = colour;
      context.lineWidth = lineWidth;
      context.strokeRect(Math.max(-2, x0) - 0.5, place.top - scrollTop - 0.5, Math.max(2, Math.min(width + 2, x1) - Math.max(-2, x0)) + 1, place.height + 1);
    };
    outline(frame.hovered, colours.dimmed, 1);
    outline(frame.selected, colours.focus, 2);
    context.lineWidth = 1;
  }

  /** The row band and times of a hit in the current rows, or null when its row is collapsed. */
  private placement(hit: ExecHit): { top: number; height: number; start: number; end: number } | null {
    const m = this.model;
    const layout = this.rows.layout;
    const laneBand = (row: number, offset: number, height: number, start: number, end: number) => (row < 0 ? null : { top: layout.top(row) + offset, height, start, end });
    switch (hit.kind) {
      case 'state': {
        const st = m.goroutineStates;
        return laneBand(this.rows.goroutineRow[st.goroutine[hit.index]!]!, STATE_BAR_TOP, STATE_BAR_HEIGHT, st.start[hit.index]!, st.end[hit.index]!);
      }
      case 'slice': {
        const sl = m.procSlices;
        const row = this.rows.procRow[sl.proc[hit.index]!]!;
        return laneBand(row, 2, row >= 0 ? layout.height(row) - 7 : 0, sl.start[hit.index]!, sl.end[hit.index]!);
      }
      case 'range': {
        const r = m.ranges;
        if (r.scopeKind[hit.index] === 0) return laneBand(0, r.category[hit.index] === 2 ? 14 : 2, 10, r.start[hit.index]!, r.end[hit.index]!);
        if (r.scopeKind[hit.index] === 1) return laneBand(this.rows.goroutineRow[r.scope[hit.index]!]!, STATE_BAR_TOP + STATE_BAR_HEIGHT + 1, 3, r.start[hit.index]!, r.end[hit.index]!);
        const row = this.rows.procRow[r.scope[hit.index]!]!;
        return laneBand(row, row >= 0 ? layout.height(row) - 4 : 0, 3, r.start[hit.index]!, r.end[hit.index]!);
      }
      case 'task': {
        const t = m.tasks;
        const taskRow = this.index.taskRowOf(hit.index);
        const row = this.rows.taskRowStart >= 0 && taskRow >= 0 ? this.rows.taskRowStart + taskRow : -1;
        const start = Number.isNaN(t.start[hit.index]!) ? m.startNs : t.start[hit.index]!;
        const end = Number.isNaN(t.end[hit.index]!) ? m.endNs : t.end[hit.index]!;
        return laneBand(row, 2, row >= 0 ? layout.height(row) - 4 : 0, start, end);
      }
      case 'region': {
        const r = m.regions;
        const g = r.goroutine[hit.index]!;
        const depth = regionLevel(r.depth[hit.index]!);
        return laneBand(this.rows.goroutineRow[g]!, STATE_BAR_TOP + STATE_BAR_HEIGHT + 5 + depth * REGION_ROW_HEIGHT, REGION_ROW_HEIGHT - 2, r.start[hit.index]!, r.end[hit.index]!);
      }
      case 'log': {
        const l = m.logs;
        return laneBand(this.rows.goroutineRow[l.goroutine[hit.index]!]!, 0, 4, l.time[hit.index]!, l.time[hit.index]!);
      }
    }
  }

  private hit(row: number, kind: ExecHitKind, index: number): ExecHit | null {
    return index < 0 ? null : { row, key: `${kind}:${index}`, kind, index };
  }

  hitTest(row: number, t: number, yInRow: number, nsPerPixel: number): Hit | null {
    const m = this.model;
    const ref = this.rows.ref[row]!;
    const slack = nsPerPixel * SLACK_PIXELS;
    switch (this.rows.kind[row]) {
      case RowKind.GC: {
        const lane = yInRow < 13 ? 0 : 1;
        const p = this.index.globalRanges.at(lane, t, slack);
        return this.hit(row, 'range', p < 0 ? -1 : this.index.globalRanges.order[p]!);
      }
      case RowKind.Proc: {
        if (yInRow >= this.rows.layout.height(row) - 5) {
          const p = this.index.procRanges.at(ref, t, slack);
          if (p >= 0) return this.hit(row, 'range', this.index.procRanges.order[p]!);
        }
        const sl = m.procSlices;
        return this.hit(row, 'slice', intervalAt(sl.start, sl.end, sl.laneOffsets[ref]!, sl.laneOffsets[ref + 1]!, t, slack));
      }
      case RowKind.TaskRow: {
        const p = this.index.tasks.at(ref, t, slack);
        return this.hit(row, 'task', p < 0 ? -1 : this.index.tasks.order[p]!);
      }
      case RowKind.Goroutine: {
        if (yInRow < STATE_BAR_TOP + 3) {
          const p = this.index.logs.at(ref, t, slack);
          if (p >= 0) return this.hit(row, 'log', this.index.logs.order[p]!);
        }
        const regionTop = STATE_BAR_TOP + STATE_BAR_HEIGHT + 5;
        if (yInRow >= regionTop && this.index.regionDepth[ref]! > 0) {
          const depth = Math.min(MAX_REGION_DEPTH - 1, Math.floor((yInRow - regionTop) / REGION_ROW_HEIGHT));
          const regions = this.index.regions;
          const p = regions.at(ref * MAX_REGION_DEPTH + depth, t, slack);
          return this.hit(row, 'region', p < 0 ? -1 : regions.order[p]!);
        }
        if (yInRow >= STATE_BAR_TOP + STATE_BAR_HEIGHT) {
          const p = this.index.goroutineRanges.at(ref, t, slack);
          if (p >= 0) return this.hit(row, 'range', this.index.goroutineRanges.order[p]!);
        }
        const st = m.goroutineStates;
        return this.hit(row, 'state', intervalAt(st.start, st.end, st.laneOffsets[ref]!, st.laneOffsets[ref + 1]!, t, slack));
      }
      default:
        return null;
    }
  }

  private goroutineText(row: number): string {
    if (row < 0) return 'no goroutine';
    const g = this.model.goroutines;
    const name = this.model.strings[g.startFunction[row]!] || this.model.strings[g.label[row]!] || '';
    return `G${g.id[row]}${name ? ` ${name}` : ''}`;
  }

  tooltip(hit: Hit): TooltipText {
    const m = this.model;
    const s = m.strings;
    const h = hit as ExecHit;
    const i = h.index;
    const at = (t: number) => `at ${durationText(t - m.startNs)}`;
    switch (h.kind) {
      case 'state': {
        const st = m.goroutineStates;
        const reason = s[st.reason[i]!];
        return {
          title: this.goroutineText(st.goroutine[i]!),
          lines: [`${STATE_NAMES[st.state[i]!] ?? 'unknown'}${reason ? ` (${reason})` : ''} for ${durationText(st.end[i]! - st.start[i]!)}`, at(st.start[i]!)],
        };
      }
      case 'slice': {
        const sl = m.procSlices;
        return { title: `P${m.procs.id[sl.proc[i]!]}: ${this.goroutineText(sl.goroutine[i]!)}`, lines: [`${durationText(sl.end[i]! - sl.start[i]!)}`, at(sl.start[i]!)] };
      }
      case 'range': {
        const r = m.ranges;
        return { title: s[r.name[i]!] ?? 'range', lines: [durationText(r.end[i]! - r.start[i]!), at(r.start[i]!)] };
      }
      case 'task': {
        const t = m.tasks;
        const start = Number.isNaN(t.start[i]!) ? m.startNs : t.start[i]!;
        const end = Number.isNaN(t.end[i]!) ? m.endNs : t.end[i]!;
        return { title: `Task ${s[t.name[i]!]}`, lines: [`ID ${t.id[i]} · ${durationText(end - start)}`, at(start), this.goroutineText(t.goroutine[i]!)] };
      }
      case 'region': {
        const r = m.regions;
        return { title: `Region ${s[r.name[i]!]}`, lines: [durationText(r.end[i]! - r.start[i]!), at(r.start[i]!), this.goroutineText(r.goroutine[i]!)] };
      }
      case 'log': {
        const l = m.logs;
        return { title: `Log${s[l.category[i]!] ? ` [${s[l.category[i]!]}]` : ''}`, lines: [s[l.message[i]!] ?? '', at(l.time[i]!)] };
      }
    }
  }

  select(hit: Hit | null): void {
    if (hit) this.details.show(hit as ExecHit);
    else this.details.clear();
    this.analysis.setSelection(hit ? this.selectionScopes(hit as ExecHit) : {});
  }

  /** What a selected item offers the Analysis view as scopes: its goroutine's group, region type, task. */
  private selectionScopes(hit: ExecHit): AnalysisSelection {
    const m = this.model;
    const s = m.strings;
    const i = hit.index;
    const task = (t: number) => (t >= 0 ? { id: m.tasks.id[t]!, name: s[m.tasks.name[t]!] ?? '' } : undefined);
    switch (hit.kind) {
      case 'state':
        return { goroutine: m.goroutineStates.goroutine[i]! };
      case 'slice':
        return { goroutine: m.procSlices.goroutine[i]! };
      case 'range':
        return m.ranges.scopeKind[i] === 1 ? { goroutine: m.ranges.scope[i]! } : {};
      case 'task':
        return { task: task(i) };
      case 'region':
        return { goroutine: m.regions.goroutine[i]!, regionType: s[m.regions.name[i]!] ?? '', task: task(m.regions.task[i]!) };
      case 'log':
        return { goroutine: m.logs.goroutine[i]!, task: task(m.logs.task[i]!) };
    }
  }

  activate(hit: Hit): void {
    const h = hit as ExecHit;
    const m = this.model;
    const e = m.events;
    // The most telling stack: where it blocked / began for states, the begin event for the others.
    let event = -1;
    switch (h.kind) {
      case 'state':
        event = m.goroutineStates.state[h.index] === GoroutineState.Running ? m.goroutineStates.endEvent[h.index]! : m.goroutineStates.startEvent[h.index]!;
        break;
      case 'slice':
        event = m.procSlices.endEvent[h.index]!;
        break;
      case 'range':
        event = m.ranges.startEvent[h.index]!;
        break;
      case 'task':
        event = m.tasks.startEvent[h.index]!;
        break;
      case 'region':
        event = m.regions.startEvent[h.index]!;
        break;
      case 'log':
        event = m.logs.event[h.index]!;
        break;
    }
    this.select(hit);
    const frame = event < 0 ? null : programFrame(m, e.stack[event]!);
    if (frame) this.host.openFrame(frame);
  }

  extent(hit: Hit): [number, number] | null {
    const place = this.placement(hit as ExecHit);
    return place ? [place.start, Math.max(place.end, place.start + 1000)] : null;
  }

  rangeActions(t0: number, t1: number): HTMLElement {
    return traceProfileActions({ fromNs: t0, toNs: t1 }, `${durationText(t0 - this.originNs)}–${durationText(t1 - this.originNs)}`, (type, scope, label) => this.host.deriveProfile(type, scope, label));
  }

  rangeStats(t0: number, t1: number): StatLine[] {
    const stats = execRangeStats(this.model, this.index, t0, t1);
    const lines: StatLine[] = [
      { label: 'Events', value: stats.events.toLocaleString('en-US'), raw: stats.events },
      { label: 'Goroutines that ran', value: String(stats.goroutinesRunning), raw: stats.goroutinesRunning },
      { label: 'Running', value: durationText(stats.runningNs), raw: stats.runningNs },
      { label: 'Runnable', value: durationText(stats.runnableNs), raw: stats.runnableNs },
      { label: 'Waiting', value: durationText(stats.waitingNs), raw: stats.waitingNs },
      { label: 'In syscalls', value: durationText(stats.syscallNs), raw: stats.syscallNs },
      { label: 'GC mark', value: durationText(stats.gcNs), raw: stats.gcNs },
      { label: 'Stop-the-world', value: durationText(stats.stwNs), raw: stats.stwNs },
    ];
    for (const wait of stats.waitsByReason.slice(0, 3)) lines.push({ label: `Waiting on ${wait.reason}`, value: durationText(wait.ns), raw: wait.ns });
    if (stats.busiest >= 0) lines.push({ label: 'Ran the most', value: `${this.goroutineText(stats.busiest)} (${durationText(stats.busiestNs)})`, raw: stats.busiestNs });
    return lines;
  }

  density(buckets: number): Float32Array {
    return this.index.runningDensity(buckets);
  }

  /** Expands what hides a hit's row (its goroutine's group, its section); true when rows changed. */
  private expandFor(kind: ExecHitKind, index: number): boolean {
    const m = this.model;
    let goroutine = -1;
    let section = -1;
    if (kind === 'state') goroutine = m.goroutineStates.goroutine[index]!;
    else if (kind === 'region') goroutine = m.regions.goroutine[index]!;
    else if (kind === 'log') goroutine = m.logs.goroutine[index]!;
    else if (kind === 'range' && m.ranges.scopeKind[index] === 1) goroutine = m.ranges.scope[index]!;
    else if (kind === 'range' && m.ranges.scopeKind[index] === 2) section = 0;
    else if (kind === 'slice') section = 0;
    else if (kind === 'task') section = 1;
    let changed = false;
    if (goroutine >= 0) {
      section = 2;
      changed = this.collapsedGroups.delete(this.index.groups[this.index.groupOf[goroutine]!]!.name);
    }
    if (section >= 0) changed = this.collapsedSections.delete(section) || changed;
    return changed;
  }

  /** Shows a hit (expanding what hides it), zooms to it and selects it. */
  revealHit(kind: ExecHitKind, index: number): void {
    if (this.expandFor(kind, index)) this.changed();
    const hit = this.hit(0, kind, index)!;
    const place = this.placement(hit);
    if (!place) return;
    const row = this.rows.layout.rowAt(place.top);
    this.controls?.reveal(row, [place.start, Math.max(place.end, place.start + 1000)]);
    this.controls?.selectHit({ ...hit, row });
  }

  /** Shows goroutine row g's lane around a time range, and selects its state there. */
  revealGoroutine(g: number, range: [number, number]): void {
    const st = this.model.goroutineStates;
    const i = intervalAt(st.start, st.end, st.laneOffsets[g]!, st.laneOffsets[g + 1]!, (range[0] + range[1]) / 2, Infinity);
    if (i >= 0) this.revealHit('state', i);
  }

  revealTask(task: number): void {
    this.revealHit('task', task);
  }

  /** Expands the timeline groups of these goroutines and scrolls to the first one's group. */
  revealGoroutines(goroutines: readonly number[]): void {
    if (goroutines.length === 0) return;
    let changed = this.collapsedSections.delete(Section.Goroutines);
    for (const g of goroutines) changed = this.collapsedGroups.delete(this.index.groups[this.index.groupOf[g]!]!.name) || changed;
    if (changed) this.changed();
    const group = this.index.groupOf[goroutines[0]!]!;
    for (let row = 0; row < this.rows.layout.count; row++) {
      if (this.rows.kind[row] === RowKind.Group && this.rows.ref[row] === group) {
        this.controls?.reveal(row);
        return;
      }
    }
  }

  /** Shows the state a transition instance left, on its goroutine's lane, zoomed to it and selected. */
  revealInstance(instance: TransitionInstance): void {
    const st = this.model.goroutineStates;
    const g = instance.goroutine;
    let found = -1;
    for (let i = st.laneOffsets[g]!; i < st.laneOffsets[g + 1]! && found < 0; i++) if (st.startEvent[i] === instance.startEvent) found = i;
    if (found < 0) found = intervalAt(st.start, st.end, st.laneOffsets[g]!, st.laneOffsets[g + 1]!, (instance.startNs + instance.endNs) / 2, Infinity);
    if (found >= 0) this.revealHit('state', found);
  }

  /** Goroutines ("G12" or their function), tasks, regions and logs whose names contain the query. */
  private search(query: string): { kind: ExecHitKind; index: number }[] {
    const m = this.model;
    const s = m.strings;
    const needle = query.toLowerCase();
    const matches: { kind: ExecHitKind; index: number }[] = [];
    const limit = 10_000;
    const id = /^g(\d+)$/i.exec(query);
    for (let g = 0; g < m.goroutines.count && matches.length < limit; g++) {
      const name = (s[m.goroutines.startFunction[g]!] || s[m.goroutines.label[g]!] || '').toLowerCase();
      if (id ? m.goroutines.id[g] === Number(id[1]) : name.includes(needle)) {
        const st = m.goroutineStates;
        const first = st.laneOffsets[g]!;
        if (first < st.laneOffsets[g + 1]!) matches.push({ kind: 'state', index: first });
      }
    }
    for (let t = 0; t < m.tasks.count && matches.length < limit; t++) if ((s[m.tasks.name[t]!] ?? '').toLowerCase().includes(needle)) matches.push({ kind: 'task', index: t });
    for (let r = 0; r < m.regions.count && matches.length < limit; r++) if ((s[m.regions.name[r]!] ?? '').toLowerCase().includes(needle)) matches.push({ kind: 'region', index: r });
    for (let l = 0; l < m.logs.count && matches.length < limit; l++) {
      const text = `${s[m.logs.category[l]!] ?? ''} ${s[m.logs.message[l]!] ?? ''}`.toLowerCase();
      if (text.includes(needle)) matches.push({ kind: 'log', index: l });
    }
    return matches;
  }

  find(query: string, direction: 1 | -1): { position: number; total: number } | null {
    if (query !== this.findQuery) {
      this.findQuery = query;
      this.findMatches = this.search(query);
      this.findCursor = -1;
    }
    const total = this.findMatches.length;
    if (total === 0) return null;
    this.findCursor = this.findCursor < 0 ? (direction === 1 ? 0 : total - 1) : (this.findCursor + direction + total) % total;
    const match = this.findMatches[this.findCursor]!;
    this.revealHit(match.kind, match.index);
    return { position: this.findCursor + 1, total };
  }

  /** The task with this ID (from a span of the same run), or -1. */
  taskById(id: number): number {
    for (let t = 0; t < this.model.tasks.count; t++) if (this.model.tasks.id[t] === id) return t;
    return -1;
  }
}
