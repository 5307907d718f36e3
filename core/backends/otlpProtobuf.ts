// OTLP traces in protobuf (as Tempo answers `Accept: application/protobuf`) read into OTLP/JSON objects
// the timeline's span reader takes. The schema is opentelemetry-proto's trace, common and resource
// messages (field numbers as in opentelemetry/proto/trace/v1/trace.proto), plus Tempo's two wrappers:
// `tempopb.Trace` (v1: `repeated ResourceSpans batches = 1`, the same wire form as `TracesData`) and
// `tempopb.TraceByIDResponse` (v2: `trace = 1`, `status = 3` PARTIAL/COMPLETE, `message = 4`). The JSON is
// what the OTLP/JSON encoding says: hex IDs, enums as numbers, 64-bit integers as decimal strings.

import * as protobuf from 'protobufjs/light';

const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });

const schema = {
  nested: {
    otlp: {
      nested: {
        TracesData: { fields: { resourceSpans: repeated('ResourceSpans', 1) } },
        TraceByIDResponse: { fields: { trace: { type: 'TracesData', id: 1 }, status: { type: 'int32', id: 3 }, message: { type: 'string', id: 4 } } },
        ResourceSpans: { fields: { resource: { type: 'Resource', id: 1 }, scopeSpans: repeated('ScopeSpans', 2), schemaUrl: { type: 'string', id: 3 } } },
        Resource: { fields: { attributes: repeated('KeyValue', 1), droppedAttributesCount: { type: 'uint32', id: 2 } } },
        ScopeSpans: { fields: { scope: { type: 'InstrumentationScope', id: 1 }, spans: repeated('Span', 2), schemaUrl: { type: 'string', id: 3 } } },
        InstrumentationScope: { fields: { name: { type: 'string', id: 1 }, version: { type: 'string', id: 2 }, attributes: repeated('KeyValue', 3) } },
        Span: {
          fields: {
            traceId: { type: 'bytes', id: 1 },
            spanId: { type: 'bytes', id: 2 },
            traceState: { type: 'string', id: 3 },
            parentSpanId: { type: 'bytes', id: 4 },
            flags: { type: 'fixed32', id: 16 },
            name: { type: 'string', id: 5 },
            kind: { type: 'int32', id: 6 },
            startTimeUnixNano: { type: 'fixed64', id: 7 },
            endTimeUnixNano: { type: 'fixed64', id: 8 },
            attributes: repeated('KeyValue', 9),
            droppedAttributesCount: { type: 'uint32', id: 10 },
            events: repeated('Event', 11),
            droppedEventsCount: { type: 'uint32', id: 12 },
            links: repeated('Link', 13),
            droppedLinksCount: { type: 'uint32', id: 14 },
            status: { type: 'Status', id: 15 },
          },
        },
        Event: { fields: { timeUnixNano: { type: 'fixed64', id: 1 }, name: { type: 'string', id: 2 }, attributes: repeated('KeyValue', 3) } },
        Link: { fields: { traceId: { type: 'bytes', id: 1 }, spanId: { type: 'bytes', id: 2 }, traceState: { type: 'string', id: 3 }, attributes: repeated('KeyValue', 4), flags: { type: 'fixed32', id: 6 } } },
        Status: { fields: { message: { type: 'string', id: 2 }, code: { type: 'int32', id: 3 } } },
        KeyValue: { fields: { key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } } },
        AnyValue: {
          oneofs: { value: { oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] } },
          fields: {
            stringValue: { type: 'string', id: 1 },
            boolValue: { type: 'bool', id: 2 },
            intValue: { type: 'int64', id: 3 },
            doubleValue: { type: 'double', id: 4 },
            arrayValue: { type: 'ArrayValue', id: 5 },
            kvlistValue: { type: 'KeyValueList', id: 6 },
            bytesValue: { type: 'bytes', id: 7 },
          },
        },
        ArrayValue: { fields: { values: repeated('AnyValue', 1) } },
        KeyValueList: { fields: { values: repeated('KeyValue', 1) } },
      },
    },
  },
};

let root: protobuf.Root | undefined;

/** The protobufjs type of an OTLP message (also used by tests and benchmarks to write OTLP protobuf). */
export function otlpMessageType(name: 'TracesData' | 'TraceByIDResponse'): protobuf.Type {
  root ??= protobuf.Root.fromJSON(schema);
  return root.lookupType(`otlp.${name}`);
}

