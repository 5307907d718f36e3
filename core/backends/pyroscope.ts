// Grafana Pyroscope's querier API (api/querier/v1/querier.proto of grafana/pyroscope), spoken with the
// Connect protocol: unary POSTs to `/querier.v1.QuerierService/<Method>`. ProfileTypes and LabelValues go as
// JSON (proto3's JSON mapping: camelCase names, int64 as strings, empty lists left out); SelectMergeProfile
// goes as protobuf (`application/proto`) because its answer, a google.v1.Profile, is then the pprof bytes
// themselves. Times are Unix milliseconds. Errors come as a status with `{"code", "message"}`.

import * as protobuf from 'protobufjs/light';
import { invalidAnswer, requestJson, statusError } from './answerErrors';
import { isSuccess, type BackendContext, type BackendRequest } from './exchange';
import { isObject, list, text } from './jsonValues';
import { parseProfileTypeId, resolveProfileType, type ProfileTypeInfo } from './profileQuery';
import { noProfiles, type MergedProfile, type ProfileRequest } from './profileFetch';
import type { TimeRange } from './timeRange';

const SERVICE = '/querier.v1.QuerierService';
const CONNECT_HEADERS = { 'Connect-Protocol-Version': '1' };

const schema = {
  nested: {
    SelectMergeProfileRequest: {
      fields: {
        profileTypeID: { type: 'string', id: 1 },
        labelSelector: { type: 'string', id: 2 },
        start: { type: 'int64', id: 3 },
        end: { type: 'int64', id: 4 },
      },
    },
  },
};

let requestType: protobuf.Type | undefined;

function jsonCall(method: string, body: Record<string, unknown>, what: string): BackendRequest {
  return { method: 'POST', path: `${SERVICE}/${method}`, body: new TextEncoder().encode(JSON.stringify(body)), contentType: 'application/json', accept: 'application/json', headers: CONNECT_HEADERS, what };
}

export async function pyroscopeProfileTypes(ctx: BackendContext, range: TimeRange): Promise<ProfileTypeInfo[]> {
  const document = await requestJson(ctx, jsonCall('ProfileTypes', { start: String(range.startMs), end: String(range.endMs) }, 'the profile types'), 'object');
  return list(document.profileTypes)
    .filter(isObject)
    .map((t) => ({ id: text(t.ID), name: text(t.name), sampleType: text(t.sampleType), sampleUnit: text(t.sampleUnit), periodType: text(t.periodType), periodUnit: text(t.periodUnit) }))
    .filter((t) => t.id !== '');
}

export async function pyroscopeLabelValues(ctx: BackendContext, label: string, range: TimeRange, selector?: string): Promise<string[]> {
  const body = { name: label, ...(selector ? { matchers: [selector] } : {}), start: String(range.startMs), end: String(range.endMs) };
  const document = await requestJson(ctx, jsonCall('LabelValues', body, `the values of ${label}`), 'object');
  return list(document.names).map(text).sort();
}

export async function pyroscopeLabelNames(ctx: BackendContext, range: TimeRange): Promise<string[]> {
  const document = await requestJson(ctx, jsonCall('LabelNames', { start: String(range.startMs), end: String(range.endMs) }, 'the label names'), 'object');
  return list(document.names).map(text).sort();
}

async function resolveType(ctx: BackendContext, wanted: string, range: TimeRange): Promise<ProfileTypeInfo> {
  return parseProfileTypeId(wanted) ?? resolveProfileType(wanted, await pyroscopeProfileTypes(ctx, range), ctx.backend.title);
}

export async function pyroscopeMergedProfile(ctx: BackendContext, request: ProfileRequest): Promise<MergedProfile> {
  const type = await resolveType(ctx, request.type, request.range);
  requestType ??= protobuf.Root.fromJSON(schema).lookupType('SelectMergeProfileRequest');
  const body = requestType.encode({ profileTypeID: type.id, labelSelector: request.selector, start: request.range.startMs, end: request.range.endMs }).finish();
  const call: BackendRequest = { method: 'POST', path: `${SERVICE}/SelectMergeProfile`, body, contentType: 'application/proto', accept: 'application/proto', headers: CONNECT_HEADERS, what: `the merged ${type.id} profile of ${request.selector}` };
  const answer = await ctx.send(call);
  if (!isSuccess(answer)) throw statusError(ctx.backend, call, answer);
  if (answer.contentType !== '' && answer.contentType !== 'application/proto') throw invalidAnswer(ctx.backend, call, answer, `${answer.contentType} where application/proto was asked for`);
  if (answer.body.length === 0) throw noProfiles(ctx.backend, type, request.selector, request.range, answer.url);
  return { bytes: answer.body, type, url: answer.url };
}
