// Reads Zipkin v2 JSON: a list of spans (or a list of traces, each a list of spans). Times are
// microseconds. Zipkin lets one span arrive in pieces: fragments with the same trace ID, span ID,
// shared flag and local service are merged here, as Zipkin's own UI does. A "shared" server span
// carries its client's span ID: it is the server half of that RPC, whose parent is the client half.

import {
  type JsonObject,
  type SpanRecord,
  arrayAt,
  integerAt,
  isAbsentId,
  isObject,
  normalizeId,
  objectAt,
  shapeError,
  stringAt,
} from './spanRecord';
import { type SpanAttribute, SpanKind, SpanStatus } from './spanTraceModel';

const FORMAT = 'Zipkin v2 JSON';

const KINDS: Record<string, number> = {
  CLIENT: SpanKind.Client,
  SERVER: SpanKind.Server,
  PRODUCER: SpanKind.Producer,
  CONSUMER: SpanKind.Consumer,
};

interface Fragment {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  service: string;
  remoteService: string;
  kind: number;
  shared: boolean;
  start: bigint | undefined;
  end: bigint | undefined;
  tags: SpanAttribute[];
  annotations: { time: bigint; value: string }[];
  resource: SpanAttribute[];
}

function endpoint(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

function readFragment(raw: unknown, path: string): Fragment {
  const span = objectAt(raw, path, FORMAT);
  const traceId = normalizeId(stringAt(span.traceId, `${path}.traceId`, FORMAT, false), 16);
  const spanId = normalizeId(stringAt(span.id, `${path}.id`, FORMAT, false), 8);
  if (traceId === '' || spanId === '') throw shapeError(`${path}.${traceId === '' ? 'traceId' : 'id'}`, 'empty', FORMAT);
  const local = endpoint(span.localEndpoint);
  const remote = endpoint(span.remoteEndpoint);
  const tags: SpanAttribute[] = [];
  if (span.tags !== undefined) {
    const t = objectAt(span.tags, `${path}.tags`, FORMAT);
    for (const [key, value] of Object.entries(t)) tags.push({ key, value: typeof value === 'string' ? value : JSON.stringify(value) });
  }
  const start = span.timestamp === undefined ? undefined : integerAt(span.timestamp, `${path}.timestamp`, FORMAT) * 1000n;
  const duration = span.duration === undefined ? 0n : integerAt(span.duration, `${path}.duration`, FORMAT) * 1000n;
  const resource: SpanAttribute[] = [];
  for (const key of ['ipv4', 'ipv6', 'port'] as const) if (local[key] !== undefined) resource.push({ key: `endpoint.${key}`, value: String(local[key]) });
  return {
    traceId,
    spanId,
    parentSpanId: normalizeId(stringAt(span.parentId, `${path}.parentId`, FORMAT), 8),
    name: stringAt(span.name, `${path}.name`, FORMAT),
    service: stringAt(local.serviceName, `${path}.localEndpoint.serviceName`, FORMAT) || 'unknown',
    remoteService: stringAt(remote.serviceName, `${path}.remoteEndpoint.serviceName`, FORMAT),
    kind: KINDS[stringAt(span.kind, `${path}.kind`, FORMAT)] ?? SpanKind.Unspecified,
    shared: span.shared === true,
    start,
    end: start === undefined ? undefined : start + duration,
    tags,
    annotations: arrayAt(span.annotations, `${path}.annotations`, FORMAT).map((a, i) => {
      const annotation = objectAt(a, `${path}.annotations[${i}]`, FORMAT);
      return { time: integerAt(annotation.timestamp, `${path}.annotations[${i}].timestamp`, FORMAT) * 1000n, value: stringAt(annotation.value, `${path}.annotations[${i}].value`, FORMAT) };
    }),
    resource,
  };
}

function merge(into: Fragment, piece: Fragment): void {
  if (!into.name && piece.name) into.name = piece.name;
  if (into.kind === SpanKind.Unspecified) into.kind = piece.kind;
  if (!into.parentSpanId) into.parentSpanId = piece.parentSpanId;
  if (!into.remoteService) into.remoteService = piece.remoteService;
  if (piece.start !== undefined && (into.start === undefined || piece.start < into.start)) into.start = piece.start;
  if (piece.end !== undefined && (into.end === undefined || piece.end > into.end)) into.end = piece.end;
  const keys = new Set(into.tags.map((t) => t.key));
  for (const t of piece.tags) if (!keys.has(t.key)) into.tags.push(t);
  into.annotations.push(...piece.annotations);
}

/** The spans of a Zipkin v2 document, fragments merged. */
export function readZipkinDocument(document: unknown, out: SpanRecord[]): void {
  const list = arrayAt(document, 'the top level', FORMAT, false);
  const fragments: Fragment[] = [];
  list.forEach((item, i) => {
    if (Array.isArray(item)) item.forEach((span, j) => fragments.push(readFragment(span, `[${i}][${j}]`)));
    else fragments.push(readFragment(item, `[${i}]`));
  });
  // A fragment with no kind that shares ID and service with a shared server half is part of that half.
  const sharedHalves = new Set(fragments.filter((f) => f.shared).map((f) => `${f.traceId}/${f.spanId}/${f.service}`));
  const merged = new Map<string, Fragment>();
  const earliest = new Map<string, bigint>();
  for (const f of fragments) {
    const partOfShared = !f.shared && f.kind === SpanKind.Unspecified && sharedHalves.has(`${f.traceId}/${f.spanId}/${f.service}`);
    const key = `${f.traceId}/${f.spanId}/${f.shared || partOfShared ? 's' : ''}/${f.service}`;
    const existing = merged.get(key);
    if (existing) merge(existing, f);
    else merged.set(key, { ...f, shared: f.shared || partOfShared, tags: [...f.tags], annotations: [...f.annotations] });
    const first = f.start ?? f.annotations.reduce<bigint | undefined>((m, a) => (m === undefined || a.time < m ? a.time : m), undefined);
    if (first !== undefined && (!earliest.has(f.traceId) || first < earliest.get(f.traceId)!)) earliest.set(f.traceId, first);
  }
  for (const f of merged.values()) {
    // A span known only from annotations starts at its first one; with nothing at all, at its trace's start.
    const fromAnnotations = f.annotations.length ? f.annotations.reduce((m, a) => (a.time < m ? a.time : m), f.annotations[0]!.time) : undefined;
    const start = f.start ?? fromAnnotations ?? earliest.get(f.traceId) ?? 0n;
    const end = f.end !== undefined && f.end >= start ? f.end : start;
    const error = f.tags.find((t) => t.key === 'error');
    out.push({
      traceId: f.traceId,
      spanId: f.spanId,
      parentSpanId: isAbsentId(f.parentSpanId) ? '' : f.parentSpanId,
      name: f.name,
      service: f.service,
      kind: f.kind,
      status: error ? SpanStatus.Error : SpanStatus.Unset,
      statusMessage: error && typeof error.value === 'string' ? error.value : '',
      start,
      end,
      attributes: f.tags,
      resource: f.resource,
      scope: '',
      events: f.annotations.map((a) => ({ time: a.time, name: a.value, attributes: [] })),
      links: [],
      asyncParent: f.kind === SpanKind.Consumer,
      sharedWithClient: f.shared,
      peerService: f.kind === SpanKind.Client || f.kind === SpanKind.Producer ? f.remoteService : '',
      sampler: '',
    });
  }
}
