// The buttons that show a `go tool trace -pprof` profile of the execution trace on the code: scheduler
// latency, sync blocking, network wait and syscalls, for the whole trace or a scope of it (the selected
// range, the selected goroutine's group, region type or task). Each posts `traceProfile` to the host,
// which derives the profile in the language server and opens it (lenses, heat, flame graph).

import type { TraceProfileScope, TraceProfileType } from '../../common/timelineProtocol';
import { el } from '../shared/dom';

/** The four profiles, as their buttons say them, in the order the article asks its questions. */
export const TRACE_PROFILE_BUTTONS: readonly { readonly type: TraceProfileType; readonly label: string; readonly title: string }[] = [
  { type: 'sched', label: 'Scheduler latency', title: 'Where goroutines waited to run once runnable (go tool trace -pprof=sched)' },
  { type: 'sync', label: 'Sync blocking', title: 'Where goroutines blocked on channels, select and sync primitives (go tool trace -pprof=sync)' },
  { type: 'net', label: 'Network wait', title: 'Where goroutines waited on the network (go tool trace -pprof=net)' },
  { type: 'syscall', label: 'Syscalls', title: 'Where goroutines were in system calls (go tool trace -pprof=syscall)' },
];

export type DeriveProfile = (type: TraceProfileType, scope: TraceProfileScope | undefined, scopeLabel: string) => void;

/** "Show on the code" for a scope: one button per profile. `scopeLabel` says what they cover. */
export function traceProfileActions(scope: TraceProfileScope | undefined, scopeLabel: string, derive: DeriveProfile): HTMLElement {
  const buttons = TRACE_PROFILE_BUTTONS.map((profile) => {
    const button = el('button', { type: 'button', class: 'secondary', title: `${profile.title}, for ${scopeLabel}`, 'data-profile': profile.type }, profile.label);
    button.addEventListener('click', () => derive(profile.type, scope, scopeLabel));
    return button;
  });
  return el('section', { class: 'trace-profiles' }, el('h3', {}, `On the code, for ${scopeLabel}`), el('div', { class: 'actions' }, ...buttons));
}

/** The toolbar's menu for profiles of the whole trace. */
export function traceProfileMenu(derive: DeriveProfile): HTMLSelectElement {
  const select = el('select', { class: 'trace-profile-menu', title: 'Show a profile derived from this trace on the code', 'aria-label': 'Show a trace profile on the code' });
  select.append(el('option', { value: '' }, 'Show on the code…'), ...TRACE_PROFILE_BUTTONS.map((p) => el('option', { value: p.type, title: p.title }, p.label)));
  select.addEventListener('change', () => {
    const type = select.value as TraceProfileType | '';
    select.value = '';
    if (type) derive(type, undefined, 'the whole trace');
  });
  return select;
}
