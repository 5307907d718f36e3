// Zipkin's v2 API (zipkin2-api.yaml of openzipkin/zipkin-api): a trace is a JSON list of spans from
// `/api/v2/trace/{id}` (404 when unknown); a search is `/api/v2/traces?serviceName=…` answering a list of
// traces, each a list of spans. Span times are microseconds, `endTs` and `lookback` milliseconds, and
// `minDuration` microseconds; tags are matched through `annotationQuery` (`key=value and …`).

import { invalidAnswer, parseJsonAnswer, requestJson, statusError } from './answerErrors';
import { isSuccess, answerText, type BackendContext, type BackendRequest } from './exchange';
import { bigintOf, isObject, list, text } from './jsonValues';
import { checkTraceQuery, noSuchTrace, type FetchedTrace, type TraceQuery } from './traceQuery';
import { paddedTraceId, searchResult, summarizeSketches, type SearchedSpanFile, type SpanSketch, type TraceSearchResult } from './traceSummary';

function sketches(spans: readonly unknown[]): SpanSketch[] {
  return spans.filter(isObject).map((span) => {
    const start = bigintOf(span.timestamp) * 1000n;
    return {
      traceId: paddedTraceId(text(span.traceId)),
      spanId: text(span.id).toLowerCase(),
      parentId: text(span.parentId).toLowerCase(),
      service: isObject(span.localEndpoint) ? text(span.localEndpoint.serviceName) : '',
      name: text(span.name),
      startNs: start,
      endNs: start + bigintOf(span.duration) * 1000n,
    };
  });
}

/** Spans grouped into one Zipkin span list per trace, by trace ID. */
function spanFiles(spans: readonly unknown[]): Map<string, SearchedSpanFile> {
  const byTrace = new Map<string, unknown[]>();
  for (const span of spans) {
    if (!isObject(span)) continue;
    const id = paddedTraceId(text(span.traceId));
    const group = byTrace.get(id) ?? [];
    group.push(span);
    byTrace.set(id, group);
  }
  return new Map([...byTrace].map(([id, group]) => [id, { format: 'zipkin-json', text: JSON.stringify(group) }]));
}

export async function zipkinFetchTrace(ctx: BackendContext, traceId: string): Promise<FetchedTrace> {
  const request: BackendRequest = { method: 'GET', path: `/api/v2/trace/${traceId}`, accept: 'application/json', what: `the trace ${traceId}` };
  const answer = await ctx.send(request);
  if (answer.status === 404) throw noSuchTrace(ctx.backend, traceId, answer.url);
  if (!isSuccess(answer)) throw statusError(ctx.backend, request, answer);
  const document = parseJsonAnswer(ctx.backend, request, answer);
  if (!Array.isArray(document)) throw invalidAnswer(ctx.backend, request, answer, 'not a JSON list of spans');
  if (document.length === 0) throw noSuchTrace(ctx.backend, traceId, answer.url);
  return { traceId, format: 'zipkin-json', text: answerText(answer), spanCount: document.length, url: answer.url, bytes: answer.body.length };
}

/** `key=value and key2=value2`, as Zipkin's annotationQuery takes tags. */
function annotationQuery(tags: Readonly<Record<string, string>> | undefined): string | undefined {
  const terms = Object.entries(tags ?? {}).map(([key, value]) => (value === '' ? key : `${key}=${value}`));
  return terms.length > 0 ? terms.join(' and ') : undefined;
}

export async function zipkinSearch(ctx: BackendContext, query: TraceQuery): Promise<TraceSearchResult> {
  const limit = checkTraceQuery(query);
  const request: BackendRequest = {
    method: 'GET',
    path: '/api/v2/traces',
    query: {
      serviceName: query.service,
      spanName: query.operation || undefined,
      annotationQuery: annotationQuery(query.tags),
      minDuration: query.minDurationNs ? Math.ceil(query.minDurationNs / 1000) : undefined,
      endTs: query.range.endMs,
      lookback: query.range.endMs - query.range.startMs,
      limit,
    },
    accept: 'application/json',
    what: `the traces of ${query.service}`,
  };
  const document = await requestJson(ctx, request, 'list');
  const spans = document.flatMap((trace) => list(trace));
  return searchResult(summarizeSketches(sketches(spans)), limit, spanFiles(spans));
}

export async function zipkinServices(ctx: BackendContext): Promise<string[]> {
  const document = await requestJson(ctx, { method: 'GET', path: '/api/v2/services', accept: 'application/json', what: 'the list of services' }, 'list');
  return document.map(text).sort();
}
