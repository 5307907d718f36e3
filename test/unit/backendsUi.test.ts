// The backends feature's pure parts (client/src/backends): `goTraceLens.backends` checked entry by entry
// (trust, kinds, URLs, credentials kept out, duplicate names), trace IDs found in text, log lines and Go
// string literals, the buttons each failure offers, fetched files named and listed like captures and
// written whole, search rows, and one request flow against the Tempo stand-in carrying the stored token
// and tenant.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchTrace } from '../../core/backends/index.node';
import { BACKEND_KINDS as FACE_KINDS } from '../../core/backends';
import { listCaptures } from '../../core/capture/index.node';
import { parseCaptureFileName } from '../../core/capture';
import { parseSpanTrace, summarizeSpanTrace } from '../../core/timeline';
import { BACKEND_SETTING_KINDS, BackendSettings } from '../../common/settings';
import { backendErrorActions, BACKEND_ERROR_ACTION_LABELS } from '../../client/src/backends/backendErrorActions';
import { buildBackendList, profileBackends, traceBackends, type ConfiguredBackend } from '../../client/src/backends/backendList';
import { backendCredentialsKey, backendSource, describeBackendSecret, takesTenant } from '../../client/src/backends/backendSecrets';
import { describeRange, earlierRanges, saveFetchedFile, savedKindOfProfile } from '../../client/src/backends/fetchedFiles';
import { parseTagText, traceRows } from '../../client/src/backends/searchItems';
import { findTraceIds, findTraceIdsInGoLine, traceIdAt, traceIdInWord } from '../../client/src/backends/traceIdText';
import { captureFileType } from '../../client/src/capture/afterCapture';
import { generateOtlpTrace, serverPool, splitOtlpTraces, startTempoServer } from '../helpers/backendServers';

const ID = '4bf92f3577b34da6a3ce929d0e0e4736';

test('the setting accepts the kinds the backends core knows, and package.json lists the same', () => {
  assert.deepEqual([...BACKEND_SETTING_KINDS], FACE_KINDS.map((k) => k.kind));
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { items: { properties: { kind: { enum: string[] } } } }> } } };
  assert.deepEqual(pkg.contributes.configuration.properties[BackendSettings.backends.key]!.items.properties.kind.enum, [...BACKEND_SETTING_KINDS]);
});

