// What happens to a saved capture: it is handed, with its kind, to the feature that opens it — a profile
// to the Profile feature (it becomes the active profile; "compare" opens the diff), an execution trace to
// the timeline. When a feature is missing (it failed to register) the capture is revealed in the Captures
// view instead and the log says which feature is missing. Pure: no vscode import; the caller says which
// features it has.

import { ProfileCommands, TraceCommands } from '../../../common/ids';
import { findSavedKind, type CaptureKindId, type SavedKindId } from '../../../core/capture';

export type CaptureFileType = 'pprof' | 'trace';

/** The features captures are handed to. */
export type CaptureFeature = 'profiles' | 'timeline';

/** Whether a saved capture of `kind` is a profile or an execution trace. */
export function captureFileType(kind: SavedKindId): CaptureFileType {
  return findSavedKind(kind)?.validator === 'trace' ? 'trace' : 'pprof';
}

/** The profile kind a capture of each profile kind holds. */
const PROFILE_KINDS: Readonly<Record<Exclude<CaptureKindId, 'trace'>, string>> = {
  cpu: 'cpu',
  heap: 'heap',
  allocs: 'allocs',
  goroutine: 'goroutine',
  mutex: 'mutex',
  block: 'block',
  threadcreate: 'threadcreate',
  'heap-delta': 'heap',
  'allocs-delta': 'allocs',
  'mutex-delta': 'mutex',
  'block-delta': 'block',
};

/**
 * The profile kind of a saved capture (what the language server is told, instead of guessing from the
 * name): a delta is a profile of its endpoint's kind; a profile derived from a trace is its own kind.
 */
export function profileKindOf(kind: SavedKindId): string | undefined {
  if (kind === 'trace') return undefined;
  return kind.startsWith('trace-') ? kind : PROFILE_KINDS[kind as Exclude<CaptureKindId, 'trace'>];
}

export type OpenPlan =
  | { readonly action: 'open'; readonly feature: CaptureFeature }
  | { readonly action: 'reveal'; readonly explanation: string };

/** Each feature as the log names it when it is missing, with the command that is its public face. */
const FEATURE_NAMES = {
  open: {
    profiles: { name: 'the Profile feature (CodeLens, heat and the Profile view)', command: ProfileCommands.open },
    timeline: { name: 'the trace timeline', command: TraceCommands.open },
  },
  compare: { name: 'the Profile feature\'s comparison', command: ProfileCommands.compare },
} as const;

function missing(feature: { readonly name: string; readonly command: string }, what: string): OpenPlan {
  return {
    action: 'reveal',
    explanation: `${what} needs ${feature.name} (command ${feature.command}), which this version of Go Trace Lens does not have; the file is listed in the Captures view.`,
  };
}

/** How to open a saved capture of this type, given the features there are. */
export function planOpenCapture(type: CaptureFileType, available: ReadonlySet<CaptureFeature>): OpenPlan {
  const feature: CaptureFeature = type === 'trace' ? 'timeline' : 'profiles';
  if (available.has(feature)) return { action: 'open', feature };
  return missing(FEATURE_NAMES.open[feature], type === 'trace' ? 'Opening an execution trace' : 'Opening a profile');
}

/** How to compare a profile with an earlier one. */
export function planCompareCaptures(available: ReadonlySet<CaptureFeature>): OpenPlan {
  return available.has('profiles') ? { action: 'open', feature: 'profiles' } : missing(FEATURE_NAMES.compare, 'Comparing two profiles');
}

export type AfterCapturePlan =
  /** Hand it to the feature that opens it. */
  | { readonly action: 'open'; readonly feature: CaptureFeature }
  /** Show it in the Captures view; `explanation` (when set) says in the log why it was not opened. */
  | { readonly action: 'reveal'; readonly explanation?: string };

/** What to do once a capture is saved, given `goTraceLens.capture.openAfterCapture`. */
export function planAfterCapture(type: CaptureFileType, available: ReadonlySet<CaptureFeature>, openAfterCapture: boolean): AfterCapturePlan {
  if (!openAfterCapture) return { action: 'reveal' };
  return planOpenCapture(type, available);
}
