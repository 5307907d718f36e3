// Traces from Jaeger, Tempo and Zipkin stand-ins that answer in each backend's own shapes and quirks: a
// fetched trace must be the same trace to the timeline as the data the backend was given (every span,
// parent, service, time, attribute and broken-chain problem), whichever API and encoding carried it; a
// search must send each backend its units (microseconds, seconds, milliseconds, RFC 3339) and list the
// right rows; and a 100,000-span trace comes through whole.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceSummary } from '../../core/backends';
import { fetchTrace, listTraceServices, searchTraces } from '../../core/backends/index.node';
import { parseSpanTrace, type SpanTraceModel } from '../../core/timeline';
import { expectBackendError, generateOtlpTrace, serverPool, splitOtlpTraces, startJaegerServer, startTempoServer, startZipkinServer, tempoJson, type OtlpDocument } from '../helpers/backendServers';
import { sharedFixture } from '../helpers/sharedFixtures';

const pool = serverPool();
after(pool.closeAll);
const serve = pool.serve;

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const PROBLEMS = readJson<OtlpDocument>(join(__dirname, '..', 'fixtures', 'traces', 'problems.otlp.json'));
const OTLP_EXAMPLE = readJson<OtlpDocument>(sharedFixture('spans', 'otlp-example-trace.json'));
const JAEGER_UI = readJson<{ data: Record<string, unknown>[] }>(sharedFixture('spans', 'jaeger-ui-otlp2jaeger-out.json'));
const JAEGER_UI_OTLP = readJson<OtlpDocument>(sharedFixture('spans', 'jaeger-ui-otlp2jaeger-in.json'));
const JAEGER_TRACE_ID = '83a9efd15c1c98a977e0711cc93ee28b';
const NOW = Date.parse('2026-08-21T12:00:00Z');

/** A span with a value of every OTLP attribute type, an event, a link and an error status. */
const EVERY_VALUE: OtlpDocument = {
  resourceSpans: [{
    resource: { attributes: [{ key: 'service.name', value: { stringValue: 'zoo' } }, { key: 'host.cpus', value: { intValue: '8' } }] },
    scopeSpans: [{
      scope: { name: 'zoo-lib', version: '2.0.1' },
      spans: [{
        traceId: 'c0ffee00c0ffee00c0ffee00c0ffee00',
        spanId: 'c0ffee00c0ffee01',
        name: 'every value',
        kind: 4,
        startTimeUnixNano: '1787306400000000001',
        endTimeUnixNano: '1787306400123456789',
        attributes: [
          { key: 'text', value: { stringValue: 'ünïcödé "quoted" back\\slash\ttab\nline\u0001 \u{1F600}' } },
          { key: 'flag', value: { boolValue: true } },
          { key: 'count', value: { intValue: '-9007199254740993' } },
          { key: 'ratio', value: { doubleValue: 0.25 } },
          { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }] } } },
          { key: 'map', value: { kvlistValue: { values: [{ key: 'inner', value: { boolValue: false } }] } } },
          { key: 'raw', value: { bytesValue: 'AAEC' } },
        ],
        events: [{ timeUnixNano: '1787306400000000500', name: 'retry', attributes: [{ key: 'attempt', value: { intValue: '2' } }] }],
        links: [{ traceId: 'abababababababababababababababab', spanId: 'abababababababab' }],
        status: { code: 2, message: 'card declined' },
      }],
    }],
  }],
};
const RANGE = { startMs: NOW - 3600e3, endMs: NOW };

/** Everything the timeline shows of each span, and the problems, in a comparable order. */
function facts(model: SpanTraceModel): { spans: string[]; problems: string[] } {
  const spans: string[] = [];
  const epoch = BigInt(model.epochUnixNano);
  for (let i = 0; i < model.spans.count; i++) {
    const d = model.spans.details[i]!;
    spans.push(
      JSON.stringify([
        model.traces.traceId[model.spans.trace[i]!],
        model.spans.spanId[i],
        model.spans.parentSpanId[i],
        model.strings[model.spans.service[i]!],
        model.strings[model.spans.name[i]!],
        model.spans.kind[i],
        model.spans.status[i],
        String(epoch + BigInt(Math.round(model.spans.start[i]!))),
        String(epoch + BigInt(Math.round(model.spans.end[i]!))),
        d.attributes,
        d.resource,
        d.events.map((e) => [e.name, e.attributes]),
        d.links.map((l) => [l.traceId, l.spanId]),
        d.statusMessage,
        d.scope,
      ]),
    );
  }
  return { spans: spans.sort(), problems: model.problems.map((p) => `${p.type} ${p.traceId} ${p.spanId}`).sort() };
}


