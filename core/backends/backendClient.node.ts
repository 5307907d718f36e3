// The backends core for Node hosts (the extension host and the CLI): each operation resolves the backend,
// carries its requests over Node's http(s) with the caller's limits, signal and progress callback, and
// returns what the timeline or the profile feature opens. A fetched profile is checked to be pprof (its
// head, or the whole of a small one) before it is handed on, so nothing that is not a profile is ever
// written as one.

import { checkProfileHead } from '../profiles/index.node';
import { isProfileError } from '../profiles';
import { BackendError } from './backendError';
import { resolveBackend, type BackendSource } from './backendSource';
import type { BackendContext } from './exchange';
import { createHttpSend, type TransportOptions } from './httpTransport.node';
import { fetchTraceWith, listProfileLabelNamesWith, listProfileLabelValuesWith, listProfileTypesWith, listTraceServicesWith, mergedProfileWith, searchTraceSpansWith, searchTracesWith, type FetchTraceOptions } from './operations';
import { noProfiles, type FetchedProfile, type ProfileRequest } from './profileFetch';
import type { ProfileTypeInfo } from './profileQuery';
import type { TimeRange } from './timeRange';
import type { FetchedTrace, TraceQuery } from './traceQuery';
import type { TraceSearchResult, TraceSummary } from './traceSummary';

/** Profiles up to this size are decoded whole when checked (their sample count is then known). */
const WHOLE_CHECK_BYTES = 4 * 1024 * 1024;

function context(source: BackendSource, options: TransportOptions): BackendContext {
  const backend = resolveBackend(source);
  return { backend, send: createHttpSend(backend, options) };
}

/** One trace by ID, as span-file text the timeline opens (`parseSpanTrace` reads it). */
export function fetchTrace(source: BackendSource, traceId: string, options: TransportOptions & FetchTraceOptions = {}): Promise<FetchedTrace> {
  return fetchTraceWith(context(source, options), traceId, options);
}

/** Traces matching a search, newest first. */
export function searchTraces(source: BackendSource, query: TraceQuery, options: TransportOptions = {}): Promise<TraceSummary[]> {
  return searchTracesWith(context(source, options), query);
}

/** Traces matching a search with, from Jaeger and Zipkin (which answer whole traces), each one's spans. */
export function searchTraceSpans(source: BackendSource, query: TraceQuery, options: TransportOptions = {}): Promise<TraceSearchResult> {
  return searchTraceSpansWith(context(source, options), query);
}

/** The services a trace backend knows. */
export function listTraceServices(source: BackendSource, options: TransportOptions = {}): Promise<string[]> {
  return listTraceServicesWith(context(source, options));
}

export function listProfileTypes(source: BackendSource, range: TimeRange, options: TransportOptions = {}): Promise<ProfileTypeInfo[]> {
  return listProfileTypesWith(context(source, options), range);
}

export function listProfileLabelNames(source: BackendSource, range: TimeRange, options: TransportOptions = {}): Promise<string[]> {
  return listProfileLabelNamesWith(context(source, options), range);
}

/** The values of a label, e.g. the services (`service_name`) that sent profiles in the range. */
export function listProfileLabelValues(source: BackendSource, label: string, range: TimeRange, options: TransportOptions & { readonly selector?: string } = {}): Promise<string[]> {
  return listProfileLabelValuesWith(context(source, options), label, range, options.selector);
}

/** The profile merged over a selector and time range, checked to be pprof. */
export async function fetchProfile(source: BackendSource, request: ProfileRequest, options: TransportOptions = {}): Promise<FetchedProfile> {
  const ctx = context(source, options);
  const merged = await mergedProfileWith(ctx, request);
  const complete = merged.bytes.length <= WHOLE_CHECK_BYTES;
  let check;
  try {
    check = await checkProfileHead(complete ? merged.bytes : merged.bytes.subarray(0, WHOLE_CHECK_BYTES), complete);
  } catch (error) {
    if (!isProfileError(error)) throw error;
    throw new BackendError('invalid-answer', `${ctx.backend.title} sent a merged profile that is not a pprof profile: ${error.message}`, { url: merged.url });
  }
  const selector = request.selector.trim();
  if (check.sampleCount === 0) throw noProfiles(ctx.backend, merged.type, selector, request.range, merged.url);
  return {
    bytes: merged.bytes,
    gzipped: check.gzipped,
    type: merged.type,
    selector,
    range: request.range,
    ...(check.sampleCount !== undefined ? { sampleCount: check.sampleCount } : {}),
    url: merged.url,
  };
}
