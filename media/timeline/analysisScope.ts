// What part of an execution trace the Analysis view looks at: the whole trace, a time range, the
// goroutines of one group (start function), the time inside regions of one type, or inside the regions
// of one task. A scope says how each core call takes it (summarizeGoroutines' range, transitionTable's
// filters, the trace profiles' TraceProfileScope) and how it reads ("the whole trace", "goroutines
// starting in main.worker"); the view offers the scopes the current selection makes possible.

import type { TraceProfileScope } from '../../common/timelineProtocol';
import type { TimeRangeOptions, TransitionOptions } from '../../core/timeline';
import { durationText } from './timeFormat';

export type AnalysisScope =
  | { readonly kind: 'whole' }
  | { readonly kind: 'range'; readonly from: number; readonly to: number }
  | { readonly kind: 'group'; readonly name: string }
  | { readonly kind: 'region'; readonly type: string }
  | { readonly kind: 'task'; readonly id: number; readonly name: string };

export const WHOLE_TRACE: AnalysisScope = { kind: 'whole' };

/** Equal scopes have equal keys. */
export function scopeKey(scope: AnalysisScope): string {
  switch (scope.kind) {
    case 'whole':
      return 'whole';
    case 'range':
      return `range:${scope.from}:${scope.to}`;
    case 'group':
      return `group:${scope.name}`;
    case 'region':
      return `region:${scope.type}`;
    case 'task':
      return `task:${scope.id}`;
  }
}

/** How the scope reads after "Scope:" and "On the code, for …"; `originNs` is the trace's start. */
export function scopeLabel(scope: AnalysisScope, originNs: number): string {
  switch (scope.kind) {
    case 'whole':
      return 'the whole trace';
    case 'range':
      return `the range ${durationText(scope.from - originNs)}–${durationText(scope.to - originNs)}`;
    case 'group':
      return scope.name ? `goroutines starting in ${scope.name}` : 'goroutines with no stack in the trace';
    case 'region':
      return scope.type ? `regions ${scope.type}` : 'unnamed regions (goroutines started inside a region)';
    case 'task':
      return `task ${scope.name} (${scope.id})`;
  }
}

/** The range summarizeGoroutines clips to: only a range scope has one (the others filter afterwards). */
export function summaryRange(scope: AnalysisScope): TimeRangeOptions {
  return scope.kind === 'range' ? { from: scope.from, to: scope.to } : {};
}

/** transitionTable's options for the scope. */
export function transitionOptions(scope: AnalysisScope, worst: number): TransitionOptions {
  switch (scope.kind) {
    case 'whole':
      return { worst };
    case 'range':
      return { from: scope.from, to: scope.to, worst };
    case 'group':
      return { group: scope.name, worst };
    case 'region':
      return { region: scope.type, worst };
    case 'task':
      return { task: scope.id, worst };
  }
}

/** The trace profiles' scope (undefined: the whole trace). */
export function profileScope(scope: AnalysisScope): TraceProfileScope | undefined {
  switch (scope.kind) {
    case 'whole':
      return undefined;
    case 'range':
      return { fromNs: scope.from, toNs: scope.to };
    case 'group':
      return { goroutineName: scope.name };
    case 'region':
      return { regionType: scope.type };
    case 'task':
      return { taskId: scope.id };
  }
}
