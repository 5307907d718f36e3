// Each operation once, whatever the backend's kind: the kind picks the module that knows its API. Pure
// (the Send function is passed in), so the Node client and any other host run the same logic.

import { BackendError } from './backendError';
import { requireServes } from './backendSource';
import type { BackendContext } from './exchange';
import { jaegerFetchTrace, jaegerSearch, jaegerServices } from './jaeger';
import { parcaLabelNames, parcaLabelValues, parcaMergedProfile, parcaProfileTypes } from './parca';
import type { MergedProfile, ProfileRequest } from './profileFetch';
import { formatSelector, parseSelector, type ProfileTypeInfo } from './profileQuery';
import { pyroscopeLabelNames, pyroscopeLabelValues, pyroscopeMergedProfile, pyroscopeProfileTypes } from './pyroscope';
import { tempoFetchTrace, tempoSearch, tempoServices, type TempoEncoding } from './tempo';
import type { TimeRange } from './timeRange';
import { normalizeTraceId } from './traceId';
import type { FetchedTrace, TraceQuery } from './traceQuery';
import type { TraceSearchResult, TraceSummary } from './traceSummary';
import { zipkinFetchTrace, zipkinSearch, zipkinServices } from './zipkin';

/** Which of a backend's APIs to ask: Jaeger v1 (the UI's) or v3, Tempo v1 or v2. Default: the newest that answers. */
export type TraceApi = 'v1' | 'v2' | 'v3';

export interface FetchTraceOptions {
  readonly api?: TraceApi;
  /** Tempo only: ask for protobuf (the default, smaller) or Tempo's JSON. */
  readonly tempoEncoding?: TempoEncoding;
}

const APIS: Readonly<Record<string, readonly TraceApi[]>> = { jaeger: ['v1', 'v3'], tempo: ['v1', 'v2'], zipkin: ['v2'] };

export async function fetchTraceWith(ctx: BackendContext, rawTraceId: string, options: FetchTraceOptions = {}): Promise<FetchedTrace> {
  requireServes(ctx.backend, 'traces');
  const traceId = normalizeTraceId(rawTraceId);
  const apis = APIS[ctx.backend.kind]!;
  if (options.api !== undefined && !apis.includes(options.api)) {
    throw new BackendError('bad-backend', `${ctx.backend.info.label} has no API ${options.api} for traces; it has ${apis.join(' and ')}.`);
  }
  if (ctx.backend.kind === 'jaeger') return jaegerFetchTrace(ctx, traceId, options.api as 'v1' | 'v3' | undefined);
  if (ctx.backend.kind === 'tempo') return tempoFetchTrace(ctx, traceId, options.api as 'v1' | 'v2' | undefined, options.tempoEncoding);
  return zipkinFetchTrace(ctx, traceId);
}

export async function searchTracesWith(ctx: BackendContext, query: TraceQuery): Promise<TraceSummary[]> {
  return (await searchTraceSpansWith(ctx, query)).summaries;
}

/** A search's summaries and, where the backend answered whole traces (Jaeger, Zipkin), their spans. */
export async function searchTraceSpansWith(ctx: BackendContext, query: TraceQuery): Promise<TraceSearchResult> {
  requireServes(ctx.backend, 'traces');
  if (ctx.backend.kind === 'jaeger') return jaegerSearch(ctx, query);
  if (ctx.backend.kind === 'tempo') return { summaries: await tempoSearch(ctx, query), spanFiles: new Map() };
  return zipkinSearch(ctx, query);
}

export async function listTraceServicesWith(ctx: BackendContext): Promise<string[]> {
  requireServes(ctx.backend, 'traces');
  if (ctx.backend.kind === 'jaeger') return jaegerServices(ctx);
  if (ctx.backend.kind === 'tempo') return tempoServices(ctx);
  return zipkinServices(ctx);
}

export async function listProfileTypesWith(ctx: BackendContext, range: TimeRange): Promise<ProfileTypeInfo[]> {
  requireServes(ctx.backend, 'profiles');
  return ctx.backend.kind === 'pyroscope' ? pyroscopeProfileTypes(ctx, range) : parcaProfileTypes(ctx, range);
}

export async function listProfileLabelNamesWith(ctx: BackendContext, range: TimeRange): Promise<string[]> {
  requireServes(ctx.backend, 'profiles');
  return ctx.backend.kind === 'pyroscope' ? pyroscopeLabelNames(ctx, range) : parcaLabelNames(ctx, range);
}

/** The values of one label (`service_name` for services); `selector` narrows them to matching series. */
export async function listProfileLabelValuesWith(ctx: BackendContext, label: string, range: TimeRange, selector?: string): Promise<string[]> {
  requireServes(ctx.backend, 'profiles');
  const narrowed = selector === undefined ? undefined : formatSelector(parseSelector(selector));
  return ctx.backend.kind === 'pyroscope' ? pyroscopeLabelValues(ctx, label, range, narrowed) : parcaLabelValues(ctx, label, range, narrowed);
}

export async function mergedProfileWith(ctx: BackendContext, request: ProfileRequest): Promise<MergedProfile> {
  requireServes(ctx.backend, 'profiles');
  if (request.type.trim() === '') throw new BackendError('bad-query', 'A profile query needs a profile type, e.g. process_cpu:cpu:nanoseconds:cpu:nanoseconds, or cpu.');
  const selector = formatSelector(parseSelector(request.selector));
  const checked = { ...request, selector };
  return ctx.backend.kind === 'pyroscope' ? pyroscopeMergedProfile(ctx, checked) : parcaMergedProfile(ctx, checked);
}
