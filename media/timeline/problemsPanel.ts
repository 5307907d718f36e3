// The problems panel of a span trace: every broken chain ("ghost request") the core found, trace by
// trace, each with its one-line title and the likely cause in the seed's terms. Choosing one highlights
// its spans in the waterfall and shows them.

import type { SpanProblem, SpanProblemType } from '../../core/timeline';
import { el, replaceChildren } from '../shared/dom';
import type { SpanModelView } from './workerProtocol';

export const PROBLEM_LABELS: Readonly<Record<SpanProblemType, string>> = {
  orphan: 'orphan span',
  'multiple-roots': 'several roots',
  'disconnected-service': 'disconnected service',
  'clock-skew': 'clock skew',
  'partial-sampling': 'partial sampling',
  'duplicate-span-id': 'duplicate span ID',
};

export class ProblemsPanel {
  private selected: SpanProblem | null = null;

  constructor(
    private readonly target: HTMLElement,
    private readonly model: SpanModelView,
    private readonly choose: (problem: SpanProblem) => void,
  ) {
    this.render();
  }

  select(problem: SpanProblem | null): void {
    this.selected = problem;
    this.render();
  }

  private render(): void {
    const problems = this.model.problems;
    if (problems.length === 0) {
      replaceChildren(this.target, el('p', { class: 'muted hint' }, 'No broken chains: every span has its parent, each trace has one root, and the services connect.'));
      return;
    }
    const byTrace = new Map<string, SpanProblem[]>();
    for (const problem of problems) {
      const list = byTrace.get(problem.traceId) ?? [];
      list.push(problem);
      byTrace.set(problem.traceId, list);
    }
    const sections = [...byTrace].map(([traceId, list]) =>
      el(
        'section',
        { class: 'problem-trace' },
        el('h3', {}, `Trace ${traceId} (${list.length})`),
        el(
          'ul',
          { class: 'problem-list' },
          ...list.map((problem) => {
            const button = el('button', { type: 'button', class: 'problem-title link', 'aria-pressed': String(problem === this.selected) }, problem.title);
            button.addEventListener('click', () => this.choose(problem));
            return el(
              'li',
              { class: problem === this.selected ? 'problem selected' : 'problem' },
              el('span', { class: `badge badge-${problem.type}` }, PROBLEM_LABELS[problem.type]),
              ' ',
              button,
              el('p', { class: 'explanation' }, problem.explanation),
            );
          }),
        ),
      ),
    );
    replaceChildren(this.target, el('p', { class: 'muted' }, `${problems.length} broken-chain problem${problems.length === 1 ? '' : 's'} in ${byTrace.size} trace${byTrace.size === 1 ? '' : 's'}.`), ...sections);
  }
}
