// The label column at the left of the lanes: one element per visible row only (the rows are
// virtualised like the canvas), text set through textContent. A click on a twisty collapses or
// expands (so does Enter or Space on a focused label).

import { el, replaceChildren } from '../shared/dom';
import type { RowLabel } from './timelineContent';

export class LabelColumn {
  readonly element: HTMLDivElement;

  constructor(
    parent: HTMLElement,
    private readonly onToggle: (row: number) => void,
  ) {
    this.element = el('div', { class: 'labels', role: 'tree', 'aria-label': 'Lanes' });
    parent.appendChild(this.element);
    this.element.addEventListener('click', (event) => {
      const target = (event.target as HTMLElement).closest<HTMLElement>('.label');
      if (!target) return;
      const row = Number(target.dataset.index);
      if (!Number.isInteger(row)) return;
      if (target.classList.contains('collapsible')) this.onToggle(row);
    });
    this.element.addEventListener('keydown', (event) => {
      const target = (event.target as HTMLElement).closest<HTMLElement>('.label');
      if (!target?.classList.contains('collapsible') || (event.key !== 'Enter' && event.key !== ' ')) return;
      event.preventDefault();
      this.onToggle(Number(target.dataset.index));
    });
  }

  /** Shows labels for rows [first, last), positioned for the scroll offset. */
  render(first: number, last: number, top: (row: number) => number, height: (row: number) => number, label: (row: number) => RowLabel, scrollTop: number): void {
    const children: HTMLElement[] = [];
    for (let row = first; row < last; row++) {
      const spec = label(row);
      const classes = ['label', `label-${spec.kind}`];
      if (spec.twisty) classes.push('collapsible');
      if (spec.error) classes.push('error');
      if (spec.highlighted) classes.push('highlighted');
      if (spec.selected) classes.push('selected');
      const item = el(
        'div',
        {
          class: classes.join(' '),
          'data-index': row,
          role: 'treeitem',
          title: spec.title ?? spec.text,
          tabindex: spec.twisty ? 0 : undefined,
          'aria-expanded': spec.twisty ? String(spec.twisty === 'open') : undefined,
        },
        spec.twisty ? el('span', { class: `twisty ${spec.twisty}` }, spec.twisty === 'open' ? '▾' : '▸') : el('span', { class: 'twisty-space' }),
        spec.swatch ? el('span', { class: 'swatch' }) : null,
        el('span', { class: 'label-text' }, spec.text),
        spec.detail ? el('span', { class: 'label-detail' }, spec.detail) : null,
      );
      item.style.top = `${top(row) - scrollTop}px`;
      item.style.height = `${height(row)}px`;
      item.style.paddingLeft = `${4 + spec.depth * 12}px`;
      if (spec.swatch) (item.querySelector('.swatch') as HTMLElement).style.background = spec.swatch;
      children.push(item);
    }
    replaceChildren(this.element, ...children);
  }
}
