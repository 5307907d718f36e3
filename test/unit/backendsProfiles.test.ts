// Profiles from Pyroscope and Parca stand-ins: Pyroscope's Connect API (JSON with int64 as strings and
// empty lists left out; protobuf for SelectMergeProfile, decoded by the stand-in with Pyroscope's own
// message definition) and Parca's gRPC-web (requests decoded with Parca's query.proto, answers framed
// with trailers, or trailers-only for errors). The merged profile must be the profile the backend sent,
// byte for byte, whatever it was asked with; a query that matches nothing says so.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fetchProfile, listProfileLabelNames, listProfileLabelValues, listProfileTypes } from '../../core/backends/index.node';
import { decodeProfileBytes } from '../../core/profiles/index.node';
import { expectBackendError, parcaType, pyroscopeRequestType, serverPool, startParcaServer, startPyroscopeServer, type BackendServer } from '../helpers/backendServers';
import { sharedFixture } from '../helpers/sharedFixtures';

const pool = serverPool();
after(pool.closeAll);
const serve = pool.serve;


const LARGE_GZ = readFileSync(sharedFixture('pprof', 'large.cpu.pb.gz'));
const LARGE = gunzipSync(LARGE_GZ);
const PROFILE_TYPES = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'backends', 'pyroscope-profile-types.json'), 'utf8')) as { profileTypes: { ID: string }[] };
const RANGE = { startMs: Date.parse('2026-08-21T11:00:00Z'), endMs: Date.parse('2026-08-21T12:00:00.500Z') };

function pyroscope(options: Partial<Parameters<typeof startPyroscopeServer>[0]> = {}): Promise<BackendServer> {
  return serve(startPyroscopeServer({ profileTypes: PROFILE_TYPES, labelValues: { service_name: ['checkout', 'gateway'], region: [] }, profile: LARGE, ...options }));
}

