// What the trace backends share: the search query (service, operation, tags, minimum span duration, time
// range, limit) checked once, the fetched trace as text the timeline reads, and the "no such trace" error.

import { BackendError } from './backendError';
import type { ResolvedBackend } from './backendSource';
import type { BackendAnswer } from './exchange';
import { answerText } from './exchange';
import { isObject, list } from './jsonValues';
import type { TimeRange } from './timeRange';

export interface TraceQuery {
  readonly service: string;
  readonly operation?: string;
  /** Span attributes (tags) that must all match, as key → value. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Only traces with a span at least this long (nanoseconds). */
  readonly minDurationNs?: number;
  readonly range: TimeRange;
  /** Most traces to list (default 20). */
  readonly limit?: number;
}

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 1000;

/** Throws a `bad-query` BackendError for a query no backend can run; returns its limit. */
export function checkTraceQuery(query: TraceQuery): number {
  if (query.service.trim() === '') throw new BackendError('bad-query', 'A trace search needs a service name. List the services the backend knows, then pick one.');
  for (const key of Object.keys(query.tags ?? {})) {
    if (key.trim() === '') throw new BackendError('bad-query', 'A tag needs a name: write it as key=value, e.g. http.status_code=500.');
  }
  if (query.minDurationNs !== undefined && (!Number.isFinite(query.minDurationNs) || query.minDurationNs < 0)) throw new BackendError('bad-query', 'The minimum duration must be zero or more.');
  const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) throw new BackendError('bad-query', `The limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT} (got ${limit}).`);
  return limit;
}

export interface FetchedTrace {
  /** Lowercase hex, as asked for. */
  readonly traceId: string;
  /** The format of `text`, one `parseSpanTrace` reads. */
  readonly format: 'otlp-json' | 'jaeger-json' | 'zipkin-json';
  /** The trace as a span file: what the timeline opens and `trace summary` reads. */
  readonly text: string;
  readonly spanCount: number;
  /** Set when the backend says it returned part of the trace only (Tempo's PARTIAL), with its reason. */
  readonly partial?: string;
  /** The URL that answered (credentials removed) and the size of its answer. */
  readonly url: string;
  readonly bytes: number;
}

/** The spans in OTLP/JSON resourceSpans (older exporters' instrumentationLibrarySpans too). */
export function countOtlpSpans(resourceSpans: readonly unknown[]): number {
  let count = 0;
  for (const rs of resourceSpans) for (const ss of isObject(rs) ? list(rs.scopeSpans ?? rs.instrumentationLibrarySpans) : []) count += isObject(ss) ? list(ss.spans).length : 0;
  return count;
}

/** The answer of a Go or gRPC-gateway mux that has no such route ("404 page not found"), or an HTML page. */
export function isMissingRoute(answer: BackendAnswer): boolean {
  return answer.status === 404 && (/^\s*404 page not found\s*$/i.test(answerText(answer)) || answer.contentType.includes('html'));
}

export function noSuchTrace(backend: ResolvedBackend, traceId: string, url: string): BackendError {
  return new BackendError(
    'not-found',
    `There is no such trace ${traceId} in ${backend.title}. Check the ID; the trace may also be older than the backend keeps traces, not sampled, or not yet stored (retry in a few seconds).`,
    { url, status: 404, traceId },
  );
}

/** Times for backends that take whole units: seconds round outwards so the range is covered. */
export function rangeSeconds(range: TimeRange): { start: number; end: number } {
  return { start: Math.floor(range.startMs / 1000), end: Math.ceil(range.endMs / 1000) };
}
