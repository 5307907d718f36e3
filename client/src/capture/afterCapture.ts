// What happens to a saved capture: a profile becomes the active profile (`goTraceLens.profile.open`), an
// execution trace opens in the timeline (`goTraceLens.trace.open`), "compare" opens the profile diff
// (`goTraceLens.profile.compare`). Those commands belong to other features; when one is not registered
// (a build without that feature) the capture is revealed in the Captures view instead and the log says
// which feature is missing. Pure: no vscode import; the caller passes the registered command ids.

import { ProfileCommands, TraceCommands } from '../../../common/ids';
import { findCaptureKind, type CaptureKindId } from '../../../core/capture';

export type CaptureFileType = 'pprof' | 'trace';

/** Whether a saved capture of `kind` is a profile or an execution trace. */
export function captureFileType(kind: CaptureKindId): CaptureFileType {
  return findCaptureKind(kind)?.validator === 'trace' ? 'trace' : 'pprof';
}

export type OpenPlan =
  | { readonly action: 'command'; readonly command: string }
  | { readonly action: 'reveal'; readonly missingCommand: string; readonly explanation: string };

const FEATURE_NAMES: Readonly<Record<string, string>> = {
  [ProfileCommands.open]: 'the Profile feature (CodeLens, heat and the Profile view)',
  [ProfileCommands.compare]: 'the Profile feature\'s comparison',
  [TraceCommands.open]: 'the trace timeline',
};

function missing(command: string, what: string): OpenPlan {
  return {
    action: 'reveal',
    missingCommand: command,
    explanation: `${what} needs ${FEATURE_NAMES[command] ?? command} (command ${command}), which this version of Go Trace Lens does not have; the file is listed in the Captures view.`,
  };
}

/** How to open a saved capture of this type. */
export function planOpenCapture(type: CaptureFileType, registered: ReadonlySet<string>): OpenPlan {
  const command = type === 'trace' ? TraceCommands.open : ProfileCommands.open;
  if (registered.has(command)) return { action: 'command', command };
  return missing(command, type === 'trace' ? 'Opening an execution trace' : 'Opening a profile');
}

/** How to compare a profile with an earlier one. */
export function planCompareCaptures(registered: ReadonlySet<string>): OpenPlan {
  const command = ProfileCommands.compare;
  return registered.has(command) ? { action: 'command', command } : missing(command, 'Comparing two profiles');
}

export type AfterCapturePlan =
  /** Open it with the feature's command. */
  | { readonly action: 'open'; readonly command: string }
  /** Show it in the Captures view; `explanation` (when set) says in the log why it was not opened. */
  | { readonly action: 'reveal'; readonly explanation?: string };

/** What to do once a capture is saved, given `goTraceLens.capture.openAfterCapture`. */
export function planAfterCapture(type: CaptureFileType, registered: ReadonlySet<string>, openAfterCapture: boolean): AfterCapturePlan {
  if (!openAfterCapture) return { action: 'reveal' };
  const plan = planOpenCapture(type, registered);
  return plan.action === 'command' ? { action: 'open', command: plan.command } : { action: 'reveal', explanation: plan.explanation };
}
