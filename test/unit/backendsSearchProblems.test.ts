// "Search Traces…" with each row's broken chains, against the stand-ins of each trace backend. Jaeger (its
// UI API and API v3) and Zipkin answer a search with whole traces: each listed trace's spans come back
// as a span file that reads as the trace the backend holds. Tempo answers summaries only: its traces are
// fetched by ID, a bounded number at a time. Each row's count is the number of problems the timeline core
// finds in that trace (here the server's counting function, run in this process; test/lsp sends it over
// JSON-RPC); a trace that cannot be fetched marks its row only; an abort starts nothing more.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceSearchResult } from '../../core/backends';
import { fetchTrace, searchTraceSpans, searchTraces } from '../../core/backends/index.node';
import { parseSpanTrace } from '../../core/timeline';
import { countSpanProblems } from '../../server/src/features/spanProblemCounts';
import { countSearchProblems, type ProblemCount, type ProblemCountDeps } from '../../client/src/backends/searchProblems';
import { problemText, traceRows } from '../../client/src/backends/searchItems';
import { serverPool, startJaegerServer, startTempoServer, startZipkinServer } from '../helpers/backendServers';
import { searchStandInTraces } from '../helpers/searchStandIns';

const pool = serverPool();
after(pool.closeAll);
const serve = pool.serve;

const NOW = Date.parse('2026-08-21T12:00:00Z');
const RANGE = { startMs: NOW - 3600e3, endMs: NOW };
const TOLERANCE_NS = 1_000_000;
const traces = searchStandInTraces();

/** What the timeline core finds in the trace as the backend holds it: its problem count and first title. */
function expected(text: string, traceId: string): { count: number; first: string | undefined } {
  const model = parseSpanTrace(text, { clockSkewToleranceNs: TOLERANCE_NS });
  const problems = model.problems.filter((p) => p.traceId.replace(/^0+/, '') === traceId.replace(/^0+/, ''));
  return { count: problems.length, first: problems[0]?.title };
}

function counter(overrides: Partial<ProblemCountDeps> = {}): ProblemCountDeps {
  return {
    fetch: () => Promise.reject(new Error('no fetch expected: the search answered whole traces')),
    count: (text, traceId) => Promise.resolve(countSpanProblems({ text, traceId, clockSkewToleranceNs: TOLERANCE_NS })),
    ...overrides,
  };
}

async function countAll(result: TraceSearchResult, deps: ProblemCountDeps): Promise<Map<string, ProblemCount>> {
  const counts = new Map<string, ProblemCount>();
  await countSearchProblems(result, deps, new AbortController().signal, (id, count) => counts.set(id, count));
  return counts;
}

/** Each listed trace's count equals the core's on the stand-in's copy; one has broken chains and one none. */
function assertCounts(counts: ReadonlyMap<string, ProblemCount>, held: ReadonlyMap<string, string>, what: string): void {
  assert.deepEqual([...counts.keys()].sort(), [...held.keys()].sort(), `${what}: every listed trace counted`);
  for (const [id, text] of held) {
    const count = counts.get(id)!;
    assert.equal(count.state, 'counted', `${what} ${id}: ${JSON.stringify(count)}`);
    if (count.state !== 'counted') continue;
    const core = expected(text, id);
    assert.equal(count.count, core.count, `${what} ${id}`);
    assert.equal(count.titles[0], core.first, `${what} ${id}`);
  }
  const numbers = [...counts.values()].map((c) => (c.state === 'counted' ? c.count : -1));
  assert.ok(numbers.includes(0) && numbers.some((n) => n > 0), `${what}: a trace with broken chains and one without (${numbers.join(', ')})`);
}

