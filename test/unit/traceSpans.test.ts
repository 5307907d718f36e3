// Span traces: the reference files from OpenTelemetry, Jaeger and Zipkin load as what they are, and the
// broken chains they and our problem fixture contain are found and explained.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  SpanKind,
  TraceError,
  detectTraceFormat,
  parseSpanTrace,
  summarizeSpanTrace,
  type SpanTraceModel,
} from '../../core/timeline';
import { REPO_ROOT } from '../helpers/goToolchain';
import { sharedFixture } from '../helpers/sharedFixtures';

const SHARED = sharedFixture('spans');
const OURS = join(REPO_ROOT, 'test', 'fixtures', 'traces');

function load(dir: string, file: string): SpanTraceModel {
  return parseSpanTrace(readFileSync(join(dir, file), 'utf8'));
}

function problemsOf(model: SpanTraceModel, type?: string): string[] {
  return model.problems.filter((p) => !type || p.type === type).map((p) => `${p.type} ${p.spanId}`);
}

function row(model: SpanTraceModel, spanId: string, name?: string): number {
  for (let i = 0; i < model.spans.count; i++) {
    if (model.spans.spanId[i] === spanId && (name === undefined || model.strings[model.spans.name[i]!] === name)) return i;
  }
  throw new Error(`no span ${spanId}`);
}

test('every reference file loads, in the format its content says', () => {
  const expected: Record<string, [string, number, number]> = {
    'otlp-example-trace.json': ['otlp-json', 1, 1],
    'jaeger-ui-otlp2jaeger-in.json': ['otlp-json', 1, 2],
    'jaeger-ui-otlp2jaeger-in-error.json': ['otlp-json', 1, 1],
    'jaeger-ui-otlp2jaeger-multi-in-combined.json': ['otlp-json', 1, 4],
    'jaeger-ui-otlp2jaeger-out.json': ['jaeger-json', 1, 2],
    'zipkin-envoy.json': ['zipkin-json', 1, 1],
    'zipkin-messaging.json': ['zipkin-json', 1, 4],
    'zipkin-messaging2.json': ['zipkin-json', 1, 11],
    'zipkin-simple-db-p6.json': ['zipkin-json', 1, 5],
    'zipkin-smartthings-mobile-web-install.json': ['zipkin-json', 1, 953],
  };
  for (const [file, [format, traces, spans]] of Object.entries(expected)) {
    const bytes = readFileSync(join(SHARED, file));
    assert.equal(detectTraceFormat(bytes), format, `${file} is detected as ${format}`);
    const model = parseSpanTrace(new TextDecoder().decode(bytes));
    assert.deepEqual([model.format, model.traces.count, model.spans.count], [format, traces, spans], file);
  }
});

test("OTLP's example: one server span of my.service whose parent is not in the file, an orphan", () => {
  const model = load(SHARED, 'otlp-example-trace.json');
  assert.equal(model.spans.spanId[0], 'eee19b7ec3c1b174', 'IDs are normalized to lowercase hex');
  assert.equal(model.strings[model.spans.service[0]!], 'my.service');
  assert.equal(model.spans.kind[0], SpanKind.Server);
  assert.equal(model.spans.end[0]! - model.spans.start[0]!, 1e9, 'one second long');
  assert.equal(model.epochUnixNano, '1544712660000000000');
  assert.deepEqual(problemsOf(model), ['orphan eee19b7ec3c1b174']);
  assert.match(model.problems[0]!.title, /eee19b7ec3c1b173, which is not in this trace/);
});

test('the Jaeger UI fixtures: OTLP input and the Jaeger JSON made of it give the same spans and problems', () => {
  const otlp = load(SHARED, 'jaeger-ui-otlp2jaeger-in.json');
  const jaeger = load(SHARED, 'jaeger-ui-otlp2jaeger-out.json');
  const spans = (m: SpanTraceModel) => Array.from({ length: m.spans.count }, (_, i) => [m.spans.spanId[i], m.strings[m.spans.name[i]!], m.spans.start[i], m.spans.end[i], m.strings[m.spans.service[i]!]]);
  assert.deepEqual(spans(jaeger), spans(otlp));
  assert.equal(jaeger.epochUnixNano, otlp.epochUnixNano);
  // The same span ID twice, under a parent that is not there.
  const expected = ['duplicate-span-id e127af99e3b3e074', 'orphan e127af99e3b3e074', 'orphan e127af99e3b3e074'];
  assert.deepEqual(problemsOf(otlp).sort(), expected);
  assert.deepEqual(problemsOf(jaeger).sort(), expected);
  assert.deepEqual(problemsOf(load(SHARED, 'jaeger-ui-otlp2jaeger-in-error.json')), ['orphan e127af99e3b3e074']);
});

