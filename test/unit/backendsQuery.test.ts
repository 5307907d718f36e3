// The backends core's inputs, checked before anything is sent: trace IDs as people paste them, durations
// and time ranges, label selectors and profile types, backend descriptions with their credentials, and the
// TraceQL a Tempo search becomes. Each bad input is refused with a message that says what a good one is.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackendError, formatGoDuration, normalizeTraceId, parseDuration, parseSelector, parseTimeRange, resolveBackend, resolveProfileType } from '../../core/backends';
import { traceQl } from '../../core/backends/tempo';
import type { ProfileTypeInfo } from '../../core/backends';

function refused(fn: () => unknown, code: string, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof BackendError, `a BackendError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  });
}

test('trace IDs: hex in any case, dashes and spaces, traceparent, base64 and dropped leading zeros become 16 or 32 hex digits', () => {
  const id = '4bf92f3577b34da6a3ce929d0e0e4736';
  assert.equal(normalizeTraceId(id.toUpperCase()), id);
  assert.equal(normalizeTraceId(' 4bf92f35-77b3-4da6-a3ce-929d0e0e4736 '), id);
  assert.equal(normalizeTraceId(`00-${id}-00f067aa0ba902b7-01`), id);
  assert.equal(normalizeTraceId(Buffer.from(id, 'hex').toString('base64')), id);
  assert.equal(normalizeTraceId(Buffer.from(id, 'hex').toString('base64url').replace(/=+$/, '')), id);
  assert.equal(normalizeTraceId('d6e9329d67b6146a'), 'd6e9329d67b6146a');
  // Tempo's search writes IDs without their leading zeros.
  assert.equal(normalizeTraceId('202020202020202020202020202020'), '00202020202020202020202020202020');
  assert.equal(normalizeTraceId('abc'), '0000000000000abc');

  refused(() => normalizeTraceId(''), 'bad-trace-id', /is not a trace ID: it is empty\. A trace ID is 32 hex digits/);
  refused(() => normalizeTraceId('4bf92f3577b34da6a3ce929d0e0e4736ff'), 'bad-trace-id', /it has 34 hex digits, more than a trace ID's 32/);
  refused(() => normalizeTraceId('trace-4bf92f35'), 'bad-trace-id', /it contains "t", which is not a hex digit/);
  refused(() => normalizeTraceId('0'.repeat(32)), 'bad-trace-id', /all zeros/);
});

test('durations in Go syntax, exact in nanoseconds, and written back without loss', () => {
  assert.equal(parseDuration('100ms'), 100e6);
  assert.equal(parseDuration('1.5s'), 1.5e9);
  assert.equal(parseDuration('1h30m'), 5400e9);
  assert.equal(parseDuration('250us'), 250e3);
  assert.equal(parseDuration('2d'), 172800e9);
  assert.equal(formatGoDuration(100e6), '100ms');
  assert.equal(formatGoDuration(1.5e9), '1500ms');
  assert.equal(formatGoDuration(5400e9), '90m');
  assert.equal(formatGoDuration(1234), '1234ns');
  refused(() => parseDuration('100'), 'bad-query', /The duration "100" is not a duration: write a number and a unit, e.g\. 100ms/);
  refused(() => parseDuration('1.5.5s', 'minimum duration'), 'bad-query', /The minimum duration "1\.5\.5s"/);
  refused(() => parseDuration('fast'), 'bad-query', /units: ns, us, ms, s, m, h, d/);
});

test('time ranges: --since back from now or --to, --from/--to in RFC 3339 or Unix time; empty ranges refused', () => {
  const now = Date.parse('2026-08-21T12:00:00Z');
  assert.deepEqual(parseTimeRange({ now }), { startMs: now - 3600e3, endMs: now });
  assert.deepEqual(parseTimeRange({ since: '30m', now }), { startMs: now - 1800e3, endMs: now });
  assert.deepEqual(parseTimeRange({ since: '2h', to: '2026-08-21T10:00:00Z', now }), { startMs: Date.parse('2026-08-21T08:00:00Z'), endMs: Date.parse('2026-08-21T10:00:00Z') });
  assert.deepEqual(parseTimeRange({ from: '2026-08-21T11:00:00+02:00', to: '1787313600', now }), { startMs: Date.parse('2026-08-21T09:00:00Z'), endMs: 1787313600e3 });
  assert.deepEqual(parseTimeRange({ from: '1787306400000', to: '1787310000000' }), { startMs: 1787306400000, endMs: 1787310000000 });
  refused(() => parseTimeRange({ since: '1h', from: '1787306400' }), 'bad-query', /either a duration to look back \(since\) or a start time \(from\), not both/);
  refused(() => parseTimeRange({ from: '2026-08-21 10:00', now }), 'bad-query', /"2026-08-21 10:00" is not a time: use RFC 3339 with a time zone/);
  refused(() => parseTimeRange({ from: '2026-08-21T12:00:00Z', to: '2026-08-21T11:00:00Z' }), 'bad-query', /The time range is empty: it starts at 2026-08-21T12:00:00\.000Z and ends at 2026-08-21T11:00:00\.000Z/);
});

test('label selectors: matchers with =, !=, =~, !~ and escapes; mistakes get a message pointing at them', () => {
  assert.deepEqual(parseSelector('{service_name="checkout", region=~"eu-.*",env!="dev"}'), [
    { name: 'service_name', op: '=', value: 'checkout' },
    { name: 'region', op: '=~', value: 'eu-.*' },
    { name: 'env', op: '!=', value: 'dev' },
  ]);
  assert.deepEqual(parseSelector('{ path="a \\"quoted\\" name" }'), [{ name: 'path', op: '=', value: 'a "quoted" name' }]);
  assert.deepEqual(parseSelector('{}'), []);
  refused(() => parseSelector('service_name="checkout"'), 'bad-query', /must be enclosed in \{ and \}\. Example: \{service_name="checkout"\}/);
  refused(() => parseSelector("{service_name='checkout'}"), 'bad-query', /values take double quotes, not single quotes/);
  refused(() => parseSelector('{service_name=checkout}'), 'bad-query', /values must be in double quotes/);
  refused(() => parseSelector('{service_name="a",}'), 'bad-query', /it ends with a comma/);
});

test('profile types: a full ID, name:sampleType, or a sample type the backend has once; otherwise the list', () => {
  const types: ProfileTypeInfo[] = ['process_cpu:cpu:nanoseconds:cpu:nanoseconds', 'memory:alloc_space:bytes:space:bytes', 'mutex:contentions:count:contentions:count', 'block:contentions:count:contentions:count'].map((id) => {
    const [name, sampleType, sampleUnit, periodType, periodUnit] = id.split(':') as [string, string, string, string, string];
    return { id, name, sampleType, sampleUnit, periodType, periodUnit };
  });
  assert.equal(resolveProfileType('cpu', types, 'Pyroscope').id, 'process_cpu:cpu:nanoseconds:cpu:nanoseconds');
  assert.equal(resolveProfileType('alloc_space', types, 'Pyroscope').id, 'memory:alloc_space:bytes:space:bytes');
  assert.equal(resolveProfileType('block:contentions', types, 'Pyroscope').id, 'block:contentions:count:contentions:count');
  refused(() => resolveProfileType('contentions', types, 'Pyroscope'), 'bad-query', /"contentions" could be any of mutex:contentions:count:contentions:count, block:contentions:count:contentions:count in Pyroscope; give the full type ID/);
  refused(() => resolveProfileType('wall', types, 'Pyroscope'), 'bad-query', /Pyroscope has no profile type "wall"\. It has: process_cpu:cpu:nanoseconds:cpu:nanoseconds, memory:alloc_space/);
  refused(() => resolveProfileType('cpu', [], 'Pyroscope'), 'bad-query', /It lists no profile types for this time range/);
});

test('backend descriptions: http(s) URLs only; credentials in the URL, a token or basic auth become one Authorization header; a tenant becomes X-Scope-OrgID', () => {
  const fromUrl = resolveBackend({ kind: 'tempo', url: 'https://reader:s3cret-pass@tempo.example:3200/tempo/' });
  assert.equal(fromUrl.base.href, 'https://tempo.example:3200/tempo');
  assert.equal(fromUrl.headers.Authorization, `Basic ${Buffer.from('reader:s3cret-pass').toString('base64')}`);
  assert.equal(fromUrl.title, 'Grafana Tempo at https://tempo.example:3200/tempo');
  assert.ok(!fromUrl.redactor.text('failed with reader:s3cret-pass').includes('s3cret-pass'));

  const token = resolveBackend({ name: 'prod traces', kind: 'jaeger', url: 'http://jaeger:16686', credentials: { bearerToken: 'tok-123456' }, tenant: 'team-a', headers: { 'X-Extra': '1' } });
  assert.deepEqual(token.headers, { Authorization: 'Bearer tok-123456', 'X-Scope-OrgID': 'team-a', 'X-Extra': '1' });
  assert.equal(token.title, 'prod traces (Jaeger at http://jaeger:16686)');
  assert.equal(token.redactor.headers(token.headers), 'Authorization: [redacted], X-Scope-OrgID: team-a, X-Extra: 1');

  refused(() => resolveBackend({ kind: 'jaeger', url: 'jaeger:16686' }), 'bad-backend', /only http:\/\/ and https:\/\/ are supported|has no scheme/);
  refused(() => resolveBackend({ kind: 'tempo', url: 'localhost:3200/api' }), 'bad-backend', /is not a Grafana Tempo URL: .* Example: http:\/\/localhost:3200/);
  refused(() => resolveBackend({ kind: 'elastic' as 'jaeger', url: 'http://x' }), 'bad-backend', /"elastic" is not a backend kind\. Kinds: jaeger, tempo, zipkin, pyroscope, parca/);
  refused(() => resolveBackend({ kind: 'zipkin', url: 'http://z', credentials: { bearerToken: 'Bearer abc def' } }), 'bad-header', /paste the token alone, without "Bearer"/);
  refused(() => resolveBackend({ kind: 'zipkin', url: 'http://z', headers: { 'Content-Length': '3' } }), 'bad-header', /Content-Length is set by Go Trace Lens itself; remove it from the backend's headers/);
});

test('a Tempo search is one TraceQL spanset: service, name, tags (as text, and typed when they read as numbers) and span duration', () => {
  const range = { startMs: 0, endMs: 1 };
  assert.equal(traceQl({ service: 'checkout', range }), '{ resource.service.name = "checkout" }');
  assert.equal(
    traceQl({ service: 'checkout', operation: 'POST /orders', tags: { 'http.status_code': '500', 'user id': 'a"b', 'db.system': 'postgresql' }, minDurationNs: 250e6, range }),
    '{ resource.service.name = "checkout" && name = "POST /orders" && (.http.status_code = "500" || .http.status_code = 500) && ."user id" = "a\\"b" && .db.system = "postgresql" && duration >= 250ms }',
  );
});
