// The buttons of a failed backend request's error message, by the backends core's error code: each does
// something that can fix that failure ("Set Backend Credentials…" on 401/403, "Open Settings" when the
// backend's URL is the likely cause, "Retry" when the cause may pass), "Show Output" last. A trace the
// backend does not have is said plainly ("no such trace"), with nothing to retry. Pure: no vscode import.

import type { BackendErrorCode } from '../../../core/backends';

export type BackendErrorAction = 'set-credentials' | 'open-settings' | 'retry' | 'show-output';

export const BACKEND_ERROR_ACTION_LABELS: Readonly<Record<BackendErrorAction, string>> = {
  'set-credentials': 'Set Backend Credentials…',
  'open-settings': 'Open Settings',
  retry: 'Retry',
  'show-output': 'Show Output',
};

/** The actions offered for a failure; none for a cancelled request. */
export function backendErrorActions(code: BackendErrorCode): BackendErrorAction[] {
  const actions = ((): BackendErrorAction[] => {
    switch (code) {
      case 'cancelled':
        return [];
      case 'unauthorized':
        return ['set-credentials', 'retry'];
      case 'connection-refused':
      case 'timeout':
      case 'dns':
      case 'unreachable':
      case 'tls':
        return ['open-settings', 'retry'];
      case 'bad-backend':
      case 'html-page':
      case 'redirect':
        return ['open-settings'];
      case 'bad-header':
        return ['set-credentials'];
      case 'not-found':
      case 'no-data':
      case 'bad-trace-id':
      case 'bad-query':
      case 'rejected':
        return [];
      case 'connection-closed':
      case 'http-error':
      case 'too-large':
      case 'truncated':
      case 'invalid-answer':
        return ['retry'];
    }
  })();
  return code === 'cancelled' ? [] : [...actions, 'show-output'];
}
