// The one error type the pprof engine throws for bad input: a stable `code` that callers can branch on
// (the capture core refuses a download with it, the CLI maps it to an exit status) and a message that says
// what is wrong and what to do about it.

export type ProfileErrorCode =
  /** Zero bytes. */
  | 'empty'
  /** Not a pprof profile at all: HTML, JSON, an execution trace, the text (debug=1) form, random bytes. */
  | 'not-a-profile'
  /** The gzip wrapper is damaged: bad header, bad deflate data, checksum or length mismatch. */
  | 'corrupt-gzip'
  /** The data stops in the middle of a gzip stream or a protobuf field. */
  | 'truncated'
  /** Decompressing would exceed the configured cap (a gzip bomb, or a profile bigger than allowed). */
  | 'too-large'
  /** The protobuf wire data is invalid: bad varint, wrong wire type, bad string table. */
  | 'malformed'
  /** An index or id points nowhere: string index, location id, function id, mapping id; or ids repeat. */
  | 'bad-index'
  /** A sample carries a different number of values than there are sample types. */
  | 'value-count'
  /** A number does not fit a JavaScript number exactly (beyond 2^53) where exactness matters. */
  | 'unsafe-integer'
  /** Two profiles concatenated into one file. */
  | 'concatenated'
  /** The profile has samples but no sample types. */
  | 'no-sample-types'
  /** A requested sample type does not exist in the profile. */
  | 'bad-sample-index'
  /** A filter (focus/ignore regexp, tag filter) cannot be used. */
  | 'bad-filter'
  /** A diff base profile does not measure the same things as the profile. */
  | 'incompatible-base';

export class ProfileError extends Error {
  override readonly name = 'ProfileError';

  constructor(
    readonly code: ProfileErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isProfileError(error: unknown): error is ProfileError {
  return error instanceof ProfileError;
}

/** The error for data that decompresses to more than `cap` bytes, whichever decompressor found it. */
export function tooLargeError(cap: number): ProfileError {
  return new ProfileError(
    'too-large',
    `the profile decompresses to more than ${formatByteCap(cap)} (the decompression cap). It may be a gzip bomb; if it is a genuine profile, raise the cap (maxDecompressedBytes).`,
  );
}

function formatByteCap(bytes: number): string {
  if (bytes >= 1 << 30 && bytes % (1 << 30) === 0) return `${bytes / (1 << 30)} GiB`;
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  return `${bytes} bytes`;
}
