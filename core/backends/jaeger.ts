// Jaeger's query service. A trace comes from `/api/traces/{id}` (the UI's JSON, `{"data":[trace]}`, times
// in microseconds, processes by ID) or `/api/v3/traces/{id}` (OTLP/JSON in `{"result": …}`; releases whose
// gateway streamed it wrote one such object per line). Search uses `/api/traces?service=…` (microsecond
// start/end, Go durations, tags as a JSON object) and, on Jaeger releases after 2.20 that removed it,
// `/api/v3/traces?query.service_name=…` (RFC 3339 times), whose "No traces found" is a 404.

import { invalidAnswer, parseJsonAnswer, requestJson, statusError } from './answerErrors';
import { BackendError } from './backendError';
import { answerText, isSuccess, type BackendAnswer, type BackendContext, type BackendRequest } from './exchange';
import { bigintOf, isObject, list, text, type Json } from './jsonValues';
import { formatGoDuration } from './timeRange';
import { checkTraceQuery, countOtlpSpans, isMissingRoute, noSuchTrace, type FetchedTrace, type TraceQuery } from './traceQuery';
import { paddedTraceId, searchResult, summarizeSketches, type SearchedSpanFile, type SpanSketch, type TraceSearchResult } from './traceSummary';

export type JaegerApi = 'v1' | 'v3';

/** The spans of Jaeger UI JSON traces, reduced for summaries. */
function jaegerSketches(traces: readonly unknown[]): SpanSketch[] {
  const out: SpanSketch[] = [];
  for (const trace of traces) {
    if (!isObject(trace)) continue;
    const processes = isObject(trace.processes) ? trace.processes : {};
    for (const span of list(trace.spans)) {
      if (!isObject(span)) continue;
      const traceId = paddedTraceId(text(span.traceID) || text(trace.traceID));
      const parent = list(span.references).find((r) => isObject(r) && r.refType === 'CHILD_OF') as Json | undefined;
      const process = isObject(span.process) ? span.process : isObject(processes[text(span.processID)]) ? (processes[text(span.processID)] as Json) : {};
      const start = bigintOf(span.startTime) * 1000n;
      out.push({
        traceId,
        spanId: text(span.spanID).toLowerCase(),
        parentId: text(parent?.spanID ?? span.parentSpanID).toLowerCase().replace(/^0+$/, ''),
        service: text(process.serviceName),
        name: text(span.operationName),
        startNs: start,
        endNs: start + bigintOf(span.duration) * 1000n,
      });
    }
  }
  return out;
}