test('Jaeger\'s UI API: each listed trace comes back whole; the rows\' broken chains are the core\'s on those traces', async () => {
  const jaeger = await serve(startJaegerServer({ uiTraces: traces.jaegerUi }));
  const result = await searchTraceSpans({ kind: 'jaeger', url: jaeger.url }, { service: 'telemetrygen', range: RANGE });
  assert.deepEqual(result.summaries, await searchTraces({ kind: 'jaeger', url: jaeger.url }, { service: 'telemetrygen', range: RANGE }), 'the same rows as a plain search');
  assert.deepEqual([...result.spanFiles.values()].map((f) => f.format), ['jaeger-json', 'jaeger-json']);
  const held = new Map(traces.jaegerUi.map((t) => [String(t.traceID), JSON.stringify({ data: [t] })]));
  assertCounts(await countAll(result, counter()), held, 'jaeger v1');
  assert.equal(jaeger.requests.length, 2, 'no trace fetched again');
});

test('Jaeger\'s API v3 (after the UI API was removed): one OTLP span file per listed trace, counted as the core counts them', async () => {
  const jaeger = await serve(startJaegerServer({ otlpTraces: traces.otlp, v1SearchRemoved: true }));
  const result = await searchTraceSpans({ kind: 'jaeger', url: jaeger.url }, { service: 'frontend', range: RANGE, limit: 50 });
  const listed = result.summaries.map((s) => s.traceId);
  assert.ok(listed.length >= 3, `several traces listed: ${listed.join(', ')}`);
  const held = new Map(listed.map((id) => [id, JSON.stringify(traces.otlp.get(id))]));
  for (const [id, file] of result.spanFiles) {
    assert.equal(file.format, 'otlp-json');
    const model = parseSpanTrace(file.text);
    assert.deepEqual(model.traces.traceId, [id], 'a span file holds its own trace only');
    assert.equal(model.spans.count, parseSpanTrace(held.get(id)!).spans.count, id);
  }
  assertCounts(await countAll(result, counter()), held, 'jaeger v3');
});

test('Zipkin: each listed trace\'s span list, counted as the core counts it', async () => {
  const zipkin = await serve(startZipkinServer(traces.zipkin));
  const result = await searchTraceSpans({ kind: 'zipkin', url: zipkin.url }, { service: 'backend', range: RANGE });
  assert.deepEqual([...result.spanFiles.values()].map((f) => f.format), ['zipkin-json', 'zipkin-json']);
  const held = new Map(traces.zipkin.map((spans) => [String(spans[0]!.traceId), JSON.stringify(spans)]));
  assertCounts(await countAll(result, counter()), held, 'zipkin');
});

test('Tempo answers summaries only: each trace is fetched by ID, at most `concurrency` at once, and counted as the core counts it', async () => {
  const tempo = await serve(startTempoServer({ traces: traces.otlp }));
  const source = { kind: 'tempo' as const, url: tempo.url };
  const result = await searchTraceSpans(source, { service: 'frontend', range: RANGE, limit: 50 });
  assert.equal(result.spanFiles.size, 0);
  let running = 0;
  let most = 0;
  const counts = await countAll(result, counter({
    concurrency: 2,
    fetch: async (id, signal) => {
      running++;
      most = Math.max(most, running);
      try {
        return await fetchTrace(source, id, { signal });
      } finally {
        running--;
      }
    },
  }));
  assert.equal(most, 2, 'two fetches at a time');
  assert.deepEqual(tempo.requests.filter((r) => r.path.startsWith('/api/v2/traces/')).length, result.summaries.length, 'each trace fetched once');
  assertCounts(counts, new Map(result.summaries.map((s) => [s.traceId, JSON.stringify(traces.otlp.get(s.traceId))])), 'tempo');
});

test('a trace Tempo no longer has marks its own row ("no such trace"); the others are counted', async () => {
  const [gone, ...kept] = [...traces.otlp.keys()];
  const searched = await serve(startTempoServer({ traces: traces.otlp }));
  // The trace expired between the search and the fetch: the second Tempo is the first without it.
  const later = await serve(startTempoServer({ traces: new Map(kept.map((id) => [id, traces.otlp.get(id)!])) }));
  const result = await searchTraceSpans({ kind: 'tempo', url: searched.url }, { service: 'frontend', range: RANGE, limit: 50 });
  const counts = await countAll(result, counter({ fetch: (id, signal) => fetchTrace({ kind: 'tempo', url: later.url }, id, { signal }) }));
  const failed = counts.get(gone!)!;
  assert.equal(failed.state, 'failed');
  assert.match(problemText(failed), new RegExp(`^broken chains not counted: the trace could not be fetched: There is no such trace ${gone} in Grafana Tempo`));
  for (const id of kept) assert.equal(counts.get(id)?.state, 'counted', id);
});

