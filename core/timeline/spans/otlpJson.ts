// Reads OTLP/JSON: an ExportTraceServiceRequest ({"resourceSpans": [...]}) as the OpenTelemetry
// collector's file exporter and the OTLP/HTTP JSON protocol write it, one object per file or one per
// line. Resource attributes give the service (service.name); span kinds and status codes may be numbers
// or their enum names; 64-bit numbers may be strings.

import {
  type JsonObject,
  type SpanEventRecord,
  type SpanRecord,
  arrayAt,
  attributeText,
  findAttribute,
  integerAt,
  isAbsentId,
  isObject,
  normalizeId,
  objectAt,
  shapeError,
  stringAt,
} from './spanRecord';
import { type AttributeValue, type SpanAttribute, SpanKind, SpanStatus } from './spanTraceModel';

const FORMAT = 'OTLP/JSON';

const KIND_NAMES: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: SpanKind.Unspecified,
  SPAN_KIND_INTERNAL: SpanKind.Internal,
  SPAN_KIND_SERVER: SpanKind.Server,
  SPAN_KIND_CLIENT: SpanKind.Client,
  SPAN_KIND_PRODUCER: SpanKind.Producer,
  SPAN_KIND_CONSUMER: SpanKind.Consumer,
};

const STATUS_NAMES: Record<string, number> = {
  STATUS_CODE_UNSET: SpanStatus.Unset,
  STATUS_CODE_OK: SpanStatus.Ok,
  STATUS_CODE_ERROR: SpanStatus.Error,
};

function anyValue(value: unknown): AttributeValue {
  if (!isObject(value)) return null;
  if ('stringValue' in value) return typeof value.stringValue === 'string' ? value.stringValue : String(value.stringValue);
  if ('boolValue' in value) return value.boolValue === true || value.boolValue === 'true';
  if ('intValue' in value) {
    const n = Number(value.intValue);
    return Number.isSafeInteger(n) ? n : String(value.intValue);
  }
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('bytesValue' in value) return String(value.bytesValue);
  if ('arrayValue' in value) return Array.isArray((value.arrayValue as JsonObject | undefined)?.values) ? ((value.arrayValue as JsonObject).values as unknown[]).map(anyValue) : [];
  if ('kvlistValue' in value) {
    const out: Record<string, AttributeValue> = {};
    const values = (value.kvlistValue as JsonObject | undefined)?.values;
    if (Array.isArray(values)) for (const kv of values) if (isObject(kv) && typeof kv.key === 'string') out[kv.key] = anyValue(kv.value);
    return out;
  }
  return null;
}

export function otlpAttributes(value: unknown, path: string): SpanAttribute[] {
  return arrayAt(value, path, FORMAT).map((kv, i) => {
    const o = objectAt(kv, `${path}[${i}]`, FORMAT);
    return { key: stringAt(o.key, `${path}[${i}].key`, FORMAT, false), value: anyValue(o.value) };
  });
}

function enumValue(value: unknown, names: Record<string, number>, max: number): number {
  if (typeof value === 'number' && value >= 0 && value <= max) return value;
  if (typeof value === 'string' && value in names) return names[value]!;
  return 0;
}

