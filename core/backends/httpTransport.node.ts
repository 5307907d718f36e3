// The Node side of the backends core: carries a BackendRequest over http(s) and returns the whole answer
// in memory, bounded by a size cap (checked against Content-Length before reading and against the bytes
// as they arrive, after gzip is undone), under three clocks (connect, silence, whole exchange) and the
// caller's AbortSignal. Same-origin redirects of GET requests are followed; others are reported. Every way
// it can fail ends in a BackendError, and the request and its socket are destroyed before this returns.

import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { formatBytes, htmlTitle } from '../capture';
import { BackendError } from './backendError';
import type { ResolvedBackend } from './backendSource';
import { requestUrl, type BackendAnswer, type BackendRequest, type Send } from './exchange';
import { cancelled, networkError, timedOut, tooLarge, truncated, type TransportFailure } from './transportErrors';

export interface BackendProgress {
  /** What is being received: "the trace 4bf9…". */
  readonly what: string;
  readonly bytes: number;
  /** Content-Length, when the backend announced one (before gzip is undone). */
  readonly expectedBytes?: number;
}

export interface TransportOptions {
  readonly signal?: AbortSignal;
  /** Largest answer, after Content-Encoding is undone (default 512 MiB). */
  readonly maxBytes?: number;
  /** Time to establish the connection, TLS included (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Longest silence: no answer, or no bytes of it (default 30 s). */
  readonly idleTimeoutMs?: number;
  /** The whole of one request and its answer (default 2 min). */
  readonly timeoutMs?: number;
  /** Extra trusted CA certificates (PEM) for https backends. */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** Bytes received so far, at most every 100 ms and once at the end of each answer. */
  readonly onProgress?: (progress: BackendProgress) => void;
  /** One line per request and answer, credentials already removed. */
  readonly log?: (line: string) => void;
}

export const DEFAULT_MAX_ANSWER_BYTES = 512 * 1024 * 1024;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

/** How much of an error answer is kept to explain it. */
const EXPLANATION_BYTES = 16 * 1024;
const MAX_REDIRECTS = 5;
const PROGRESS_EVERY_MS = 100;