test('Jaeger: /api/traces/{id} passes the UI JSON through; API v3 unwraps {"result": …} (also streamed, one per line); both are the same trace', async () => {
  const otlp = splitOtlpTraces(JAEGER_UI_OTLP);
  const jaeger = await serve(startJaegerServer({ uiTraces: JAEGER_UI.data, otlpTraces: otlp }));
  const source = { kind: 'jaeger' as const, url: jaeger.url };

  const v1 = await fetchTrace(source, JAEGER_TRACE_ID.toUpperCase());
  assert.equal(v1.format, 'jaeger-json');
  assert.equal(v1.traceId, JAEGER_TRACE_ID);
  assert.equal(v1.spanCount, 2);
  assert.deepEqual(jaeger.requests.map((r) => [r.method, r.path, r.headers.accept]), [['GET', `/api/traces/${JAEGER_TRACE_ID}`, 'application/json']]);
  const fromFile = parseSpanTrace(JSON.stringify(JAEGER_UI));
  assert.deepEqual(facts(parseSpanTrace(v1.text)), facts(fromFile));

  const v3 = await fetchTrace(source, JAEGER_TRACE_ID, { api: 'v3' });
  assert.equal(v3.format, 'otlp-json');
  assert.equal(jaeger.requests.at(-1)!.path, `/api/v3/traces/${JAEGER_TRACE_ID}`);
  const v3Model = parseSpanTrace(v3.text);
  assert.deepEqual(facts(v3Model), facts(parseSpanTrace(JSON.stringify(JAEGER_UI_OTLP))));
  // The UI's conversion of the same OTLP: the same spans, parents, services and problems.
  const shape = (model: SpanTraceModel) => facts(model).spans.map((s) => JSON.parse(s).slice(0, 5));
  assert.deepEqual(shape(v3Model), shape(fromFile));
  assert.deepEqual(facts(v3Model).problems, facts(fromFile).problems);
  assert.deepEqual(new Set(v3Model.problems.map((p) => p.type)), new Set(['orphan', 'duplicate-span-id']));

  const streaming = await serve(startJaegerServer({ otlpTraces: splitOtlpTraces(PROBLEMS), streamingV3: true }));
  const id = '04'.repeat(16);
  const streamed = await fetchTrace({ kind: 'jaeger', url: streaming.url }, id, { api: 'v3' });
  assert.match(streamed.text, /^\{"resourceSpans":/);
  assert.deepEqual(facts(parseSpanTrace(streamed.text)), facts(parseSpanTrace(JSON.stringify(splitOtlpTraces(PROBLEMS).get(id)))));
});

test('Jaeger search: microsecond start/end, Go durations and tags as JSON to /api/traces; after Jaeger removed it, API v3 with RFC 3339 times', async () => {
  const jaeger = await serve(startJaegerServer({ uiTraces: JAEGER_UI.data }));
  const rows = await searchTraces({ kind: 'jaeger', url: jaeger.url }, { service: 'telemetrygen', operation: 'okey-dokey-0', tags: { 'peer.service': 'telemetrygen-client' }, minDurationNs: 100e3, range: RANGE, limit: 5 });
  const sent = jaeger.requests.at(-1)!;
  assert.equal(sent.path, '/api/traces');
  assert.deepEqual(Object.fromEntries(sent.query), {
    service: 'telemetrygen',
    operation: 'okey-dokey-0',
    tags: '{"peer.service":"telemetrygen-client"}',
    minDuration: '100us',
    start: String(RANGE.startMs * 1000),
    end: String(RANGE.endMs * 1000),
    limit: '5',
  });
  assert.deepEqual(rows, [{ traceId: JAEGER_TRACE_ID, rootService: 'telemetrygen', rootName: 'okey-dokey-0', startUnixNano: '1706678909209712000', durationNs: 123000, spanCount: 2, services: ['telemetrygen'] }] satisfies TraceSummary[]);
  assert.deepEqual(await listTraceServices({ kind: 'jaeger', url: jaeger.url }), ['telemetrygen']);

  const newer = await serve(startJaegerServer({ otlpTraces: splitOtlpTraces(PROBLEMS), v1SearchRemoved: true }));
  const source = { kind: 'jaeger' as const, url: newer.url };
  const found = await searchTraces(source, { service: 'payments', tags: { region: 'eu' }, minDurationNs: 1.5e9, range: RANGE });
  assert.deepEqual(newer.requests.map((r) => r.path), ['/api/traces', '/api/v3/traces']);
  assert.deepEqual(Object.fromEntries(newer.requests[1]!.query), {
    'query.service_name': 'payments',
    'query.attributes': '{"region":"eu"}',
    'query.duration_min': '1500ms',
    'query.start_time_min': '2026-08-21T11:00:00.000Z',
    'query.start_time_max': '2026-08-21T12:00:00.000Z',
    'query.search_depth': '20',
  });
  // The stand-in matches on the service only: both traces with a payments span.
  assert.deepEqual(found.map((r) => r.traceId).sort(), ['01'.repeat(16), '05'.repeat(16)]);
  for (const row of found) {
    const trace = parseSpanTrace(JSON.stringify(splitOtlpTraces(PROBLEMS).get(row.traceId)));
    assert.equal(row.spanCount, trace.spans.count, row.traceId);
    assert.deepEqual(row.services, trace.services.map((s) => trace.strings[s]).sort(), row.traceId);
  }
  // Newest first.
  assert.deepEqual(found.map((r) => r.startUnixNano), [...found.map((r) => r.startUnixNano)].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1)));
  // API v3 says "No traces found" with a 404.
  assert.deepEqual(await searchTraces(source, { service: 'nobody', range: RANGE }), []);
  assert.deepEqual((await listTraceServices(source)).length > 0, true);
});