test('goTraceLens.backends: valid entries are used, each bad one is left out with a sentence that says what to write', () => {
  const list = buildBackendList(
    {
      globalValue: [
        { name: 'tempo', kind: 'tempo', url: ' http://tempo:3200/ ' },
        { kind: 'pyroscope', url: 'http://localhost:4040' },
        { name: 'x', kind: 'honeycomb', url: 'http://h' },
        { name: 'y', kind: 'jaeger' },
        { name: 'z', kind: 'zipkin', url: 'zipkin:9411' },
        { name: 'w', kind: 'jaeger', url: 'http://alice:s3cret@jaeger:16686' },
        { name: 'v', kind: 'jaeger', url: 'http://jaeger:16686', token: 'abc' },
        { name: 'tempo', kind: 'jaeger', url: 'http://jaeger:16686' },
        'http://jaeger:16686',
      ],
    },
    true,
  );
  assert.deepEqual(list.backends.map((b) => [b.name, b.kind, b.key]), [['tempo', 'tempo', 'http://tempo:3200/'], ['pyroscope', 'pyroscope', 'http://localhost:4040/']]);
  const [kind, url, scheme, userInfo, token, duplicate, notObject] = list.problems;
  assert.match(kind!, /entry 3 "x": "honeycomb" is not a backend kind; use one of jaeger, tempo, zipkin, pyroscope, parca/);
  assert.match(url!, /entry 4 "y" has no "url": the backend's query API, e\.g\. http:\/\/localhost:16686/);
  assert.match(scheme!, /entry 5 "z": .*no scheme; add http:\/\/ or https:\/\//);
  assert.match(userInfo!, /entry 6 "w": the URL carries a user name or password; remove it and use "Go Trace Lens: Set Backend Credentials…"/);
  assert.ok(!list.problems.join('\n').includes('s3cret'), 'a password in a URL is never repeated');
  assert.match(token!, /entry 7 "v" has "token", which a backend does not take .*Set Backend Credentials…/);
  assert.match(duplicate!, /entry 8 "tempo": another backend is already named "tempo"/);
  assert.match(notObject!, /entry 9 is not an object/);
  assert.deepEqual(traceBackends(list.backends).map((b) => b.name), ['tempo']);
  assert.deepEqual(profileBackends(list.backends).map((b) => b.name), ['pyroscope']);
});

test('goTraceLens.backends: workspace entries count only in a trusted workspace, and come first', () => {
  const inspection = { workspaceValue: [{ name: 'team', kind: 'jaeger', url: 'http://jaeger:16686' }], globalValue: [{ name: 'mine', kind: 'zipkin', url: 'http://localhost:9411' }] };
  const trusted = buildBackendList(inspection, true);
  assert.deepEqual(trusted.backends.map((b) => [b.name, b.scope]), [['team', 'workspace'], ['mine', 'user']]);
  assert.equal(trusted.ignoredWorkspaceEntries, 0);
  const untrusted = buildBackendList(inspection, false);
  assert.deepEqual(untrusted.backends.map((b) => b.name), ['mine']);
  assert.equal(untrusted.ignoredWorkspaceEntries, 1);
  assert.match(buildBackendList({ globalValue: { kind: 'tempo' } }, true).problems[0]!, /must be a list/);
});

test('trace IDs in text: whole 32-hex tokens, not parts of longer hex, not all zeros; 16 or 32 under the cursor', () => {
  const line = `level=info trace_id=${ID} span=00f067aa0ba902b7 sha=${'a'.repeat(64)} zero=${'0'.repeat(32)} upper=${ID.toUpperCase()}`;
  const found = findTraceIds(line);
  assert.deepEqual(found.map((m) => m.traceId), [ID, ID]);
  assert.equal(line.slice(found[0]!.start, found[0]!.end), ID);
  assert.equal(traceIdAt(line, found[0]!.start + 5)?.traceId, ID);
  assert.equal(traceIdAt(line, 3), undefined);
  assert.deepEqual(findTraceIds(`{"traceId":"${ID}"}\n${ID}x ${ID}_1 ${ID}`).map((m) => m.start), [12, 3 * 32 + 12 + 2 + 2 + 4]);
  assert.equal(traceIdInWord(` "${ID.toUpperCase()}" `), ID);
  assert.equal(traceIdInWord('00f067aa0ba902b7'), '00f067aa0ba902b7');
  assert.equal(traceIdInWord('00f067aa0ba902b'), undefined);
  assert.equal(traceIdInWord('0000000000000000'), undefined);
  assert.equal(traceIdInWord('hello'), undefined);
});

test('trace IDs in Go: only inside string literals, not in code or comments', () => {
  assert.deepEqual(findTraceIdsInGoLine(`	log.Printf("trace %s", "${ID}") // ${ID}`).map((m) => m.start), [25]);
  assert.deepEqual(findTraceIdsInGoLine(`	const id = 0x${ID}`), []);
  assert.deepEqual(findTraceIdsInGoLine('	s := `raw ' + ID + '`').map((m) => m.traceId), [ID]);
  assert.deepEqual(findTraceIdsInGoLine(`	s := "a \\" ${ID}"`).map((m) => m.traceId), [ID]);
});

test('each failure offers the buttons that fix it; a missing trace or a cancel offers nothing to retry', () => {
  const labels = (code: Parameters<typeof backendErrorActions>[0]) => backendErrorActions(code).map((a) => BACKEND_ERROR_ACTION_LABELS[a]);
  assert.deepEqual(labels('unauthorized'), ['Set Backend Credentials…', 'Retry', 'Show Output']);
  assert.deepEqual(labels('connection-refused'), ['Open Settings', 'Retry', 'Show Output']);
  assert.deepEqual(labels('timeout'), ['Open Settings', 'Retry', 'Show Output']);
  assert.deepEqual(labels('html-page'), ['Open Settings', 'Show Output']);
  assert.deepEqual(labels('not-found'), ['Show Output']);
  assert.deepEqual(labels('cancelled'), []);
});

test('fetched files are named like captures, listed by the Captures view with their kind, opened by the right feature', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'gtl-backends-'));
  try {
    const time = new Date('2026-08-21T10:00:00Z');
    const first = await saveFetchedFile(folder, { backendName: 'prod tempo', kind: 'tempo', extension: 'json', data: '{"resourceSpans":[]}', time });
    const second = await saveFetchedFile(folder, { backendName: 'prod tempo', kind: 'tempo', extension: 'json', data: '{}', time });
    const profile = await saveFetchedFile(folder, { backendName: 'pyro', kind: savedKindOfProfile('pyroscope', { name: 'process_cpu', sampleType: 'cpu' }), extension: 'pb.gz', data: new Uint8Array([1]), time });
    assert.deepEqual(readdirSync(folder).sort(), ['prod_tempo-tempo-20260821T100000Z-2.json', 'prod_tempo-tempo-20260821T100000Z.json', 'pyro-cpu-20260821T100000Z.pb.gz']);
    assert.equal(readFileSync(first, 'utf8'), '{"resourceSpans":[]}', 'the first file is not overwritten');
    assert.match(second, /-2\.json$/);
    const listed = await listCaptures(folder);
    assert.deepEqual(listed.map((c) => [c.endpointName, c.kind]).sort(), [['prod_tempo', 'tempo'], ['prod_tempo', 'tempo'], ['pyro', 'cpu']]);
    assert.equal(captureFileType('tempo'), 'trace');
    assert.equal(captureFileType('pyroscope'), 'pprof');
    assert.equal(parseCaptureFileName(profile.split('/').pop()!)?.kind, 'cpu');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a folder that cannot be written leaves no file and says which folder', async (t) => {
  if (process.getuid?.() === 0) return t.skip('root writes anywhere');
  const parent = mkdtempSync(join(tmpdir(), 'gtl-backends-ro-'));
  try {
    chmodSync(parent, 0o500);
    await assert.rejects(saveFetchedFile(join(parent, 'captures'), { backendName: 'b', kind: 'jaeger', extension: 'json', data: '{}', time: new Date() }), /Cannot save into the captures folder .*captures \(EACCES\); choose another folder with goTraceLens\.capture\.folder/);
  } finally {
    chmodSync(parent, 0o700);
    rmSync(parent, { recursive: true, force: true });
  }
});

