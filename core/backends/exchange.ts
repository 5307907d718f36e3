// The seam between what each backend asks and how it is asked: a backend module builds requests and
// reads answers (pure code, testable without sockets), and a `Send` function carries them (the Node
// transport in httpTransport.node.ts). A Send returns every HTTP status; turning an unwanted one into an
// error is the backend module's choice, because only it knows that a 404 means "no such trace" here and
// "this Jaeger no longer has that API, try the next one" there.

import type { ResolvedBackend } from './backendSource';

export interface BackendRequest {
  readonly method: 'GET' | 'POST';
  /** Path below the backend's base URL, starting with a slash: `/api/traces/4bf9…`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: Uint8Array;
  readonly contentType?: string;
  readonly accept: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** What the answer is, for messages: "the trace 4bf9…", "the profile types". */
  readonly what: string;
}

export interface BackendAnswer {
  readonly status: number;
  readonly statusText: string;
  /** Lowercase media type without parameters (`application/json`), '' when absent. */
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The whole body for a 2xx answer (Content-Encoding undone); for any other status its first 16 KiB
   * only, enough to explain it.
   */
  readonly body: Uint8Array;
  /** The URL that answered (after redirects), credentials removed: for messages. */
  readonly url: string;
}

export type Send = (request: BackendRequest) => Promise<BackendAnswer>;

/** Everything a backend module needs for one operation. */
export interface BackendContext {
  readonly backend: ResolvedBackend;
  readonly send: Send;
}

/** The full URL of a request (query parameters with undefined values left out). */
export function requestUrl(base: URL, request: Pick<BackendRequest, 'path' | 'query'>): URL {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${request.path}`;
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) url.searchParams.append(name, String(value));
  }
  return url;
}

export function isSuccess(answer: BackendAnswer): boolean {
  return answer.status >= 200 && answer.status < 300;
}

/** The body as UTF-8 text. */
export function answerText(answer: BackendAnswer): string {
  return new TextDecoder('utf-8').decode(answer.body);
}