test('Tempo: v2 and v1, protobuf and Tempo\'s JSON (base64 IDs, enum names, "batches"), all give the trace Tempo was given', async () => {
  const traces = new Map([...splitOtlpTraces(PROBLEMS), ...splitOtlpTraces(OTLP_EXAMPLE), ...splitOtlpTraces(EVERY_VALUE)]);
  const tempo = await serve(startTempoServer({ traces }));
  // The quirks are in what this stand-in sends, as in Tempo's.
  const quirky = JSON.stringify(tempoJson(traces.get('01'.repeat(16))!));
  assert.match(quirky, /"traceId":"AQEBAQEBAQEBAQEBAQEBAQ=="/);
  assert.match(quirky, /"kind":"SPAN_KIND_SERVER"/);
  assert.match(quirky, /"startTimeUnixNano":"\d+"/);

  for (const [id, document] of traces) {
    const expected = facts(parseSpanTrace(JSON.stringify(document)));
    for (const api of ['v2', 'v1'] as const) {
      for (const tempoEncoding of ['protobuf', 'json'] as const) {
        const trace = await fetchTrace({ kind: 'tempo', url: tempo.url }, id, { api, tempoEncoding });
        assert.equal(trace.format, 'otlp-json');
        assert.equal(trace.partial, undefined);
        assert.deepEqual(facts(parseSpanTrace(trace.text)), expected, `${id} ${api} ${tempoEncoding}`);
        const sent = tempo.requests.at(-1)!;
        assert.equal(sent.path, `${api === 'v2' ? '/api/v2' : '/api'}/traces/${id}`);
        assert.equal(sent.headers.accept, tempoEncoding === 'protobuf' ? 'application/protobuf' : 'application/json');
      }
    }
  }
  // The example's attributes of every type survived.
  const example = parseSpanTrace((await fetchTrace({ kind: 'tempo', url: tempo.url }, '5b8efff798038103d269b633813fc60c')).text);
  assert.deepEqual(example.spans.details[0]!.attributes, [{ key: 'my.span.attr', value: 'some value' }]);
  assert.equal(example.spans.details[0]!.scope, 'my.library 1.0.0');
  const zoo = parseSpanTrace((await fetchTrace({ kind: 'tempo', url: tempo.url }, 'c0ffee00c0ffee00c0ffee00c0ffee00')).text).spans.details[0]!;
  assert.deepEqual(zoo.attributes.map((a) => a.value), ['ünïcödé "quoted" back\\slash\ttab\nline\u0001 \u{1F600}', true, '-9007199254740993', 0.25, ['a', 2], { inner: false }, 'AAEC']);
  assert.deepEqual([zoo.statusMessage, zoo.events.map((e) => e.name), zoo.links.map((l) => l.spanId)], ['card declined', ['retry'], ['abababababababab']]);
});

