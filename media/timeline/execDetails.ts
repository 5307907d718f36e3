// The side panel for what was selected in an execution trace: a goroutine's state interval, what ran
// on a P, a GC range, a user task, a region or a log. Each shows its times, the events that began and
// ended it (as `go tool trace -d=1` prints them) and their stacks, whose frames open the editor.

import { GoroutineState, describeEvent, goroutineNames, stackFrames, type ExecutionTraceModel, transitionStack } from '../../core/timeline';
import { traceProfileActions, type DeriveProfile } from './traceProfileActions';
import { el, replaceChildren } from '../shared/dom';
import type { ExecIndex } from './execIndex';
import { stackList, type StackFrameView } from './stackView';
import type { Hit } from './timelineContent';
import { durationText } from './timeFormat';

export type ExecHitKind = 'state' | 'slice' | 'range' | 'task' | 'region' | 'log';

export interface ExecHit extends Hit {
  readonly kind: ExecHitKind;
  /** Row of the table the kind names (goroutineStates, procSlices, ranges, tasks, regions, logs). */
  readonly index: number;
}

export interface ExecDetailActions {
  openFrame(frame: StackFrameView): void;
  /** Shows goroutine row g's lane around [t0, t1]. */
  revealGoroutine(goroutine: number, range: [number, number]): void;
  revealTask(task: number): void;
  /** Shows a profile derived from the trace, for a scope of it, on the code. */
  deriveProfile: DeriveProfile;
}

export const STATE_NAMES: Readonly<Record<number, string>> = {
  [GoroutineState.Runnable]: 'runnable',
  [GoroutineState.Running]: 'running',
  [GoroutineState.Waiting]: 'waiting',
  [GoroutineState.Syscall]: 'in syscall',
};

/** The first frame of a stack outside the runtime and runtime/trace: the program's code; null when none. */
export function programFrame(model: ExecutionTraceModel, stack: number): StackFrameView | null {
  if (stack <= 0) return null;
  const offsets = model.stacks.offsets;
  for (let f = offsets[stack]!; f < offsets[stack + 1]!; f++) {
    const frame = model.stacks.frames[f]!;
    const func = model.strings[model.frames.func[frame]!]!;
    if (/^runtime[./]/.test(func) || func.startsWith('internal/')) continue;
    return { func, file: model.strings[model.frames.file[frame]!]!, line: model.frames.line[frame]! };
  }
  return null;
}

function facts(pairs: readonly (readonly [string, string] | null)[]): HTMLElement {
  return el('dl', { class: 'facts' }, ...pairs.flatMap((pair) => (pair ? [el('dt', {}, pair[0]), el('dd', {}, pair[1])] : [])));
}

export class ExecDetails {
  constructor(
    private readonly target: HTMLElement,
    private readonly model: ExecutionTraceModel,
    private readonly index: ExecIndex,
    private readonly actions: ExecDetailActions,
  ) {
    this.clear();
  }

  clear(): void {
    replaceChildren(
      this.target,
      el('p', { class: 'muted hint' }, 'Select a goroutine state, a P slice, a task, a region, a log or a GC range to see its events and stacks. Frames open the code.'),
    );
  }

  private at(t: number): string {
    return `${durationText(t - this.model.startNs)} after the trace started`;
  }

  private goroutineName(row: number): string {
    if (row < 0) return 'no goroutine';
    const g = this.model.goroutines;
    const name = this.model.strings[g.startFunction[row]!] || this.model.strings[g.label[row]!] || '';
    return `G${g.id[row]}${name ? ` ${name}` : ''}`;
  }

  private frames(stack: number): StackFrameView[] {
    return stack > 0 ? stackFrames(this.model, stack) : [];
  }

  /** An event's line as go tool trace prints it, with its stack (and a created goroutine's stack). */
  private eventSection(title: string, event: number, stackTitle: string): HTMLElement[] {
    if (event < 0) return [el('section', { class: 'event' }, el('h3', {}, title), el('p', { class: 'muted' }, 'Before or after the traced period.'))];
    const e = this.model.events;
    const line = describeEvent(this.model, event).split('\n')[0]!;
    const out: HTMLElement[] = [el('section', { class: 'event' }, el('h3', {}, title), el('code', { class: 'event-line' }, line))];
    const open = (frame: StackFrameView) => this.actions.openFrame(frame);
    if (e.stack[event]! > 0) out.push(stackList(stackTitle, this.frames(e.stack[event]!), open));
    const transition = transitionStack(e, event);
    if (transition > 0 && transition !== e.stack[event]) out.push(stackList('Stack of the new goroutine', this.frames(transition), open));
    return out;
  }