test('a healthy OTLP trace has no problems and is laid out as a waterfall', () => {
  const model = load(SHARED, 'jaeger-ui-otlp2jaeger-multi-in-combined.json');
  assert.deepEqual(model.problems, []);
  const { spans } = model;
  for (let i = 0; i < spans.count; i++) {
    const parent = spans.parent[i]!;
    if (parent >= 0) {
      assert.ok(parent < i && i < spans.subtreeEnd[parent]!, `span ${i} sits inside its parent's subtree`);
      assert.equal(spans.depth[i], spans.depth[parent]! + 1);
    } else {
      assert.equal(spans.depth[i], 0);
    }
  }
  assert.equal(spans.subtreeEnd[0], spans.count, 'the root covers the trace');
});

test('Zipkin messaging traces: spans whose parent is missing, the services they leave unconnected, the gap in sampling', () => {
  const model = load(SHARED, 'zipkin-messaging2.json');
  assert.deepEqual(problemsOf(model, 'orphan').sort(), [
    'orphan 3df9ceef91bbc631',
    'orphan 3df9ceef91bbc777',
    'orphan 693fb64c3cf75cf3',
    'orphan 939e2fdc360a1201',
    'orphan c779d4ff1adfc8f9',
    'orphan dfdfa6bdfc538d3e',
  ]);
  const disconnected = model.problems.filter((p) => p.type === 'disconnected-service').map((p) => p.title.split(' ')[1]);
  assert.deepEqual(disconnected.sort(), ['notification-service', 'transfer-service']);
  const partial = model.problems.filter((p) => p.type === 'partial-sampling');
  assert.equal(partial.length, 1);
  assert.match(partial[0]!.title, /between mobile-gateway and transfer-service, notification-service/);
  assert.equal(problemsOf(model, 'multiple-roots').length + problemsOf(model, 'duplicate-span-id').length, 0);
  // The healthy messaging trace (producer → consumer) has none.
  assert.deepEqual(load(SHARED, 'zipkin-messaging.json').problems, []);
});

test('Zipkin shared RPC spans: fragments merge, the server half hangs under its client half, no false duplicates', () => {
  const model = load(SHARED, 'zipkin-smartthings-mobile-web-install.json');
  assert.equal(model.services.length, 16);
  assert.deepEqual(problemsOf(model, 'duplicate-span-id'), []);
  assert.deepEqual(problemsOf(model, 'orphan'), []);
  const client = row(model, 'a0dc23f22c4fee3f', 'post /app-execute');
  const server = row(model, 'a0dc23f22c4fee3f', 'post');
  assert.equal(model.spans.parent[server], client, 'the platformapi server half is the child of the strongman client half');
  assert.equal(model.strings[model.spans.service[server]!], 'platformapi');
  assert.equal(model.spans.kind[server], SpanKind.Server);
  assert.ok(model.spans.details[server]!.attributes.some((a) => a.key === 'http.path' && a.value === 'app-execute'), "the fragment's tags are kept");
  // Cross-host skew beyond 1 ms is reported, children that outlive a parent of their own service are not.
  for (const p of model.problems.filter((x) => x.type === 'clock-skew')) {
    const [parent, child] = p.spans as [number, number];
    assert.notEqual(model.spans.service[parent], model.spans.service[child], p.title);
  }
});

test('our problem fixture: each broken chain is found in its own trace, and the healthy trace has none', () => {
  const model = load(OURS, 'problems.otlp.json');
  const found = model.problems.map((p) => `${p.type} ${p.traceId.slice(0, 2)} ${p.spanId}`).sort();
  assert.deepEqual(found, [
    'clock-skew 05 0503050305030503',
    'disconnected-service 04 0403040304030403',
    'duplicate-span-id 07 0702070207020702',
    'multiple-roots 03 0302030203020302',
    'multiple-roots 04 0403040304030403',
    'orphan 02 0202020202020202',
    'partial-sampling 06 0602060206020602',
  ]);
  const summary = summarizeSpanTrace(model);
  assert.deepEqual(Object.keys(summary.problems[0]!), ['type', 'traceId', 'spanId']);
});

