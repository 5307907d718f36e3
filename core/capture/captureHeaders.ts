// Request headers a caller adds to a capture (usually credentials): checking them, and parsing the CLI's
// `--header 'Name: value'` form. Errors name the header, never its value.

import { CaptureError } from './captureError';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Headers the capture manages itself; sending a caller's value would break the exchange. */
const RESERVED = new Set(['connection', 'content-length', 'transfer-encoding', 'upgrade', 'te', 'keep-alive', 'accept-encoding']);

/** Throws a `bad-header` CaptureError for a header that cannot be sent. */
export function checkHeaders(headers: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) {
      throw new CaptureError('bad-header', `The header name "${name.slice(0, 80)}" is not valid: use letters, digits and - only (e.g. Authorization).`);
    }
    if (RESERVED.has(name.toLowerCase())) {
      throw new CaptureError('bad-header', `The header ${name} is set by the capture itself; remove it from the endpoint's headers.`);
    }
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
      throw new CaptureError('bad-header', `The value of the header ${name} contains a line break or NUL character; headers must be one line.`);
    }
  }
}

/** Parses `Name: value` (as curl's -H takes it) into a header; throws a `bad-header` CaptureError. */
export function parseHeaderLine(line: string): [name: string, value: string] {
  const colon = line.indexOf(':');
  if (colon <= 0) {
    throw new CaptureError('bad-header', `A header must look like 'Name: value' (e.g. 'Authorization: Bearer TOKEN'); got a line without a name and colon.`);
  }
  const name = line.slice(0, colon).trim();
  const value = line.slice(colon + 1).trim();
  checkHeaders({ [name]: value });
  return [name, value];
}

/** Merges headers case-insensitively: a later name replaces an earlier one spelled differently. */
export function mergeHeaders(...sets: ReadonlyArray<Readonly<Record<string, string>> | undefined>): Record<string, string> {
  const merged = new Map<string, [string, string]>();
  for (const set of sets) {
    for (const [name, value] of Object.entries(set ?? {})) merged.set(name.toLowerCase(), [name, value]);
  }
  return Object.fromEntries(merged.values());
}
