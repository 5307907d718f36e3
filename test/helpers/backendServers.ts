// Stand-ins for the trace and profile backends, on 127.0.0.1: Jaeger's query service, Grafana Tempo,
// Zipkin, Grafana Pyroscope and Parca, answering as the real ones do (the shapes and their sources are
// listed in test/fixtures/backends/README.md): Jaeger's UI JSON and its v3 `{"result":…}` wrapper with
// their 404 bodies, Tempo's gogo-jsonpb JSON (base64 IDs, enum names, `batches`) and its protobuf from the
// real .proto definitions, Zipkin's span lists, Pyroscope's Connect API (JSON, and protobuf for the merged
// profile, int64 as strings), Parca's gRPC-web. Each records what it was asked, so tests can check the
// units and parameters a client sent; each closes its sockets when stopped. None of these backends can be
// installed here, so this is the one place where a stand-in is right.

import * as http from 'node:http';
import type * as net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as protobuf from 'protobufjs';
import assert from 'node:assert/strict';
import { BackendError } from '../../core/backends';

const FIXTURES = join(__dirname, '..', 'fixtures', 'backends');

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface BackendServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

type Handler = (request: RecordedRequest, response: http.ServerResponse) => void;

/** An HTTP server that reads each request whole, records it, then runs `handler`. */
export async function startRecordingServer(handler: Handler): Promise<BackendServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(request);
      handler(request, res);
    });
  });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The servers one test file starts, closed together: `after(pool.closeAll)`. */
export function serverPool(): { serve<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T>; closeAll(): Promise<void> } {
  const started: { close(): Promise<void> }[] = [];
  return {
    async serve(server) {
      const running = await server;
      started.push(running);
      return running;
    },
    closeAll: async () => {
      await Promise.all(started.map((s) => s.close()));
    },
  };
}

