// `go-trace-lens trace get|search` and `pprof get`, run in-process through runCli against the backend
// stand-ins: the file `trace get` writes is read by `trace summary` as the backend's own trace; `pprof get`
// writes a gzipped profile whose `pprof top` equals go tool pprof's on the profile the backend sent;
// credentials from the environment are sent and never printed; failures exit 1 and leave no file; usage
// mistakes exit 2 with what to type.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { runCli } from '../../cli/main';
import type { CliIO } from '../../cli/io';
import { refusingPort } from '../helpers/captureServers';
import { requireGo } from '../helpers/goToolchain';
import { toolTop } from '../helpers/pprofTool';
import { sharedFixture } from '../helpers/sharedFixtures';
import { serverPool, splitOtlpTraces, startJaegerServer, startPyroscopeServer, startTempoServer, startZipkinServer, type OtlpDocument } from '../helpers/backendServers';

const TOKEN = 'cli-backend-token-7f31c2';
const scratch = mkdtempSync(join(tmpdir(), 'gtl-backends-cli-'));
const pool = serverPool();
after(async () => {
  await pool.closeAll();
  rmSync(scratch, { recursive: true, force: true });
});
const serve = pool.serve;

async function cli(argv: string[], env: Record<string, string> = {}, cwd = scratch): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { cwd, out: (text) => (out += text), err: (text) => (err += text) };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const code = await runCli(argv, io);
    return { code, out, err };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const PROBLEMS = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'traces', 'problems.otlp.json'), 'utf8')) as OtlpDocument;
const ZIPKIN = JSON.parse(readFileSync(sharedFixture('spans', 'zipkin-messaging.json'), 'utf8')) as Record<string, unknown>[];
const LARGE_GZ = sharedFixture('pprof', 'large.cpu.pb.gz');
const PROFILE_TYPES = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'backends', 'pyroscope-profile-types.json'), 'utf8')) as unknown;

