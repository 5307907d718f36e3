// The HTTP side of a capture: one GET (following redirects that stay on the endpoint's origin, or go to
// an origin the caller allowed), streamed chunk by chunk into a file with a size cap, under three clocks
// (connect, silence, overall deadline) and the caller's AbortSignal. Every way it can fail ends in a
// CaptureError; whatever fails, the request and its socket are destroyed before this returns.

import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import type { CaptureKind } from './captureKinds';
import { CaptureError } from './captureError';
import { formatBytes, formatDuration } from './formatting';
import { classifyHttpStatus } from './httpStatus';
import { classifyNetworkError } from './networkErrors';
import { isSensitiveHeader, type Redactor } from './redact';
import { htmlInsteadOfProfile, htmlTitle } from './htmlPage';

export interface DownloadOptions {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly kind: CaptureKind;
  /** Where the body goes (the capture's temporary file, opened for writing). */
  readonly file: FileHandle;
  readonly maxBytes: number;
  readonly connectTimeoutMs: number;
  /** Longest silence (no response, no bytes) once `quietMs` have passed. */
  readonly idleTimeoutMs: number;
  /** How long the service is expected to stay quiet (the capture's duration). */
  readonly quietMs: number;
  /** The whole exchange must end within quietMs + this. */
  readonly timeoutMs: number;
  /** Origins (`https://host:port`) a redirect may go to besides the endpoint's own. */
  readonly allowRedirectOrigins: ReadonlySet<string>;
  readonly maxRedirects: number;
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  readonly signal?: AbortSignal;
  readonly redactor: Redactor;
  readonly onBytes?: (bytes: number, expectedBytes: number | undefined) => void;
  readonly log?: (line: string) => void;
}

export interface DownloadResult {
  readonly bytes: number;
  /** The URL that answered, after redirects. */
  readonly finalUrl: URL;
  readonly contentType: string | undefined;
  readonly elapsedMs: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Body bytes collected before one write to the file. */
const WRITE_BATCH_BYTES = 1024 * 1024;
/** How much of an error or HTML body is read to explain it. */
const EXPLANATION_BYTES = 16 * 1024;

function hostPort(url: URL): string {
  return url.port ? url.host : `${url.host}:${url.protocol === 'https:' ? 443 : 80}`;
}

function contentLength(response: http.IncomingMessage): number | undefined {
  const raw = response.headers['content-length'];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/** Reads at most `limit` bytes of a body as text, then drops the rest. */
async function readSome(body: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) break;
    }
  } catch {
    // An explanation cut short is still an explanation.
  }
  body.destroy();
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** The decoded body stream for a Content-Encoding a proxy applied despite `Accept-Encoding: identity`. */
function decodedBody(response: http.IncomingMessage, url: string): Readable {
  const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return response;
  const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? zlib.createGunzip() : encoding === 'deflate' ? zlib.createInflate() : encoding === 'br' ? zlib.createBrotliDecompress() : undefined;
  if (!decoder) {
    response.destroy();
    throw new CaptureError('not-a-profile', `${url} sent its body with Content-Encoding "${encoding.slice(0, 40)}", which cannot be decoded. A proxy between here and the service re-encodes responses: capture from the service directly.`, { url });
  }
  response.on('error', (error) => decoder.destroy(error));
  return response.pipe(decoder);
}

