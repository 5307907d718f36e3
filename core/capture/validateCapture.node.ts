// Checks a downloaded body before it is kept: profiles are decoded by the pprof engine
// (`decodeProfile`), execution traces must carry a header the trace reader accepts
// (`readExecutionTraceHeader`). An empty answer or an HTML page is refused before either is asked; for
// anything else that is not what the kind expects (a text dump, JSON, a profile where a trace was asked
// for) the decoder's own explanation becomes the CaptureError's message.

import * as fs from 'node:fs/promises';
import { ProfileError } from '../profiles';
import { decodeProfileBytes } from '../profiles/index.node';
import { readExecutionTraceHeader, TraceError } from '../timeline';
import type { CaptureKind } from './captureKinds';
import { CaptureError } from './captureError';
import { detectHtmlPage, htmlInsteadOfProfile } from './htmlPage';

export type CaptureFormat =
  | {
      readonly type: 'pprof';
      /** Whether the file is gzip-compressed (Go's handlers always send it so). */
      readonly gzipped: boolean;
      /** `type/unit` of each sample type, e.g. `cpu/nanoseconds`. */
      readonly sampleTypes: readonly string[];
      readonly sampleCount: number;
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
}

/** The part of a trace read to check its header. */
const TRACE_HEAD_BYTES = 64 * 1024;
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

function validateProfile(bytes: Uint8Array, kind: CaptureKind, ctx: ValidationContext): CaptureFormat {
  refuseEmptyOrHtml(bytes, kind, ctx);
  let profile;
  try {
    profile = decodeProfileBytes(bytes, { maxDecompressedBytes: Math.max(ctx.maxBytes * DECOMPRESSION_FACTOR, 64 * 1024 * 1024) });
  } catch (error) {
    if (!(error instanceof ProfileError)) throw error;
    if (error.code === 'truncated') {
      throw new CaptureError('truncated', `The profile from ${ctx.url} is incomplete: ${error.message} Nothing was kept.`, { url: ctx.url, bytesReceived: bytes.length });
    }
    if (error.code === 'too-large') {
      throw new CaptureError('too-large', `The profile from ${ctx.url} is too large: ${error.message} Nothing was kept.`, { url: ctx.url, bytesReceived: bytes.length });
    }
    throw notAProfile(ctx, kind, error.message);
  }
  const sampleTypes = profile.sampleTypes.map((t) => `${t.type}/${t.unit}`);
  const sampleCount = profile.samples.count;
  const notice =
    sampleCount === 0 && kind.id === 'cpu'
      ? 'The CPU profile has no samples: the service used no measurable CPU while it was recorded. Capture again while it is under load.'
      : undefined;
  return { type: 'pprof', gzipped: bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b, sampleTypes, sampleCount, ...(notice ? { notice } : {}) };
}

function validateTrace(head: Uint8Array, kind: CaptureKind, ctx: ValidationContext): CaptureFormat {
  refuseEmptyOrHtml(head, kind, ctx);
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

async function readHead(file: string, length: number): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Validates a captured file for `kind`; returns what it is, or throws a CaptureError. */
export async function validateCapture(file: string, kind: CaptureKind, ctx: ValidationContext): Promise<CaptureFormat> {
  let bytes: Uint8Array;
  try {
    bytes = kind.validator === 'trace' ? await readHead(file, TRACE_HEAD_BYTES) : await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new CaptureError('destination', `The capture could not be read back from ${file} (${code}) to check it. Check the capture folder's disk and permissions.`, { systemCode: code });
  }
  return kind.validator === 'trace' ? validateTrace(bytes, kind, ctx) : validateProfile(bytes, kind, ctx);
}
