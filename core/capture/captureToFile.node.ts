// The capture core: endpoint + kind (+ seconds) + destination folder → a validated file on disk. The body
// streams into a hidden temporary file in the destination folder, its head is checked by the decoder of its
// kind (validateCapture.node.ts), and only then is it renamed to `<endpoint>-<kind>-<timestamp>.<ext>`. On any failure or cancel the temporary
// file is removed, so the folder never holds a partial capture. Used by the extension and the CLI alike.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { CaptureError } from './captureError';
import { makeFolder } from './captureFiles.node';
import { captureFileName, partialFileName, sanitizeEndpointName } from './captureFileName';
import { checkHeaders, mergeHeaders } from './captureHeaders';
import { CAPTURE_KIND_IDS, MAX_CAPTURE_SECONDS, findCaptureKind, type CaptureKind, type CaptureKindId } from './captureKinds';
import { buildCaptureUrl, defaultEndpointName, parseEndpointUrl } from './endpointUrl';
import { formatBytes } from './formatting';
import { downloadCapture } from './httpDownload.node';
import { Redactor } from './redact';
import { validateCapture, type CaptureFormat } from './validateCapture.node';

export interface CaptureEndpoint {
  /** Shown in messages and used in file names; defaults to `host-port`. */
  readonly name?: string;
  /** The pprof base URL, e.g. `http://localhost:6060/debug/pprof`. */
  readonly baseUrl: string;
  /** Extra request headers, typically `Authorization` (never logged or shown). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface CaptureRequest {
  readonly endpoint: CaptureEndpoint;
  readonly kind: CaptureKindId | CaptureKind;
  /** Duration of a timed kind (defaults to the kind's); must be absent for snapshot kinds. */
  readonly seconds?: number;
  /** Folder the capture is saved in (created when missing). */
  readonly destination: string;
}

export type CaptureProgress =
  | { readonly phase: 'connecting'; readonly url: string }
  /** Timed kinds, once a second while the service records: seconds left, and bytes so far (traces stream). */
  | { readonly phase: 'countdown'; readonly secondsLeft: number; readonly seconds: number; readonly bytes: number }
  | { readonly phase: 'receiving'; readonly bytes: number; readonly expectedBytes?: number }
  | { readonly phase: 'validating'; readonly bytes: number };

export interface CaptureOptions {
  /** Save under exactly this file name in the destination (replacing a file of that name) instead of the generated one. */
  readonly fileName?: string;
  /** Size cap of the body in bytes (default 256 MiB). */
  readonly maxBytes?: number;
  /** Time to establish the connection, TLS included (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Longest silence once the capture's duration has passed: no answer, or no bytes (default 30 s). */
  readonly idleTimeoutMs?: number;
  /** Time allowed beyond the capture's duration for the whole exchange (default 2 min). */
  readonly timeoutMs?: number;
  /** Cancels the capture at once; it then fails with code `cancelled` and leaves no file. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: CaptureProgress) => void;
  /** Origins (or URLs, reduced to their origin) a redirect may lead to, once the user accepted them. */
  readonly allowRedirectTo?: readonly string[];
  /** Most redirects followed (default 5). */
  readonly maxRedirects?: number;
  /** Extra trusted CA certificates (PEM) for https endpoints. */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** Receives one line per step, credentials already removed (for an output channel or --verbose). */
  readonly log?: (line: string) => void;
  /** The clock used for the file name's timestamp (tests). */
  readonly now?: () => Date;
  /**
   * Decode a whole profile before keeping it, and report its sample count (the CLI), rather than check its
   * head only (the extension, whose language server decodes the profile when it is opened).
   */
  readonly wholeProfile?: boolean;
}

export interface CaptureResult {
  /** Absolute path of the saved file. */
  readonly path: string;
  readonly fileName: string;
  readonly kind: CaptureKind;
  readonly seconds: number | undefined;
  readonly endpointName: string;
  /** The URL captured from, credentials removed. */
  readonly url: string;
  readonly bytes: number;
  readonly format: CaptureFormat;
  readonly startedAt: Date;
  readonly elapsedMs: number;
  /** Something the user should know about a capture that was kept (e.g. an old trace format). */
  readonly notice?: string;
}

export const DEFAULT_MAX_CAPTURE_BYTES = 256 * 1024 * 1024;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_CAPTURE_TIMEOUT_MS = 120_000;
const RECEIVING_PROGRESS_EVERY_MS = 100;