test('merged profile types map to the capture kinds; others keep the backend kind', () => {
  assert.equal(savedKindOfProfile('pyroscope', { name: 'memory', sampleType: 'inuse_space' }), 'heap');
  assert.equal(savedKindOfProfile('pyroscope', { name: 'memory', sampleType: 'alloc_objects' }), 'allocs');
  assert.equal(savedKindOfProfile('parca', { name: 'goroutine', sampleType: 'goroutine' }), 'goroutine');
  assert.equal(savedKindOfProfile('pyroscope', { name: 'mutex', sampleType: 'delay' }), 'mutex');
  assert.equal(savedKindOfProfile('parca', { name: 'parca_agent', sampleType: 'samples' }), 'parca');
});

test('earlier ranges: the one just before, a day and a week earlier, same length', () => {
  const range = { startMs: Date.parse('2026-08-21T10:00:00Z'), endMs: Date.parse('2026-08-21T11:00:00Z') };
  assert.deepEqual(earlierRanges(range).map((r) => describeRange(r.range)), ['2026-08-21 09:00:00–10:00:00 UTC', '2026-08-20 10:00:00–11:00:00 UTC', '2026-08-14 10:00:00–11:00:00 UTC']);
});

test('search rows: root, duration, span count, start and services; tags typed as key=value', () => {
  const [row] = traceRows([{ traceId: ID, rootService: 'gateway', rootName: 'GET /checkout', startUnixNano: '1787306400000000000', durationNs: 12_345_000, spanCount: 42, services: ['gateway', 'payments'] }]);
  assert.deepEqual(row, { label: 'gateway: GET /checkout', description: '12.3 ms · 42 spans · 2026-08-21 10:00:00 UTC', detail: `${ID} · 2 services: gateway, payments`, traceId: ID });
  assert.equal(traceRows([{ traceId: ID, rootService: 'a', rootName: 'b', startUnixNano: '0', durationNs: 850_000, spanCount: undefined, services: [] }])[0]!.description, '850 µs · 1970-01-01 00:00:00 UTC');
  assert.deepEqual(parseTagText('http.status_code=500, error=true'), { 'http.status_code': '500', error: 'true' });
  assert.match(parseTagText('error') as string, /"error" is not key=value/);
});

test('a configured backend with its stored token and tenant: the request carries both, the saved trace opens as spans', async (t) => {
  const pool = serverPool();
  t.after(pool.closeAll);
  const { traceId, document } = generateOtlpTrace(30);
  const tempo = await pool.serve(startTempoServer({ traces: splitOtlpTraces(document) }));
  const [backend] = buildBackendList({ globalValue: [{ name: 'tempo', kind: 'tempo', url: tempo.url }] }, true).backends as [ConfiguredBackend];
  assert.ok(takesTenant(backend));
  assert.match(backendCredentialsKey(backend), /^backend:tempo:http:\/\/127\.0\.0\.1:\d+\/$/);
  const secret = { auth: { scheme: 'bearer' as const, token: 'tok-123' }, tenant: 'acme' };
  assert.equal(describeBackendSecret(secret), 'a bearer token and tenant acme');
  const trace = await fetchTrace(backendSource(backend, secret), traceId);
  assert.equal(tempo.requests[0]!.headers.authorization, 'Bearer tok-123');
  assert.equal(tempo.requests[0]!.headers['x-scope-orgid'], 'acme');
  const folder = mkdtempSync(join(tmpdir(), 'gtl-backends-flow-'));
  try {
    const path = await saveFetchedFile(folder, { backendName: backend.name, kind: backend.kind, extension: 'json', data: trace.text, time: new Date() });
    assert.equal(summarizeSpanTrace(parseSpanTrace(readFileSync(path, 'utf8'))).spans, 30);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
