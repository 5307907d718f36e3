// One capture as the extension runs it, around the capture core: asks before the first capture from a
// host other than this machine, adds the endpoint's stored credentials, reports progress, and when the
// service redirects to another host asks whether to follow and retries with that origin accepted. The
// questions, the progress display and the log are passed in (`CaptureSessionUi`), so this runs in plain
// Node against real servers in tests. Pure of vscode; Node-only through the capture core.

import { captureToFile, type CaptureResult } from '../../../core/capture/index.node';
import { mergeHeaders, CaptureError, isCaptureError, type CaptureKind, Redactor } from '../../../core/capture';
import { credentialHeaders, describeCredentials, type EndpointCredentials } from './credentials';
import type { EndpointChoice } from './endpointChoices';
import type { HostApprovals } from './hostApprovals';
import { CaptureProgressText, captureProgressTitle, type ProgressStep } from './progressText';

export interface CaptureSessionRequest {
  readonly endpoint: EndpointChoice;
  readonly kind: CaptureKind;
  /** Duration of a timed kind. */
  readonly seconds?: number;
  readonly destination: string;
  readonly credentials?: EndpointCredentials;
  readonly maxBytes?: number;
  /** Time allowed beyond the capture's duration. */
  readonly timeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
  /** Extra trusted CA certificates (PEM) for https endpoints. */
  readonly ca?: string | Buffer;
}

export interface CaptureSessionUi {
  /** Asks whether to capture from a host other than this machine for the first time. */
  confirmHost(question: { readonly host: string; readonly displayUrl: string; readonly endpointName: string; readonly destination: string }): Promise<boolean>;
  /** Asks whether to follow a redirect to another host. */
  confirmRedirect(question: { readonly from: string; readonly to: string; readonly origin: string }): Promise<boolean>;
  /**
   * Runs `task` while showing progress titled `title`; `signal` fires when the user cancels. Must
   * return what `task` returns (or throws).
   */
  withProgress<T>(title: string, task: (report: (step: ProgressStep) => void, signal: AbortSignal) => Promise<T>): Promise<T>;
  /** One log line (already free of credentials). */
  log(line: string): void;
}

export type CaptureSessionOutcome =
  | { readonly status: 'saved'; readonly result: CaptureResult }
  | { readonly status: 'cancelled' }
  /** The user said no to capturing from that host, or to following a redirect. */
  | { readonly status: 'declined'; readonly what: 'host' | 'redirect'; readonly message: string }
  | { readonly status: 'failed'; readonly error: CaptureError };

/** Redirects to other hosts asked about in one capture before giving up (each asks the user). */
const MAX_REDIRECT_QUESTIONS = 5;

function describeRequest(request: CaptureSessionRequest): string {
  const duration = request.seconds !== undefined ? ` for ${request.seconds} s` : '';
  const credentials = request.credentials ? `, with ${describeCredentials(request.credentials)}` : '';
  return `${request.kind.label}${duration} from ${request.endpoint.name} (${request.endpoint.displayUrl})${credentials}`;
}

export async function runCaptureSession(request: CaptureSessionRequest, ui: CaptureSessionUi, approvals: HostApprovals): Promise<CaptureSessionOutcome> {
  const { endpoint } = request;
  if (approvals.needsConfirmation(endpoint)) {
    const accepted = await ui.confirmHost({ host: endpoint.host, displayUrl: endpoint.displayUrl, endpointName: endpoint.name, destination: request.destination });
    if (!accepted) {
      const message = `Not capturing from ${endpoint.host}: the first capture from a host other than this machine needs your confirmation.`;
      ui.log(message);
      return { status: 'declined', what: 'host', message };
    }
    await approvals.approve(endpoint.host);
    ui.log(`Captures from ${endpoint.host} confirmed; it will not be asked again.`);
  }

  const headers = mergeHeaders(endpoint.headers, credentialHeaders(request.credentials));
  // The core redacts its own lines; this also covers anything this module writes.
  const redactor = Redactor.forHeaders(headers);
  const log = (line: string): void => ui.log(redactor.text(line));
  const allowRedirectTo: string[] = [];
  const title = captureProgressTitle(request.kind, endpoint.name);
  log(`Capturing ${describeRequest(request)} into ${request.destination}.`);

  for (let questions = 0; ; questions++) {
    try {
      const result = await ui.withProgress(title, (report, signal) => {
        const text = new CaptureProgressText(request.kind);
        return captureToFile(
          { endpoint: { name: endpoint.name, baseUrl: endpoint.url, headers }, kind: request.kind, ...(request.seconds !== undefined ? { seconds: request.seconds } : {}), destination: request.destination },
          {
            signal,
            allowRedirectTo,
            onProgress: (progress) => report(text.next(progress)),
            log: (line) => log(`  ${line}`),
            ...(request.maxBytes !== undefined ? { maxBytes: request.maxBytes } : {}),
            ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
            ...(request.connectTimeoutMs !== undefined ? { connectTimeoutMs: request.connectTimeoutMs } : {}),
            ...(request.idleTimeoutMs !== undefined ? { idleTimeoutMs: request.idleTimeoutMs } : {}),
            ...(request.ca !== undefined ? { ca: request.ca } : {}),
          },
        );
      });
      log(`Saved ${result.fileName} (${result.bytes} bytes) in ${request.destination}.`);
      if (result.notice) log(`Note: ${result.notice}`);
      return { status: 'saved', result };
    } catch (error) {
      if (!isCaptureError(error)) throw error;
      if (error.code === 'cancelled') {
        log(`Cancelled the capture of ${describeRequest(request)}; nothing was saved.`);
        return { status: 'cancelled' };
      }
      const origin = error.details.redirectOrigin;
      if (error.code === 'redirect-to-other-host' && origin !== undefined && !allowRedirectTo.includes(origin) && questions < MAX_REDIRECT_QUESTIONS) {
        log(error.message);
        const follow = await ui.confirmRedirect({ from: endpoint.displayUrl, to: error.details.redirectTo ?? origin, origin });
        if (!follow) {
          const message = `Not following the redirect from ${endpoint.displayUrl} to ${origin}; nothing was saved.`;
          log(message);
          return { status: 'declined', what: 'redirect', message };
        }
        log(`Following redirects to ${origin} for this capture.`);
        allowRedirectTo.push(origin);
        continue;
      }
      log(`Capture failed (${error.code}): ${error.message}`);
      return { status: 'failed', error };
    }
  }
}
