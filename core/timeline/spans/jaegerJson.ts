// Reads Jaeger JSON as the Jaeger UI downloads it ({"data": [trace, ...]}, each trace with its spans
// and processes), and a bare trace object or list of traces. Times are microseconds; the parent is the
// first CHILD_OF reference (or, failing that, FOLLOWS_FROM, which Jaeger also draws as a parent).

import {
  type JsonObject,
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
import { type SpanAttribute, type SpanLink, SpanKind, SpanStatus } from './spanTraceModel';

const FORMAT = 'Jaeger JSON';

const KINDS: Record<string, number> = {
  server: SpanKind.Server,
  client: SpanKind.Client,
  producer: SpanKind.Producer,
  consumer: SpanKind.Consumer,
  internal: SpanKind.Internal,
};

function tags(value: unknown, path: string): SpanAttribute[] {
  return arrayAt(value, path, FORMAT).map((t, i) => {
    const tag = objectAt(t, `${path}[${i}]`, FORMAT);
    const raw = tag.value;
    const v = typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' || raw === null ? raw : JSON.stringify(raw);
    return { key: stringAt(tag.key, `${path}[${i}].key`, FORMAT, false), value: v ?? null };
  });
}

function micros(value: unknown, path: string): bigint {
  return integerAt(value, path, FORMAT) * 1000n;
}

function readSpan(raw: unknown, path: string, processes: JsonObject, fallbackTraceId: string): SpanRecord {
  const span = objectAt(raw, path, FORMAT);
  const traceId = normalizeId(stringAt(span.traceID ?? fallbackTraceId, `${path}.traceID`, FORMAT, false), 16);
  const spanId = normalizeId(stringAt(span.spanID, `${path}.spanID`, FORMAT, false), 8);
  if (traceId === '' || spanId === '') throw shapeError(`${path}.${traceId === '' ? 'traceID' : 'spanID'}`, 'empty', FORMAT);
  const references = arrayAt(span.references, `${path}.references`, FORMAT).map((r, i) => {
    const ref = objectAt(r, `${path}.references[${i}]`, FORMAT);
    return {
      type: stringAt(ref.refType, `${path}.references[${i}].refType`, FORMAT),
      traceId: normalizeId(stringAt(ref.traceID, `${path}.references[${i}].traceID`, FORMAT), 16) || traceId,
      spanId: normalizeId(stringAt(ref.spanID, `${path}.references[${i}].spanID`, FORMAT), 8),
    };
  });
  const childOf = references.find((r) => r.type === 'CHILD_OF' && r.traceId === traceId);
  const followsFrom = references.find((r) => r.type === 'FOLLOWS_FROM' && r.traceId === traceId);
  const parentRef = childOf ?? followsFrom;
  const legacyParent = normalizeId(stringAt(span.parentSpanID, `${path}.parentSpanID`, FORMAT), 8);
  const parent = parentRef?.spanId ?? legacyParent;
  const links: SpanLink[] = references
    .filter((r) => r !== parentRef)
    .map((r) => ({ traceId: r.traceId, spanId: r.spanId, relation: r.type === 'FOLLOWS_FROM' ? 'follows-from' : 'child-of', attributes: [] }));
  const process = isObject(span.process) ? span.process : isObject(processes[String(span.processID)]) ? (processes[String(span.processID)] as JsonObject) : {};
  const service = stringAt(process.serviceName, `${path}.process.serviceName`, FORMAT) || 'unknown_service';
  const resource = tags(process.tags, `${path}.process.tags`);
  const attributes = tags(span.tags, `${path}.tags`);
  const kind = KINDS[attributeText(findAttribute(attributes, 'span.kind')).toLowerCase()] ?? SpanKind.Unspecified;
  const errorTag = findAttribute(attributes, 'error');
  const otelStatus = attributeText(findAttribute(attributes, 'otel.status_code')).toUpperCase();
  const status = errorTag === true || errorTag === 'true' || otelStatus === 'ERROR' ? SpanStatus.Error : otelStatus === 'OK' ? SpanStatus.Ok : SpanStatus.Unset;
  const start = micros(span.startTime, `${path}.startTime`);
  const duration = span.duration === undefined ? 0n : micros(span.duration, `${path}.duration`);
  const events = arrayAt(span.logs, `${path}.logs`, FORMAT).map((l, i) => {
    const log = objectAt(l, `${path}.logs[${i}]`, FORMAT);
    const fields = tags(log.fields, `${path}.logs[${i}].fields`);
    const name = attributeText(findAttribute(fields, 'event') ?? findAttribute(fields, 'message') ?? fields[0]?.value);
    return { time: log.timestamp === undefined ? start : micros(log.timestamp, `${path}.logs[${i}].timestamp`), name, attributes: fields };
  });
  const samplerType = attributeText(findAttribute(attributes, 'sampler.type') ?? findAttribute(resource, 'sampler.type'));
  const samplerParam = attributeText(findAttribute(attributes, 'sampler.param') ?? findAttribute(resource, 'sampler.param'));
  return {
    traceId,
    spanId,
    parentSpanId: isAbsentId(parent) ? '' : parent,
    name: stringAt(span.operationName, `${path}.operationName`, FORMAT),
    service,
    kind,
    status,
    statusMessage: attributeText(findAttribute(attributes, 'otel.status_description')),
    start,
    end: start + duration,
    attributes,
    resource,
    scope: attributeText(findAttribute(attributes, 'otel.library.name') ?? findAttribute(attributes, 'otel.scope.name')),
    events,
    links,
    asyncParent: (parentRef !== undefined && parentRef === followsFrom) || kind === SpanKind.Consumer,
    sharedWithClient: false,
    peerService: kind === SpanKind.Client || kind === SpanKind.Producer ? attributeText(findAttribute(attributes, 'peer.service')) : '',
    sampler: samplerType ? `${samplerType}${samplerParam ? ':' + samplerParam : ''}` : '',
  };
}

function readTrace(value: unknown, path: string, out: SpanRecord[]): void {
  const trace = objectAt(value, path, FORMAT);
  const processes = isObject(trace.processes) ? trace.processes : {};
  const traceId = stringAt(trace.traceID, `${path}.traceID`, FORMAT);
  arrayAt(trace.spans, `${path}.spans`, FORMAT, false).forEach((span, i) => out.push(readSpan(span, `${path}.spans[${i}]`, processes, traceId)));
}

/** The spans of a Jaeger download: {"data": [...]}, a single trace object, or a list of traces. */
export function readJaegerDocument(document: unknown, out: SpanRecord[]): void {
  if (Array.isArray(document)) {
    document.forEach((trace, i) => readTrace(trace, `[${i}]`, out));
    return;
  }
  const root = objectAt(document, 'the top level', FORMAT);
  if ('data' in root) arrayAt(root.data, 'data', FORMAT, false).forEach((trace, i) => readTrace(trace, `data[${i}]`, out));
  else readTrace(root, 'the top level', out);
}