test('trace get --out writes a span file that trace summary reads as the backend\'s trace; the token from the environment is sent and never printed', async () => {
  const tempo = await serve(startTempoServer({ traces: splitOtlpTraces(PROBLEMS) }));
  const file = join(scratch, 'traces', 'checkout.json');
  const id = '04'.repeat(16);
  const run = await cli(['trace', 'get', '--backend', 'tempo', '--url', tempo.url, '--out', file, '--verbose', id.toUpperCase()], { GO_TRACE_LENS_TOKEN: TOKEN, GO_TRACE_LENS_TENANT: 'team-a' });
  assert.equal(run.code, 0, run.err);
  assert.equal(run.out, `${file}\n`);
  assert.match(run.err, new RegExp(`fetched trace ${id}: 4 spans, 2 services, 2 broken-chain problems \\(see "trace summary"\\), [\\d.]+ K?B from ${tempo.url}/api/v2/traces/${id}, saved to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));
  assert.ok(!run.err.includes(TOKEN) && !run.out.includes(TOKEN));
  assert.match(run.err, /Authorization: \[redacted\], X-Scope-OrgID: team-a/);
  assert.equal(tempo.requests.at(-1)!.headers.authorization, `Bearer ${TOKEN}`);
  assert.equal(tempo.requests.at(-1)!.headers['x-scope-orgid'], 'team-a');

  const fromBackend = await cli(['trace', 'summary', '--format', 'json', file]);
  const original = join(scratch, 'original.json');
  writeFileSync(original, JSON.stringify(splitOtlpTraces(PROBLEMS).get(id)));
  const fromOriginal = await cli(['trace', 'summary', '--format', 'json', original]);
  assert.equal(fromBackend.code, 1, 'the trace has broken chains');
  assert.equal(fromBackend.out, fromOriginal.out);
  assert.deepEqual(readdirSync(join(scratch, 'traces')), ['checkout.json'], 'no temporary file is left');
});

test('trace get without --out prints the trace on stdout; Zipkin and Jaeger too', async () => {
  const zipkin = await serve(startZipkinServer([ZIPKIN]));
  const run = await cli(['trace', 'get', '--backend', 'zipkin', '--url', zipkin.url, String(ZIPKIN[0]!.traceId)]);
  assert.equal(run.code, 0, run.err);
  assert.deepEqual(JSON.parse(run.out), ZIPKIN);
  const jaeger = await serve(startJaegerServer({ uiTraces: JSON.parse(readFileSync(sharedFixture('spans', 'jaeger-ui-otlp2jaeger-out.json'), 'utf8')).data }));
  const viaJaeger = await cli(['trace', 'get', '--backend', 'jaeger', '--url', jaeger.url, '83a9efd1-5c1c-98a9-77e0-711cc93ee28b'], { GO_TRACE_LENS_BASIC_AUTH: `reader:${TOKEN}` });
  assert.equal(viaJaeger.code, 0, viaJaeger.err);
  assert.match(viaJaeger.out, /^\{\s*"data"/);
  assert.equal(jaeger.requests.at(-1)!.headers.authorization, `Basic ${Buffer.from(`reader:${TOKEN}`).toString('base64')}`);
});

test('trace get failures exit 1 with the core\'s message and leave an existing file as it was', async () => {
  const tempo = await serve(startTempoServer({ traces: new Map() }));
  const file = join(scratch, 'kept.json');
  writeFileSync(file, 'earlier trace');
  const missing = await cli(['trace', 'get', '--backend', 'tempo', '--url', tempo.url, '--out', file, 'feedfacefeedfacefeedfacefeedface']);
  assert.equal(missing.code, 1);
  assert.equal(missing.out, '');
  assert.match(missing.err, /^go-trace-lens trace get: There is no such trace feedfacefeedfacefeedfacefeedface in Grafana Tempo at http:\/\/127\.0\.0\.1:\d+\. Check the ID/);
  assert.equal(readFileSync(file, 'utf8'), 'earlier trace');

  const port = await refusingPort();
  const refused = await cli(['trace', 'get', '--backend', 'jaeger', '--url', `http://127.0.0.1:${port}`, '4bf92f3577b34da6a3ce929d0e0e4736'], { GO_TRACE_LENS_TOKEN: TOKEN });
  assert.equal(refused.code, 1);
  assert.match(refused.err, /Connection refused by 127\.0\.0\.1:\d+ \(Jaeger at/);
});

test('401 adds how to pass credentials on the command line', async () => {
  const guarded = await serve(startPyroscopeServer({ profileTypes: PROFILE_TYPES, labelValues: {}, profile: new Uint8Array(), tenant: 'x' }));
  const run = await cli(['pprof', 'get', '--backend', 'pyroscope', '--url', guarded.url, '--type', 'cpu', '--selector', '{service_name="a"}']);
  assert.equal(run.code, 1);
  assert.match(run.err, /needs to know the tenant\. Set the tenant for this backend \(sent as X-Scope-OrgID\)\. On the command line: GO_TRACE_LENS_TOKEN=TOKEN or GO_TRACE_LENS_BASIC_AUTH=user:password \(or --header 'Authorization: …'\), and GO_TRACE_LENS_TENANT=TENANT for a multi-tenant backend\.\n$/);
});

test('trace search prints a table, or JSON with spanCount null when the backend does not say', async () => {
  const tempo = await serve(startTempoServer({ traces: splitOtlpTraces(PROBLEMS) }));
  const text = await cli(['trace', 'search', '--backend', 'tempo', '--url', tempo.url, '--service', 'frontend', '--tag', 'http.method=GET', '--min-duration', '20ms', '--since', '2h', '--limit', '3']);
  assert.equal(text.code, 0, text.err);
  const lines = text.out.trimEnd().split('\n');
  assert.match(lines[0]!, /^TRACE ID\s+START \(UTC\)\s+DURATION\s+SPANS\s+ROOT$/);
  assert.equal(lines.length, 4);
  assert.match(lines[1]!, /^01010101010101010101010101010101 {2}2023-11-14 22:13:20\.000Z\s+\d+\.\d+ ms\s+3 {2}frontend: GET \/checkout {2}\(2 services\)$/);
  const sent = tempo.requests.at(-1)!;
  assert.equal(sent.query.get('q'), '{ resource.service.name = "frontend" && .http.method = "GET" && duration >= 20ms }');
  // Two hours, in whole seconds rounded outwards.
  assert.ok([7200, 7201].includes(Number(sent.query.get('end')) - Number(sent.query.get('start'))));

  const older = await serve(startTempoServer({ traces: splitOtlpTraces(PROBLEMS), noServiceStats: true }));
  const json = await cli(['trace', 'search', '--backend', 'tempo', '--url', older.url, '--service', 'frontend', '--format', 'json']);
  const parsed = JSON.parse(json.out) as { traces: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(parsed.traces[0]!), ['traceId', 'rootService', 'rootName', 'startUnixNano', 'durationNs', 'spanCount', 'services']);
  assert.deepEqual(parsed.traces[0], { traceId: '01'.repeat(16), rootService: 'frontend', rootName: 'GET /checkout', startUnixNano: '1700000000000000000', durationNs: 100e6, spanCount: null, services: ['frontend'] });
  const olderText = await cli(['trace', 'search', '--backend', 'tempo', '--url', older.url, '--service', 'frontend']);
  assert.match(olderText.out.split('\n')[1]!, /\s\? {2}frontend: GET \/checkout$/);

  const none = await cli(['trace', 'search', '--backend', 'zipkin', '--url', (await serve(startZipkinServer([ZIPKIN]))).url, '--service', 'nobody', '--from', '2026-08-21T10:00:00Z', '--to', '2026-08-21T11:00:00Z']);
  assert.equal(none.code, 0);
  assert.equal(none.out, '');
  assert.equal(none.err, 'No traces of nobody match in 2026-08-21T10:00:00.000Z to 2026-08-21T11:00:00.000Z.\n');
});

test('pprof get saves the merged profile gzipped; pprof top on it has go tool pprof\'s numbers for the profile Pyroscope sent', async (t) => {
  const raw = gunzipSync(readFileSync(LARGE_GZ));
  const pyroscope = await serve(startPyroscopeServer({ profileTypes: PROFILE_TYPES, labelValues: { service_name: ['checkout'] }, profile: raw }));
  const cwd = join(scratch, 'profiles');
  mkdirSync(cwd);
  const run = await cli(['pprof', 'get', '--backend', 'pyroscope', '--url', pyroscope.url, '--type', 'cpu', '--selector', '{service_name="checkout"}', '--from', '2026-08-21T10:00:00Z', '--to', '2026-08-21T11:00:00Z'], {}, cwd);
  assert.equal(run.code, 0, run.err);
  const file = run.out.trim();
  assert.match(file, new RegExp(`^${cwd.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\.pprof/pyroscope-cpu-\\d{8}T\\d{6}Z\\.pb\\.gz$`));
  assert.match(run.err, /^saved the merged process_cpu:cpu:nanoseconds:cpu:nanoseconds profile of \{service_name="checkout"\} \(20,430 samples, 2026-08-21T10:00:00\.000Z to 2026-08-21T11:00:00\.000Z, [\d.]+ [KM]B\) from http:\/\/127\.0\.0\.1:\d+\/querier\.v1\.QuerierService\/SelectMergeProfile to /);
  assert.ok(gunzipSync(readFileSync(file)).equals(raw), 'the file is the profile Pyroscope sent, gzipped');
  if (!requireGo((why) => t.skip(why))) return;
  const top = await cli(['pprof', 'top', '--format', 'json', '--node-fraction', '0', '--sample-index', 'cpu', file]);
  assert.equal(top.code, 0, top.err);
  const rows = (JSON.parse(top.out) as { rows: { function: string; flat: number; cum: number }[] }).rows;
  assert.deepEqual(rows.map((r) => [r.function, r.flat, r.cum]), toolTop(LARGE_GZ, { sampleIndex: 1, unit: 'nanoseconds' }).map((r) => [r.name, r.flat, r.cum]));
});

test('pprof get failures: nothing matched exits 1 with no file; an unknown type lists the types and exits 2', async () => {
  const pyroscope = await serve(startPyroscopeServer({ profileTypes: PROFILE_TYPES, labelValues: { service_name: ['checkout'] }, profile: gunzipSync(readFileSync(LARGE_GZ)) }));
  const out = join(scratch, 'none', 'p.pb.gz');
  const nothing = await cli(['pprof', 'get', '--backend', 'pyroscope', '--url', pyroscope.url, '--type', 'cpu', '--selector', '{service_name="nobody"}', '--out', out]);
  assert.equal(nothing.code, 1);
  assert.match(nothing.err, /has no process_cpu:cpu:nanoseconds:cpu:nanoseconds profiles matching \{service_name="nobody"\} from /);
  assert.equal(existsSync(out), false);
  const unknown = await cli(['pprof', 'get', '--backend', 'pyroscope', '--url', pyroscope.url, '--type', 'wall', '--selector', '{service_name="checkout"}']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /^go-trace-lens pprof: Grafana Pyroscope at http:\/\/127\.0\.0\.1:\d+ has no profile type "wall"\. It has: process_cpu:cpu:nanoseconds:cpu:nanoseconds, /);
});

test('usage mistakes exit 2 and say what to type', async () => {
  const cases: [string[], RegExp][] = [
    [['trace', 'get', '--url', 'http://x', 'abc'], /--backend is required: one of jaeger, tempo, zipkin\. Example: go-trace-lens trace get --backend tempo/],
    [['trace', 'get', '--backend', 'pyroscope', '--url', 'http://x', 'abc'], /Grafana Pyroscope serves profiles: use it with "pprof get"\. Here --backend takes jaeger, tempo, zipkin/],
    [['trace', 'get', '--backend', 'tempo', 'abc'], /--url is required, e\.g\. --url http:\/\/localhost:3200/],
    [['trace', 'get', '--backend', 'tempo', '--url', 'http://127.0.0.1:9', 'not-a-trace'], /"not-a-trace" is not a trace ID: it contains "n", which is not a hex digit/],
    [['trace', 'get', '--backend', 'tempo', '--url', 'tempo:3200', 'abc'], /"tempo:3200" is not a Grafana Tempo URL/],
    [['trace', 'get', '--backend', 'tempo', '--url', 'http://x', '--header', 'Authorization Bearer x', 'abc'], /--header: A header must look like 'Name: value'/],
    [['trace', 'search', '--backend', 'jaeger', '--url', 'http://x'], /--service is required/],
    [['trace', 'search', '--backend', 'jaeger', '--url', 'http://x', '--service', 's', '--min-duration', '5'], /The minimum duration "5" is not a duration/],
    [['trace', 'search', '--backend', 'jaeger', '--url', 'http://x', '--service', 's', '--tag', 'oops'], /--tag takes KEY=VALUE \(got "oops"\)/],
    [['trace', 'search', '--backend', 'jaeger', '--url', 'http://x', '--service', 's', '--since', '1h', '--from', '1787306400'], /either a duration to look back \(since\) or a start time \(from\), not both/],
    [['pprof', 'get', '--backend', 'parca', '--url', 'http://x', '--selector', '{}'], /--type is required/],
    [['pprof', 'get', '--backend', 'parca', '--url', 'http://x', '--type', 'cpu', '--selector', 'comm=api'], /must be enclosed in \{ and \}/],
  ];
  for (const [argv, message] of cases) {
    const run = await cli(argv);
    assert.equal(run.code, 2, `${argv.join(' ')}: ${run.err}`);
    assert.match(run.err, message, argv.join(' '));
  }
  const both = await cli(['trace', 'get', '--backend', 'tempo', '--url', 'http://x', 'abc'], { GO_TRACE_LENS_TOKEN: TOKEN, GO_TRACE_LENS_BASIC_AUTH: 'a:b' });
  assert.equal(both.code, 2);
  assert.match(both.err, /both GO_TRACE_LENS_TOKEN and GO_TRACE_LENS_BASIC_AUTH are set; set one/);
  const help = await cli(['trace', 'get', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /go-trace-lens trace get --backend jaeger\|tempo\|zipkin --url URL \[--out FILE\] TRACE_ID/);
  assert.match(help.out, /GO_TRACE_LENS_TOKEN \(a bearer token\) or GO_TRACE_LENS_BASIC_AUTH \(user:password\)/);
});
