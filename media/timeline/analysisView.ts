// The Analysis view of an execution trace ("Goroutines & Latency"), docked under the timeline: a scope
// selector (the whole trace, the selected range, the selected goroutine's group, region type or task),
// the four "On the code" profile buttons for that scope, the Goroutines table (by group, task or region
// type; analysisBreakdownTable.ts) and the Latency table (state transitions; analysisLatencyTable.ts).
// The numbers are the timeline core's (summarizeGoroutines, transitionTable), computed on the UI thread
// when the view is first shown and again for each new scope; the model is already here, and both take
// tens of milliseconds on a million events.

import { goroutineNames, summarizeGoroutines, transitionTable, type ExecutionTraceModel, type GoroutineAnalysis, type TransitionInstance, type TransitionTable } from '../../core/timeline';
import { el, replaceChildren } from '../shared/dom';
import { breakdown, type BreakdownBy, type BreakdownRow } from './analysisBreakdown';
import { BreakdownTable } from './analysisBreakdownTable';
import { LatencyTable } from './analysisLatencyTable';
import { WHOLE_TRACE, profileScope, scopeKey, scopeLabel, summaryRange, transitionOptions, type AnalysisScope } from './analysisScope';
import type { StackFrameView } from './stackView';
import { traceProfileActions, type DeriveProfile } from './traceProfileActions';

/** Worst instances kept per transition kind. */
const WORST = 5;

export interface AnalysisHost {
  /** Expands the timeline's groups of these goroutines and scrolls to the first. */
  revealGoroutines(goroutines: readonly number[]): void;
  revealTask(taskId: number): void;
  revealGoroutine(goroutine: number): void;
  /** Shows the state an instance left on its goroutine's lane, selected. */
  revealInstance(instance: TransitionInstance): void;
  openFrame(frame: StackFrameView): void;
  deriveProfile: DeriveProfile;
  /** The view's close button. */
  close(): void;
}

/** What is selected on the timeline, as far as scopes go. */
export interface AnalysisSelection {
  /** A goroutine the selected item belongs to (model row). */
  readonly goroutine?: number;
  readonly regionType?: string;
  readonly task?: { readonly id: number; readonly name: string };
}

const GROUPINGS: readonly { readonly by: BreakdownBy; readonly label: string; readonly header: string }[] = [
  { by: 'group', label: 'by group', header: 'Group (start function)' },
  { by: 'task', label: 'by task', header: 'Task' },
  { by: 'region', label: 'by region', header: 'Region type' },
];

export class AnalysisView {
  readonly element: HTMLElement;
  private readonly scopeSelect: HTMLSelectElement;
  private readonly profiles: HTMLElement;
  private readonly groupingButtons: HTMLButtonElement[];
  private readonly breakdownTable: BreakdownTable;
  private readonly latencyTable: LatencyTable;
  private scope: AnalysisScope = WHOLE_TRACE;
  private by: BreakdownBy = 'group';
  private range: [number, number] | null = null;
  private selection: AnalysisSelection = {};
  /** The scopes the select offers, by option value. */
  private offered: AnalysisScope[] = [];
  private names: Uint32Array | null = null;
  private readonly startFrames = new Map<string, StackFrameView | null>();
  private computed: { key: string; analysis: GoroutineAnalysis; transitions: TransitionTable } | null = null;

  constructor(
    private readonly model: ExecutionTraceModel,
    private readonly host: AnalysisHost,
  ) {
    this.scopeSelect = el('select', { class: 'analysis-scope', id: 'analysis-scope' });
    this.scopeSelect.addEventListener('change', () => {
      const scope = this.offered[Number(this.scopeSelect.value)];
      if (scope) this.setScope(scope);
    });
    const close = el('button', { type: 'button', class: 'secondary', title: 'Close the Analysis view' }, 'Close');
    close.addEventListener('click', () => this.host.close());
    this.profiles = el('div', { class: 'analysis-profiles' });
    this.groupingButtons = GROUPINGS.map((g) => {
      const button = el('button', { type: 'button', class: 'secondary', 'aria-pressed': String(g.by === this.by), 'data-id': g.by }, g.label);
      button.addEventListener('click', () => {
        this.by = g.by;
        this.render();
      });
      return button;
    });
    this.breakdownTable = new BreakdownTable({
      reveal: (row: BreakdownRow) => (row.taskId !== undefined ? this.host.revealTask(row.taskId) : this.host.revealGoroutines(row.goroutines)),
      revealGoroutine: (g) => this.host.revealGoroutine(g),
      canOpenFunction: (name) => this.startFrame(name) !== null,
      openFunction: (name) => {
        const frame = this.startFrame(name);
        if (frame) this.host.openFrame(frame);
      },
    });
    this.latencyTable = new LatencyTable(model, { revealInstance: (i) => this.host.revealInstance(i), openFrame: (f) => this.host.openFrame(f) });
    this.element = el(
      'section',
      { class: 'analysis', hidden: true, 'aria-label': 'Goroutines and latency' },
      el('div', { class: 'analysis-header' }, el('h2', {}, 'Goroutines & Latency'), el('label', { for: 'analysis-scope' }, 'Scope:'), this.scopeSelect, el('span', { class: 'spacer-flex' }), close),
      this.profiles,
      el(
        'div',
        { class: 'analysis-body' },
        el(
          'section',
          { class: 'analysis-goroutines', 'aria-label': 'Goroutines' },
          el('div', { class: 'analysis-section-head' }, el('h3', {}, 'Goroutines'), el('div', { class: 'grouping', role: 'group', 'aria-label': 'Rows' }, ...this.groupingButtons)),
          this.breakdownTable.element,
        ),
        el(
          'section',
          { class: 'analysis-latency', 'aria-label': 'Latency' },
          el('div', { class: 'analysis-section-head' }, el('h3', { title: 'How long goroutines were in a state before each kind of change: exact nearest-rank percentiles over every instance' }, 'Latency (state transitions)')),
          this.latencyTable.element,
        ),
      ),
    );
  }

