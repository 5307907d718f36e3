// The one error type the trace decoders throw: a stable `code` a caller can branch on, and a message
// that says what is wrong with the input and what to do about it. Anything else escaping a decoder is a
// bug in the decoder, never a property of the input.

export type TraceErrorCode =
  /** The bytes are not an execution trace at all (no `go 1.xx trace` header). */
  | 'not-an-execution-trace'
  /** A Go 1.21-or-older trace: a different format that this decoder does not read. */
  | 'trace-too-old'
  /** A header naming a version this decoder does not know (newer than it, or one Go never wrote). */
  | 'unsupported-trace-version'
  /** The file ends in the middle of something (an interrupted download or a program killed mid-write). */
  | 'truncated-trace'
  /** A batch, string, stack or event that cannot be read as the format says. */
  | 'malformed-trace'
  /** The events do not describe a possible execution (Go's own reader rejects these too). */
  | 'inconsistent-trace'
  /** Text that is not JSON, or JSON that is cut off. */
  | 'invalid-json'
  /** JSON that is none of the span formats we read. */
  | 'unknown-span-format'
  /** JSON in a known span format with a value of the wrong shape. */
  | 'malformed-span-trace';

export class TraceError extends Error {
  override readonly name = 'TraceError';

  constructor(
    readonly code: TraceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isTraceError(error: unknown): error is TraceError {
  return error instanceof TraceError;
}
