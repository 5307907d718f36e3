// Parca's query service (parca.query.v1alpha1.QueryService in proto/parca/query/v1alpha1/query.proto of
// parca-dev/parca), called over gRPC-web at `<url>/api/<service>/<method>` as Parca's own web UI does.
// ProfileTypes, Labels and Values list what there is; Query with mode MERGE and report type PPROF returns
// the merged profile as gzipped pprof bytes. A query is the profile type followed by the selector
// (`parca_agent:samples:count:cpu:nanoseconds:delta{comm="api"}`); times are protobuf Timestamps.

import * as protobuf from 'protobufjs/light';
import { invalidAnswer } from './answerErrors';
import { type BackendContext } from './exchange';
import { callGrpcWeb, GRPC_NOT_FOUND } from './grpcWeb';
import { parseProfileTypeId, resolveProfileType, type ProfileTypeInfo } from './profileQuery';
import { noProfiles, type MergedProfile, type ProfileRequest } from './profileFetch';
import type { TimeRange } from './timeRange';

const SERVICE = 'parca.query.v1alpha1.QueryService';
/** QueryRequest.Mode.MODE_MERGE and QueryRequest.ReportType.REPORT_TYPE_PPROF. */
const MODE_MERGE = 2;
const REPORT_TYPE_PPROF = 1;

const repeatedString = (id: number) => ({ rule: 'repeated', type: 'string', id });

const schema = {
  nested: {
    Timestamp: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
    ProfileTypesRequest: { fields: { start: { type: 'Timestamp', id: 1 }, end: { type: 'Timestamp', id: 2 } } },
    ProfileTypesResponse: { fields: { types: { rule: 'repeated', type: 'ProfileType', id: 1 } } },
    ProfileType: {
      fields: {
        name: { type: 'string', id: 1 },
        sampleType: { type: 'string', id: 2 },
        sampleUnit: { type: 'string', id: 3 },
        periodType: { type: 'string', id: 4 },
        periodUnit: { type: 'string', id: 5 },
        delta: { type: 'bool', id: 6 },
      },
    },
    LabelsRequest: { fields: { match: repeatedString(1), start: { type: 'Timestamp', id: 2 }, end: { type: 'Timestamp', id: 3 }, profileType: { type: 'string', id: 4 } } },
    LabelsResponse: { fields: { labelNames: repeatedString(1), warnings: repeatedString(2) } },
    ValuesRequest: { fields: { labelName: { type: 'string', id: 1 }, match: repeatedString(2), start: { type: 'Timestamp', id: 3 }, end: { type: 'Timestamp', id: 4 }, profileType: { type: 'string', id: 5 } } },
    ValuesResponse: { fields: { labelValues: repeatedString(1), warnings: repeatedString(2) } },
    MergeProfile: { fields: { query: { type: 'string', id: 1 }, start: { type: 'Timestamp', id: 2 }, end: { type: 'Timestamp', id: 3 } } },
    QueryRequest: { fields: { mode: { type: 'int32', id: 1 }, merge: { type: 'MergeProfile', id: 3 }, reportType: { type: 'int32', id: 5 } } },
    QueryResponse: { fields: { pprof: { type: 'bytes', id: 6 }, total: { type: 'int64', id: 9 }, filtered: { type: 'int64', id: 10 } } },
  },
};

let root: protobuf.Root | undefined;

type MessageName = 'ProfileTypesRequest' | 'ProfileTypesResponse' | 'LabelsRequest' | 'LabelsResponse' | 'ValuesRequest' | 'ValuesResponse' | 'QueryRequest' | 'QueryResponse';

function messageType(name: MessageName): protobuf.Type {
  root ??= protobuf.Root.fromJSON(schema);
  return root.lookupType(name);
}

/** A google.protobuf.Timestamp; zero nanos left out, as proto3 encoders leave out zero values. */
function timestamp(ms: number): { seconds: number; nanos?: number } {
  const nanos = (ms % 1000) * 1e6;
  return { seconds: Math.floor(ms / 1000), ...(nanos ? { nanos } : {}) };
}

