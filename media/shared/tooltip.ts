// The hover tooltip of the canvas webviews: a title, lines of text and an optional location and hint
// about what is under the pointer, placed near it and kept inside the window. Text only, through
// textContent.

import { el, replaceChildren } from './dom';

export interface TooltipText {
  readonly title: string;
  readonly lines: readonly string[];
  /** file:line, shown apart from the values. */
  readonly location?: string;
}

export class Tooltip {
  readonly element: HTMLDivElement;

  constructor(parent: HTMLElement) {
    this.element = el('div', { class: 'tooltip', role: 'tooltip', hidden: true });
    parent.appendChild(this.element);
  }

  /** Shows the text near (x, y), viewport pixels. */
  show(text: TooltipText, x: number, y: number, hint: string): void {
    replaceChildren(
      this.element,
      el('div', { class: 'tooltip-title' }, text.title),
      ...text.lines.map((line) => el('div', { class: 'tooltip-line' }, line)),
      text.location ? el('div', { class: 'tooltip-location' }, text.location) : null,
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