test('Pyroscope: profile types and label values over Connect JSON, times as int64 strings in milliseconds', async () => {
  const server = await pyroscope();
  const source = { kind: 'pyroscope' as const, url: server.url };
  const types = await listProfileTypes(source, RANGE);
  assert.deepEqual(types.map((t) => t.id), PROFILE_TYPES.profileTypes.map((t) => t.ID));
  assert.deepEqual(types[0], { id: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds', name: 'process_cpu', sampleType: 'cpu', sampleUnit: 'nanoseconds', periodType: 'cpu', periodUnit: 'nanoseconds' });
  const sent = server.requests[0]!;
  assert.deepEqual([sent.method, sent.path, sent.headers['content-type'], sent.headers['connect-protocol-version']], ['POST', '/querier.v1.QuerierService/ProfileTypes', 'application/json', '1']);
  assert.deepEqual(JSON.parse(sent.body.toString()), { start: String(RANGE.startMs), end: String(RANGE.endMs) });

  assert.deepEqual(await listProfileLabelValues(source, 'service_name', RANGE), ['checkout', 'gateway']);
  assert.deepEqual(JSON.parse(server.requests.at(-1)!.body.toString()), { name: 'service_name', start: String(RANGE.startMs), end: String(RANGE.endMs) });
  // proto3 JSON leaves an empty list out: {} means no values.
  assert.deepEqual(await listProfileLabelValues(source, 'region', RANGE, { selector: '{service_name="checkout"}' }), []);
  assert.deepEqual(JSON.parse(server.requests.at(-1)!.body.toString()).matchers, ['{service_name="checkout"}']);
  assert.deepEqual(await listProfileLabelNames(source, RANGE), ['region', 'service_name']);
});

test('Pyroscope: SelectMergeProfile in protobuf, a short type resolved first; the profile is the bytes Pyroscope sent', async () => {
  const server = await pyroscope();
  const fetched = await fetchProfile({ kind: 'pyroscope', url: server.url }, { type: 'cpu', selector: '{service_name="checkout"}', range: RANGE });
  assert.deepEqual(server.requests.map((r) => r.path), ['/querier.v1.QuerierService/ProfileTypes', '/querier.v1.QuerierService/SelectMergeProfile']);
  const sent = server.requests[1]!;
  assert.equal(sent.headers['content-type'], 'application/proto');
  assert.equal(sent.headers.accept, 'application/proto');
  const request = pyroscopeRequestType().toObject(pyroscopeRequestType().decode(sent.body), { longs: String });
  assert.deepEqual(request, { profileTypeID: 'process_cpu:cpu:nanoseconds:cpu:nanoseconds', labelSelector: '{service_name="checkout"}', start: String(RANGE.startMs), end: String(RANGE.endMs) });
  assert.equal(fetched.gzipped, false);
  assert.ok(Buffer.from(fetched.bytes).equals(LARGE));
  assert.equal(fetched.type.id, 'process_cpu:cpu:nanoseconds:cpu:nanoseconds');
  assert.equal(fetched.sampleCount, decodeProfileBytes(LARGE).samples.count);

  // A full type ID is sent as it is, without listing the types.
  const before = server.requests.length;
  await fetchProfile({ kind: 'pyroscope', url: server.url }, { type: 'memory:inuse_space:bytes:space:bytes', selector: ' {service_name = "gateway"} ', range: RANGE });
  assert.deepEqual(server.requests.slice(before).map((r) => r.path), ['/querier.v1.QuerierService/SelectMergeProfile']);
  assert.equal((pyroscopeRequestType().decode(server.requests.at(-1)!.body) as unknown as { labelSelector: string }).labelSelector, '{service_name="gateway"}');
});

test('Pyroscope: nothing matching is no-data; a type it does not have lists the ones it has; a bad selector never leaves', async () => {
  const server = await pyroscope();
  const source = { kind: 'pyroscope' as const, url: server.url };
  await expectBackendError(fetchProfile(source, { type: 'cpu', selector: '{service_name="nobody"}', range: RANGE }), 'no-data', /has no process_cpu:cpu:nanoseconds:cpu:nanoseconds profiles matching \{service_name="nobody"\} from 2026-08-21T11:00:00\.000Z to 2026-08-21T12:00:00\.500Z\. Check the selector's labels/);
  await expectBackendError(fetchProfile(source, { type: 'wall', selector: '{service_name="checkout"}', range: RANGE }), 'bad-query', /has no profile type "wall"\. It has: process_cpu:cpu:nanoseconds:cpu:nanoseconds, process_cpu:samples:count/);
  const sent = server.requests.length;
  await expectBackendError(fetchProfile(source, { type: 'cpu', selector: "{service_name='checkout'}", range: RANGE }), 'bad-query', /values take double quotes/);
  await expectBackendError(fetchProfile({ kind: 'tempo', url: server.url }, { type: 'cpu', selector: '{}', range: RANGE }), 'bad-backend', /serves traces, not profiles\. For profiles use a backend of kind pyroscope or parca/);
  assert.equal(server.requests.length, sent);
});

test('Pyroscope multi-tenant: without a tenant it is "unauthorized" saying to set the tenant; with one, X-Scope-OrgID is sent', async () => {
  const server = await pyroscope({ tenant: 'team-a' });
  await expectBackendError(listProfileTypes({ kind: 'pyroscope', url: server.url }, RANGE), 'unauthorized', /answered 401 Unauthorized \("no org id"\) for the profile types: it is multi-tenant and needs to know the tenant\. Set the tenant for this backend \(sent as X-Scope-OrgID\)/);
  const types = await listProfileTypes({ kind: 'pyroscope', url: server.url, tenant: 'team-a' }, RANGE);
  assert.equal(types.length, PROFILE_TYPES.profileTypes.length);
  assert.equal(server.requests.at(-1)!.headers['x-scope-orgid'], 'team-a');
});

test('Parca: types (delta in the ID), labels and values, and a merged pprof over gRPC-web, asked as Parca\'s UI asks', async () => {
  const server = await serve(startParcaServer({
    types: [
      { name: 'parca_agent', sampleType: 'samples', sampleUnit: 'count', periodType: 'cpu', periodUnit: 'nanoseconds', delta: true },
      { name: 'memory', sampleType: 'inuse_space', sampleUnit: 'bytes', periodType: 'space', periodUnit: 'bytes' },
    ],
    labelValues: { comm: ['api', 'worker'], node: ['n1'] },
    profile: LARGE_GZ,
  }));
  const source = { kind: 'parca' as const, url: server.url };
  assert.deepEqual((await listProfileTypes(source, RANGE)).map((t) => t.id), ['parca_agent:samples:count:cpu:nanoseconds:delta', 'memory:inuse_space:bytes:space:bytes']);
  const first = server.requests[0]!;
  assert.deepEqual([first.path, first.headers['content-type'], first.headers['x-grpc-web']], ['/api/parca.query.v1alpha1.QueryService/ProfileTypes', 'application/grpc-web+proto', '1']);
  assert.deepEqual(await listProfileLabelNames(source, RANGE), ['comm', 'node']);
  assert.deepEqual(await listProfileLabelValues(source, 'comm', RANGE), ['api', 'worker']);

  const fetched = await fetchProfile(source, { type: 'samples', selector: '{comm="api"}', range: RANGE });
  assert.equal(fetched.gzipped, true);
  assert.ok(Buffer.from(fetched.bytes).equals(LARGE_GZ));
  const body = server.requests.at(-1)!.body;
  const query = parcaType('QueryRequest').toObject(parcaType('QueryRequest').decode(body.subarray(5, 5 + body.readUInt32BE(1))), { longs: String, enums: String });
  assert.deepEqual(query, {
    mode: 'MODE_MERGE',
    merge: { query: 'parca_agent:samples:count:cpu:nanoseconds:delta{comm="api"}', start: { seconds: String(RANGE.startMs / 1000) }, end: { seconds: String(Math.floor(RANGE.endMs / 1000)), nanos: 500_000_000 } },
    reportType: 'REPORT_TYPE_PPROF',
  });

  // The API path is not doubled when the URL already ends in /api.
  await listProfileTypes({ kind: 'parca', url: `${server.url}/api` }, RANGE);
  assert.equal(server.requests.at(-1)!.path, '/api/parca.query.v1alpha1.QueryService/ProfileTypes');
  // NOT_FOUND in a trailers-only answer: nothing matched.
  await expectBackendError(fetchProfile(source, { type: 'samples', selector: '{comm="nobody"}', range: RANGE }), 'no-data', /^Parca at http:\/\/127\.0\.0\.1:\d+ has no parca_agent:samples:count:cpu:nanoseconds:delta profiles matching \{comm="nobody"\}/);
});

test('a merged profile that is not pprof is refused before anyone writes it', async () => {
  const server = await pyroscope({ profile: Buffer.from('{"message":"not a profile"}') });
  await expectBackendError(fetchProfile({ kind: 'pyroscope', url: server.url }, { type: 'cpu', selector: '{service_name="checkout"}', range: RANGE }), 'invalid-answer', /sent a merged profile that is not a pprof profile: /);
});
