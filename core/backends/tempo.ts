// Grafana Tempo's HTTP API. A trace comes from `/api/v2/traces/{id}` (`{"trace": …, "status": "PARTIAL",
// "message": …}`; Tempo 2.5 and later) or `/api/traces/{id}` (`{"batches": […]}`), in protobuf when asked
// with `Accept: application/protobuf` or in Tempo's JSON: gogo/jsonpb's, so IDs are base64, span kinds and
// status codes are enum names, 64-bit times are strings. Both become OTLP/JSON (`{"resourceSpans": …}`).
// A trace Tempo does not have is a 404 with no body. Search is `/api/search?q=<TraceQL>` with times in
// seconds; its rows carry their own root, duration and (since 2.2) per-service span counts.

import { invalidAnswer, parseJsonAnswer, requestJson, statusError } from './answerErrors';
import { BackendError } from './backendError';
import { answerText, isSuccess, type BackendAnswer, type BackendContext, type BackendRequest } from './exchange';
import { isObject, list, text, type Json } from './jsonValues';
import { decodeOtlpTrace } from './otlpProtobuf';
import { formatGoDuration } from './timeRange';
import { checkTraceQuery, countOtlpSpans, isMissingRoute, noSuchTrace, rangeSeconds, type FetchedTrace, type TraceQuery } from './traceQuery';
import { paddedTraceId, type TraceSummary } from './traceSummary';

export type TempoApi = 'v1' | 'v2';
export type TempoEncoding = 'protobuf' | 'json';

const PROTOBUF = 'application/protobuf';

interface TraceText {
  readonly text: string;
  readonly spanCount: number;
  readonly partial?: string;
}

