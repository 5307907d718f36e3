// The buttons of a failed capture's error message, by the capture core's error code: each does something
// that can help with that failure ("Set Credentials…" on 401/403, "Retry" when the cause may pass, a
// setting to change when the cause is one), most helpful first, "Show Output" last. Pure: no vscode
// import; captureCommand.ts runs the chosen action.

import type { CaptureErrorCode } from '../../../core/capture';

export type CaptureErrorAction =
  | 'set-credentials'
  | 'retry'
  | 'discover'
  | 'edit-endpoints'
  | 'set-ca-file'
  | 'raise-size-cap'
  | 'raise-timeout'
  | 'choose-folder'
  | 'show-output';

export const CAPTURE_ERROR_ACTION_LABELS: Readonly<Record<CaptureErrorAction, string>> = {
  'set-credentials': 'Set Credentials…',
  retry: 'Retry',
  discover: 'Discover Local Services…',
  'edit-endpoints': 'Edit Endpoints',
  'set-ca-file': 'Set CA Certificate…',
  'raise-size-cap': 'Raise Size Cap',
  'raise-timeout': 'Raise Timeout',
  'choose-folder': 'Change Capture Folder',
  'show-output': 'Show Output',
};

export interface ErrorActionContext {
  /** Whether the endpoint comes from settings (so "Edit Endpoints" can fix its URL or headers). */
  readonly endpointFromSettings: boolean;
  /** Whether the endpoint is on this machine (so discovering local services may find the right port). */
  readonly loopback: boolean;
}

/** The actions offered for a failure, at most four, "Show Output" always last. Cancelled captures get none. */
export function captureErrorActions(code: CaptureErrorCode, context: ErrorActionContext): CaptureErrorAction[] {
  const actions = ((): CaptureErrorAction[] => {
    switch (code) {
      case 'cancelled':
        return [];
      case 'unauthorized':
      case 'forbidden':
        return ['set-credentials', 'retry'];
      case 'connection-refused':
        return context.loopback ? ['retry', 'discover'] : ['retry'];
      case 'not-found':
      case 'html-instead-of-profile':
        return [...(context.loopback ? (['discover'] as const) : []), ...(context.endpointFromSettings ? (['edit-endpoints'] as const) : []), 'retry'];
      case 'timeout':
        return ['retry', 'raise-timeout'];
      case 'tls':
        return ['set-ca-file', 'retry'];
      case 'too-large':
        return ['raise-size-cap', 'retry'];
      case 'destination':
        return ['choose-folder', 'retry'];
      case 'bad-url':
      case 'bad-header':
        return context.endpointFromSettings ? ['edit-endpoints'] : [];
      case 'dns':
      case 'unreachable':
        return context.endpointFromSettings ? ['retry', 'edit-endpoints'] : ['retry'];
      case 'profiling-in-use':
      case 'cpu-profiling-unavailable':
      case 'connection-closed':
      case 'http-error':
      case 'truncated':
      case 'not-a-profile':
      case 'too-many-redirects':
      case 'redirect-to-other-host':
        return ['retry'];
      case 'bad-kind':
      case 'bad-seconds':
      case 'discovery-unavailable':
        return [];
    }
  })();
  if (code === 'cancelled') return [];
  const offered: CaptureErrorAction[] = [...actions.slice(0, 3), 'show-output'];
  return offered.filter((action, index) => offered.indexOf(action) === index);
}