/** Streams one capture from `options.url` into `options.file`. */
export async function downloadCapture(options: DownloadOptions): Promise<DownloadResult> {
  const started = Date.now();
  const { redactor } = options;
  const originalOrigin = options.url.origin;
  let url = options.url;
  let shownUrl = redactor.url(url);
  let failure: CaptureError | undefined;
  let request: http.ClientRequest | undefined;
  let body: Readable | undefined;
  let responseStarted = false;
  /** Whether the current request's connection (TLS included) is established: silence counts from then. */
  let connected = false;
  let bytes = 0;
  let expectedBytes: number | undefined;
  let lastActivity = started;
  const timers: NodeJS.Timeout[] = [];

  const fail = (error: CaptureError): void => {
    if (failure) return;
    failure = error;
    body?.destroy(error);
    request?.destroy(error);
  };

  // The overall deadline.
  const deadlineMs = options.quietMs + options.timeoutMs;
  timers.push(
    setTimeout(() => {
      const got = responseStarted ? `; only ${formatBytes(bytes)}${expectedBytes !== undefined ? ` of ${formatBytes(expectedBytes)}` : ''} arrived` : '; no answer arrived';
      const budget = options.quietMs > 0 ? `${formatDuration(options.quietMs)} capture + ${formatDuration(options.timeoutMs)} allowance` : 'the time allowed';
      fail(
        new CaptureError(
          'timeout',
          `The capture from ${shownUrl} did not complete within ${formatDuration(deadlineMs)} (${budget})${got}. The service or the network is too slow or stuck: retry, or allow more time.`,
          { url: shownUrl, bytesReceived: bytes },
        ),
      );
    }, deadlineMs),
  );

  // Silence: checked every so often rather than re-armed on each chunk.
  const idleCheckEvery = Math.max(20, Math.min(1000, Math.floor(options.idleTimeoutMs / 4)));
  timers.push(
    setInterval(() => {
      if (!connected) return;
      const now = Date.now();
      const quietUntil = started + options.quietMs;
      const since = Math.max(lastActivity, quietUntil);
      if (now - since < options.idleTimeoutMs) return;
      const after = options.quietMs > 0 ? ` after the ${formatDuration(options.quietMs)} capture ended` : '';
      fail(
        responseStarted
          ? new CaptureError(
              'timeout',
              `The transfer from ${shownUrl} stalled: nothing arrived for ${formatDuration(options.idleTimeoutMs)} after ${formatBytes(bytes)}. The service or the network is stuck: retry, or allow more time.`,
              { url: shownUrl, bytesReceived: bytes },
            )
          : new CaptureError(
              'timeout',
              `${hostPort(url)} accepted the connection but did not answer within ${formatDuration(options.idleTimeoutMs)}${after} (${shownUrl}). The service may be stuck or overloaded, or the port may not belong to an HTTP server.`,
              { url: shownUrl },
            ),
      );
    }, idleCheckEvery),
  );

  const onAbort = (): void =>
    fail(new CaptureError('cancelled', `The capture from ${shownUrl} was cancelled; nothing was saved.`, { url: shownUrl, bytesReceived: bytes }));
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  let headers: Record<string, string> = { ...options.headers };
  try {
    for (let redirects = 0; ; redirects++) {
      if (failure) throw failure;
      const response = await sendRequest(url, headers);
      const status = response.statusCode ?? 0;
      options.log?.(`${status} ${response.statusMessage ?? ''} from ${shownUrl}`.trimEnd());

      if (REDIRECT_STATUSES.has(status) && response.headers.location) {
        response.on('error', () => undefined);
        response.destroy();
        const target = resolveRedirect(response.headers.location, url, shownUrl);
        const shownTarget = redactor.url(target);
        if (target.origin !== originalOrigin && !options.allowRedirectOrigins.has(target.origin)) {
          throw new CaptureError(
            'redirect-to-other-host',
            `${shownUrl} redirects to ${shownTarget}, on another host. It was not followed: if you trust ${target.origin}, allow the redirect (or use that URL as the endpoint).`,
            { url: shownUrl, status, redirectTo: shownTarget, redirectOrigin: target.origin },
          );
        }
        if (redirects >= options.maxRedirects) {
          throw new CaptureError('too-many-redirects', `${redactor.url(options.url)} redirected more than ${options.maxRedirects} times (last to ${shownTarget}). Use the final URL as the endpoint, or fix the redirect loop.`, { url: shownUrl, status });
        }
        if (target.origin !== originalOrigin) {
          // Credentials are for the endpoint's origin only, even on a redirect the user accepted.
          headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !isSensitiveHeader(name)));
        }
        options.log?.(`following the redirect to ${shownTarget}`);
        url = target;
        shownUrl = shownTarget;
        continue;
      }

      if (status < 200 || status >= 300) {
        body = response;
        const text = redactor.text(await readSome(response, EXPLANATION_BYTES));
        throw classifyHttpStatus(status, response.statusMessage, text, {
          url: shownUrl,
          hostPort: hostPort(url),
          kind: options.kind,
          sentCredentials: Object.keys(headers).some(isSensitiveHeader),
        });
      }

      responseStarted = true;
      expectedBytes = contentLength(response);
      const contentType = response.headers['content-type'];
      if (expectedBytes !== undefined && expectedBytes > options.maxBytes) {
        response.destroy();
        throw tooLarge(shownUrl, options.maxBytes, expectedBytes, 'announces');
      }
      if (contentType !== undefined && /html/i.test(contentType)) {
        body = response;
        const title = htmlTitle(redactor.text(await readSome(response, EXPLANATION_BYTES)));
        throw htmlInsteadOfProfile(shownUrl, options.kind, title);
      }

      body = decodedBody(response, shownUrl);
      options.onBytes?.(0, expectedBytes);
      // Chunks arrive in tens of KB; writing them in batches saves most of the system calls.
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        lastActivity = Date.now();
        bytes += chunk.length;
        if (bytes > options.maxBytes) throw tooLarge(shownUrl, options.maxBytes, bytes, 'sent more than');
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= WRITE_BATCH_BYTES) {
          await writeAll(options.file, pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes), shownUrl, bytes);
          pending = [];
          pendingBytes = 0;
        }
        options.onBytes?.(bytes, expectedBytes);
      }
      if (failure) throw failure;
      if (pendingBytes > 0) await writeAll(options.file, Buffer.concat(pending, pendingBytes), shownUrl, bytes);
      const decoded = body !== response;
      if (!decoded && expectedBytes !== undefined && bytes < expectedBytes) {
        throw new CaptureError(
          'truncated',
          `${shownUrl} announced ${formatBytes(expectedBytes)} but the body ended after ${formatBytes(bytes)}: it is incomplete and was not kept. Retry; if it keeps happening, a proxy or the service's WriteTimeout may be cutting the response.`,
          { url: shownUrl, bytesReceived: bytes },
        );
      }
      options.log?.(`received ${formatBytes(bytes)} in ${formatDuration(Date.now() - started)}`);
      return { bytes, finalUrl: url, contentType, elapsedMs: Date.now() - started };
    }
  } catch (error) {
    if (failure) throw failure;
    if (error instanceof CaptureError) throw error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new CaptureError('truncated', `The compressed body from ${shownUrl} (Content-Encoding) is incomplete or corrupt (${code}) after ${formatBytes(bytes)}; nothing was kept. Retry, or capture from the service directly rather than through the proxy.`, { url: shownUrl, bytesReceived: bytes, systemCode: code });
    }
    throw classifyNetworkError(error, {
      url: shownUrl,
      hostPort: hostPort(url),
      hostname: url.hostname,
      https: url.protocol === 'https:',
      responseStarted,
      bytesReceived: bytes,
      ...(expectedBytes !== undefined ? { expectedBytes } : {}),
    });
  } finally {
    for (const timer of timers) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    body?.destroy();
    request?.destroy();
  }

  function sendRequest(target: URL, sent: Readonly<Record<string, string>>): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const secure = target.protocol === 'https:';
      options.log?.(`GET ${redactor.url(target)}${Object.keys(sent).length ? ` (headers: ${redactor.headers(sent)})` : ''}`);
      const requestOptions: https.RequestOptions = {
        method: 'GET',
        agent: false,
        headers: { 'User-Agent': 'go-trace-lens', Accept: '*/*', 'Accept-Encoding': 'identity', ...sent },
        // Extra CAs are trusted besides Node's bundled roots (a bare `ca` would replace them).
        ...(secure && options.ca !== undefined ? { ca: [...tls.rootCertificates, ...(Array.isArray(options.ca) ? options.ca : [options.ca as string | Buffer])] } : {}),
      };
      const req = (secure ? https : http).request(target, requestOptions);
      request = req;
      connected = false;
      const connectTimer = setTimeout(() => {
        fail(
          new CaptureError(
            'timeout',
            `Connecting to ${hostPort(target)} took longer than ${formatDuration(options.connectTimeoutMs)} (${redactor.url(target)}). Check that the host is up and reachable; a firewall may be dropping the connection.`,
            { url: redactor.url(target) },
          ),
        );
      }, options.connectTimeoutMs);
      timers.push(connectTimer);
      req.once('socket', (socket) => {
        socket.once(secure ? 'secureConnect' : 'connect', () => {
          clearTimeout(connectTimer);
          connected = true;
          lastActivity = Date.now();
        });
      });
      req.on('error', (error) => {
        clearTimeout(connectTimer);
        reject(error);
      });
      req.once('response', (response) => {
        clearTimeout(connectTimer);
        lastActivity = Date.now();
        response.on('error', () => undefined);
        resolve(response);
      });
      req.end();
      if (failure) req.destroy(failure);
    });
  }
}

