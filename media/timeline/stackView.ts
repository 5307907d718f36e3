// A stack as a list of frames, innermost first, each a button that opens its file and line in the
// editor (the host resolves the path from the build machine to a local file). Names and paths from the
// trace are text only.

import { el } from '../shared/dom';

export interface StackFrameView {
  readonly func: string;
  readonly file: string;
  readonly line: number;
}

export function baseName(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return slash >= 0 ? path.slice(slash + 1) : path;
}

export function stackList(title: string, frames: readonly StackFrameView[], open: (frame: StackFrameView) => void): HTMLElement {
  const items = frames.map((frame) => {
    const where = frame.file ? `${baseName(frame.file)}:${frame.line}` : 'no source location';
    const button = el(
      'button',
      { type: 'button', class: 'frame link', title: frame.file ? `Open ${frame.file}:${frame.line}` : 'This frame has no file in the trace', disabled: !frame.file },
      el('span', { class: 'frame-func' }, frame.func || '(unknown function)'),
      el('span', { class: 'frame-where' }, where),
    );
    button.addEventListener('click', () => open(frame));
    return el('li', {}, button);
  });
  return el('section', { class: 'stack' }, el('h3', {}, title), frames.length > 0 ? el('ol', { class: 'frames' }, ...items) : el('p', { class: 'muted' }, 'No stack was recorded.'));
}
