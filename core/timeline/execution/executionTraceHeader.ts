// The 16-byte header every Go execution trace starts with, `go 1.NN trace\0\0\0`, and what we say about
// versions we cannot read: Go 1.21 and older wrote a different format, and a newer Go may have changed
// the format again. Used on its own by the capture core to validate `/debug/pprof/trace` downloads.

import { TraceError } from '../traceError';
import { FIRST_VERSION_OF_THIS_FORMAT, NEWEST_VERSION, SUPPORTED_VERSIONS } from './wireFormat';

export const HEADER_LENGTH = 16;

export interface ExecutionTraceHeader {
  /** The Go version the header names, e.g. "1.23" (Go 1.24 also writes "1.23": the format did not change). */
  readonly goVersion: string;
  /** The NN of `go 1.NN trace`. */
  readonly version: number;
  /** Bytes taken by the header; events start here. */
  readonly headerLength: number;
}

const PREFIX = 'go 1.';
const SUFFIX = ' trace\0\0\0';

function describeStart(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'The file is empty.';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    return 'It is gzip-compressed data, which is what a pprof profile looks like: open it as a profile instead.';
  }
  const text = Array.from(bytes.subarray(0, 16), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  if (/^\s*[[{]/.test(text)) return 'It starts like JSON: if it is a distributed trace, open it as a span trace.';
  return `It starts with "${text}".`;
}

/** Reads and checks the header; throws a TraceError that says what to do when the trace cannot be read. */
export function readExecutionTraceHeader(bytes: Uint8Array): ExecutionTraceHeader {
  const notATrace = () =>
    new TraceError(
      'not-an-execution-trace',
      `This is not a Go execution trace: those start with "go 1.NN trace" (what runtime/trace.Start and /debug/pprof/trace write). ${describeStart(bytes)}`,
    );
  for (let i = 0; i < PREFIX.length; i++) {
    if (bytes[i] !== PREFIX.charCodeAt(i)) {
      if (i > 0 && i === bytes.length) throw new TraceError('truncated-trace', 'The trace ends inside its header: the file was cut off. Capture it again.');
      throw notATrace();
    }
  }
  let pos = PREFIX.length;
  let version = 0;
  while (pos < bytes.length && pos < PREFIX.length + 4 && bytes[pos]! >= 0x30 && bytes[pos]! <= 0x39) {
    version = version * 10 + (bytes[pos]! - 0x30);
    pos++;
  }
  if (pos === PREFIX.length) throw notATrace();
  for (let i = 0; i < SUFFIX.length; i++, pos++) {
    if (pos >= bytes.length) throw new TraceError('truncated-trace', 'The trace ends inside its header: the file was cut off. Capture it again.');
    if (bytes[pos] !== SUFFIX.charCodeAt(i)) throw notATrace();
  }
  const goVersion = `1.${version}`;
  if (version < FIRST_VERSION_OF_THIS_FORMAT) {
    throw new TraceError(
      'trace-too-old',
      `This trace is from Go ${goVersion}; re-capture with Go 1.22 or later. Go 1.21 and older wrote an older execution-trace format that Go Trace Lens does not read (build and run the program with Go 1.22+, then capture again, e.g. from /debug/pprof/trace).`,
    );
  }
  if (!SUPPORTED_VERSIONS.includes(version)) {
    const newer = version > NEWEST_VERSION;
    throw new TraceError(
      'unsupported-trace-version',
      newer
        ? `This trace is from Go ${goVersion}, newer than the formats Go Trace Lens reads (Go 1.22 to 1.${NEWEST_VERSION}). Update Go Trace Lens, or re-capture with Go 1.${NEWEST_VERSION} or earlier.`
        : `This trace's header says Go ${goVersion}, a version no Go release writes (they write 1.22, 1.23, 1.25 or 1.26). The file is probably damaged: capture it again.`,
    );
  }
  return { goVersion, version, headerLength: pos };
}