/** Writes a whole chunk to the capture file; a disk error is the destination's fault, not the network's. */
async function writeAll(file: FileHandle, chunk: Buffer, url: string, bytes: number): Promise<void> {
  let written = 0;
  try {
    while (written < chunk.length) written += (await file.write(chunk, written, chunk.length - written)).bytesWritten;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new CaptureError('destination', `Writing the capture from ${url} to disk failed after ${formatBytes(bytes)} (${code}). Free some space or choose another capture folder; nothing was kept.`, { url, systemCode: code, bytesReceived: bytes });
  }
}

function resolveRedirect(location: string, from: URL, shownFrom: string): URL {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw new CaptureError('http-error', `${shownFrom} redirects to an invalid location. Use the service's real pprof URL as the endpoint.`, { url: shownFrom });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new CaptureError('redirect-to-other-host', `${shownFrom} redirects to a ${target.protocol} URL; only http and https are followed. Use the service's real pprof URL as the endpoint.`, { url: shownFrom });
  }
  return target;
}

function tooLarge(url: string, limit: number, size: number, verb: 'announces' | 'sent more than'): CaptureError {
  const what = verb === 'announces' ? `announces ${formatBytes(size)}` : `sent more than ${formatBytes(limit)}`;
  return new CaptureError(
    'too-large',
    `${url} ${what}, over the size cap of ${formatBytes(limit)}; the capture was stopped and nothing was kept. Raise the size cap, or capture a shorter duration.`,
    { url, limitBytes: limit, bytesReceived: size },
  );
}