test('an abort starts nothing more and reports nothing more; a span file the server cannot read marks its row with why', async () => {
  const tempo = await serve(startTempoServer({ traces: traces.otlp }));
  const source = { kind: 'tempo' as const, url: tempo.url };
  const result = await searchTraceSpans(source, { service: 'frontend', range: RANGE, limit: 50 });
  const controller = new AbortController();
  const reported: string[] = [];
  await countSearchProblems(result, counter({ concurrency: 1, fetch: (id, signal) => fetchTrace(source, id, { signal }) }), controller.signal, (id, count) => {
    reported.push(`${id} ${count.state}`);
    if (count.state === 'counted') controller.abort();
  });
  const counted = reported.filter((r) => !r.endsWith('counting'));
  assert.equal(counted.length, 1, reported.join('\n'));
  assert.equal(tempo.requests.filter((r) => r.path.startsWith('/api/v2/traces/')).length, 1, 'one fetch only');

  const broken: TraceSearchResult = { summaries: result.summaries.slice(0, 1), spanFiles: new Map([[result.summaries[0]!.traceId, { format: 'otlp-json', text: '{"resourceSpans": [' }]]) };
  const counts = await countAll(broken, counter());
  assert.match(problemText(counts.get(result.summaries[0]!.traceId)), /^broken chains not counted: The file is not valid JSON .*download the trace again/);
  const other: TraceSearchResult = { summaries: result.summaries.slice(0, 1), spanFiles: new Map([[result.summaries[0]!.traceId, { format: 'otlp-json', text: JSON.stringify(traces.otlp.get(result.summaries[1]!.traceId)) }]]) };
  assert.match(problemText((await countAll(other, counter())).get(result.summaries[0]!.traceId)), new RegExp(`holds no trace ${result.summaries[0]!.traceId} \\(it holds ${result.summaries[1]!.traceId}\\)`));
});

test('rows: "counting broken chains…" until counted, then the count and the first problem\'s title, or "no broken chains"', () => {
  const summary = { traceId: '02'.repeat(16), rootService: 'frontend', rootName: 'GET /checkout', startUnixNano: '1787306400000000000', durationNs: 12_345_000, spanCount: undefined, services: ['frontend', 'payments'] };
  const clean = { ...summary, traceId: '01'.repeat(16) };
  const counts = new Map<string, ProblemCount>();
  assert.deepEqual(traceRows([summary], counts).map((r) => r.detail), [`counting broken chains… · ${summary.traceId} · 2 services: frontend, payments`]);
  counts.set(summary.traceId, { state: 'counted', count: 2, titles: ['Span "charge" (payments) names parent 0a0a0a0a0a0a0a0a, which is not in this trace', 'second'], spanCount: 7 });
  counts.set(clean.traceId, { state: 'counted', count: 0, titles: [], spanCount: 3 });
  const [broken, fine] = traceRows([summary, clean], counts);
  assert.equal(broken!.detail, `⚠ 2 broken chains: Span "charge" (payments) names parent 0a0a0a0a0a0a0a0a, which is not in this trace · ${summary.traceId} · 2 services: frontend, payments`);
  assert.equal(broken!.description, '12.3 ms · 7 spans · 2026-08-21 10:00:00 UTC', 'a span count Tempo did not give is filled in once the trace is counted');
  assert.match(fine!.detail, /^no broken chains · /);
  assert.equal(problemText({ state: 'counted', count: 1, titles: ['one'], spanCount: 1 }), '⚠ 1 broken chain: one');
});