test('Tempo v2 PARTIAL is reported with Tempo\'s reason; a Tempo older than 2.5 (no v2) is asked with v1', async () => {
  const traces = splitOtlpTraces(PROBLEMS);
  const id = '07'.repeat(16);
  const tempo = await serve(startTempoServer({ traces, partial: new Set([id]) }));
  for (const tempoEncoding of ['protobuf', 'json'] as const) {
    const trace = await fetchTrace({ kind: 'tempo', url: tempo.url }, id, { tempoEncoding });
    assert.equal(trace.partial, 'Trace exceeds maximum size of 50000000 bytes, a partial trace is returned', tempoEncoding);
  }
  const old = await serve(startTempoServer({ traces, noV2: true }));
  const trace = await fetchTrace({ kind: 'tempo', url: old.url }, id);
  assert.equal(trace.spanCount, 3);
  assert.deepEqual(old.requests.map((r) => r.path), [`/api/v2/traces/${id}`, `/api/traces/${id}`]);
  await expectBackendError(fetchTrace({ kind: 'tempo', url: old.url }, id, { api: 'v2' }), 'not-found', /has no \/api\/v2\/traces\/\{id\} \(it answered "404 page not found"\): it is older than Tempo 2\.5/);
});

test('Tempo search: TraceQL and whole seconds to /api/search; rows with their root, duration, span counts and IDs padded back to 32 digits', async () => {
  const traces = splitOtlpTraces(PROBLEMS);
  const shifted: OtlpDocument = JSON.parse(JSON.stringify(traces.get('01'.repeat(16))).replaceAll('01'.repeat(16), `0000${'ab'.repeat(14)}`));
  const tempo = await serve(startTempoServer({ traces: new Map([[`0000${'ab'.repeat(14)}`, shifted]]) }));
  const range = { startMs: RANGE.startMs + 250, endMs: RANGE.endMs - 250 };
  const rows = await searchTraces({ kind: 'tempo', url: tempo.url }, { service: 'frontend', operation: 'GET /checkout', minDurationNs: 5e6, range, limit: 3 });
  const sent = tempo.requests.at(-1)!;
  assert.deepEqual(Object.fromEntries(sent.query), {
    q: '{ resource.service.name = "frontend" && name = "GET /checkout" && duration >= 5ms }',
    start: String(Math.floor(range.startMs / 1000)),
    end: String(Math.ceil(range.endMs / 1000)),
    limit: '3',
  });
  const model = parseSpanTrace(JSON.stringify(shifted));
  assert.deepEqual(rows, [{
    traceId: `0000${'ab'.repeat(14)}`,
    rootService: 'frontend',
    rootName: 'GET /checkout',
    startUnixNano: model.epochUnixNano,
    durationNs: Math.floor((model.traces.end[0]! - model.traces.start[0]!) / 1e6) * 1e6,
    spanCount: 3,
    services: model.services.map((s) => model.strings[s]!).sort(),
  }] satisfies TraceSummary[]);
  // The row's ID fetches the trace.
  assert.equal((await fetchTrace({ kind: 'tempo', url: tempo.url }, rows[0]!.traceId)).spanCount, 3);
  assert.deepEqual(await listTraceServices({ kind: 'tempo', url: tempo.url }), model.services.map((s) => model.strings[s]!).sort());
});

test('Zipkin: /api/v2/trace/{id} as Zipkin\'s span list (a real 1,041-span trace too); search with microsecond minDuration, millisecond endTs and lookback, annotationQuery', async () => {
  const messaging = readJson<Record<string, unknown>[]>(sharedFixture('spans', 'zipkin-messaging.json'));
  const large = readJson<Record<string, unknown>[]>(sharedFixture('spans', 'zipkin-smartthings-mobile-web-install.json'));
  const zipkin = await serve(startZipkinServer([messaging, large]));
  for (const spans of [messaging, large]) {
    const trace = await fetchTrace({ kind: 'zipkin', url: zipkin.url }, String(spans[0]!.traceId));
    assert.equal(trace.format, 'zipkin-json');
    assert.equal(trace.spanCount, spans.length);
    assert.deepEqual(facts(parseSpanTrace(trace.text)), facts(parseSpanTrace(JSON.stringify(spans))));
  }
  assert.equal(large.length, 1041);

  const rows = await searchTraces({ kind: 'zipkin', url: zipkin.url }, { service: 'backend', operation: 'on-message', tags: { 'rabbit.queue': 'backend', error: '' }, minDurationNs: 1_500_500, range: RANGE, limit: 7 });
  assert.deepEqual(Object.fromEntries(zipkin.requests.at(-1)!.query), {
    serviceName: 'backend',
    spanName: 'on-message',
    annotationQuery: 'rabbit.queue=backend and error',
    minDuration: '1501',
    endTs: String(RANGE.endMs),
    lookback: '3600000',
    limit: '7',
  });
  assert.deepEqual(rows, [{ traceId: '5aab74dbb904746bb33447baae403ed6', rootService: 'frontend', rootName: 'get /', startUnixNano: '1521186011926119000', durationNs: 3357000, spanCount: 4, services: ['backend', 'frontend'] }] satisfies TraceSummary[]);
  assert.deepEqual(await listTraceServices({ kind: 'zipkin', url: zipkin.url }), [...new Set([...messaging, ...large].map((s) => (s.localEndpoint as { serviceName: string }).serviceName))].sort());
});