function hostPort(url: URL): string {
  return url.port ? url.host : `${url.host}:${url.protocol === 'https:' ? 443 : 80}`;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number (got ${value})`);
  return value;
}

function mediaType(value: string | undefined): string {
  return (value ?? '').split(';')[0]!.trim().toLowerCase();
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** The Send function that carries requests to `backend` over Node's http(s). */
export function createHttpSend(backend: ResolvedBackend, options: TransportOptions = {}): Send {
  const limits = {
    maxBytes: positive(options.maxBytes, DEFAULT_MAX_ANSWER_BYTES, 'maxBytes'),
    connectMs: positive(options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS, 'connectTimeoutMs'),
    idleMs: positive(options.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS, 'idleTimeoutMs'),
    totalMs: positive(options.timeoutMs, DEFAULT_REQUEST_TIMEOUT_MS, 'timeoutMs'),
  };
  const log = options.log ? (line: string) => options.log!(backend.redactor.text(line)) : undefined;
  return async (request) => {
    let url = requestUrl(backend.base, request);
    for (let redirects = 0; ; redirects++) {
      const answer = await exchange(backend, request, url, limits, options, log);
      if (!('location' in answer)) return answer;
      const shownFrom = backend.redactor.url(url);
      let target: URL | undefined;
      try {
        target = new URL(answer.location, url);
      } catch {
        target = undefined;
      }
      const shownTarget = target ? backend.redactor.url(target) : 'an invalid location';
      if (!target || target.origin !== url.origin || request.method !== 'GET' || redirects >= MAX_REDIRECTS) {
        const why = !target || target.origin !== url.origin ? 'another origin, where the backend\'s credentials are not sent' : request.method !== 'GET' ? 'a redirect of a POST request, which is not repeated' : `more than ${MAX_REDIRECTS} redirects`;
        throw new BackendError('redirect', `${shownFrom} redirects to ${shownTarget} (${why}). Use the URL the backend is really served at in its settings${target && target.origin !== url.origin ? ` (${target.origin}${backend.base.pathname.replace(/\/$/, '')})` : ''}.`, { url: shownFrom });
      }
      log?.(`following the redirect to ${shownTarget}`);
      url = target;
    }
  };
}

interface Limits {
  readonly maxBytes: number;
  readonly connectMs: number;
  readonly idleMs: number;
  readonly totalMs: number;
}

/** One request and its answer (or the location of a redirect). */
async function exchange(backend: ResolvedBackend, request: BackendRequest, url: URL, limits: Limits, options: TransportOptions, log: ((line: string) => void) | undefined): Promise<BackendAnswer | { location: string }> {
  const shownUrl = backend.redactor.url(url);
  const state = { answered: false, bytes: 0, expectedBytes: undefined as number | undefined, lastActivity: Date.now(), connected: false };
  const failure = (): TransportFailure => ({ url: shownUrl, hostPort: hostPort(url), what: request.what, answered: state.answered, bytes: state.bytes, ...(state.expectedBytes !== undefined ? { expectedBytes: state.expectedBytes } : {}) });
  if (options.signal?.aborted) throw cancelled(failure());

  let failed: BackendError | undefined;
  let req: http.ClientRequest | undefined;
  let body: Readable | undefined;
  const fail = (error: BackendError): void => {
    if (failed) return;
    failed = error;
    body?.destroy(error);
    req?.destroy(error);
  };
  const timers: NodeJS.Timeout[] = [];
  timers.push(setTimeout(() => fail(timedOut(failure(), 'deadline', limits.totalMs)), limits.totalMs));
  timers.push(setTimeout(() => state.connected || fail(timedOut(failure(), 'connect', limits.connectMs)), limits.connectMs));
  timers.push(
    setInterval(() => {
      if (state.connected && Date.now() - state.lastActivity >= limits.idleMs) fail(timedOut(failure(), 'silence', limits.idleMs));
    }, Math.max(10, Math.min(1000, Math.floor(limits.idleMs / 4)))),
  );
  const onAbort = (): void => fail(cancelled(failure()));
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const headers: Record<string, string> = {
    ...backend.headers,
    ...request.headers,
    Accept: request.accept,
    'Accept-Encoding': 'gzip',
    'User-Agent': 'go-trace-lens',
  };
  if (request.body) {
    headers['Content-Type'] = request.contentType ?? 'application/octet-stream';
    headers['Content-Length'] = String(request.body.length);
  }
  log?.(`${request.method} ${shownUrl} (headers: ${backend.redactor.headers(headers)})`);

  try {
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const transport = url.protocol === 'https:' ? https : http;
      req = transport.request(url, { method: request.method, headers, agent: false, ...(options.ca !== undefined ? { ca: options.ca as string | Buffer | (string | Buffer)[] } : {}) });
      req.once('error', reject);
      req.once('socket', (socket) => {
        const connected = (): void => {
          state.connected = true;
          state.lastActivity = Date.now();
        };
        socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
      });
      req.once('response', resolve);
      req.end(request.body);
      if (failed) req.destroy(failed);
    });
    response.on('error', () => undefined);
    state.lastActivity = Date.now();
    const status = response.statusCode ?? 0;
    log?.(`${status} ${response.statusMessage ?? ''} from ${shownUrl}`.trimEnd());
    if (status >= 300 && status < 400 && response.headers.location) {
      response.destroy();
      return { location: response.headers.location };
    }
    const contentType = mediaType(response.headers['content-type']);
    const answerOf = (bytes: Uint8Array): BackendAnswer => ({ status, statusText: response.statusMessage ?? '', contentType, headers: flatHeaders(response.headers), body: bytes, url: shownUrl });
    const announced = response.headers['content-length'];
    state.expectedBytes = announced !== undefined && /^\d+$/.test(announced) ? Number(announced) : undefined;
    body = decoded(response, shownUrl);
    if (status < 200 || status >= 300) return answerOf(await readBody(body, EXPLANATION_BYTES, 'keep-head'));
    state.answered = true;
    if (state.expectedBytes !== undefined && state.expectedBytes > limits.maxBytes) throw tooLarge(failure(), limits.maxBytes, state.expectedBytes);
    if (contentType.includes('html')) throw htmlPage(backend, request, shownUrl, await readBody(body, EXPLANATION_BYTES, 'keep-head'));

    let lastProgress = 0;
    const progress = (force: boolean): void => {
      const now = Date.now();
      if (!options.onProgress || (!force && now - lastProgress < PROGRESS_EVERY_MS)) return;
      lastProgress = now;
      try {
        options.onProgress({ what: request.what, bytes: state.bytes, ...(state.expectedBytes !== undefined ? { expectedBytes: state.expectedBytes } : {}) });
      } catch {
        // A failing progress display must not fail the request.
      }
    };
    // Progress and the truncation check count the bytes on the wire; the size cap counts them decoded.
    const encoded = body !== response;
    const arrived = (bytes: number): void => {
      state.bytes += bytes;
      state.lastActivity = Date.now();
      progress(false);
    };
    if (encoded) response.on('data', (chunk: Buffer) => arrived(chunk.length));
    const whole = await readBody(body, limits.maxBytes, () => tooLarge(failure(), limits.maxBytes, undefined), encoded ? undefined : arrived);
    if (failed) throw failed;
    if (!response.complete || (state.expectedBytes !== undefined && !encoded && state.bytes < state.expectedBytes)) throw truncated(failure());
    progress(true);
    log?.(`received ${formatBytes(state.bytes)}${encoded ? ` (${formatBytes(whole.length)} decoded)` : ''} from ${shownUrl}`);
    return answerOf(whole);
  } catch (error) {
    if (failed) throw failed;
    if (error instanceof BackendError) throw error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) throw truncated(failure(), code);
    throw networkError(backend, error, failure());
  } finally {
    for (const timer of timers) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    body?.destroy();
    req?.destroy();
  }
}

/** The body with a gzip or deflate Content-Encoding undone. */
function decoded(response: http.IncomingMessage, url: string): Readable {
  const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return response;
  const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? zlib.createGunzip() : encoding === 'deflate' ? zlib.createInflate() : encoding === 'br' ? zlib.createBrotliDecompress() : undefined;
  if (!decoder) {
    response.destroy();
    throw new BackendError('invalid-answer', `${url} sent its answer with Content-Encoding "${encoding.slice(0, 40)}", which cannot be decoded. A proxy in front of the backend re-encodes answers: ask the backend directly.`, { url });
  }
  response.on('error', (error) => decoder.destroy(error));
  return response.pipe(decoder);
}

/**
 * The body's bytes. Past `limit` bytes, either the first `limit` are kept and the rest dropped
 * ('keep-head', for explaining an error; a read error then just ends it), or reading fails with `overLimit()`.
 */
async function readBody(body: Readable, limit: number, overLimit: 'keep-head' | (() => BackendError), onChunk?: (bytes: number) => void): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      onChunk?.(chunk.length);
      size += chunk.length;
      chunks.push(chunk);
      if (size <= limit) continue;
      if (overLimit === 'keep-head') break;
      throw overLimit();
    }
  } catch (error) {
    if (overLimit !== 'keep-head') throw error;
  }
  if (overLimit === 'keep-head') body.destroy();
  const whole = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  return whole.length > limit ? whole.subarray(0, limit) : whole;
}

function htmlPage(backend: ResolvedBackend, request: BackendRequest, url: string, head: Uint8Array): BackendError {
  const title = htmlTitle(backend.redactor.text(new TextDecoder().decode(head)));
  return new BackendError(
    'html-page',
    `${url} returned an HTML page${title ? ` ("${title}")` : ''} instead of ${request.what}. The URL leads to a web page (a login page, a proxy's page, or a web UI) rather than ${backend.info.label}'s query API: check the backend's URL (e.g. ${backend.info.exampleUrl}) and its credentials.`,
    { url },
  );
}
