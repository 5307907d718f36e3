// The common form each span-format reader produces (one record per span, times as exact Unix
// nanoseconds), plus the small helpers they share: reading JSON values with errors that name the path
// of a bad value, and normalizing trace and span IDs to lowercase hex.

import { TraceError } from '../traceError';
import type { AttributeValue, SpanAttribute, SpanLink } from './spanTraceModel';

export interface SpanEventRecord {
  readonly time: bigint;
  readonly name: string;
  readonly attributes: SpanAttribute[];
}

export interface SpanRecord {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root. */
  readonly parentSpanId: string;
  readonly name: string;
  readonly service: string;
  readonly kind: number;
  readonly status: number;
  readonly statusMessage: string;
  /** Unix nanoseconds. */
  readonly start: bigint;
  readonly end: bigint;
  readonly attributes: SpanAttribute[];
  readonly resource: SpanAttribute[];
  readonly scope: string;
  readonly events: SpanEventRecord[];
  readonly links: SpanLink[];
  /** The parent waits for nothing: follows-from references, producer → consumer. */
  readonly asyncParent: boolean;
  /** Zipkin's server half of an RPC, reported under the client's span ID ("shared": true). */
  readonly sharedWithClient: boolean;
  /** For client and producer spans: the service they call, when recorded. */
  readonly peerService: string;
  /** How the span's service samples, when recorded (Jaeger's sampler.type/sampler.param). */
  readonly sampler: string;
}

export type JsonObject = { readonly [key: string]: unknown };

export function shapeError(path: string, problem: string, format: string): TraceError {
  return new TraceError('malformed-span-trace', `This ${format} file has ${path} ${problem}. Export the trace again, or check that the file is ${format} as the exporter wrote it.`);
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown, path: string, format: string): JsonObject {
  if (!isObject(value)) throw shapeError(path, `as ${describe(value)} where an object belongs`, format);
  return value;
}

export function arrayAt(value: unknown, path: string, format: string, optional = true): readonly unknown[] {
  if (value === undefined || value === null) {
    if (optional) return [];
    throw shapeError(path, 'missing', format);
  }
  if (!Array.isArray(value)) throw shapeError(path, `as ${describe(value)} where a list belongs`, format);
  return value;
}

export function stringAt(value: unknown, path: string, format: string, optional = true): string {
  if (value === undefined || value === null) {
    if (optional) return '';
    throw shapeError(path, 'missing', format);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw shapeError(path, `as ${describe(value)} where text belongs`, format);
  return value;
}

/** A non-negative integer given as a JSON number or a decimal string (OTLP writes 64-bit values as strings). */
export function integerAt(value: unknown, path: string, format: string): bigint {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return BigInt(Math.round(value));
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value);
  throw shapeError(path, value === undefined ? 'missing' : `as ${describe(value)} where a non-negative whole number belongs`, format);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * A trace or span ID as lowercase hex. OTLP/JSON writes hex, but protobuf's own JSON mapping (used by
 * some exporters) writes base64: both are accepted. `bytes` is the ID's length (16 trace, 8 span);
 * Zipkin and Jaeger also use 64-bit trace IDs, which are kept as they are.
 */
export function normalizeId(raw: string, bytes: number): string {
  if (raw === '') return '';
  if (HEX.test(raw)) return raw.toLowerCase();
  if (BASE64.test(raw)) {
    try {
      const binary = atob(raw.replace(/-/g, '+').replace(/_/g, '/'));
      if (binary.length === bytes || binary.length === 8 || binary.length === 16) {
        return Array.from(binary, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
      }
    } catch {
      // Not base64 after all: keep the text as it is.
    }
  }
  return raw;
}

/** An ID that means "none" in every format: empty, or all zeros. */
export function isAbsentId(id: string): boolean {
  return id === '' || /^0+$/.test(id);
}

export function attributeText(value: AttributeValue | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function findAttribute(attributes: readonly SpanAttribute[], key: string): AttributeValue | undefined {
  for (const a of attributes) if (a.key === key) return a.value;
  return undefined;
}
