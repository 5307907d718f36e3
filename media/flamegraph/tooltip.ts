// The frame tooltip: function name, total and self with their share of the profile, the base's values
// and the change in diff mode, and the source location. The same lines describe the keyboard-focused
// frame to screen readers. Text only, through textContent.

import { el, replaceChildren } from '../shared/dom';
import { changeText, shareText, valueText } from './format';
import { fileOf, nameOf, type FlameModel } from './model';

export interface FrameDescription {
  readonly title: string;
  readonly lines: readonly string[];
  readonly location: string;
}

export function describeFrame(model: FlameModel, node: number): FrameDescription {
  const unit = model.sampleType.unit;
  const total = model.totalValue[node]!;
  const self = model.selfValue[node]!;
  const lines = [`Total: ${valueText(total, unit)} (${shareText(total, model.total)})`, `Self: ${valueText(self, unit)} (${shareText(self, model.total)})`];
  if (model.diff) {
    const baseTotal = model.diff.baseTotalValue[node]!;
    const baseSelf = model.diff.baseSelfValue[node]!;
    lines.push(`${model.diff.baseLabel}: total ${valueText(baseTotal, unit)} (${shareText(baseTotal, model.diff.baseTotal)}), self ${valueText(baseSelf, unit)}`);
    lines.push(`Change: ${changeText(total, baseTotal, unit)}`);
  }
  const file = fileOf(model, node);
  const line = model.line[node]!;
  const location = node === 0 ? '' : file === '' ? 'no source location' : line > 0 ? `${file}:${line}` : file;
  const inline = model.inline[node] === 1 ? ' (inline)' : '';
  return { title: nameOf(model, node) + inline, lines, location };
}

/** One-line text of a description, for the live region. */
export function frameSummaryText(description: FrameDescription): string {
  return [description.title, ...description.lines, description.location].filter((s) => s !== '').join('; ');
}

export class FrameTooltip {
  readonly element: HTMLDivElement;

  constructor(parent: HTMLElement) {
    this.element = el('div', { class: 'tooltip', role: 'tooltip', hidden: true });
    parent.appendChild(this.element);
  }

  /** Shows the description near (x, y), viewport pixels, kept inside the window. */
  show(description: FrameDescription, x: number, y: number, hint: string): void {
    replaceChildren(
      this.element,
      el('div', { class: 'tooltip-title' }, description.title),
      ...description.lines.map((line) => el('div', { class: 'tooltip-line' }, line)),
      description.location !== '' ? el('div', { class: 'tooltip-location' }, description.location) : null,
      hint !== '' ? el('div', { class: 'tooltip-hint' }, hint) : null,
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