function resolveKind(kind: CaptureKindId | CaptureKind): CaptureKind {
  const id = typeof kind === 'string' ? kind : kind.id;
  const found = findCaptureKind(id);
  if (!found) throw new CaptureError('bad-kind', `"${String(id).slice(0, 40)}" is not a capture kind. Kinds: ${CAPTURE_KIND_IDS.join(', ')}.`);
  return found;
}

function resolveSeconds(kind: CaptureKind, seconds: number | undefined): number | undefined {
  if (!kind.timed) {
    if (seconds === undefined) return undefined;
    const delta = findCaptureKind(`${kind.id}-delta`);
    const hint = delta ? ` For the change over ${seconds} s, capture ${delta.id}.` : '';
    throw new CaptureError('bad-seconds', `A ${kind.label} profile is a snapshot and takes no duration.${hint}`);
  }
  const value = seconds ?? kind.defaultSeconds!;
  if (!Number.isInteger(value) || value < 1 || value > MAX_CAPTURE_SECONDS) {
    throw new CaptureError('bad-seconds', `The duration of a ${kind.label} capture must be a whole number of seconds from 1 to ${MAX_CAPTURE_SECONDS} (got ${String(value)}).`);
  }
  return value;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number (got ${value})`);
  return value;
}

/** The origins of the allowed redirect targets; entries that are not URLs are ignored. */
function redirectOrigins(allowed: readonly string[] | undefined): Set<string> {
  const origins = new Set<string>();
  for (const entry of allowed ?? []) {
    try {
      origins.add(new URL(entry).origin);
    } catch {
      // Not a URL: cannot match any redirect.
    }
  }
  return origins;
}

function extensionFor(format: CaptureFormat): string {
  return format.type === 'trace' ? 'trace' : format.gzipped ? 'pb.gz' : 'pb';
}

/** Moves the validated temporary file to its final name (`nameFor(1)`, else `nameFor(2)`…), never replacing an existing capture. */
export async function moveIntoPlace(partial: string, folder: string, nameFor: (sequence: number) => string): Promise<string> {
  for (let sequence = 1; ; sequence++) {
    const target = path.join(folder, nameFor(sequence));
    try {
      await fs.link(partial, target);
      await fs.unlink(partial);
      return target;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
      // No hard links on this file system: check, then rename (a race here only loses to a capture of the same second).
      try {
        await fs.access(target);
        continue;
      } catch {
        await fs.rename(partial, target);
        return target;
      }
    }
  }
}

function destinationError(folder: string, error: unknown): CaptureError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new CaptureError('destination', `Cannot save captures in ${folder} (${code}). Choose a folder you can write to (the capture folder setting, or --out on the command line).`, { systemCode: code });
}

/** Captures one profile or trace into `request.destination` and returns where it went. */
export async function captureToFile(request: CaptureRequest, options: CaptureOptions = {}): Promise<CaptureResult> {
  const kind = resolveKind(request.kind);
  const seconds = resolveSeconds(kind, request.seconds);
  const endpoint = parseEndpointUrl(request.endpoint.baseUrl);
  const headers = mergeHeaders(endpoint.basicAuthorization !== undefined ? { Authorization: endpoint.basicAuthorization } : undefined, request.endpoint.headers);
  checkHeaders(headers);
  const redactor = Redactor.forHeaders(headers, endpoint.secrets);
  const log = options.log ? (line: string) => options.log!(redactor.text(line)) : undefined;
  const url = buildCaptureUrl(endpoint.base, kind, seconds);
  const shownUrl = redactor.url(url);
  const endpointName = sanitizeEndpointName(request.endpoint.name?.trim() || defaultEndpointName(endpoint.base));
  const maxBytes = positive(options.maxBytes, DEFAULT_MAX_CAPTURE_BYTES, 'maxBytes');
  const connectTimeoutMs = positive(options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS, 'connectTimeoutMs');
  const idleTimeoutMs = positive(options.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS, 'idleTimeoutMs');
  const timeoutMs = positive(options.timeoutMs, DEFAULT_CAPTURE_TIMEOUT_MS, 'timeoutMs');
  const explicitName = options.fileName !== undefined ? path.basename(options.fileName) : undefined;
  if (explicitName !== undefined && (explicitName === '' || explicitName === '.' || explicitName === '..')) {
    throw new CaptureError('destination', `"${options.fileName}" is not a file name to save the capture as.`);
  }
  if (options.signal?.aborted) throw new CaptureError('cancelled', `The capture from ${shownUrl} was cancelled; nothing was saved.`, { url: shownUrl });

  const folder = path.resolve(request.destination);
  /** The first folder this capture created, removed again (when still empty) if the capture fails. */
  let removeCreatedFolders: () => Promise<void>;
  try {
    removeCreatedFolders = await makeFolder(folder);
  } catch (error) {
    throw destinationError(folder, error);
  }

  const startedAt = (options.now ?? (() => new Date()))();
  const nameFor = (format: CaptureFormat) => (sequence: number) =>
    explicitName ?? captureFileName({ endpointName, kind: kind.id, time: startedAt, sequence, extension: extensionFor(format) });
  const partial = path.join(folder, partialFileName(captureFileName({ endpointName, kind: kind.id, time: startedAt, sequence: 1, extension: kind.extension }), randomBytes(6).toString('hex')));
  let file: fs.FileHandle;
  try {
    file = await fs.open(partial, 'wx');
  } catch (error) {
    await removeCreatedFolders();
    throw destinationError(folder, error);
  }

  const report = (progress: CaptureProgress): void => {
    try {
      options.onProgress?.(progress);
    } catch {
      // A failing progress display must not fail the capture.
    }
  };
  const started = Date.now();
  let bytesSoFar = 0;
  let expected: number | undefined;
  let countingDown = seconds !== undefined;
  let lastReceivingReport = 0;
  const reportReceiving = (force: boolean): void => {
    const now = Date.now();
    if (!force && now - lastReceivingReport < RECEIVING_PROGRESS_EVERY_MS) return;
    lastReceivingReport = now;
    report({ phase: 'receiving', bytes: bytesSoFar, ...(expected !== undefined ? { expectedBytes: expected } : {}) });
  };
  // Each second is told once: Node may run an interval a millisecond before Date.now() says a second has
  // passed, and the same second would be counted twice (a CI run saw 2, 1, 1).
  let lastLeft = Infinity;
  const tick = (): void => {
    const left = Math.ceil((started + seconds! * 1000 - Date.now()) / 1000);
    if (left > 0) {
      if (left < lastLeft) {
        lastLeft = left;
        report({ phase: 'countdown', secondsLeft: left, seconds: seconds!, bytes: bytesSoFar });
      }
      return;
    }
    countingDown = false;
    clearInterval(countdown);
    reportReceiving(true);
  };
  report({ phase: 'connecting', url: shownUrl });
  log?.(`capturing ${kind.label}${seconds !== undefined ? ` for ${seconds} s` : ''} from ${shownUrl} into ${folder}`);
  const countdown = countingDown ? setInterval(tick, 1000) : undefined;
  if (countingDown) tick();

  let kept = false;
  try {
    const download = await downloadCapture({
      url,
      headers,
      kind,
      file,
      maxBytes,
      connectTimeoutMs,
      idleTimeoutMs,
      timeoutMs,
      quietMs: (seconds ?? 0) * 1000,
      allowRedirectOrigins: redirectOrigins(options.allowRedirectTo),
      maxRedirects: options.maxRedirects ?? 5,
      redactor,
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(log ? { log } : {}),
      onBytes: (bytes, expectedBytes) => {
        bytesSoFar = bytes;
        expected = expectedBytes;
        if (!countingDown) reportReceiving(bytes === expectedBytes);
      },
    });
    clearInterval(countdown);
    countingDown = false;
    bytesSoFar = download.bytes;
    reportReceiving(true);
    await file.close();
    report({ phase: 'validating', bytes: download.bytes });
    const format = await validateCapture(partial, kind, { url: redactor.url(download.finalUrl), maxBytes, wholeProfile: options.wholeProfile ?? false });
    if (options.signal?.aborted) throw new CaptureError('cancelled', `The capture from ${shownUrl} was cancelled; nothing was saved.`, { url: shownUrl });
    let finalPath: string;
    try {
      if (explicitName !== undefined) {
        finalPath = path.join(folder, explicitName);
        await fs.rename(partial, finalPath);
      } else {
        finalPath = await moveIntoPlace(partial, folder, nameFor(format));
      }
    } catch (error) {
      throw destinationError(folder, error);
    }
    kept = true;
    log?.(`saved ${formatBytes(download.bytes)} to ${finalPath}`);
    return {
      path: finalPath,
      fileName: path.basename(finalPath),
      kind,
      seconds,
      endpointName,
      url: shownUrl,
      bytes: download.bytes,
      format,
      startedAt,
      elapsedMs: Date.now() - started,
      ...(format.notice !== undefined ? { notice: format.notice } : {}),
    };
  } finally {
    clearInterval(countdown);
    if (!kept) {
      await file.close().catch(() => undefined);
      await fs.rm(partial, { force: true }).catch(() => undefined);
      await removeCreatedFolders();
    }
  }
}
