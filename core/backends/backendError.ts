// The one error type of the backends core: a stable `code` the callers switch on (the extension offers
// "Set Credentials…" on `unauthorized`, the CLI picks its exit status) and a message that says what went
// wrong with which backend and what to do. Messages are built from redacted text only: no credential ever
// reaches an error.

export type BackendErrorCode =
  /** The backend description cannot be used: unknown kind, a URL that is not http(s), a kind that cannot do what was asked. */
  | 'bad-backend'
  /** A header name or value cannot be sent, or a credential is malformed. */
  | 'bad-header'
  /** The trace ID is not 16 or 32 hex digits (nor a form that reduces to them). */
  | 'bad-trace-id'
  /** A search or profile query that cannot be sent: missing service, bad duration, time range, selector, type or limit. */
  | 'bad-query'
  | 'connection-refused'
  | 'dns'
  /** No route to the host or network. */
  | 'unreachable'
  /** Connecting, answering or transferring took longer than allowed. */
  | 'timeout'
  | 'tls'
  /** The peer closed the connection, or answered with something that is not HTTP, before an answer. */
  | 'connection-closed'
  /** 401, 403 or 407 (details.status says which), or gRPC's unauthenticated / permission denied: set credentials. */
  | 'unauthorized'
  /** No such trace in the backend, or no such API at the URL (details.status 404 either way). */
  | 'not-found'
  /** A profile query that matched no profiles. */
  | 'no-data'
  /** The backend refused the query as invalid (400, 422, gRPC invalid argument), with its reason. */
  | 'rejected'
  /** Any other status the backend or a proxy in front of it answered. */
  | 'http-error'
  /** A redirect that was not followed (to another origin, or of a POST). */
  | 'redirect'
  /** An HTML page (a login wall, a proxy's error page, a web UI) where the API's answer was expected. */
  | 'html-page'
  /** The answer is larger than the size cap. */
  | 'too-large'
  /** The answer ended before its announced length, or the connection broke in the middle of it. */
  | 'truncated'
  /** The answer is not what the API sends: invalid JSON or protobuf, or an unexpected shape. */
  | 'invalid-answer'
  /** The caller's AbortSignal fired. */
  | 'cancelled';

export interface BackendErrorDetails {
  /** The URL involved, credentials removed. */
  readonly url?: string;
  readonly status?: number;
  /** The underlying system or TLS error code (ECONNREFUSED, CERT_HAS_EXPIRED, …), or the gRPC status. */
  readonly systemCode?: string;
  readonly bytesReceived?: number;
  readonly limitBytes?: number;
  /** For a trace that does not exist: its normalized ID. */
  readonly traceId?: string;
}

export class BackendError extends Error {
  override readonly name = 'BackendError';

  constructor(
    readonly code: BackendErrorCode,
    message: string,
    readonly details: BackendErrorDetails = {},
  ) {
    super(message);
  }
}

/** Codes caused by what the caller asked for (the CLI exits 2 on them), not by the backend. */
export const BACKEND_USAGE_ERROR_CODES: ReadonlySet<BackendErrorCode> = new Set<BackendErrorCode>(['bad-backend', 'bad-header', 'bad-trace-id', 'bad-query']);

export function isBackendError(error: unknown): error is BackendError {
  return error instanceof BackendError;
}