test('each problem explains its likely cause in terms of contexts, headers and samplers', () => {
  const model = load(OURS, 'problems.otlp.json');
  const explanation = (type: string) => model.problems.find((p) => p.type === type)!.explanation;
  assert.match(explanation('orphan'), /span\.End\(\)/);
  assert.match(explanation('orphan'), /parent-based/);
  assert.match(explanation('multiple-roots'), /parent span ID was not.*propagation formats \(B3.*W3C/s);
  assert.match(explanation('multiple-roots'), /new root context/);
  assert.match(explanation('disconnected-service'), /did not inject the trace headers/);
  assert.match(explanation('disconnected-service'), /r\.Context\(\), not context\.Background\(\)/);
  assert.match(explanation('partial-sampling'), /ParentBased/);
  assert.match(explanation('clock-skew'), /clocks disagree/);
  assert.match(explanation('duplicate-span-id'), /unique/);
  const skew = model.problems.find((p) => p.type === 'clock-skew')!;
  assert.match(skew.title, /"refund" \(payments\) starts 5\.00 ms before its parent "POST \/refund" \(frontend\)/);
  assert.equal(skew.spans.length, 2, 'the parent and the child are highlighted');
});

test('source attributes, new and old names, give the code location', () => {
  const model = load(OURS, 'problems.otlp.json');
  assert.deepEqual(model.spans.details[row(model, '0101010101010101')]!.source, { function: 'main.handleCheckout', file: '/src/shop/frontend/checkout.go', line: 42 });
  assert.deepEqual(model.spans.details[row(model, '0103010301030103')]!.source, { function: 'main.charge', file: '/src/shop/payments/charge.go', line: 17 });
  assert.equal(model.spans.details[row(model, '0102010201020102')]!.source, undefined);
});

test('names and attributes holding HTML and script are kept as plain text', () => {
  const text = readFileSync(join(OURS, 'hostile-names.otlp.json'), 'utf8');
  const model = parseSpanTrace(text);
  const raw = JSON.parse(text) as { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] };
  const names = raw.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name);
  assert.deepEqual(Array.from(model.spans.name, (n) => model.strings[n]), names);
  assert.equal(model.strings[model.services[0]!], '</title><script>alert(1)</script>');
  const details = model.spans.details[0]!;
  assert.equal(details.statusMessage, '<img src=x onerror="document.title=\'pwned\'">');
  assert.equal(details.events[0]!.name, details.statusMessage);
  assert.equal(details.source?.function, '"><svg onload=alert(1)>');
});

test("the collector file exporter's JSON lines: every line's spans are read", () => {
  const one = readFileSync(join(SHARED, 'otlp-example-trace.json'), 'utf8');
  const other = readFileSync(join(SHARED, 'jaeger-ui-otlp2jaeger-multi-in-combined.json'), 'utf8');
  const lines = [one, other].map((t) => JSON.stringify(JSON.parse(t))).join('\n') + '\n';
  const model = parseSpanTrace(lines);
  assert.equal(model.spans.count, 5);
  assert.equal(model.traces.count, 2);
});

test('base64 IDs (protobuf JSON mapping) are read as the same hex IDs', () => {
  const hex = readFileSync(join(SHARED, 'otlp-example-trace.json'), 'utf8');
  const b64 = (h: string) => Buffer.from(h, 'hex').toString('base64');
  const base64 = hex.replace('5B8EFFF798038103D269B633813FC60C', b64('5B8EFFF798038103D269B633813FC60C')).replace('"EEE19B7EC3C1B174"', `"${b64('EEE19B7EC3C1B174')}"`);
  assert.deepEqual(parseSpanTrace(base64).spans.spanId, ['eee19b7ec3c1b174']);
  assert.deepEqual(parseSpanTrace(base64).traces.traceId, ['5b8efff798038103d269b633813fc60c']);
});

test('bad input: cut-off JSON, JSON of another kind, and a wrong shape each get a clear error', () => {
  const text = readFileSync(join(SHARED, 'zipkin-messaging.json'), 'utf8');
  const rejects = (input: string, code: string, message: RegExp) =>
    assert.throws(() => parseSpanTrace(input), (e: unknown) => e instanceof TraceError && e.code === code && message.test(e.message));
  rejects(text.slice(0, text.length / 2), 'invalid-json', /not valid JSON.*cut off/);
  rejects('', 'invalid-json', /empty/);
  rejects('{"name": "go-trace-lens", "version": "1"}', 'unknown-span-format', /keys "name", "version".*OTLP\/JSON.*Jaeger.*Zipkin/);
  rejects('hello', 'unknown-span-format', /not JSON/);
  rejects('{"resourceSpans": [{"scopeSpans": [{"spans": {"traceId": "ab"}}]}]}', 'malformed-span-trace', /resourceSpans\[0\]\.scopeSpans\[0\]\.spans as an object where a list belongs/);
  rejects('[{"traceId": "ab", "id": "cd", "timestamp": "soon"}]', 'malformed-span-trace', /\[0\]\.timestamp as the text "soon" where a non-negative whole number belongs/);
  rejects('{"data": [{"traceID": "ab", "spans": [{"spanID": "cd"}]}]}', 'malformed-span-trace', /data\[0\]\.spans\[0\]\.startTime missing/);
});