/** Awaits a BackendError with `code` and a message matching `message`; `secret` must appear nowhere in it. */
export async function expectBackendError(promise: Promise<unknown>, code: string, message: RegExp, secret?: string): Promise<BackendError> {
  let caught: unknown;
  await promise.then(() => assert.fail(`expected a BackendError with code ${code}`), (error: unknown) => (caught = error));
  assert.ok(caught instanceof BackendError, `a BackendError, got ${String((caught as Error)?.stack ?? caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.message, message);
  if (secret !== undefined) assert.ok(!caught.message.includes(secret) && !JSON.stringify(caught.details).includes(secret), 'no secret in an error');
  return caught;
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json', JSON.stringify(value));
}

/** What Go's http.Error writes: text/plain, nosniff, the text and a newline. */
function goError(res: http.ServerResponse, status: number, text: string): void {
  send(res, status, 'text/plain; charset=utf-8', `${text}\n`, { 'X-Content-Type-Options': 'nosniff' });
}

/** A Go ServeMux's answer for a path it has no handler for. */
function noRoute(res: http.ServerResponse): void {
  goError(res, 404, '404 page not found');
}

// ---------------------------------------------------------------------------------------------------
// OTLP documents: the form the stand-ins keep traces in

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: { key: string; value: Record<string, unknown> }[];
  status?: { code?: number; message?: string };
  [key: string]: unknown;
}

export interface OtlpDocument {
  resourceSpans: { resource?: { attributes?: { key: string; value: Record<string, unknown> }[] }; scopeSpans: { scope?: Record<string, unknown>; spans: OtlpSpan[] }[] }[];
}

export function otlpSpans(document: OtlpDocument): { service: string; span: OtlpSpan }[] {
  return document.resourceSpans.flatMap((rs) => {
    const service = String(rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? 'unknown_service');
    return rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => ({ service, span })));
  });
}

/** The traces of an OTLP document, each as its own document, by trace ID (lowercase hex). */
export function splitOtlpTraces(document: OtlpDocument): Map<string, OtlpDocument> {
  const out = new Map<string, OtlpDocument>();
  for (const rs of document.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const id = span.traceId.toLowerCase();
        const trace = out.get(id) ?? { resourceSpans: [] };
        out.set(id, trace);
        let target = trace.resourceSpans.find((r) => r.resource === rs.resource);
        if (!target) trace.resourceSpans.push((target = { ...(rs.resource ? { resource: rs.resource } : {}), scopeSpans: [] }));
        let scope = target.scopeSpans.find((s) => s.scope === ss.scope);
        if (!scope) target.scopeSpans.push((scope = { ...(ss.scope ? { scope: ss.scope } : {}), spans: [] }));
        scope.spans.push(span);
      }
    }
  }
  return out;
}

/** One trace of `spanCount` spans over eight services, a random tree of client/server calls (seeded). */
export function generateOtlpTrace(spanCount: number, seed = 7): { traceId: string; document: OtlpDocument } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
  const services = ['gateway', 'auth', 'checkout', 'payments', 'inventory', 'shipping', 'email', 'audit'];
  const traceId = hex(32);
  const byService = new Map<string, OtlpSpan[]>(services.map((s) => [s, []]));
  const made: { id: string; start: number; end: number; service: string }[] = [];
  const base = 1_787_000_000_000_000_000n;
  for (let i = 0; i < spanCount; i++) {
    const parent = i === 0 ? undefined : made[Math.floor(next() * i)]!;
    const start = parent ? parent.start + Math.floor(next() * 1000) : 0;
    const end = parent ? start + Math.max(1, Math.floor((parent.end - start) * next())) : 50_000_000;
    const service = parent && next() < 0.7 ? parent.service : services[Math.floor(next() * services.length)]!;
    const span = { id: hex(16), start, end, service };
    made.push(span);
    byService.get(service)!.push({
      traceId,
      spanId: span.id,
      ...(parent ? { parentSpanId: parent.id } : {}),
      name: `${service} operation ${i % 17}`,
      kind: parent && parent.service !== service ? 2 : 1,
      startTimeUnixNano: String(base + BigInt(start)),
      endTimeUnixNano: String(base + BigInt(end)),
      attributes: [{ key: 'http.route', value: { stringValue: `/api/${service}/${i % 9}` } }],
    });
  }
  return {
    traceId,
    document: {
      resourceSpans: [...byService].filter(([, spans]) => spans.length > 0).map(([service, spans]) => ({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ scope: { name: 'generated' }, spans }],
      })),
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Jaeger

export interface JaegerOptions {
  /** Traces in the UI's JSON (`{traceID, spans, processes}`), served by /api/traces. */
  readonly uiTraces?: readonly Record<string, unknown>[];
  /** Traces in OTLP/JSON, served by API v3. */
  readonly otlpTraces?: ReadonlyMap<string, OtlpDocument>;
  /** Jaeger after 2.20: no /api/traces search and no /api/services. */
  readonly v1SearchRemoved?: boolean;
  /** Jaeger releases whose v3 gateway streamed: one `{"result":…}` per resource, one per line. */
  readonly streamingV3?: boolean;
}

function uiServices(trace: Record<string, unknown>): string[] {
  return Object.values((trace.processes ?? {}) as Record<string, { serviceName: string }>).map((p) => p.serviceName);
}

/** Jaeger's query service: `/api/traces/{id}`, `/api/traces?…`, `/api/services`, and API v3. */
export function startJaegerServer(options: JaegerOptions): Promise<BackendServer> {
  const uiTraces = options.uiTraces ?? [];
  const otlp = options.otlpTraces ?? new Map<string, OtlpDocument>();
  const structured = (data: unknown, errors: unknown = null) => ({ data, total: 0, limit: 0, offset: 0, errors });
  return startRecordingServer((req, res) => {
    const trace = /^\/api\/traces\/([^/]+)$/.exec(req.path);
    const v3trace = /^\/api\/v3\/traces\/([^/]+)$/.exec(req.path);
    if (trace) {
      const found = uiTraces.find((t) => t.traceID === trace[1]);
      if (found) return json(res, 200, structured([found]));
      return goError(res, 404, JSON.stringify(structured(null, [{ code: 404, msg: 'trace not found' }])));
    }
    if (req.path === '/api/traces' && !options.v1SearchRemoved) {
      const service = req.query.get('service');
      if (!service) return goError(res, 400, JSON.stringify(structured(null, [{ code: 400, msg: "parameter 'service' is required" }])));
      const operation = req.query.get('operation');
      const matching = uiTraces.filter((t) => uiServices(t).includes(service) && (!operation || (t.spans as { operationName: string }[]).some((s) => s.operationName === operation)));
      return json(res, 200, structured(matching.slice(0, Number(req.query.get('limit') ?? 100))));
    }
    if (req.path === '/api/services' && !options.v1SearchRemoved) {
      const names = [...new Set(uiTraces.flatMap(uiServices))];
      return json(res, 200, { ...structured(names), total: names.length });
    }
    const v3Error = (status: number, message: string) => goError(res, status, JSON.stringify({ error: { httpCode: status, message } }));
    if (v3trace) {
      const found = otlp.get(v3trace[1]!);
      if (!found) return v3Error(404, 'trace not found');
      if (options.streamingV3) {
        const lines = found.resourceSpans.map((rs) => JSON.stringify({ result: { resourceSpans: [rs] } })).join('\n');
        return send(res, 200, 'application/json', `${lines}\n`);
      }
      return json(res, 200, { result: found });
    }
    if (req.path === '/api/v3/traces') {
      const min = req.query.get('query.start_time_min');
      const max = req.query.get('query.start_time_max');
      if (!min || !max) return v3Error(400, 'query.startTimeMin and query.startTimeMax are required');
      const service = req.query.get('query.service_name');
      const matching = [...otlp.values()].filter((doc) => otlpSpans(doc).some((s) => s.service === service));
      if (matching.length === 0) return v3Error(404, 'No traces found');
      return json(res, 200, { result: { resourceSpans: matching.flatMap((doc) => doc.resourceSpans) } });
    }
    if (req.path === '/api/v3/services') return json(res, 200, { services: [...new Set([...otlp.values()].flatMap((doc) => otlpSpans(doc).map((s) => s.service)))] });
    noRoute(res);
  });
}

// ---------------------------------------------------------------------------------------------------
// Tempo

let otlpRoot: protobuf.Root | undefined;

/** The real OTLP and Tempo message types (test/fixtures/backends/otlp-trace.proto). */
export function otlpProtoType(name: 'TracesData' | 'Trace' | 'TraceByIDResponse'): protobuf.Type {
  otlpRoot ??= protobuf.parse(readFileSync(join(FIXTURES, 'otlp-trace.proto'), 'utf8'), { keepCase: false }).root;
  return otlpRoot.lookupType(`opentelemetry.proto.trace.v1.${name}`);
}

/** An OTLP/JSON document in protobuf's object form: IDs as bytes. */
function protoObject(document: OtlpDocument): Record<string, unknown> {
  const bytes = (id: unknown) => (typeof id === 'string' && id !== '' ? Buffer.from(id, 'hex') : undefined);
  return {
    resourceSpans: document.resourceSpans.map((rs) => ({
      ...rs,
      scopeSpans: rs.scopeSpans.map((ss) => ({
        ...ss,
        spans: ss.spans.map((s) => ({ ...s, traceId: bytes(s.traceId), spanId: bytes(s.spanId), parentSpanId: bytes(s.parentSpanId), links: ((s.links ?? []) as Record<string, unknown>[]).map((l) => ({ ...l, traceId: bytes(l.traceId), spanId: bytes(l.spanId) })) })),
      })),
    })),
  };
}

/** OTLP protobuf bytes of a document (what Tempo sends for /api/traces/{id} with Accept: application/protobuf). */
export function otlpProtobuf(document: OtlpDocument): Uint8Array {
  return otlpProtoType('TracesData').encode(protoObject(document)).finish();
}

/** Tempo's JSON of a trace: gogo/jsonpb of its protobuf (base64 IDs, enum names, uint64 as strings, zero values left out). */
export function tempoJson(document: OtlpDocument): Record<string, unknown> {
  const type = otlpProtoType('TracesData');
  return type.toObject(type.decode(otlpProtobuf(document)), { longs: String, enums: String, bytes: String, defaults: false, arrays: false }) as Record<string, unknown>;
}

export interface TempoOptions {
  readonly traces: ReadonlyMap<string, OtlpDocument>;
  /** Tempo before 2.5: no /api/v2/traces. */
  readonly noV2?: boolean;
  /** Traces Tempo returns as PARTIAL (over its size limit). */
  readonly partial?: ReadonlySet<string>;
  /** Search rows as older Tempo wrote them: no serviceStats. */
  readonly noServiceStats?: boolean;
}

function searchRow(traceId: string, document: OtlpDocument, withStats: boolean): Record<string, unknown> {
  const spans = otlpSpans(document);
  const ids = new Set(spans.map((s) => s.span.spanId));
  const root = spans.find((s) => !s.span.parentSpanId || !ids.has(s.span.parentSpanId));
  const start = spans.reduce((m, s) => (BigInt(s.span.startTimeUnixNano) < m ? BigInt(s.span.startTimeUnixNano) : m), BigInt(spans[0]!.span.startTimeUnixNano));
  const end = spans.reduce((m, s) => (BigInt(s.span.endTimeUnixNano) > m ? BigInt(s.span.endTimeUnixNano) : m), 0n);
  const stats: Record<string, { spanCount: number }> = {};
  for (const s of spans) (stats[s.service] ??= { spanCount: 0 }).spanCount++;
  const durationMs = Number((end - start) / 1_000_000n);
  return {
    // Tempo's search writes trace IDs without their leading zeros.
    traceID: traceId.replace(/^0+/, ''),
    rootServiceName: root ? root.service : '<root span not yet received>',
    ...(root ? { rootTraceName: root.span.name } : {}),
    startTimeUnixNano: String(start),
    ...(durationMs > 0 ? { durationMs } : {}),
    spanSet: { spans: [], matched: spans.length },
    ...(withStats ? { serviceStats: stats } : {}),
  };
}

/** Grafana Tempo's query frontend: trace by ID (v1 and v2, JSON and protobuf), search, tag values. */
export function startTempoServer(options: TempoOptions): Promise<BackendServer> {
  return startRecordingServer((req, res) => {
    const v1 = /^\/api\/traces\/([^/]+)$/.exec(req.path);
    const v2 = /^\/api\/v2\/traces\/([^/]+)$/.exec(req.path);
    if (v1 || (v2 && !options.noV2)) {
      const id = (v1 ?? v2)![1]!.toLowerCase().padStart(32, '0');
      const document = options.traces.get(id);
      // Tempo answers a trace it does not have with a bare 404.
      if (!document) return send(res, 404, 'text/plain; charset=utf-8', '');
      const protobufWanted = req.headers.accept === 'application/protobuf';
      const partial = options.partial?.has(id);
      if (v1) {
        if (protobufWanted) return send(res, 200, 'application/protobuf', otlpProtoType('Trace').encode({ resourceSpans: protoObject(document).resourceSpans }).finish());
        return json(res, 200, { batches: tempoJson(document).resourceSpans });
      }
      const wrapper = { trace: protoObject(document), metrics: { inspectedBytes: 4096 }, ...(partial ? { status: 1, message: 'Trace exceeds maximum size of 50000000 bytes, a partial trace is returned' } : {}) };
      if (protobufWanted) return send(res, 200, 'application/protobuf', otlpProtoType('TraceByIDResponse').encode(wrapper).finish());
      return json(res, 200, { trace: tempoJson(document), metrics: { inspectedBytes: '4096' }, ...(partial ? { status: 'PARTIAL', message: wrapper.message } : {}) });
    }
    if (req.path === '/api/search') {
      const rows = [...options.traces].map(([id, document]) => searchRow(id, document, !options.noServiceStats));
      return json(res, 200, { traces: rows.slice(0, Number(req.query.get('limit') ?? 20)), metrics: { inspectedTraces: rows.length, inspectedBytes: '1024', totalBlocks: 1 } });
    }
    if (req.path === '/api/search/tag/service.name/values') {
      return json(res, 200, { tagValues: [...new Set([...options.traces.values()].flatMap((d) => otlpSpans(d).map((s) => s.service)))], metrics: { inspectedBytes: '512' } });
    }
    noRoute(res);
  });
}

// ---------------------------------------------------------------------------------------------------
// Zipkin

/** Zipkin's v2 API over lists of spans (one list per trace). */
export function startZipkinServer(traces: readonly Record<string, unknown>[][]): Promise<BackendServer> {
  return startRecordingServer((req, res) => {
    const trace = /^\/api\/v2\/trace\/([^/]+)$/.exec(req.path);
    if (trace) {
      const found = traces.find((t) => t[0]?.traceId === trace[1]);
      if (!found) return send(res, 404, 'text/plain', `${trace[1]} not found`);
      return json(res, 200, found);
    }
    const service = (span: Record<string, unknown>) => (span.localEndpoint as { serviceName?: string } | undefined)?.serviceName;
    if (req.path === '/api/v2/traces') {
      const name = req.query.get('serviceName');
      return json(res, 200, traces.filter((t) => t.some((s) => service(s) === name)).slice(0, Number(req.query.get('limit') ?? 10)));
    }
    if (req.path === '/api/v2/services') return json(res, 200, [...new Set(traces.flat().map(service).filter(Boolean))].sort());
    send(res, 404, 'text/plain', 'Not Found');
  });
}

// ---------------------------------------------------------------------------------------------------
// Pyroscope

let pyroscopeRoot: protobuf.Root | undefined;

export function pyroscopeRequestType(): protobuf.Type {
  pyroscopeRoot ??= protobuf.parse(readFileSync(join(FIXTURES, 'pyroscope-querier.proto'), 'utf8'), { keepCase: false }).root;
  return pyroscopeRoot.lookupType('querier.v1.SelectMergeProfileRequest');
}

export interface PyroscopeOptions {
  /** ProfileTypes answer (test/fixtures/backends/pyroscope-profile-types.json). */
  readonly profileTypes: unknown;
  /** Label values by label name. */
  readonly labelValues: Readonly<Record<string, readonly string[]>>;
  /** The merged profile (raw pprof protobuf) for selectors naming one of `labelValues.service_name`. */
  readonly profile: Uint8Array;
  /** Multi-tenant: requests without this X-Scope-OrgID are refused as Pyroscope refuses them. */
  readonly tenant?: string;
}

/** Connect's error answer: the HTTP status of the code, `{"code","message"}`. */
function connectError(res: http.ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { code, message });
}

/** Grafana Pyroscope's querier, over the Connect protocol. */
export function startPyroscopeServer(options: PyroscopeOptions): Promise<BackendServer> {
  return startRecordingServer((req, res) => {
    if (req.method !== 'POST' || !req.path.startsWith('/querier.v1.QuerierService/')) return noRoute(res);
    if (options.tenant !== undefined && req.headers['x-scope-orgid'] !== options.tenant) return connectError(res, 401, 'unauthenticated', 'no org id');
    const method = req.path.slice('/querier.v1.QuerierService/'.length);
    const contentType = req.headers['content-type'];
    if (method === 'SelectMergeProfile') {
      if (contentType !== 'application/proto') return connectError(res, 415, 'invalid_argument', `unsupported content type ${contentType}`);
      const decoded = pyroscopeRequestType().toObject(pyroscopeRequestType().decode(req.body), { longs: String }) as { labelSelector?: string };
      const services = options.labelValues.service_name ?? [];
      const known = services.some((s) => decoded.labelSelector?.includes(`service_name="${s}"`));
      return send(res, 200, 'application/proto', known ? options.profile : new Uint8Array());
    }
    if (contentType !== 'application/json') return connectError(res, 415, 'invalid_argument', `unsupported content type ${contentType}`);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return connectError(res, 400, 'invalid_argument', 'unmarshal into querier.v1 request: invalid JSON');
    }
    if (method === 'ProfileTypes') return json(res, 200, options.profileTypes);
    if (method === 'LabelValues') {
      const values = options.labelValues[String(body.name)] ?? [];
      // proto3 JSON leaves an empty list out.
      return json(res, 200, values.length > 0 ? { names: values } : {});
    }
    if (method === 'LabelNames') return json(res, 200, { names: Object.keys(options.labelValues) });
    connectError(res, 404, 'unimplemented', `${req.path} is not implemented`);
  });
}

// ---------------------------------------------------------------------------------------------------
// Parca

let parcaRoot: protobuf.Root | undefined;

export function parcaType(name: string): protobuf.Type {
  if (!parcaRoot) {
    parcaRoot = new protobuf.Root();
    parcaRoot.addJSON(protobuf.common.get('google/protobuf/timestamp.proto')!.nested!);
    protobuf.parse(readFileSync(join(FIXTURES, 'parca-query.proto'), 'utf8'), parcaRoot, { keepCase: false });
  }
  return parcaRoot.lookupType(`parca.query.v1alpha1.${name}`);
}

export interface ParcaOptions {
  readonly types: readonly Record<string, unknown>[];
  readonly labelValues: Readonly<Record<string, readonly string[]>>;
  /** The merged profile as Parca sends it: gzipped pprof. */
  readonly profile: Uint8Array;
}

function grpcWebFrame(flag: number, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(5);
  header[0] = flag;
  header.writeUInt32BE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

/** Parca's API as its web UI calls it: gRPC-web at /api/parca.query.v1alpha1.QueryService/<method>. */
export function startParcaServer(options: ParcaOptions): Promise<BackendServer> {
  return startRecordingServer((req, res) => {
    const match = /^\/api\/parca\.query\.v1alpha1\.QueryService\/(\w+)$/.exec(req.path);
    if (!match || req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/grpc-web')) return send(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
    const message = req.body.subarray(5, 5 + req.body.readUInt32BE(1));
    const answer = (type: string, value: Record<string, unknown>) => {
      const body = Buffer.concat([grpcWebFrame(0, parcaType(type).encode(value).finish()), grpcWebFrame(0x80, Buffer.from('grpc-status:0\r\ngrpc-message:\r\n'))]);
      send(res, 200, 'application/grpc-web+proto', body);
    };
    /** A trailers-only answer: the status in the HTTP headers, no body. */
    const status = (code: number, text: string) => send(res, 200, 'application/grpc-web+proto', '', { 'grpc-status': String(code), 'grpc-message': encodeURIComponent(text) });
    const method = match[1];
    if (method === 'ProfileTypes') return answer('ProfileTypesResponse', { types: options.types });
    if (method === 'Values') {
      const request = parcaType('ValuesRequest').decode(message) as unknown as { labelName: string };
      return answer('ValuesResponse', { labelValues: options.labelValues[request.labelName] ?? [] });
    }
    if (method === 'Labels') return answer('LabelsResponse', { labelNames: Object.keys(options.labelValues) });
    if (method === 'Query') {
      const request = parcaType('QueryRequest').decode(message) as unknown as { mode: number; reportType: number; merge?: { query: string } };
      if (request.mode !== 2 || request.reportType !== 1 || !request.merge) return status(3, 'only merge queries with a pprof report are served here');
      if (!/^[\w:]+\{/.test(request.merge.query)) return status(3, 'failed to parse query');
      const known = Object.values(options.labelValues).flat().some((v) => request.merge!.query.includes(`"${v}"`));
      if (!known) return status(5, 'no profiles found');
      return answer('QueryResponse', { pprof: options.profile, total: 1 });
    }
    status(12, `unknown method ${method}`);
  });
}
