// Turns a non-2xx answer of a pprof handler into a CaptureError. Knows the texts Go's net/http/pprof
// writes (`Could not enable CPU profiling: cpu profiling already in use`, `Could not enable tracing:
// tracing is already enabled`, `Unknown profile`, a WriteTimeout ending a delta profile) so that each gets
// advice for its cause.

import type { CaptureKind } from './captureKinds';
import { CaptureError } from './captureError';

export interface HttpStatusContext {
  /** The request URL for display (credentials removed). */
  readonly url: string;
  readonly hostPort: string;
  readonly kind: CaptureKind;
  /** Whether an Authorization (or other credential) header was sent. */
  readonly sentCredentials: boolean;
}

const MAX_QUOTED = 200;

/** The first line of a text body, cleaned for a message (control characters dropped, length capped). */
export function quoteBody(body: string): string {
  const line = body
    .replace(/<[^>]*>/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '') ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = line.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ');
  return clean.length > MAX_QUOTED ? `${clean.slice(0, MAX_QUOTED)}…` : clean;
}

function statusLine(status: number, statusText: string | undefined): string {
  return statusText ? `${status} ${statusText}` : String(status);
}

/**
 * The CaptureError for an HTTP status other than 2xx/3xx. `body` is the start of the response body,
 * already redacted; `statusText` is the reason phrase.
 */
export function classifyHttpStatus(status: number, statusText: string | undefined, body: string, ctx: HttpStatusContext): CaptureError {
  const details = { url: ctx.url, status };
  const said = quoteBody(body);
  const quoted = said ? ` ("${said}")` : '';
  const answered = `${ctx.hostPort} answered ${statusLine(status, statusText)} for ${ctx.url}`;

  if (status === 401 || status === 407) {
    const what = ctx.sentCredentials
      ? 'the credentials sent were rejected. Check or renew the endpoint\'s credentials (bearer token or basic auth).'
      : 'the service needs credentials. Set credentials for this endpoint (bearer token or basic auth; on the command line: --header \'Authorization: Bearer TOKEN\').';
    return new CaptureError('unauthorized', `${answered}: ${what}`, details);
  }
  if (status === 403) {
    const what = ctx.sentCredentials
      ? 'the credentials sent are not allowed to read profiles. Use credentials with access to /debug/pprof, or ask the service\'s owners.'
      : 'access is denied. Set credentials for this endpoint (bearer token or basic auth; on the command line: --header \'Authorization: Bearer TOKEN\').';
    return new CaptureError('forbidden', `${answered}: ${what}`, details);
  }
  if (status === 404) {
    if (/unknown profile/i.test(said)) {
      return new CaptureError(
        'not-found',
        `${answered}: the service has no "${ctx.kind.path}" profile (Go says "Unknown profile"). Its Go version may not have it, or it is a custom handler; capture another kind.`,
        details,
      );
    }
    return new CaptureError(
      'not-found',
      `${answered}: the pprof handlers are not registered on this path. Import _ "net/http/pprof" in the service (it registers on http.DefaultServeMux; on another router mount its handlers) and check the endpoint's base URL (usually http://HOST:PORT/debug/pprof).`,
      details,
    );
  }
  if (status === 500 || status === 503) {
    if (/already (in use|enabled)/i.test(said)) {
      const what = /tracing/i.test(said) ? 'an execution trace' : 'a CPU profile';
      return new CaptureError(
        'profiling-in-use',
        `${ctx.hostPort} is already recording ${what}${quoted}; Go allows one at a time. Wait for the other capture (another go tool pprof, a continuous profiler, or an earlier capture) to finish, then retry.`,
        details,
      );
    }
    if (/could not enable (cpu profiling|tracing)/i.test(said)) {
      const what = /tracing/i.test(said) ? 'execution tracing' : 'CPU profiling';
      return new CaptureError(
        'cpu-profiling-unavailable',
        `${ctx.hostPort} could not start ${what}${quoted}. The service's runtime refused it: check its logs; other profile kinds may still work.`,
        details,
      );
    }
  }
  if (status === 408 || (status >= 500 && /deadline exceeded/i.test(said))) {
    return new CaptureError(
      'timeout',
      `${answered}${quoted}: the service's http.Server WriteTimeout ended the capture before it finished. Capture a shorter duration, or raise WriteTimeout on the server that serves /debug/pprof.`,
      details,
    );
  }
  if (status === 400 && /seconds/i.test(said)) {
    return new CaptureError('http-error', `${answered}${quoted}: the service does not accept this duration for ${ctx.kind.label}. Its Go version may not support delta profiles (Go 1.17+); capture the snapshot kind instead.`, details);
  }
  const advice = status >= 500 ? 'The service failed to produce it: check its logs, then retry.' : 'Check the endpoint URL and the service\'s configuration.';
  return new CaptureError('http-error', `${answered}${quoted}. ${advice}`, details);
}