/** `/api/<service>/<method>`, or without `/api` when the configured URL already ends in it. */
function methodPath(ctx: BackendContext, method: string): string {
  return `${ctx.backend.base.pathname.endsWith('/api') ? '' : '/api'}/${SERVICE}/${method}`;
}

async function call<T>(ctx: BackendContext, method: string, requestName: MessageName, responseName: MessageName, request: Record<string, unknown>, what: string): Promise<{ value: T; url: string } | typeof GRPC_NOT_FOUND> {
  const answer = await callGrpcWeb(ctx, methodPath(ctx, method), messageType(requestName).encode(request).finish(), what);
  if (answer === GRPC_NOT_FOUND) return GRPC_NOT_FOUND;
  try {
    return { value: messageType(responseName).decode(answer.message) as unknown as T, url: answer.url };
  } catch (error) {
    throw invalidAnswer(ctx.backend, { what }, answer, `protobuf that does not decode: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function parcaProfileTypes(ctx: BackendContext, range: TimeRange): Promise<ProfileTypeInfo[]> {
  const answer = await call<{ types?: { name?: string; sampleType?: string; sampleUnit?: string; periodType?: string; periodUnit?: string; delta?: boolean }[] }>(
    ctx, 'ProfileTypes', 'ProfileTypesRequest', 'ProfileTypesResponse', { start: timestamp(range.startMs), end: timestamp(range.endMs) }, 'the profile types');
  if (answer === GRPC_NOT_FOUND) return [];
  return (answer.value.types ?? []).map((t) => {
    const parts = [t.name ?? '', t.sampleType ?? '', t.sampleUnit ?? '', t.periodType ?? '', t.periodUnit ?? ''];
    return { id: `${parts.join(':')}${t.delta ? ':delta' : ''}`, name: parts[0]!, sampleType: parts[1]!, sampleUnit: parts[2]!, periodType: parts[3]!, periodUnit: parts[4]!, ...(t.delta ? { delta: true } : {}) };
  });
}

export async function parcaLabelValues(ctx: BackendContext, label: string, range: TimeRange, selector?: string): Promise<string[]> {
  const request = { labelName: label, match: selector ? [selector] : [], start: timestamp(range.startMs), end: timestamp(range.endMs) };
  const answer = await call<{ labelValues?: string[] }>(ctx, 'Values', 'ValuesRequest', 'ValuesResponse', request, `the values of ${label}`);
  return answer === GRPC_NOT_FOUND ? [] : [...(answer.value.labelValues ?? [])].sort();
}

export async function parcaLabelNames(ctx: BackendContext, range: TimeRange): Promise<string[]> {
  const answer = await call<{ labelNames?: string[] }>(ctx, 'Labels', 'LabelsRequest', 'LabelsResponse', { match: [], start: timestamp(range.startMs), end: timestamp(range.endMs) }, 'the label names');
  return answer === GRPC_NOT_FOUND ? [] : [...(answer.value.labelNames ?? [])].sort();
}

export async function parcaMergedProfile(ctx: BackendContext, request: ProfileRequest): Promise<MergedProfile> {
  const type = parseProfileTypeId(request.type) ?? resolveProfileType(request.type, await parcaProfileTypes(ctx, request.range), ctx.backend.title);
  const query = { mode: MODE_MERGE, merge: { query: `${type.id}${request.selector.trim()}`, start: timestamp(request.range.startMs), end: timestamp(request.range.endMs) }, reportType: REPORT_TYPE_PPROF };
  const answer = await call<{ pprof?: Uint8Array }>(ctx, 'Query', 'QueryRequest', 'QueryResponse', query, `the merged ${type.id} profile of ${request.selector}`);
  const url = answer === GRPC_NOT_FOUND ? ctx.backend.redactor.url(ctx.backend.base) : answer.url;
  if (answer === GRPC_NOT_FOUND || !answer.value.pprof || answer.value.pprof.length === 0) throw noProfiles(ctx.backend, type, request.selector, request.range, url);
  return { bytes: answer.value.pprof, type, url };
}
