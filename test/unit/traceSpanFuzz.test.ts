// Property-based fuzzing of the span-trace readers (10,000 cases per property): arbitrary JSON and
// format-shaped documents with wrong types never crash them (a model or a TraceError), and random
// well-formed traces always give a waterfall that is consistent with the parents the spans name.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { TraceError, parseSpanTrace, type SpanTraceModel } from '../../core/timeline';
import { sharedFixture } from '../helpers/sharedFixtures';

const RUNS = 10_000;

function parseOrExplain(text: string): SpanTraceModel | TraceError {
  try {
    return parseSpanTrace(text);
  } catch (error) {
    if (!(error instanceof TraceError)) throw error;
    assert.ok(error.message.length > 30, error.message);
    return error;
  }
}

const anyField = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', '', '0000000000000000', '1544712660000000000'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

function shaped(keys: string[]) {
  return fc.record(Object.fromEntries(keys.map((k) => [k, anyField])), { requiredKeys: [] });
}

test('fuzz: any JSON value', () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => void parseOrExplain(JSON.stringify(value))), { numRuns: RUNS });
});

test('fuzz: OTLP-shaped documents with fields of any type', () => {
  const span = shaped(['traceId', 'spanId', 'parentSpanId', 'name', 'kind', 'startTimeUnixNano', 'endTimeUnixNano', 'attributes', 'events', 'links', 'status']);
  const doc = fc.record({
    resourceSpans: fc.array(fc.record({ resource: fc.oneof(fc.constant({ attributes: [{ key: 'service.name', value: { stringValue: 'a' } }] }), anyField), scopeSpans: fc.array(fc.record({ spans: fc.array(span, { maxLength: 4 }) }), { maxLength: 2 }) }), { maxLength: 2 }),
  });
  fc.assert(fc.property(doc, (value) => void parseOrExplain(JSON.stringify(value))), { numRuns: RUNS });
});

test('fuzz: Jaeger- and Zipkin-shaped documents with fields of any type', () => {
  const jaegerSpan = shaped(['traceID', 'spanID', 'operationName', 'references', 'startTime', 'duration', 'tags', 'logs', 'processID']);
  const jaeger = fc.record({ data: fc.array(fc.record({ traceID: anyField, spans: fc.array(jaegerSpan, { maxLength: 4 }), processes: anyField }), { maxLength: 2 }) });
  const zipkin = fc.array(shaped(['traceId', 'id', 'parentId', 'kind', 'name', 'timestamp', 'duration', 'localEndpoint', 'remoteEndpoint', 'tags', 'annotations', 'shared']), { maxLength: 5 });
  fc.assert(fc.property(fc.oneof(jaeger, zipkin), (value) => void parseOrExplain(JSON.stringify(value))), { numRuns: RUNS });
});

test('fuzz: random well-formed traces give a waterfall that agrees with the parents the spans name', () => {
  const ids = ['0000000000000001', '0000000000000002', '0000000000000003', '0000000000000004', '0000000000000005', '00000000000000ff'];
  const span = fc.record({
    id: fc.constantFrom(...ids),
    parent: fc.oneof(fc.constant(''), fc.constantFrom(...ids), fc.constant('00000000000000aa')),
    service: fc.constantFrom('a', 'b', 'c'),
    start: fc.nat({ max: 1_000_000_000 }),
    length: fc.nat({ max: 1_000_000_000 }),
    kind: fc.nat({ max: 5 }),
  });
  fc.assert(
    fc.property(fc.array(span, { minLength: 1, maxLength: 8 }), (spans) => {
      const doc = {
        resourceSpans: spans.map((s) => ({
          resource: { attributes: [{ key: 'service.name', value: { stringValue: s.service } }] },
          scopeSpans: [{ spans: [{ traceId: '000000000000000000000000000000ab', spanId: s.id, parentSpanId: s.parent, name: `op ${s.id}`, kind: s.kind, startTimeUnixNano: String(1e18 + s.start), endTimeUnixNano: String(1e18 + s.start + s.length) }] }],
        })),
      };
      const model = parseSpanTrace(JSON.stringify(doc));
      const m = model.spans;
      assert.equal(m.count, spans.length, 'every span is in the model');
      const present = new Set(spans.map((s) => s.id));
      let roots = 0;
      for (let i = 0; i < m.count; i++) {
        const parent = m.parent[i]!;
        if (parent >= 0) {
          assert.equal(m.spanId[parent], m.parentSpanId[i], 'a parent is the span named as parent');
          assert.ok(parent < i && i < m.subtreeEnd[parent]!, "a span lies in its parent's subtree");
        }
        if (m.parentSpanId[i] === '') roots++;
        if (m.parentSpanId[i] !== '' && !present.has(m.parentSpanId[i]!)) {
          assert.ok(model.problems.some((p) => p.type === 'orphan' && p.spans.includes(i)), 'a span whose parent is absent is reported as an orphan');
        }
        assert.ok(m.end[i]! >= m.start[i]!);
      }
      assert.equal(model.problems.filter((p) => p.type === 'multiple-roots').length, Math.max(0, roots - 1));
      const duplicates = [...new Set(spans.map((s) => s.id))].filter((id) => spans.filter((s) => s.id === id).length > 1);
      assert.equal(model.problems.filter((p) => p.type === 'duplicate-span-id').length, duplicates.length);
    }),
    { numRuns: RUNS },
  );
});

test('every prefix of a span file either parses or fails with a TraceError', () => {
  const text = readFileSync(sharedFixture('spans', 'zipkin-messaging2.json'), 'utf8');
  for (let length = 0; length <= text.length; length += 7) parseOrExplain(text.slice(0, length));
});
