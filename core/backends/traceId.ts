// Trace IDs as people paste them: 32 (or 16) hex digits in any case, with dashes (UUID style) or
// spaces, as a W3C `traceparent` header, as base64 (how protobuf's JSON mapping and Tempo's v2 API write
// the 16 bytes), or with leading zeros dropped (Tempo's search results). All become lowercase hex of 16 or
// 32 digits; anything else is refused with a message that says what a trace ID looks like.

import { BackendError } from './backendError';

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/i;
const BASE64_16_BYTES = /^[A-Za-z0-9+/_-]{22}(==)?$/;

function fromBase64(text: string): string | undefined {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(24, '='));
    if (binary.length !== 16) return undefined;
    return Array.from(binary, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  } catch {
    return undefined;
  }
}

function invalid(raw: string, why: string): BackendError {
  const shown = raw.length > 80 ? `${raw.slice(0, 80)}…` : raw;
  return new BackendError('bad-trace-id', `"${shown}" is not a trace ID: ${why} A trace ID is 32 hex digits (16 for 64-bit IDs), e.g. 4bf92f3577b34da6a3ce929d0e0e4736.`);
}

/** The trace ID in lowercase hex, 16 or 32 digits; throws a `bad-trace-id` BackendError. */
export function normalizeTraceId(raw: string): string {
  const text = raw.trim();
  if (text === '') throw invalid(raw, 'it is empty.');
  const traceparent = TRACEPARENT.exec(text);
  let hex: string;
  if (traceparent) {
    hex = traceparent[1]!;
  } else {
    const compact = text.replace(/[-\s]/g, '');
    if (/^[0-9a-f]+$/i.test(compact)) {
      hex = compact;
    } else {
      const decoded = BASE64_16_BYTES.test(text) ? fromBase64(text) : undefined;
      if (decoded === undefined) {
        const bad = /[^0-9a-f\s-]/i.exec(compact)?.[0];
        throw invalid(raw, `it contains "${bad}", which is not a hex digit.`);
      }
      hex = decoded;
    }
  }
  if (hex.length > 32) throw invalid(raw, `it has ${hex.length} hex digits, more than a trace ID's 32.`);
  hex = hex.toLowerCase().padStart(hex.length <= 16 ? 16 : 32, '0');
  if (/^0+$/.test(hex)) throw invalid(raw, 'it is all zeros, which means "no trace".');
  return hex;
}