function readSpan(raw: unknown, path: string, service: string, resource: SpanAttribute[], scope: string): SpanRecord {
  const span = objectAt(raw, path, FORMAT);
  const traceId = normalizeId(stringAt(span.traceId, `${path}.traceId`, FORMAT, false), 16);
  const spanId = normalizeId(stringAt(span.spanId, `${path}.spanId`, FORMAT, false), 8);
  if (traceId === '' || spanId === '') throw shapeError(`${path}.${traceId === '' ? 'traceId' : 'spanId'}`, 'empty', FORMAT);
  const parent = normalizeId(stringAt(span.parentSpanId, `${path}.parentSpanId`, FORMAT), 8);
  const start = integerAt(span.startTimeUnixNano, `${path}.startTimeUnixNano`, FORMAT);
  const endRaw = span.endTimeUnixNano === undefined ? span.startTimeUnixNano : span.endTimeUnixNano;
  const end = integerAt(endRaw, `${path}.endTimeUnixNano`, FORMAT);
  const attributes = otlpAttributes(span.attributes, `${path}.attributes`);
  const status = isObject(span.status) ? span.status : {};
  const kind = enumValue(span.kind, KIND_NAMES, 5);
  const events: SpanEventRecord[] = arrayAt(span.events, `${path}.events`, FORMAT).map((e, i) => {
    const event = objectAt(e, `${path}.events[${i}]`, FORMAT);
    return {
      time: event.timeUnixNano === undefined ? start : integerAt(event.timeUnixNano, `${path}.events[${i}].timeUnixNano`, FORMAT),
      name: stringAt(event.name, `${path}.events[${i}].name`, FORMAT),
      attributes: otlpAttributes(event.attributes, `${path}.events[${i}].attributes`),
    };
  });
  const links = arrayAt(span.links, `${path}.links`, FORMAT).map((l, i) => {
    const link = objectAt(l, `${path}.links[${i}]`, FORMAT);
    return {
      traceId: normalizeId(stringAt(link.traceId, `${path}.links[${i}].traceId`, FORMAT), 16),
      spanId: normalizeId(stringAt(link.spanId, `${path}.links[${i}].spanId`, FORMAT), 8),
      relation: 'link',
      attributes: otlpAttributes(link.attributes, `${path}.links[${i}].attributes`),
    };
  });
  const peer = kind === SpanKind.Client || kind === SpanKind.Producer ? attributeText(findAttribute(attributes, 'peer.service')) : '';
  return {
    traceId,
    spanId,
    parentSpanId: isAbsentId(parent) ? '' : parent,
    name: stringAt(span.name, `${path}.name`, FORMAT),
    service,
    kind,
    status: enumValue(status.code, STATUS_NAMES, 2),
    statusMessage: stringAt(status.message, `${path}.status.message`, FORMAT),
    start,
    end: end < start ? start : end,
    attributes,
    resource,
    scope,
    events,
    links,
    asyncParent: kind === SpanKind.Consumer,
    sharedWithClient: false,
    peerService: peer,
    sampler: '',
  };
}

/** The spans of one ExportTraceServiceRequest object. */
export function readOtlpExport(document: unknown, path: string, out: SpanRecord[]): void {
  const root = objectAt(document, path || 'the top level', FORMAT);
  const resourceSpans = root.resourceSpans ?? root.resource_spans;
  arrayAt(resourceSpans, `${path}resourceSpans`, FORMAT, false).forEach((rs, r) => {
    const rsPath = `${path}resourceSpans[${r}]`;
    const resourceSpan = objectAt(rs, rsPath, FORMAT);
    const resource = otlpAttributes(isObject(resourceSpan.resource) ? resourceSpan.resource.attributes : undefined, `${rsPath}.resource.attributes`);
    const service = attributeText(findAttribute(resource, 'service.name')) || 'unknown_service';
    const scopeSpans = resourceSpan.scopeSpans ?? resourceSpan.scope_spans ?? resourceSpan.instrumentationLibrarySpans;
    arrayAt(scopeSpans, `${rsPath}.scopeSpans`, FORMAT).forEach((ss, s) => {
      const ssPath = `${rsPath}.scopeSpans[${s}]`;
      const scopeSpan = objectAt(ss, ssPath, FORMAT);
      const scopeObject = isObject(scopeSpan.scope) ? scopeSpan.scope : isObject(scopeSpan.instrumentationLibrary) ? scopeSpan.instrumentationLibrary : {};
      const scopeName = stringAt(scopeObject.name, `${ssPath}.scope.name`, FORMAT);
      const scopeVersion = stringAt(scopeObject.version, `${ssPath}.scope.version`, FORMAT);
      const scope = scopeVersion ? `${scopeName} ${scopeVersion}` : scopeName;
      arrayAt(scopeSpan.spans, `${ssPath}.spans`, FORMAT).forEach((span, i) => out.push(readSpan(span, `${ssPath}.spans[${i}]`, service, resource, scope)));
    });
  });
}
