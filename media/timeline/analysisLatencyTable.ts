// The Latency table of the Analysis view (the article's state-transition table): one row per kind of
// goroutine state change from transitionTable, in its order, with the count and the p50/p90/p99/max of
// the time spent in the state it left; each row expands to its worst instances. An instance's button
// shows it on the timeline (its goroutine's lane, zoomed to it, the state selected so the details panel
// shows its events and stacks); its Code button opens the first frame of the program in the stack of
// the event that began the state.

import type { ExecutionTraceModel, TransitionInstance, TransitionTable } from '../../core/timeline';
import { el, replaceChildren } from '../shared/dom';
import { numberCell, twisty } from './analysisBreakdownTable';
import { programFrame } from './execDetails';
import type { StackFrameView } from './stackView';
import { baseName } from './stackView';
import { durationText } from './timeFormat';

export interface LatencyActions {
  revealInstance(instance: TransitionInstance): void;
  openFrame(frame: StackFrameView): void;
}

const PERCENTILES = [
  ['p50Ns', 'p50'],
  ['p90Ns', 'p90'],
  ['p99Ns', 'p99'],
  ['maxNs', 'Max'],
] as const;

export class LatencyTable {
  readonly element: HTMLTableElement;
  private table: TransitionTable | null = null;
  private readonly expanded = new Set<string>();

  constructor(
    private readonly model: ExecutionTraceModel,
    private readonly actions: LatencyActions,
  ) {
    this.element = el('table', { class: 'analysis-table latency' });
  }

  show(table: TransitionTable): void {
    this.table = table;
    this.render();
  }

  private instanceRow(instance: TransitionInstance): HTMLTableRowElement {
    const m = this.model;
    const reveal = el(
      'button',
      { type: 'button', class: 'link instance', title: `Show G${instance.goroutineId}'s state on the timeline` },
      `G${instance.goroutineId} at ${durationText(instance.startNs - m.startNs)}`,
    );
    reveal.addEventListener('click', () => this.actions.revealInstance(instance));
    const frame = programFrame(m, instance.stack);
    const code = el(
      'button',
      { type: 'button', class: 'link open-code', disabled: !frame, title: frame ? `Open ${frame.file}:${frame.line}` : 'No frame of the program in the stack where this state began' },
      frame ? `${frame.func} ${baseName(frame.file)}:${frame.line}` : 'no program frame',
    );
    if (frame) code.addEventListener('click', () => this.actions.openFrame(frame));
    const tr = el('tr', { class: 'instance-row' }, el('td', { class: 'name' }, reveal), numberCell(instance.durationNs, durationText(instance.durationNs)), el('td', { class: 'where', colspan: 4 }, code));
    tr.dataset.startEvent = String(instance.startEvent);
    return tr;
  }

  private render(): void {
    const table = this.table;
    if (!table) return;
    const head = el('tr', {}, el('th', { class: 'name' }, 'Transition'), el('th', { class: 'num' }, 'Count'), ...PERCENTILES.map(([, label]) => el('th', { class: 'num' }, label)));
    const body: HTMLTableRowElement[] = [];
    for (const kind of table.kinds) {
      const expanded = this.expanded.has(kind.label);
      const toggle = twisty(expanded, `the worst instances of ${kind.label}`, () => {
        if (expanded) this.expanded.delete(kind.label);
        else this.expanded.add(kind.label);
        this.render();
        (this.element.querySelector(`tr[data-label="${CSS.escape(kind.label)}"] .twisty-button`) as HTMLButtonElement | null)?.focus();
      });
      const tr = el(
        'tr',
        { class: 'latency-row', title: `${kind.count.toLocaleString('en-US')} instances, ${durationText(kind.totalNs)} in all` },
        el('td', { class: 'name' }, toggle, el('span', { class: 'row-name' }, kind.label)),
        numberCell(kind.count, kind.count.toLocaleString('en-US')),
        ...PERCENTILES.map(([field]) => numberCell(kind[field], durationText(kind[field]))),
      );
      tr.dataset.label = kind.label;
      body.push(tr);
      if (expanded) body.push(...kind.worst.map((instance) => this.instanceRow(instance)));
    }
    if (body.length === 0) body.push(el('tr', {}, el('td', { class: 'muted', colspan: 6 }, 'No goroutine changed state in this scope.')));
    replaceChildren(this.element, el('thead', {}, head), el('tbody', {}, ...body));
  }
}
