// Checks a downloaded body before it is kept, by its first HEAD_BYTES only: an empty answer or an HTML page
// is refused before anything else; a profile must start as the pprof decoder reads one (a body that fits in
// the head is decoded whole; of a longer one, the start of its decompressed protobuf is read, see
// `checkProfileHead`), and an execution trace must carry a header the trace reader accepts. For anything
// else that is not what the kind expects (a text dump, JSON, a profile where a trace was asked for) the
// decoder's own explanation becomes the CaptureError's message. What lies beyond the head is read by
// whoever opens the capture; a host that wants the whole profile checked now (the CLI, which reports the
// sample count) asks for `wholeProfile`.

import { ProfileError, isGzip } from '../profiles';
import { checkProfileHead, decodeProfileFile } from '../profiles/index.node';
import { readExecutionTraceHeader, TraceError } from '../timeline';
import { CaptureError } from './captureError';
import { readFileHead } from './captureFiles.node';
import type { CaptureKind } from './captureKinds';
import { detectHtmlPage, htmlInsteadOfProfile } from './htmlPage';

export type CaptureFormat =
  | {
      readonly type: 'pprof';
      /** Whether the file is gzip-compressed (Go's handlers always send it so). */
      readonly gzipped: boolean;
      /** Known when the whole profile was decoded: it fit in the head, or `wholeProfile` was asked for. */
      readonly sampleCount?: number;
      readonly notice?: string;
    }
  | {
      readonly type: 'trace';
      /** The Go version in the trace's header, e.g. `1.23`. */
      readonly goVersion: string;
      readonly notice?: string;
    };

export interface ValidationContext {
  /** The URL the body came from, for messages (credentials removed). */
  readonly url: string;
  /** The size cap: decompressing a profile may not exceed 16 times it (a gzip bomb). */
  readonly maxBytes: number;
  /** Decode the whole profile rather than check its head (the CLI, which prints the sample count). */
  readonly wholeProfile?: boolean;
}

/** The part of a body read to check it: a trace's header, a profile's start (or all of a small one). */
const HEAD_BYTES = 64 * 1024;
/** Decompressed profiles may be this many times larger than the size cap. */
const DECOMPRESSION_FACTOR = 16;

function notAProfile(ctx: ValidationContext, kind: CaptureKind, why: string): CaptureError {
  const what = kind.validator === 'trace' ? 'an execution trace' : `a ${kind.label} profile`;
  const reason = why.trim().replace(/\.?$/, '.');
  return new CaptureError('not-a-profile', `${ctx.url} did not return ${what}: ${reason} Nothing was kept.`, { url: ctx.url });
}

/** Refuses what no decoder should be asked about: an empty answer, or an HTML page. */
function refuseEmptyOrHtml(head: Uint8Array, kind: CaptureKind, ctx: ValidationContext): void {
  if (head.length === 0) {
    throw notAProfile(ctx, kind, 'the response was empty. Check that the URL is the service\'s pprof base (http://HOST:PORT/debug/pprof) and that no proxy swallows the body');
  }
  const page = detectHtmlPage(head);
  if (page) throw htmlInsteadOfProfile(ctx.url, kind, page.title);
}

async function validateProfile(file: string, head: Uint8Array, size: number, kind: CaptureKind, ctx: ValidationContext): Promise<CaptureFormat> {
  const options = { maxDecompressedBytes: Math.max(ctx.maxBytes * DECOMPRESSION_FACTOR, 64 * 1024 * 1024) };
  let checked: { gzipped: boolean; sampleCount?: number };
  try {
    checked = ctx.wholeProfile
      ? { gzipped: isGzip(head), sampleCount: (await decodeProfileFile(file, options)).samples.count }
      : await checkProfileHead(head, size <= head.length, options);
  } catch (error) {
    if (!(error instanceof ProfileError)) throw error;
    if (error.code === 'truncated') {
      throw new CaptureError('truncated', `The profile from ${ctx.url} is incomplete: ${error.message} Nothing was kept.`, { url: ctx.url, bytesReceived: size });
    }
    if (error.code === 'too-large') {
      throw new CaptureError('too-large', `The profile from ${ctx.url} is too large: ${error.message} Nothing was kept.`, { url: ctx.url, bytesReceived: size });
    }
    throw notAProfile(ctx, kind, error.message);
  }
  // An empty CPU profile is a few kilobytes (no samples, locations or functions), so its head is all of it.
  const notice =
    checked.sampleCount === 0 && kind.id === 'cpu'
      ? 'The CPU profile has no samples: the service used no measurable CPU while it was recorded. Capture again while it is under load.'
      : undefined;
  return { type: 'pprof', ...checked, ...(notice ? { notice } : {}) };
}

function validateTrace(head: Uint8Array, kind: CaptureKind, ctx: ValidationContext): CaptureFormat {
  try {
    const header = readExecutionTraceHeader(head);
    return { type: 'trace', goVersion: header.goVersion };
  } catch (error) {
    if (!(error instanceof TraceError)) throw error;
    switch (error.code) {
      case 'trace-too-old':
      case 'unsupported-trace-version': {
        // A real execution trace in a format the timeline does not read: keep it (go tool trace of the
        // matching Go version opens it) and say so.
        const version = /^go (1\.\d+) trace/.exec(new TextDecoder('latin1').decode(head.subarray(0, 16)))?.[1] ?? 'unknown';
        return { type: 'trace', goVersion: version, notice: error.message };
      }
      case 'truncated-trace':
        throw new CaptureError('truncated', `The trace from ${ctx.url} is incomplete: ${error.message} Nothing was kept.`, { url: ctx.url, bytesReceived: head.length });
      default:
        throw notAProfile(ctx, kind, error.message);
    }
  }
}

/** Validates a captured file for `kind`; returns what it is, or throws a CaptureError. */
export async function validateCapture(file: string, kind: CaptureKind, ctx: ValidationContext): Promise<CaptureFormat> {
  let head: Uint8Array;
  let size: number;
  try {
    ({ head, size } = await readFileHead(file, HEAD_BYTES));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new CaptureError('destination', `The capture could not be read back from ${file} (${code}) to check it. Check the capture folder's disk and permissions.`, { systemCode: code });
  }
  refuseEmptyOrHtml(head, kind, ctx);
  return kind.validator === 'trace' ? validateTrace(head, kind, ctx) : validateProfile(file, head, size, kind, ctx);
}
