// What the tooltip says about a frame: function name, total and self with their share of the profile,
// the base's values and the change in diff mode, and the source location. The same lines describe the keyboard-focused
// frame to screen readers. Text only, through textContent.

import type { TooltipText } from '../shared/tooltip';
import { changeText, shareText, valueText } from './format';
import { fileOf, nameOf, type FlameModel } from './model';

export interface FrameDescription extends TooltipText {
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
