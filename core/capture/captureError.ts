// The one error type of the capture core: a stable `code` callers switch on (the extension picks its
// buttons by it, the CLI its exit status) and a message that says what happened and what to do. Messages
// are built from redacted text only: no credential ever reaches an error.

export type CaptureErrorCode =
  /** The endpoint URL is not an http(s) URL with a host. */
  | 'bad-url'
  /** A header name or value cannot be sent (not a token, or contains a line break). */
  | 'bad-header'
  /** The kind is not one of CAPTURE_KINDS. */
  | 'bad-kind'
  /** A duration was given for a snapshot kind, or is not a whole number of seconds in range. */
  | 'bad-seconds'
  /** The destination folder cannot be created or written. */
  | 'destination'
  | 'connection-refused'
  | 'dns'
  /** No route to the host or network. */
  | 'unreachable'
  /** Connecting, answering or transferring took longer than allowed. */
  | 'timeout'
  | 'tls'
  /** The peer closed the connection, or answered with something that is not HTTP, before a response. */
  | 'connection-closed'
  | 'not-found'
  | 'unauthorized'
  | 'forbidden'
  /** Go's 500: another CPU profile or execution trace is already running in the service. */
  | 'profiling-in-use'
  /** Go's 500: the runtime could not start CPU profiling or tracing for another reason. */
  | 'cpu-profiling-unavailable'
  /** Any other non-2xx status. */
  | 'http-error'
  | 'html-instead-of-profile'
  /** A redirect to another scheme, host or port that the caller has not allowed. */
  | 'redirect-to-other-host'
  | 'too-many-redirects'
  /** The body ended before its announced length, the connection broke mid-body, or the gzip stream is cut. */
  | 'truncated'
  /** The body is larger than the size cap. */
  | 'too-large'
  /** The body is neither a profile nor an execution trace (or not the one the kind expects). */
  | 'not-a-profile'
  /** The caller's AbortSignal fired. */
  | 'cancelled'
  /** Discovering local services needs /proc/net/tcp (Linux). */
  | 'discovery-unavailable';

export interface CaptureErrorDetails {
  /** The URL involved, with credentials removed. */
  readonly url?: string;
  readonly status?: number;
  /** For redirect-to-other-host: where the service redirected (credentials removed). */
  readonly redirectTo?: string;
  /** For redirect-to-other-host: the origin to add to `allowRedirectTo` once the user accepts it. */
  readonly redirectOrigin?: string;
  readonly bytesReceived?: number;
  readonly limitBytes?: number;
  /** The underlying system or TLS error code (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT, …). */
  readonly systemCode?: string;
}

export class CaptureError extends Error {
  override readonly name = 'CaptureError';

  constructor(
    readonly code: CaptureErrorCode,
    message: string,
    readonly details: CaptureErrorDetails = {},
  ) {
    super(message);
  }
}

/** Codes caused by what the caller asked for (the CLI exits 2 on them), not by the service. */
export const USAGE_ERROR_CODES: ReadonlySet<CaptureErrorCode> = new Set<CaptureErrorCode>(['bad-url', 'bad-header', 'bad-kind', 'bad-seconds']);

export function isCaptureError(error: unknown): error is CaptureError {
  return error instanceof CaptureError;
}