  /** Each goroutine's group as go tool trace names it (what its profiles filter by), computed once. */
  private goNames: Uint32Array | undefined;

  /** The profile buttons for goroutine row g's group, under go tool trace's name for it (none if unnamed). */
  private groupProfileActions(g: number): HTMLElement | null {
    this.goNames ??= goroutineNames(this.model);
    const name = this.model.strings[this.goNames[g]!];
    return name ? traceProfileActions({ goroutineName: name }, `goroutines starting in ${name}`, this.actions.deriveProfile) : null;
  }

  show(hit: ExecHit): void {
    const m = this.model;
    const s = m.strings;
    let body: (HTMLElement | null)[] = [];
    switch (hit.kind) {
      case 'state': {
        const st = m.goroutineStates;
        const i = hit.index;
        const g = st.goroutine[i]!;
        const state = STATE_NAMES[st.state[i]!] ?? 'unknown';
        const reason = s[st.reason[i]!] ?? '';
        const gor = m.goroutines;
        body = [
          el('h2', {}, this.goroutineName(g)),
          facts([
            ['State', reason ? `${state} (${reason})` : state],
            ['Started', this.at(st.start[i]!)],
            ['Duration', durationText(st.end[i]! - st.start[i]!)],
            st.proc[i]! >= 0 ? ['On P', String(m.procs.id[st.proc[i]!])] : null,
            ['In the whole trace', `running ${durationText(gor.runningNs[g]!)} · runnable ${durationText(gor.runnableNs[g]!)} · waiting ${durationText(gor.waitingNs[g]!)} · in syscalls ${durationText(gor.syscallNs[g]!)}`],
            gor.creator[g]! >= 0 ? ['Created by', this.goroutineName(gor.creator[g]!)] : null,
          ]),
          ...this.eventSection('Began with', st.startEvent[i]!, 'Stack where it began'),
          ...this.eventSection('Ended with', st.endEvent[i]!, 'Stack where it ended'),
          gor.startStack[g]! > 0 ? stackList('Goroutine start', this.frames(gor.startStack[g]!), (f) => this.actions.openFrame(f)) : null,
          this.groupProfileActions(g),
        ];
        break;
      }
      case 'slice': {
        const sl = m.procSlices;
        const i = hit.index;
        const g = sl.goroutine[i]!;
        const button = el('button', { type: 'button', class: 'link' }, `Show ${this.goroutineName(g)} in its lane`);
        button.addEventListener('click', () => this.actions.revealGoroutine(g, [sl.start[i]!, sl.end[i]!]));
        body = [
          el('h2', {}, `P${m.procs.id[sl.proc[i]!]}: ${this.goroutineName(g)}`),
          facts([
            ['State', sl.state[i] === GoroutineState.Syscall ? 'in syscall (holding the P)' : 'running'],
            ['Started', this.at(sl.start[i]!)],
            ['Duration', durationText(sl.end[i]! - sl.start[i]!)],
          ]),
          g >= 0 ? el('p', {}, button) : null,
          ...this.eventSection('Began with', sl.startEvent[i]!, 'Stack where it began'),
          ...this.eventSection('Ended with', sl.endEvent[i]!, 'Stack where it ended'),
        ];
        break;
      }
      case 'range': {
        const r = m.ranges;
        const i = hit.index;
        body = [
          el('h2', {}, s[r.name[i]!] ?? 'range'),
          facts([
            ['Started', this.at(r.start[i]!)],
            ['Duration', durationText(r.end[i]! - r.start[i]!)],
            r.scopeKind[i] === 1 ? ['Goroutine', this.goroutineName(r.scope[i]!)] : r.scopeKind[i] === 2 ? ['P', String(m.procs.id[r.scope[i]!])] : null,
          ]),
          ...this.eventSection('Began with', r.startEvent[i]!, 'Stack where it began'),
          ...this.eventSection('Ended with', r.endEvent[i]!, 'Stack where it ended'),
        ];
        break;
      }
      case 'task': {
        const t = m.tasks;
        const i = hit.index;
        const start = Number.isNaN(t.start[i]!) ? m.startNs : t.start[i]!;
        const end = Number.isNaN(t.end[i]!) ? m.endNs : t.end[i]!;
        const parent = t.parent[i]!;
        let regions = 0;
        for (let r = 0; r < m.regions.count; r++) if (m.regions.task[r] === i) regions++;
        const logs: HTMLElement[] = [];
        for (let l = 0; l < m.logs.count && logs.length < 50; l++) {
          if (m.logs.task[l] !== i) continue;
          logs.push(el('li', {}, `${durationText(m.logs.time[l]! - start)}: ${s[m.logs.category[l]!] ? `[${s[m.logs.category[l]!]}] ` : ''}${s[m.logs.message[l]!]}`));
        }
        const parentButton = parent >= 0 ? el('button', { type: 'button', class: 'link' }, `${s[t.name[parent]!]} (task ${t.id[parent]})`) : null;
        parentButton?.addEventListener('click', () => this.actions.revealTask(parent));
        body = [
          el('h2', {}, `Task ${s[t.name[i]!]}`),
          facts([
            ['Task ID', String(t.id[i])],
            ['Started', Number.isNaN(t.start[i]!) ? 'before the trace started' : this.at(start)],
            ['Duration', `${durationText(end - start)}${Number.isNaN(t.end[i]!) ? ' (had not ended when tracing stopped)' : ''}`],
            ['Goroutine', this.goroutineName(t.goroutine[i]!)],
            ['Regions', String(regions)],
          ]),
          parentButton ? el('p', {}, 'Parent task: ', parentButton) : null,
          traceProfileActions({ taskId: t.id[i]! }, `task ${s[t.name[i]!]} (${t.id[i]})`, this.actions.deriveProfile),
          logs.length > 0 ? el('section', {}, el('h3', {}, 'Logs'), el('ul', { class: 'logs' }, ...logs)) : null,
          ...this.eventSection('Began with', t.startEvent[i]!, 'Stack where it began'),
          ...this.eventSection('Ended with', t.endEvent[i]!, 'Stack where it ended'),
        ];
        break;
      }
      case 'region': {
        const r = m.regions;
        const i = hit.index;
        const task = r.task[i]!;
        body = [
          el('h2', {}, `Region ${s[r.name[i]!]}`),
          facts([
            ['Goroutine', this.goroutineName(r.goroutine[i]!)],
            ['Task', task >= 0 ? `${s[m.tasks.name[task]!]} (${m.tasks.id[task]})` : r.taskId[i] === 0 ? 'background' : `task ${r.taskId[i]} (not in the trace)`],
            ['Started', this.at(r.start[i]!)],
            ['Duration', durationText(r.end[i]! - r.start[i]!)],
            ['Nesting depth', String(r.depth[i])],
          ]),
          traceProfileActions({ regionType: s[r.name[i]!] ?? '' }, `regions ${s[r.name[i]!]}`, this.actions.deriveProfile),
          ...this.eventSection('Began with', r.startEvent[i]!, 'Stack where it began'),
          ...this.eventSection('Ended with', r.endEvent[i]!, 'Stack where it ended'),
        ];
        break;
      }
      case 'log': {
        const l = m.logs;
        const i = hit.index;
        const task = l.task[i]!;
        body = [
          el('h2', {}, `Log ${s[l.category[i]!] ? `[${s[l.category[i]!]}]` : ''}`),
          el('p', { class: 'log-message' }, s[l.message[i]!] ?? ''),
          facts([
            ['Goroutine', this.goroutineName(l.goroutine[i]!)],
            ['Task', task >= 0 ? `${s[m.tasks.name[task]!]} (${m.tasks.id[task]})` : 'none'],
            ['At', this.at(l.time[i]!)],
          ]),
          ...this.eventSection('Event', l.event[i]!, 'Stack'),
        ];
        break;
      }
    }
    replaceChildren(this.target, ...body);
  }
}