test('a trace the backend does not have is "no such trace <id> in <backend>", whatever each backend answers for it', async () => {
  const missing = 'feedfacefeedfacefeedfacefeedface';
  const jaeger = await serve(startJaegerServer({ uiTraces: JAEGER_UI.data, otlpTraces: splitOtlpTraces(PROBLEMS) }));
  const tempo = await serve(startTempoServer({ traces: splitOtlpTraces(PROBLEMS) }));
  const zipkin = await serve(startZipkinServer([]));
  const cases = [
    [{ kind: 'jaeger' as const, url: jaeger.url }, undefined, `Jaeger at ${jaeger.url}`],
    [{ kind: 'jaeger' as const, url: jaeger.url }, 'v3' as const, `Jaeger at ${jaeger.url}`],
    [{ kind: 'tempo' as const, url: tempo.url }, 'v2' as const, `Grafana Tempo at ${tempo.url}`],
    [{ kind: 'tempo' as const, url: tempo.url }, 'v1' as const, `Grafana Tempo at ${tempo.url}`],
    [{ kind: 'zipkin' as const, name: 'edge zipkin', url: zipkin.url }, undefined, `edge zipkin \\(Zipkin at ${zipkin.url}\\)`],
  ] as const;
  for (const [source, api, title] of cases) {
    const error = await expectBackendError(fetchTrace(source, missing, api ? { api } : {}), 'not-found', new RegExp(`^There is no such trace ${missing} in ${title.replace(/\./g, '\\.')}\\. Check the ID`));
    assert.equal(error.details.traceId, missing);
  }
  await expectBackendError(fetchTrace({ kind: 'zipkin', url: zipkin.url }, missing, { api: 'v3' }), 'bad-backend', /Zipkin has no API v3 for traces; it has v2/);
  await expectBackendError(fetchTrace({ kind: 'pyroscope', url: zipkin.url }, missing), 'bad-backend', /Grafana Pyroscope at .* serves profiles, not traces\. For traces use a backend of kind jaeger or tempo or zipkin/);
});

test('a 100,000-span trace comes through Tempo\'s protobuf and Jaeger\'s API v3 whole and parses to 100,000 spans', async () => {
  const { traceId, document } = generateOtlpTrace(100_000);
  const traces = new Map([[traceId, document]]);
  const tempo = await serve(startTempoServer({ traces }));
  const jaeger = await serve(startJaegerServer({ otlpTraces: traces }));
  const expected = parseSpanTrace(JSON.stringify(document));
  assert.equal(expected.spans.count, 100_000);
  for (const [source, api] of [[{ kind: 'tempo' as const, url: tempo.url }, 'v2'], [{ kind: 'jaeger' as const, url: jaeger.url }, 'v3']] as const) {
    const progress: number[] = [];
    const trace = await fetchTrace(source, traceId, { api, onProgress: (p) => progress.push(p.bytes) });
    assert.equal(trace.spanCount, 100_000);
    const model = parseSpanTrace(trace.text);
    assert.equal(model.spans.count, 100_000);
    assert.deepEqual(model.problems, []);
    assert.equal(model.traces.count, 1);
    assert.equal(model.epochUnixNano, expected.epochUnixNano);
    assert.deepEqual([...model.spans.depth].sort(), [...expected.spans.depth].sort());
    assert.equal(progress.at(-1), trace.bytes);
    assert.ok(progress.every((bytes, i) => i === 0 || bytes >= progress[i - 1]!), 'progress only grows');
  }
});