// Decoded messages: what protobufjs gives for the schema above (64-bit values as Long or number).
type Int64 = number | { toString(): string };
interface PbKeyValue { key?: string; value?: PbAnyValue }
interface PbAnyValue { value?: string; stringValue?: string; boolValue?: boolean; intValue?: Int64; doubleValue?: number; arrayValue?: { values?: PbAnyValue[] }; kvlistValue?: { values?: PbKeyValue[] }; bytesValue?: Uint8Array }
interface PbSpan {
  traceId?: Uint8Array; spanId?: Uint8Array; traceState?: string; parentSpanId?: Uint8Array; flags?: number; name?: string; kind?: number;
  startTimeUnixNano?: Int64; endTimeUnixNano?: Int64; attributes?: PbKeyValue[];
  events?: { timeUnixNano?: Int64; name?: string; attributes?: PbKeyValue[] }[];
  links?: { traceId?: Uint8Array; spanId?: Uint8Array; traceState?: string; attributes?: PbKeyValue[] }[];
  status?: { message?: string; code?: number };
}
interface PbResourceSpans { resource?: { attributes?: PbKeyValue[] }; scopeSpans?: { scope?: { name?: string; version?: string; attributes?: PbKeyValue[] }; spans?: PbSpan[]; schemaUrl?: string }[]; schemaUrl?: string }

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex(bytes: Uint8Array | undefined): string {
  if (!bytes) return '';
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

function int64(value: Int64 | undefined): string {
  return value === undefined ? '0' : value.toString();
}

function anyValue(value: PbAnyValue | undefined): Record<string, unknown> {
  switch (value?.value) {
    case 'stringValue': return { stringValue: value.stringValue ?? '' };
    case 'boolValue': return { boolValue: value.boolValue ?? false };
    case 'intValue': return { intValue: int64(value.intValue) };
    case 'doubleValue': return { doubleValue: value.doubleValue ?? 0 };
    case 'arrayValue': return { arrayValue: { values: (value.arrayValue?.values ?? []).map(anyValue) } };
    case 'kvlistValue': return { kvlistValue: { values: attributes(value.kvlistValue?.values) } };
    case 'bytesValue': return { bytesValue: base64(value.bytesValue ?? new Uint8Array()) };
    default: return {};
  }
}

function attributes(list: PbKeyValue[] | undefined): Record<string, unknown>[] {
  return (list ?? []).map((kv) => ({ key: kv.key ?? '', value: anyValue(kv.value) }));
}

function span(s: PbSpan): Record<string, unknown> {
  const parent = hex(s.parentSpanId);
  return {
    traceId: hex(s.traceId),
    spanId: hex(s.spanId),
    ...(s.traceState ? { traceState: s.traceState } : {}),
    ...(parent ? { parentSpanId: parent } : {}),
    ...(s.flags ? { flags: s.flags } : {}),
    name: s.name ?? '',
    kind: s.kind ?? 0,
    startTimeUnixNano: int64(s.startTimeUnixNano),
    endTimeUnixNano: int64(s.endTimeUnixNano),
    attributes: attributes(s.attributes),
    events: (s.events ?? []).map((e) => ({ timeUnixNano: int64(e.timeUnixNano), name: e.name ?? '', attributes: attributes(e.attributes) })),
    links: (s.links ?? []).map((l) => ({ traceId: hex(l.traceId), spanId: hex(l.spanId), ...(l.traceState ? { traceState: l.traceState } : {}), attributes: attributes(l.attributes) })),
    status: { ...(s.status?.message ? { message: s.status.message } : {}), code: s.status?.code ?? 0 },
  };
}

/** OTLP/JSON objects (`{resource, scopeSpans}`) of decoded ResourceSpans messages. */
function resourceSpansJson(list: PbResourceSpans[] | undefined): Record<string, unknown>[] {
  return (list ?? []).map((rs) => ({
    resource: { attributes: attributes(rs.resource?.attributes) },
    scopeSpans: (rs.scopeSpans ?? []).map((ss) => ({
      scope: { name: ss.scope?.name ?? '', ...(ss.scope?.version ? { version: ss.scope.version } : {}), ...(ss.scope?.attributes?.length ? { attributes: attributes(ss.scope.attributes) } : {}) },
      spans: (ss.spans ?? []).map(span),
      ...(ss.schemaUrl ? { schemaUrl: ss.schemaUrl } : {}),
    })),
    ...(rs.schemaUrl ? { schemaUrl: rs.schemaUrl } : {}),
  }));
}

export interface DecodedOtlpTrace {
  /** `{"resourceSpans": […]}`, as OTLP/JSON writes an export. */
  readonly document: { readonly resourceSpans: Record<string, unknown>[] };
  /** From Tempo's v2 wrapper: the trace is partial (PARTIAL = 1), with Tempo's reason. */
  readonly partial?: string;
}

/** Decodes `TracesData` / `tempopb.Trace` bytes, or a `TraceByIDResponse` when `wrapped`; throws protobufjs's error. */
export function decodeOtlpTrace(bytes: Uint8Array, wrapped: boolean): DecodedOtlpTrace {
  if (!wrapped) {
    const data = otlpMessageType('TracesData').decode(bytes) as unknown as { resourceSpans?: PbResourceSpans[] };
    return { document: { resourceSpans: resourceSpansJson(data.resourceSpans) } };
  }
  const response = otlpMessageType('TraceByIDResponse').decode(bytes) as unknown as { trace?: { resourceSpans?: PbResourceSpans[] }; status?: number; message?: string };
  return {
    document: { resourceSpans: resourceSpansJson(response.trace?.resourceSpans) },
    ...(response.status === 1 ? { partial: response.message || 'Tempo returned part of the trace' } : {}),
  };
}
