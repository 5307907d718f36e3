// The side panel for a selected span: what it is (service, kind, status, times, IDs), its code (from
// code.* attributes, or workspace functions matching its name, offered to open), the broken-chain
// problems it is part of, what its goroutines did (when an execution trace of the same run is open),
// and its attributes, resource, events and links. Everything from the file is text.

import { SPAN_KIND_NAMES, type AttributeValue, type SpanAttribute, type SpanDetails, type SpanProblem } from '../../core/timeline';
import type { FunctionMatch, FunctionSearchResult, SpanProfileRequest } from '../../common/timelineProtocol';
import { el, replaceChildren } from '../shared/dom';
import { baseName } from './stackView';
import { durationText } from './timeFormat';
import type { SpanActivity, SpanModelView } from './workerProtocol';

export interface SpanDetailActions {
  requestDetails(span: number): Promise<SpanDetails | null>;
  findFunctions(name: string): Promise<FunctionSearchResult>;
  openSource(file: string, line: number, functionName: string): void;
  openFunction(match: FunctionMatch): void;
  revealTask(activity: SpanActivity, spanName: string): void;
  selectProblem(problem: SpanProblem): void;
  spanProfile(request: SpanProfileRequest): void;
}

const STATUS_NAMES = ['unset', 'ok', 'error'];