/** An OTLP/JSON ID, hex or base64, as lowercase hex. */
function otlpId(value: unknown): string {
  const raw = text(value);
  if (/^[0-9a-f]*$/i.test(raw)) return raw.toLowerCase();
  try {
    return Array.from(atob(raw), (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  } catch {
    return raw;
  }
}

/** Jaeger UI JSON traces, one `{"data":[trace]}` span file each, by trace ID. */
function jaegerSpanFiles(traces: readonly unknown[]): Map<string, SearchedSpanFile> {
  const files = new Map<string, SearchedSpanFile>();
  for (const trace of traces) {
    if (!isObject(trace)) continue;
    const first = list(trace.spans).find(isObject);
    const id = text(trace.traceID) || text(first?.traceID);
    if (id !== '') files.set(paddedTraceId(id), { format: 'jaeger-json', text: JSON.stringify({ data: [trace] }) });
  }
  return files;
}

/** OTLP/JSON resourceSpans split into one span file per trace (resources and scopes kept), by trace ID. */
function otlpSpanFiles(resourceSpans: readonly unknown[]): Map<string, SearchedSpanFile> {
  const byTrace = new Map<string, Json[]>();
  for (const rs of resourceSpans) {
    if (!isObject(rs)) continue;
    const { scopeSpans, instrumentationLibrarySpans, ...resource } = rs;
    const perTrace = new Map<string, Json[]>();
    for (const ss of list(scopeSpans ?? instrumentationLibrarySpans)) {
      if (!isObject(ss)) continue;
      const perTraceSpans = new Map<string, unknown[]>();
      for (const span of list(ss.spans)) {
        if (!isObject(span)) continue;
        const id = paddedTraceId(otlpId(span.traceId));
        const spans = perTraceSpans.get(id) ?? [];
        spans.push(span);
        perTraceSpans.set(id, spans);
      }
      for (const [id, spans] of perTraceSpans) {
        const scopes = perTrace.get(id) ?? [];
        scopes.push({ ...ss, spans });
        perTrace.set(id, scopes);
      }
    }
    for (const [id, scopes] of perTrace) {
      const resources = byTrace.get(id) ?? [];
      resources.push({ ...resource, scopeSpans: scopes });
      byTrace.set(id, resources);
    }
  }
  return new Map([...byTrace].map(([id, resources]) => [id, { format: 'otlp-json', text: JSON.stringify({ resourceSpans: resources }) }]));
}

/** The spans of OTLP/JSON resourceSpans (hex or base64 IDs), reduced for summaries. */
function otlpSketches(resourceSpans: readonly unknown[]): SpanSketch[] {
  const out: SpanSketch[] = [];
  const id = otlpId;
  for (const rs of resourceSpans) {
    if (!isObject(rs)) continue;
    const attributes = isObject(rs.resource) ? list(rs.resource.attributes) : [];
    const serviceAttribute = attributes.find((a) => isObject(a) && a.key === 'service.name') as Json | undefined;
    const service = isObject(serviceAttribute?.value) ? text(serviceAttribute.value.stringValue) : '';
    for (const ss of list(rs.scopeSpans ?? rs.instrumentationLibrarySpans)) {
      if (!isObject(ss)) continue;
      for (const span of list(ss.spans)) {
        if (!isObject(span)) continue;
        out.push({
          traceId: paddedTraceId(id(span.traceId)),
          spanId: id(span.spanId),
          parentId: id(span.parentSpanId).replace(/^0+$/, ''),
          service: service || 'unknown_service',
          name: text(span.name),
          startNs: bigintOf(span.startTimeUnixNano),
          endNs: bigintOf(span.endTimeUnixNano ?? span.startTimeUnixNano),
        });
      }
    }
  }
  return out;
}

/**
 * The `result` objects of a v3 answer: one JSON object, or one per line from a streaming gateway; `only`
 * when the answer is a single `{"result": …}` with nothing else in it.
 */
function v3Results(ctx: BackendContext, request: BackendRequest, answer: BackendAnswer): { results: Json[]; only: boolean } {
  let documents: unknown[];
  try {
    documents = [JSON.parse(answerText(answer))];
  } catch {
    documents = answerText(answer)
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => parseJsonAnswer(ctx.backend, request, { ...answer, body: new TextEncoder().encode(line) }));
  }
  const results = documents.map((document) => {
    if (!isObject(document) || !isObject(document.result)) throw invalidAnswer(ctx.backend, request, answer, 'no "result" object in the API v3 answer');
    return document.result;
  });
  return { results, only: documents.length === 1 && Object.keys(documents[0] as Json).length === 1 };
}

/** The text of X in `{"result": X}` when that is the whole answer (X is then OTLP/JSON as it stands). */
function unwrapResult(body: string): string | undefined {
  const head = /^\s*\{\s*"result"\s*:/.exec(body);
  const close = body.lastIndexOf('}');
  return head && close > head[0].length ? body.slice(head[0].length, close) : undefined;
}

function v3ResourceSpans(results: readonly Json[]): unknown[] {
  return results.flatMap((result) => list(result.resourceSpans));
}

async function fetchV1(ctx: BackendContext, traceId: string): Promise<FetchedTrace | 'no-route'> {
  const request: BackendRequest = { method: 'GET', path: `/api/traces/${traceId}`, accept: 'application/json', what: `the trace ${traceId}` };
  const answer = await ctx.send(request);
  if (isMissingRoute(answer)) return 'no-route';
  if (answer.status === 404) throw noSuchTrace(ctx.backend, traceId, answer.url);
  if (!isSuccess(answer)) throw statusError(ctx.backend, request, answer);
  const document = parseJsonAnswer(ctx.backend, request, answer);
  if (!isObject(document) || !('data' in document)) throw invalidAnswer(ctx.backend, request, answer, 'no "data" in the answer');
  const traces = list(document.data);
  const spanCount = traces.reduce<number>((n, t) => n + (isObject(t) ? list(t.spans).length : 0), 0);
  if (spanCount === 0) throw noSuchTrace(ctx.backend, traceId, answer.url);
  return { traceId, format: 'jaeger-json', text: answerText(answer), spanCount, url: answer.url, bytes: answer.body.length };
}

async function fetchV3(ctx: BackendContext, traceId: string): Promise<FetchedTrace> {
  const request: BackendRequest = { method: 'GET', path: `/api/v3/traces/${traceId}`, accept: 'application/json', what: `the trace ${traceId}` };
  const answer = await ctx.send(request);
  if (answer.status === 404 && !isMissingRoute(answer)) throw noSuchTrace(ctx.backend, traceId, answer.url);
  if (!isSuccess(answer)) throw statusError(ctx.backend, request, answer);
  const { results, only } = v3Results(ctx, request, answer);
  const resourceSpans = v3ResourceSpans(results);
  const spanCount = countOtlpSpans(resourceSpans);
  if (spanCount === 0) throw noSuchTrace(ctx.backend, traceId, answer.url);
  const text = (only ? unwrapResult(answerText(answer)) : undefined) ?? JSON.stringify({ resourceSpans });
  return { traceId, format: 'otlp-json', text, spanCount, url: answer.url, bytes: answer.body.length };
}

/** One trace: from the UI API (v1, the default; v3 when it is gone) or from API v3 when asked for. */
export async function jaegerFetchTrace(ctx: BackendContext, traceId: string, api?: JaegerApi): Promise<FetchedTrace> {
  if (api === 'v3') return fetchV3(ctx, traceId);
  const v1 = await fetchV1(ctx, traceId);
  if (v1 !== 'no-route') return v1;
  if (api === 'v1') throw new BackendError('not-found', `${ctx.backend.title} has no /api/traces/{id} (it answered "404 page not found"): check the URL, or ask with API v3.`, { status: 404 });
  return fetchV3(ctx, traceId);
}

function tagsJson(query: TraceQuery): string | undefined {
  return query.tags && Object.keys(query.tags).length > 0 ? JSON.stringify(query.tags) : undefined;
}

async function searchV1(ctx: BackendContext, query: TraceQuery, limit: number): Promise<TraceSearchResult | 'no-route'> {
  const request: BackendRequest = {
    method: 'GET',
    path: '/api/traces',
    query: {
      service: query.service,
      operation: query.operation || undefined,
      tags: tagsJson(query),
      minDuration: query.minDurationNs ? formatGoDuration(query.minDurationNs) : undefined,
      start: query.range.startMs * 1000,
      end: query.range.endMs * 1000,
      limit,
    },
    accept: 'application/json',
    what: `the traces of ${query.service}`,
  };
  let answer: BackendAnswer;
  try {
    answer = await ctx.send(request);
  } catch (error) {
    // Jaeger's web UI answers unknown paths with its page on some releases.
    if (error instanceof BackendError && error.code === 'html-page') return 'no-route';
    throw error;
  }
  if (isMissingRoute(answer)) return 'no-route';
  if (!isSuccess(answer)) throw statusError(ctx.backend, request, answer);
  const document = parseJsonAnswer(ctx.backend, request, answer);
  if (!isObject(document) || !('data' in document)) throw invalidAnswer(ctx.backend, request, answer, 'no "data" in the answer');
  const traces = list(document.data);
  return searchResult(summarizeSketches(jaegerSketches(traces)), limit, jaegerSpanFiles(traces));
}

async function searchV3(ctx: BackendContext, query: TraceQuery, limit: number): Promise<TraceSearchResult> {
  const request: BackendRequest = {
    method: 'GET',
    path: '/api/v3/traces',
    query: {
      'query.service_name': query.service,
      'query.operation_name': query.operation || undefined,
      'query.attributes': tagsJson(query),
      'query.duration_min': query.minDurationNs ? formatGoDuration(query.minDurationNs) : undefined,
      'query.start_time_min': new Date(query.range.startMs).toISOString(),
      'query.start_time_max': new Date(query.range.endMs).toISOString(),
      'query.search_depth': limit,
    },
    accept: 'application/json',
    what: `the traces of ${query.service}`,
  };
  const answer = await ctx.send(request);
  if (answer.status === 404 && !isMissingRoute(answer)) return { summaries: [], spanFiles: new Map() };
  if (!isSuccess(answer)) throw statusError(ctx.backend, request, answer);
  const resourceSpans = v3ResourceSpans(v3Results(ctx, request, answer).results);
  return searchResult(summarizeSketches(otlpSketches(resourceSpans)), limit, otlpSpanFiles(resourceSpans));
}

export async function jaegerSearch(ctx: BackendContext, query: TraceQuery): Promise<TraceSearchResult> {
  const limit = checkTraceQuery(query);
  const v1 = await searchV1(ctx, query, limit);
  return v1 === 'no-route' ? searchV3(ctx, query, limit) : v1;
}

export async function jaegerServices(ctx: BackendContext): Promise<string[]> {
  const v1: BackendRequest = { method: 'GET', path: '/api/services', accept: 'application/json', what: 'the list of services' };
  const answer = await ctx.send(v1);
  if (isSuccess(answer)) {
    const document = parseJsonAnswer(ctx.backend, v1, answer);
    if (!isObject(document)) throw invalidAnswer(ctx.backend, v1, answer, 'not a JSON object');
    return list(document.data).map(text).sort();
  }
  if (!isMissingRoute(answer)) throw statusError(ctx.backend, v1, answer);
  const document = await requestJson(ctx, { ...v1, path: '/api/v3/services' }, 'object');
  return list(document.services).map(text).sort();
}
