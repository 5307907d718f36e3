// The hover tooltip: a title and lines of text about what is under the pointer, kept inside the window.
// Text only, through textContent.

import { el, replaceChildren } from '../shared/dom';
import type { TooltipText } from './timelineContent';

export class Tooltip {
  readonly element: HTMLDivElement;

  constructor(parent: HTMLElement) {
    this.element = el('div', { class: 'tooltip', role: 'tooltip', hidden: true });
    parent.appendChild(this.element);
  }

  show(text: TooltipText, x: number, y: number, hint: string): void {
    replaceChildren(
      this.element,
      el('div', { class: 'tooltip-title' }, text.title),
      ...text.lines.map((line) => el('div', { class: 'tooltip-line' }, line)),
      hint ? el('div', { class: 'tooltip-hint' }, hint) : null,
    );
    this.element.hidden = false;
    const box = this.element.getBoundingClientRect();
    const left = Math.max(4, Math.min(x + 14, window.innerWidth - box.width - 4));
    const top = y + 18 + box.height > window.innerHeight ? Math.max(4, y - box.height - 8) : y + 18;
    this.element.style.left = `${left}px`;
    this.element.style.top = `${top}px`;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