export function attributeText(value: AttributeValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function facts(pairs: readonly (readonly [string, string] | null)[]): HTMLElement {
  return el('dl', { class: 'facts' }, ...pairs.flatMap((pair) => (pair ? [el('dt', {}, pair[0]), el('dd', {}, pair[1])] : [])));
}

function attributeTable(title: string, attributes: readonly SpanAttribute[]): HTMLElement | null {
  if (attributes.length === 0) return null;
  return el(
    'section',
    { class: 'attributes' },
    el('h3', {}, title),
    el('table', {}, el('tbody', {}, ...attributes.map((a) => el('tr', {}, el('th', {}, a.key), el('td', {}, attributeText(a.value)))))),
  );
}

export class SpanDetailsPanel {
  private generation = 0;

  constructor(
    private readonly target: HTMLElement,
    private readonly model: SpanModelView,
    private readonly actions: SpanDetailActions,
  ) {
    this.clear();
  }

  clear(): void {
    this.generation++;
    replaceChildren(this.target, el('p', { class: 'muted hint' }, 'Select a span to see its attributes, events, links and code. Double-click a span to open its code.'));
  }

  private name(row: number): string {
    return this.model.strings[this.model.spans.name[row]!] ?? '';
  }

  private service(row: number): string {
    return this.model.strings[this.model.spans.service[row]!] ?? '';
  }

  showTrace(trace: number): void {
    this.generation++;
    const m = this.model;
    const t = m.traces;
    const problems = m.problems.filter((p) => p.traceId === t.traceId[trace]);
    const first = t.firstSpan[trace]!;
    replaceChildren(
      this.target,
      el('h2', {}, `Trace ${t.traceId[trace]}`),
      facts([
        ['Root', this.name(first)],
        ['Spans', String(t.spanCount[trace])],
        ['Services', t.services[trace]!.map((s) => m.strings[s]!).join(', ')],
        ['Duration', durationText(t.end[trace]! - t.start[trace]!)],
      ]),
      problems.length > 0 ? this.problemList(problems) : el('p', { class: 'muted' }, 'No broken-chain problems in this trace.'),
    );
  }

  private problemList(problems: readonly SpanProblem[]): HTMLElement {
    return el(
      'section',
      { class: 'span-problems' },
      el('h3', {}, `Problems (${problems.length})`),
      el(
        'ul',
        {},
        ...problems.map((problem) => {
          const button = el('button', { type: 'button', class: 'link' }, problem.title);
          button.addEventListener('click', () => this.actions.selectProblem(problem));
          return el('li', {}, el('span', { class: `badge badge-${problem.type}` }, problem.type), ' ', button, el('p', { class: 'explanation' }, problem.explanation));
        }),
      ),
    );
  }

  async showSpan(row: number, activity: SpanActivity | undefined): Promise<void> {
    const generation = ++this.generation;
    const m = this.model;
    const s = m.spans;
    const name = this.name(row);
    const parentRow = s.parent[row]!;
    const header: (HTMLElement | null)[] = [
      el('h2', {}, name),
      facts([
        ['Service', this.service(row)],
        ['Kind', SPAN_KIND_NAMES[s.kind[row]!] ?? 'unspecified'],
        ['Status', STATUS_NAMES[s.status[row]!] ?? 'unset'],
        ['Duration', durationText(s.end[row]! - s.start[row]!)],
        ['Starts', `${durationText(s.start[row]! - m.traces.start[s.trace[row]!]!)} into its trace`],
        ['Trace ID', m.traces.traceId[s.trace[row]!]!],
        ['Span ID', s.spanId[row]!],
        s.parentSpanId[row] ? ['Parent', parentRow >= 0 ? `${this.name(parentRow)} (${s.parentSpanId[row]})` : `${s.parentSpanId[row]} (not in this file)`] : ['Parent', 'none: a root span'],
      ]),
    ];
    const problems = m.problems.filter((p) => p.spans.includes(row));
    if (problems.length > 0) header.push(this.problemList(problems));
    if (activity) header.push(this.activitySection(activity, name));
    header.push(this.profileSection(row, name));
    const code = el('section', { class: 'code' }, el('h3', {}, 'Code'), el('p', { class: 'muted' }, 'Looking for its code…'));
    header.push(code);
    const rest = el('div', { class: 'span-more' });
    replaceChildren(this.target, ...header, rest);

    const details = await this.actions.requestDetails(row);
    if (generation !== this.generation) return;
    if (!details) {
      replaceChildren(rest, el('p', { class: 'muted' }, 'The details of this span are not available.'));
      return;
    }
    replaceChildren(
      rest,
      details.statusMessage ? facts([['Status message', details.statusMessage]]) : null,
      attributeTable('Attributes', details.attributes),
      details.events.length > 0
        ? el(
            'section',
            { class: 'events' },
            el('h3', {}, `Events (${details.events.length})`),
            el(
              'ul',
              {},
              ...details.events.map((event) =>
                el('li', {}, el('span', { class: 'muted' }, `+${durationText(event.time - s.start[row]!)} `), event.name, ...event.attributes.map((a) => el('div', { class: 'event-attribute' }, `${a.key} = ${attributeText(a.value)}`))),
              ),
            ),
          )
        : null,
      details.links.length > 0
        ? el(
            'section',
            { class: 'links' },
            el('h3', {}, `Links (${details.links.length})`),
            el('ul', {}, ...details.links.map((link) => el('li', {}, `${link.relation || 'link'}: trace ${link.traceId}, span ${link.spanId}`, ...link.attributes.map((a) => el('div', { class: 'event-attribute' }, `${a.key} = ${attributeText(a.value)}`))))),
          )
        : null,
      attributeTable('Resource', details.resource),
      details.scope ? facts([['Instrumentation scope', details.scope]]) : null,
    );
    await this.showCode(code, generation, name, details);
  }

  /** "CPU profile of this span": the host finds its samples in the loaded profiles that carry span IDs. */
  private profileSection(row: number, name: string): HTMLElement {
    const s = this.model.spans;
    // The waterfall keeps a span's subtree in the rows right after it.
    const below: number[] = [];
    for (let r = row + 1; r < s.subtreeEnd[row]!; r++) below.push(r);
    const button = el('button', { type: 'button', class: 'span-profile' }, 'CPU profile of this span');
    button.addEventListener('click', () =>
      this.actions.spanProfile({
        spanIds: [s.spanId[row]!, ...below.map((b) => s.spanId[b]!)],
        spanName: name,
        service: this.service(row),
        traceId: this.model.traces.traceId[s.trace[row]!]!,
      }),
    );
    return el(
      'section',
      { class: 'span-profile-section' },
      el('h3', {}, 'Profile'),
      el('p', {}, button),
      el('p', { class: 'muted' }, `The samples of this span${below.length > 0 ? ` and the ${below.length} span${below.length === 1 ? '' : 's'} below it` : ''} in the open profiles whose samples carry span IDs (span_id labels, as otel-profiling-go and examples/shop record them).`),
    );
  }

  private activitySection(activity: SpanActivity, spanName: string): HTMLElement {
    const show = el('button', { type: 'button', class: 'link' }, `Show task ${activity.taskName} in the execution trace`);
    show.addEventListener('click', () => this.actions.revealTask(activity, spanName));
    return el(
      'section',
      { class: 'activity' },
      el('h3', {}, 'What its goroutines did'),
      el('p', { class: 'muted' }, `runtime/trace task ${activity.taskId} (started ${durationText(Math.abs(activity.startDifferenceNs))} ${activity.startDifferenceNs >= 0 ? 'before' : 'after'} the span)`),
      el(
        'table',
        { class: 'activity-table' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Goroutine'), el('th', {}, 'Running'), el('th', {}, 'Runnable'), el('th', {}, 'Syscall'), el('th', {}, 'Waiting'))),
        el(
          'tbody',
          {},
          ...activity.goroutines.map((g) =>
            el(
              'tr',
              {},
              el('td', { title: g.startFunction }, `G${g.id} ${g.startFunction}`),
              el('td', {}, durationText(g.runningNs)),
              el('td', {}, durationText(g.runnableNs)),
              el('td', {}, durationText(g.syscallNs)),
              el('td', { title: g.waitingByReason.map((w) => `${w.reason}: ${durationText(w.ns)}`).join('\n') }, durationText(g.waitingNs) + (g.waitingByReason[0] ? ` (${g.waitingByReason[0].reason})` : '')),
            ),
          ),
        ),
      ),
      el('p', {}, show),
    );
  }

  private async showCode(section: HTMLElement, generation: number, spanName: string, details: SpanDetails): Promise<void> {
    const source = details.source;
    const heading = el('h3', {}, 'Code');
    if (source?.file) {
      const line = source.line ?? 1;
      const button = el('button', { type: 'button', class: 'open-code' }, `Open ${source.function ?? baseName(source.file)} (${baseName(source.file)}:${line})`);
      button.addEventListener('click', () => this.actions.openSource(source.file!, line, source.function ?? spanName));
      replaceChildren(section, heading, el('p', {}, button), el('p', { class: 'muted' }, `From the span's code attributes: ${source.file}:${line}`));
      return;
    }
    const query = source?.function ?? spanName;
    const result = await this.actions.findFunctions(query);
    if (generation !== this.generation) return;
    if (result.matches.length === 0) {
      replaceChildren(
        section,
        heading,
        el('p', { class: 'muted' }, `The span has no code attributes (code.function.name, code.file.path, code.line.number), and no workspace function matches "${query}".${result.indexing ? ' The workspace is still being indexed: select the span again in a moment.' : ''}`),
      );
      return;
    }
    const items = result.matches.map((match) => {
      const button = el('button', { type: 'button', class: 'link function-match' }, `${match.name} (${baseName(match.path)}:${match.line})`);
      button.addEventListener('click', () => this.actions.openFunction(match));
      return el('li', {}, button, el('span', { class: 'muted' }, ` ${match.reason}`));
    });
    replaceChildren(
      section,
      heading,
      el('p', { class: 'muted' }, `No code attributes on this span. Workspace functions matching "${query}":`),
      el('ul', { class: 'function-matches' }, ...items),
    );
  }
}