  get visible(): boolean {
    return !this.element.hidden;
  }

  /** Shows or hides the view; the first showing (and each new scope) computes the numbers. */
  setVisible(visible: boolean): void {
    this.element.hidden = !visible;
    if (visible) this.render();
  }

  /** The range selected on the timeline (null: none). */
  setRange(range: [number, number] | null): void {
    this.range = range;
    if (this.visible) this.renderScopes();
  }

  setSelection(selection: AnalysisSelection): void {
    this.selection = selection;
    if (this.visible) this.renderScopes();
  }

  /** The scope shown now (for tests and the bench). */
  get currentScope(): AnalysisScope {
    return this.scope;
  }

  setScope(scope: AnalysisScope): void {
    this.scope = scope;
    if (this.visible) this.render();
  }

  /** The scopes the selection makes possible, the current one always among them. */
  private candidates(): AnalysisScope[] {
    const list: AnalysisScope[] = [WHOLE_TRACE];
    if (this.range) list.push({ kind: 'range', from: this.range[0], to: this.range[1] });
    const { goroutine, regionType, task } = this.selection;
    if (goroutine !== undefined && goroutine >= 0) {
      this.names ??= goroutineNames(this.model);
      list.push({ kind: 'group', name: this.model.strings[this.names[goroutine]!] ?? '' });
    }
    if (regionType !== undefined) list.push({ kind: 'region', type: regionType });
    if (task) list.push({ kind: 'task', id: task.id, name: task.name });
    const current = scopeKey(this.scope);
    if (!list.some((s) => scopeKey(s) === current)) list.splice(1, 0, this.scope);
    return list;
  }

  private renderScopes(): void {
    this.offered = this.candidates();
    const current = scopeKey(this.scope);
    replaceChildren(this.scopeSelect, ...this.offered.map((scope, index) => el('option', { value: index }, scopeLabel(scope, this.model.startNs))));
    this.scopeSelect.value = String(this.offered.findIndex((s) => scopeKey(s) === current));
  }

  private compute(): { analysis: GoroutineAnalysis; transitions: TransitionTable } {
    const key = scopeKey(this.scope);
    if (this.computed?.key !== key) {
      this.computed = { key, analysis: summarizeGoroutines(this.model, summaryRange(this.scope)), transitions: transitionTable(this.model, transitionOptions(this.scope, WORST)) };
    }
    return this.computed;
  }

  private render(): void {
    this.renderScopes();
    const { analysis, transitions } = this.compute();
    replaceChildren(this.profiles, traceProfileActions(profileScope(this.scope), scopeLabel(this.scope, this.model.startNs), this.host.deriveProfile));
    for (const button of this.groupingButtons) button.setAttribute('aria-pressed', String(button.dataset.id === this.by));
    this.breakdownTable.show(breakdown(analysis, this.scope, this.by), GROUPINGS.find((g) => g.by === this.by)!.header);
    this.latencyTable.show(transitions);
  }

  /** Where a start function begins: the root frame of a goroutine creation's stack for it, else any frame of it. */
  private startFrame(name: string): StackFrameView | null {
    let frame = this.startFrames.get(name);
    if (frame === undefined) this.startFrames.set(name, (frame = this.findStartFrame(name)));
    return frame;
  }

  private findStartFrame(name: string): StackFrameView | null {
    const m = this.model;
    const g = m.goroutines;
    const { offsets, frames } = m.stacks;
    const frameView = (f: number): StackFrameView | null => {
      const file = m.strings[m.frames.file[f]!] ?? '';
      return file ? { func: name, file, line: m.frames.line[f]! } : null;
    };
    for (let row = 0; row < g.count; row++) {
      const stack = g.startStack[row]!;
      if (stack === 0 || offsets[stack + 1] === offsets[stack]) continue;
      const root = frames[offsets[stack + 1]! - 1]!;
      if (m.strings[m.frames.func[root]!] === name) return frameView(root);
    }
    for (let f = 0; f < m.frames.count; f++) if (m.strings[m.frames.func[f]!] === name) return frameView(f);
    return null;
  }
}
