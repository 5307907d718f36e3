// The summary above the graph: what the profile is (kind, sample type, duration, capture time, total,
// label filter, diff base) and its top functions by flat value, each a button that reveals the function
// in the graph.

import type { ProfileSummaryView } from '../../common/flameGraphProtocol';
import { el, replaceChildren } from '../shared/dom';
import { durationText, shareText, valueText } from './format';

export const TOP_ROWS = 10;

function captureTime(timeMs: number | null): string {
  if (timeMs === null || !Number.isFinite(timeMs)) return '';
  const date = new Date(timeMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export class SummaryHeader {
  readonly element: HTMLElement;

  constructor(
    parent: HTMLElement,
    private readonly onRevealFunction: (functionName: string) => void,
  ) {
    this.element = el('header', { class: 'summary', 'aria-label': 'Profile summary' });
    parent.appendChild(this.element);
  }

  render(summary: ProfileSummaryView): void {
    const unit = summary.sampleType.unit;
    const facts: [string, string][] = [
      ['Type', `${summary.kind} profile`],
      ['Sample type', `${summary.sampleType.type} (${summary.sampleType.unit})`],
      ['Duration', durationText(summary.durationNanos)],
      ['Captured', captureTime(summary.timeMs)],
      ['Total', valueText(summary.total, unit)],
      ['Filter', summary.filter ?? ''],
      ['Diff base', summary.diffBase ?? ''],
    ];
    const rows = summary.top.slice(0, TOP_ROWS).map((row) =>
      el(
        'tr',
        {},
        el('td', { class: 'function' }, el('button', { type: 'button', class: 'link', title: `Show ${row.functionName} in the flame graph` }, row.functionName)),
        el('td', { class: 'number' }, valueText(row.flat, unit)),
        el('td', { class: 'number' }, shareText(row.flat, summary.total)),
        el('td', { class: 'number' }, valueText(row.cum, unit)),
        el('td', { class: 'number' }, shareText(row.cum, summary.total)),
      ),
    );
    rows.forEach((row, i) => row.querySelector('button')!.addEventListener('click', () => this.onRevealFunction(summary.top[i]!.functionName)));
    const table = el(
      'table',
      { class: 'top' },
      el('thead', {}, el('tr', {}, el('th', {}, `Top ${Math.min(TOP_ROWS, summary.top.length)} functions`), el('th', {}, 'flat'), el('th', {}, 'flat%'), el('th', {}, 'cum'), el('th', {}, 'cum%'))),
      el('tbody', {}, ...rows),
    );
    const details = el('details', { class: 'top-details' }, el('summary', {}, 'Top functions'), table);
    details.open = true;
    replaceChildren(
      this.element,
      el('h1', { class: 'title' }, summary.title),
      el(
        'dl',
        { class: 'facts' },
        ...facts.filter(([, value]) => value !== '').flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]),
      ),
      summary.top.length > 0 ? details : el('p', { class: 'muted' }, 'No samples in this profile for this sample type.'),
    );
  }
}