/** The trace as OTLP/JSON text, with its span count and PARTIAL reason, whichever encoding Tempo chose. */
function readTraceAnswer(ctx: BackendContext, request: BackendRequest, answer: BackendAnswer, v2: boolean): TraceText {
  if (answer.contentType === PROTOBUF) {
    try {
      return decodeOtlpTrace(answer.body, v2);
    } catch (error) {
      throw invalidAnswer(ctx.backend, request, answer, `protobuf that does not decode: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const document = parseJsonAnswer(ctx.backend, request, answer);
  if (!isObject(document)) throw invalidAnswer(ctx.backend, request, answer, 'not a JSON object');
  const trace = v2 ? document.trace : document;
  if (v2 && trace !== undefined && !isObject(trace)) throw invalidAnswer(ctx.backend, request, answer, '"trace" is not an object');
  const resourceSpans = isObject(trace) ? trace.resourceSpans ?? trace.batches : undefined;
  if (resourceSpans !== undefined && !Array.isArray(resourceSpans)) throw invalidAnswer(ctx.backend, request, answer, 'its spans are not a list');
  const partial = v2 && (document.status === 'PARTIAL' || document.status === 1) ? text(document.message) || 'Tempo returned part of the trace' : undefined;
  const spanCount = countOtlpSpans(resourceSpans ?? []);
  // Tempo's v1 JSON is OTLP/JSON but for its first key (MarshalToJSONV1): rename it as Tempo itself reads it back.
  const body = answerText(answer);
  const v1Text = !v2 && Object.keys(document).length === 1 && /^\s*\{\s*"batches"\s*:/.test(body) ? body.replace('"batches"', '"resourceSpans"') : undefined;
  return { text: v1Text ?? JSON.stringify({ resourceSpans: resourceSpans ?? [] }), spanCount, ...(partial !== undefined ? { partial } : {}) };
}

async function fetchFrom(ctx: BackendContext, traceId: string, v2: boolean, encoding: TempoEncoding): Promise<FetchedTrace | 'no-route'> {
  const request: BackendRequest = { method: 'GET', path: `${v2 ? '/api/v2' : '/api'}/traces/${traceId}`, accept: encoding === 'protobuf' ? PROTOBUF : 'application/json', what: `the trace ${traceId}` };
  const answer = await ctx.send(request);
  if (isMissingRoute(answer)) return 'no-route';
  if (answer.status === 404) throw noSuchTrace(ctx.backend, traceId, answer.url);
  if (!isSuccess(answer)) throw statusError(ctx.backend, request, answer);
  const { text: traceText, spanCount, partial } = readTraceAnswer(ctx, request, answer, v2);
  if (spanCount === 0) throw noSuchTrace(ctx.backend, traceId, answer.url);
  return { traceId, format: 'otlp-json', text: traceText, spanCount, ...(partial !== undefined ? { partial } : {}), url: answer.url, bytes: answer.body.length };
}

/** One trace from API v2 (falling back to v1 on a Tempo older than 2.5), or from the API asked for. */
export async function tempoFetchTrace(ctx: BackendContext, traceId: string, api?: TempoApi, encoding: TempoEncoding = 'protobuf'): Promise<FetchedTrace> {
  if (api !== 'v1') {
    const v2 = await fetchFrom(ctx, traceId, true, encoding);
    if (v2 !== 'no-route') return v2;
    if (api === 'v2') throw new BackendError('not-found', `${ctx.backend.title} has no /api/v2/traces/{id} (it answered "404 page not found"): it is older than Tempo 2.5, or the URL is not Tempo's; ask with API v1.`, { status: 404 });
  }
  const v1 = await fetchFrom(ctx, traceId, false, encoding);
  if (v1 === 'no-route') throw new BackendError('not-found', `${ctx.backend.title} has no /api/traces/{id} (it answered "404 page not found"): the URL does not lead to Tempo's API (e.g. http://localhost:3200, or the query-frontend's address).`, { status: 404 });
  return v1;
}

/** A TraceQL string literal (Go's quoting, which JSON's matches for what can appear in a tag). */
function quote(value: string): string {
  return JSON.stringify(value);
}

/** An attribute reference: `.name`, or `."odd name"` when it has characters TraceQL does not allow bare. */
function attribute(key: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_.\-/:]*$/.test(key) ? `.${key}` : `."${key.replace(/[\\"]/g, '\\$&')}"`;
}

/** A comparison that matches the value typed as text, and as a number or boolean when it reads as one. */
function attributeEquals(key: string, value: string): string {
  const name = attribute(key);
  const typed = /^-?\d+(\.\d+)?$/.test(value) || value === 'true' || value === 'false' ? `${name} = ${value}` : undefined;
  return typed ? `(${name} = ${quote(value)} || ${typed})` : `${name} = ${quote(value)}`;
}

/** The TraceQL of a search: one spanset, so service, name, tags and duration hold on the same span (as Jaeger's). */
export function traceQl(query: TraceQuery): string {
  const conditions = [`resource.service.name = ${quote(query.service)}`];
  if (query.operation) conditions.push(`name = ${quote(query.operation)}`);
  for (const [key, value] of Object.entries(query.tags ?? {})) conditions.push(attributeEquals(key, value));
  if (query.minDurationNs) conditions.push(`duration >= ${formatGoDuration(query.minDurationNs)}`);
  return `{ ${conditions.join(' && ')} }`;
}

function summary(row: Json): TraceSummary {
  const stats = isObject(row.serviceStats) ? row.serviceStats : undefined;
  const spanCount = stats ? Object.values(stats).reduce<number>((n, s) => n + (isObject(s) && typeof s.spanCount === 'number' ? s.spanCount : 0), 0) : undefined;
  const rootService = text(row.rootServiceName);
  return {
    traceId: paddedTraceId(text(row.traceID)),
    rootService,
    rootName: text(row.rootTraceName),
    startUnixNano: /^\d+$/.test(text(row.startTimeUnixNano)) ? text(row.startTimeUnixNano) : '0',
    // jsonpb leaves out zero values: a trace shorter than a millisecond has no durationMs.
    durationNs: (typeof row.durationMs === 'number' ? row.durationMs : 0) * 1e6,
    spanCount,
    services: stats ? Object.keys(stats).sort() : rootService ? [rootService] : [],
  };
}

export async function tempoSearch(ctx: BackendContext, query: TraceQuery): Promise<TraceSummary[]> {
  const limit = checkTraceQuery(query);
  const { start, end } = rangeSeconds(query.range);
  const request: BackendRequest = { method: 'GET', path: '/api/search', query: { q: traceQl(query), start, end, limit }, accept: 'application/json', what: `the traces of ${query.service}` };
  const document = await requestJson(ctx, request, 'object');
  return list(document.traces).filter(isObject).map(summary).slice(0, limit);
}

export async function tempoServices(ctx: BackendContext): Promise<string[]> {
  const document = await requestJson(ctx, { method: 'GET', path: '/api/search/tag/service.name/values', accept: 'application/json', what: 'the list of services' }, 'object');
  return list(document.tagValues).map(text).sort();
}
