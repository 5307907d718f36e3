// Which Go sources are not analysed at all: too large to be code someone edits, or binary.

/** Why a document is not analysed, or undefined when it can be. */
export function skipReason(text: string, maxBytes: number): string | undefined {
  if (text.length > maxBytes) return `it is larger than ${Math.round(maxBytes / 1024)} KiB (goTraceLens.analysis.maxFileSize)`;
  if (text.includes('\u0000')) return 'it contains NUL bytes (a binary file?)';
  return undefined;
}
