// The broken chains of searched traces, counted by the built language server (dist/server.js) over real
// JSON-RPC, as "Search Traces…" asks for them: for each backend kind's stand-in, the span files a search
// answered (Jaeger, Zipkin) or the traces fetched by ID (Tempo) get the counts the timeline core finds
// in the traces the backend holds, a trace with broken chains and one without among them; the clock-skew
// tolerance sent is the one applied; what is no span trace, or holds no such trace, is answered with why.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CountSpanProblemsRequest } from '../../common/backendProtocol';
import type { BackendSource } from '../../core/backends';
import { fetchTrace, searchTraceSpans } from '../../core/backends/index.node';
import { parseSpanTrace } from '../../core/timeline';
import { countSearchProblems, type ProblemCount } from '../../client/src/backends/searchProblems';
import { serverPool, startJaegerServer, startTempoServer, startZipkinServer } from '../helpers/backendServers';
import { TestLspClient } from '../helpers/lspClient';
import { searchStandInTraces } from '../helpers/searchStandIns';

const pool = serverPool();
const traces = searchStandInTraces();
const RANGE = { startMs: Date.parse('2026-08-21T11:00:00Z'), endMs: Date.parse('2026-08-21T12:00:00Z') };
const TOLERANCE_NS = 1_000_000;
let client: TestLspClient;

before(async () => {
  client = new TestLspClient();
  await client.initialize([]);
});

after(async () => {
  await client?.shutdown();
  await pool.closeAll();
});

/** Each trace's problem count as the timeline core finds it in the backend's copy. */
function coreCounts(held: ReadonlyMap<string, string>): Map<string, number> {
  return new Map([...held].map(([id, text]) => [id, parseSpanTrace(text).problems.filter((p) => p.traceId === id).length]));
}

test('for each backend kind, the server\'s counts are the core\'s, with a broken trace and a clean one listed', async () => {
  const jaeger = await pool.serve(startJaegerServer({ uiTraces: traces.jaegerUi }));
  const jaegerV3 = await pool.serve(startJaegerServer({ otlpTraces: traces.otlp, v1SearchRemoved: true }));
  const zipkin = await pool.serve(startZipkinServer(traces.zipkin));
  const tempo = await pool.serve(startTempoServer({ traces: traces.otlp }));
  const otlpHeld = new Map([...traces.otlp].map(([id, document]) => [id, JSON.stringify(document)]));
  const cases: [string, BackendSource, string, Map<string, string>][] = [
    ['jaeger v1', { kind: 'jaeger', url: jaeger.url }, 'telemetrygen', new Map(traces.jaegerUi.map((t) => [String(t.traceID), JSON.stringify({ data: [t] })]))],
    ['jaeger v3', { kind: 'jaeger', url: jaegerV3.url }, 'frontend', otlpHeld],
    ['zipkin', { kind: 'zipkin', url: zipkin.url }, 'backend', new Map(traces.zipkin.map((spans) => [String(spans[0]!.traceId), JSON.stringify(spans)]))],
    ['tempo', { kind: 'tempo', url: tempo.url }, 'frontend', otlpHeld],
  ];
  for (const [what, source, service, held] of cases) {
    const result = await searchTraceSpans(source, { service, range: RANGE, limit: 50 });
    const counts = new Map<string, ProblemCount>();
    await countSearchProblems(result, {
      fetch: (id, signal) => fetchTrace(source, id, { signal }),
      count: (text, traceId) => client.request(CountSpanProblemsRequest, { text, traceId, clockSkewToleranceNs: TOLERANCE_NS }),
    }, new AbortController().signal, (id, count) => counts.set(id, count));
    const expected = coreCounts(new Map(result.summaries.map((s) => [s.traceId, held.get(s.traceId)!])));
    const got = new Map([...counts].map(([id, c]) => [id, c.state === 'counted' ? c.count : `${c.state}: ${c.state === 'failed' ? c.message : ''}`]));
    assert.deepEqual(got, expected, what);
    assert.ok([...expected.values()].includes(0) && [...expected.values()].some((n) => n > 0), `${what}: ${[...expected.values()].join(', ')}`);
  }
});

test('the tolerance sent is the one applied: a child 0.5 ms ahead of its parent\'s clock is skew at 0.1 ms, not at 1 ms', async () => {
  const parent = { traceId: 'ab'.repeat(16), spanId: 'a1'.repeat(8), name: 'GET /cart', kind: 2, startTimeUnixNano: '1787306400001000000', endTimeUnixNano: '1787306400009000000' };
  const child = { traceId: 'ab'.repeat(16), spanId: 'b2'.repeat(8), parentSpanId: 'a1'.repeat(8), name: 'load cart', kind: 2, startTimeUnixNano: '1787306400000500000', endTimeUnixNano: '1787306400002000000' };
  const text = JSON.stringify({ resourceSpans: [
    { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'gateway' } }] }, scopeSpans: [{ spans: [parent] }] },
    { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'cart' } }] }, scopeSpans: [{ spans: [child] }] },
  ] });
  const loose = await client.request(CountSpanProblemsRequest, { text, traceId: 'ab'.repeat(16), clockSkewToleranceNs: 1_000_000 });
  const strict = await client.request(CountSpanProblemsRequest, { text, traceId: 'ab'.repeat(16), clockSkewToleranceNs: 100_000 });
  assert.deepEqual(loose, { ok: true, count: 0, titles: [], spanCount: 2 });
  assert.ok(strict.ok);
  assert.equal(strict.count, 1);
  assert.match(strict.titles[0]!, /load cart/);
});

test('text that is no span trace, and a trace ID the text does not hold, are answered with what is wrong', async () => {
  const notJson = await client.request(CountSpanProblemsRequest, { text: '<html>502 Bad Gateway</html>', traceId: 'ab'.repeat(16), clockSkewToleranceNs: TOLERANCE_NS });
  assert.deepEqual(notJson.ok ? undefined : [notJson.code, /not a trace format Go Trace Lens reads/.test(notJson.message)], ['unknown-span-format', true]);
  const zipkin = JSON.stringify(traces.zipkin[0]);
  const other = await client.request(CountSpanProblemsRequest, { text: zipkin, traceId: 'cd'.repeat(16), clockSkewToleranceNs: TOLERANCE_NS });
  assert.equal(other.ok, false);
  assert.match(other.ok ? '' : other.message, new RegExp(`holds no trace ${'cd'.repeat(16)} \\(it holds ${String(traces.zipkin[0]![0]!.traceId)}\\)`));
});
