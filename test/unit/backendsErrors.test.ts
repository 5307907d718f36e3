// Every way asking a backend can go wrong, each on a real socket on 127.0.0.1: refused, unresolvable,
// silent, stalled, TLS, 401/403 (code `unauthorized`, so the extension can offer "Set Credentials…"), a
// 404 that is not the backend's API, a proxy's 502, the backend's own 400, an HTML page, an answer over
// the size cap or cut short (also inside gzip), invalid JSON, protobuf or gRPC-web, redirects, and a
// cancel. Each ends in a BackendError whose message names the backend and what to do, never a secret.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { BackendSource } from '../../core/backends';
import { fetchTrace, listProfileTypes, searchTraces, type TransportOptions } from '../../core/backends/index.node';
import { LOGIN_PAGE, refusingPort, startDrippingServer, startHangingServer, startHttpServer, startShortBodyServer, startStatusServer } from '../helpers/captureServers';
import { makeSelfSignedCertificate, startHttpsServer } from '../helpers/captureTls';
import { expectBackendError, serverPool, startRecordingServer } from '../helpers/backendServers';

const TOKEN = 'backend-secret-5c1e90aa';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const RANGE = { startMs: Date.parse('2026-08-21T11:00:00Z'), endMs: Date.parse('2026-08-21T12:00:00Z') };
const pool = serverPool();
after(pool.closeAll);
const serve = pool.serve;

function jaeger(url: string, extra: Partial<BackendSource> = {}): BackendSource {
  return { kind: 'jaeger', url, ...extra };
}

const failure = (promise: Promise<unknown>, code: string, message: RegExp) => expectBackendError(promise, code, message, TOKEN);

function get(url: string, options: TransportOptions = {}, extra: Partial<BackendSource> = {}): Promise<unknown> {
  return fetchTrace(jaeger(url, extra), TRACE_ID, options);
}

describe('the connection', () => {
  test('refused: is the backend running on that port', async () => {
    const port = await refusingPort();
    const error = await failure(get(`http://127.0.0.1:${port}`), 'connection-refused', new RegExp(`^Connection refused by 127\\.0\\.0\\.1:${port} \\(Jaeger at http://127\\.0\\.0\\.1:${port}\\)\\. Is Jaeger running and serving its query API on that port \\(e\\.g\\. http://localhost:16686\\)\\?`));
    assert.equal(error.details.systemCode, 'ECONNREFUSED');
  });

  test('a host name that does not resolve', async () => {
    await failure(get('http://no-such-tempo.invalid:3200'), 'dns', /^The host name in http:\/\/no-such-tempo\.invalid:3200\/api\/traces\/4bf9.* could not be resolved \((ENOTFOUND|EAI_AGAIN)\)\. Check the spelling of the backend's host/);
  });

  test('a backend that accepts and never answers times out on silence, or on the whole exchange', async () => {
    const server = await serve(startHangingServer());
    await failure(get(server.origin, { idleTimeoutMs: 150 }), 'timeout', new RegExp(`^127\\.0\\.0\\.1:${server.port} accepted the connection but did not answer within 150 ms \\(http://127\\.0\\.0\\.1:${server.port}/api/traces/${TRACE_ID}\\)\\. The backend or the network is slow or stuck`));
    await failure(get(server.origin, { timeoutMs: 200 }), 'timeout', /did not complete within 200 ms; no answer arrived\. The backend or the network is slow or stuck: retry, narrow the query, or allow more time/);
  });

  test('an answer that stops flowing times out as stalled', async () => {
    const server = await serve(startDrippingServer());
    await failure(get(server.origin, { idleTimeoutMs: 300 }), 'timeout', /^The answer with the trace 4bf9.* from http:\/\/127\.0\.0\.1:\d+\/api\/traces\/4bf9.* stalled: nothing arrived for 300 ms after \d+ B\./);
  });

  test('TLS: an untrusted certificate is refused before any credential is sent; trusting its CA works; TLS to a plain-HTTP port says to use http://', async () => {
    const certificate = makeSelfSignedCertificate();
    const server = await serve(startHttpsServer(certificate, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ data: [{ traceID: TRACE_ID, spans: [{ traceID: TRACE_ID, spanID: '00f067aa0ba902b7', operationName: 'GET /', startTime: 1, duration: 2, processID: 'p1' }], processes: { p1: { serviceName: 'web' } } }] }));
    }));
    await failure(get(server.origin, {}, { credentials: { bearerToken: TOKEN } }), 'tls', new RegExp(`^The TLS connection to 127\\.0\\.0\\.1:${server.port} was refused because its certificate is self-signed \\(DEPTH_ZERO_SELF_SIGNED_CERT\\)\\. Trust its certificate authority`));
    assert.equal(server.requests.length, 0);
    assert.equal(((await get(server.origin, { ca: certificate.certPem })) as { spanCount: number }).spanCount, 1);
    const plain = await serve(startStatusServer(200, 'hello'));
    await failure(get(plain.origin.replace('http:', 'https:')), 'tls', /did not answer with TLS \((EPROTO|ERR_SSL_WRONG_VERSION_NUMBER)\): it serves plain HTTP\. Use http:\/\/ in the backend's URL/);
  });

  test('cancelling while the backend works stops at once, with nothing kept', async () => {
    let arrived!: () => void;
    const asked = new Promise<void>((resolve) => (arrived = resolve));
    const server = await serve(startHttpServer(() => arrived()));
    const controller = new AbortController();
    const pending = get(server.origin, { signal: controller.signal });
    await asked;
    controller.abort();
    await failure(pending, 'cancelled', new RegExp(`^Asking http://127\\.0\\.0\\.1:${server.port}/api/traces/${TRACE_ID} for the trace ${TRACE_ID} was cancelled; nothing was kept\\.$`));
    await failure(get(server.origin, { signal: AbortSignal.abort() }), 'cancelled', /was cancelled/);
  });
});

describe('statuses', () => {
  test('401 without credentials: set credentials; with a token: it was rejected; 403: not allowed; the token never shows, not even in the log', async () => {
    const server = await serve(startStatusServer(401, 'unauthorized\n'));
    const noCredentials = await failure(get(server.origin), 'unauthorized', new RegExp(`^Jaeger at ${server.origin} answered 401 Unauthorized \\("unauthorized"\\) for the trace ${TRACE_ID}: it needs credentials\\. Set credentials for this backend \\(a bearer token or basic auth\\)\\.$`));
    assert.equal(noCredentials.details.status, 401);
    const lines: string[] = [];
    await failure(get(server.origin, { log: (line) => lines.push(line) }, { credentials: { bearerToken: TOKEN } }), 'unauthorized', /: the credentials sent were rejected\. Check or renew the token or password set for this backend\.$/);
    assert.match(lines[0]!, /^GET http:\/\/127\.0\.0\.1:\d+\/api\/traces\/4bf9\S+ \(headers: Authorization: \[redacted\], Accept: application\/json, Accept-Encoding: gzip, User-Agent: go-trace-lens\)$/);
    assert.ok(lines.every((line) => !line.includes(TOKEN)));
    assert.equal(server.requests.at(-1)!.authorization, `Bearer ${TOKEN}`);

    const forbidden = await serve(startStatusServer(403, JSON.stringify({ errors: [{ code: 403, msg: `token ${TOKEN} may not read team-b` }] }), { 'Content-Type': 'application/json' }));
    const error = await failure(get(forbidden.origin, {}, { credentials: { bearerToken: TOKEN } }), 'unauthorized', /answered 403 Forbidden \("token \[redacted\] may not read team-b"\) .*: the credentials sent are not allowed to read it/);
    assert.equal(error.details.status, 403);
    // Basic auth in the URL: sent, never shown.
    await failure(get(forbidden.origin.replace('//', `//reader:${TOKEN}@`)), 'unauthorized', /^Jaeger at http:\/\/127\.0\.0\.1:\d+ answered 403/);
    assert.equal(forbidden.requests.at(-1)!.authorization, `Basic ${Buffer.from(`reader:${TOKEN}`).toString('base64')}`);
  });

  test('a login page (200 or 401) names the page; a 404 that is not the API says to check the URL', async () => {
    const login = await serve(startStatusServer(200, LOGIN_PAGE, { 'Content-Type': 'text/html; charset=utf-8' }));
    await failure(get(login.origin), 'html-page', /returned an HTML page \("Sign in - Example SSO"\) instead of the trace 4bf9\S+\. The URL leads to a web page \(a login page, a proxy's page, or a web UI\) rather than Jaeger's query API: check the backend's URL \(e\.g\. http:\/\/localhost:16686\) and its credentials\./);
    const wall = await serve(startStatusServer(401, LOGIN_PAGE, { 'Content-Type': 'text/html' }));
    await failure(get(wall.origin), 'unauthorized', /answered 401 Unauthorized \("an HTML page, "Sign in - Example SSO""\)/);
    const other = await serve(startStatusServer(404, '404 page not found\n'));
    await failure(searchTraces({ kind: 'tempo', url: other.origin }, { service: 'x', range: RANGE }), 'not-found', /^Grafana Tempo at http:\/\/127\.0\.0\.1:\d+ answered 404 Not Found \("404 page not found"\) for the traces of x: the URL does not lead to Grafana Tempo's query API\. Check the backend's URL \(e\.g\. http:\/\/localhost:3200\)/);
  });

  test('the backend\'s 400 is quoted; a proxy\'s 502 and a 500 say what to check', async () => {
    const bad = await serve(startStatusServer(400, JSON.stringify({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 400, msg: "unable to parse param 'minDuration': time: unknown unit" }] }) + '\n'));
    await failure(searchTraces(jaeger(bad.origin), { service: 'x', minDurationNs: 1, range: RANGE }), 'rejected', /answered 400 Bad Request \("unable to parse param 'minDuration': time: unknown unit"\) for the traces of x: the backend refused the query/);
    const gateway = await serve(startStatusServer(502, '<html><head><title>502 Bad Gateway</title></head></html>', { 'Content-Type': 'text/html' }));
    await failure(get(gateway.origin), 'http-error', /answered 502 Bad Gateway \("an HTML page, "502 Bad Gateway""\) .*: a proxy in front of it could not get an answer, or it is starting or overloaded/);
    const broken = await serve(startStatusServer(500, 'storage unavailable\n'));
    await failure(get(broken.origin), 'http-error', /answered 500 Internal Server Error \("storage unavailable"\) .*\. The backend failed: check its logs, then retry\.$/);
  });

  test('redirects: followed on the same origin, reported when they lead elsewhere', async () => {
    const target = await serve(startStatusServer(200, JSON.stringify({ data: [{ traceID: TRACE_ID, spans: [{ traceID: TRACE_ID, spanID: '01', operationName: 'x', startTime: 1, duration: 1 }] }] }), { 'Content-Type': 'application/json' }));
    const same = await serve(startHttpServer((req, res) => {
      if (req.url!.startsWith('/jaeger/')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ data: [{ traceID: TRACE_ID, spans: [{ traceID: TRACE_ID, spanID: '01', operationName: 'x', startTime: 1, duration: 1 }] }] }));
        return;
      }
      res.writeHead(301, { Location: `/jaeger${req.url}` });
      res.end();
    }));
    assert.equal(((await get(same.origin)) as { url: string }).url, `${same.origin}/jaeger/api/traces/${TRACE_ID}`);
    const elsewhere = await serve(startHttpServer((req, res) => {
      res.writeHead(302, { Location: `${target.origin}${req.url}` });
      res.end();
    }));
    await failure(get(elsewhere.origin, {}, { credentials: { bearerToken: TOKEN } }), 'redirect', new RegExp(`redirects to ${target.origin}/api/traces/${TRACE_ID} \\(another origin, where the backend's credentials are not sent\\)\\. Use the URL the backend is really served at in its settings \\(${target.origin}\\)`));
    assert.equal(target.requests.length, 0);
  });
});

describe('answers', () => {
  test('over the size cap: announced, or streamed past it, or inflated past it by gzip', async () => {
    const big = Buffer.alloc(64 * 1024, 0x20);
    const announced = await serve(startStatusServer(200, big.toString(), { 'Content-Type': 'application/json', 'Content-Length': String(big.length) }));
    const error = await failure(get(announced.origin, { maxBytes: 32 * 1024 }), 'too-large', /announces 64\.0 KB, over the size cap of 32\.0 KB; it was stopped and nothing was kept\. Raise the size cap, or narrow the query/);
    assert.equal(error.details.limitBytes, 32 * 1024);
    const streamed = await serve(startHttpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      for (let i = 0; i < 8; i++) res.write(big.subarray(0, 16 * 1024));
      res.end();
    }));
    await failure(get(streamed.origin, { maxBytes: 32 * 1024 }), 'too-large', /sent more than 32\.0 KB, over the size cap of 32\.0 KB/);
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    const gzipped = await serve(startHttpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': String(bomb.length) });
      res.end(bomb);
    }));
    await failure(get(gzipped.origin, { maxBytes: 1024 * 1024 }), 'too-large', /sent more than 1\.0 MB, over the size cap of 1\.0 MB/);
  });

  test('cut short: fewer bytes than Content-Length before the connection closed, or a gzip stream that ends early', async () => {
    const body = Buffer.from(JSON.stringify({ data: [{ traceID: TRACE_ID, spans: [] }] }));
    const short = await serve(startShortBodyServer(body));
    const error = await failure(get(short.origin), 'truncated', new RegExp(`^The answer with the trace ${TRACE_ID} from http://127\\.0\\.0\\.1:\\d+/api/traces/${TRACE_ID} stopped after ${body.length} B of the ${body.length * 2} B announced.*: it is incomplete and was not used\\. Retry`));
    assert.equal(error.details.bytesReceived, body.length);
    const zipped = gzipSync(Buffer.alloc(200_000, 0x61));
    const cut = zipped.subarray(0, zipped.length - 40);
    const gzipCut = await serve(startHttpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': String(cut.length) });
      res.end(cut);
    }));
    await failure(get(gzipCut.origin), 'truncated', /stopped after \d+ B .*\(Z_BUF_ERROR\): it is incomplete/);
  });

  test('not what the API sends: invalid JSON, JSON of another shape, protobuf that does not decode, broken gRPC-web', async () => {
    const cutJson = await serve(startStatusServer(200, '{"data":[{"traceID":"4bf9', { 'Content-Type': 'application/json' }));
    await failure(get(cutJson.origin), 'invalid-answer', /^Jaeger at http:\/\/127\.0\.0\.1:\d+ sent the trace 4bf9\S+ in a form Go Trace Lens does not read \(invalid JSON: .*\)\. Check that the URL is the Jaeger query API and that no proxy rewrites its answers/);
    const otherShape = await serve(startStatusServer(200, '{"traces":[]}', { 'Content-Type': 'application/json' }));
    await failure(get(otherShape.origin), 'invalid-answer', /\(no "data" in the answer\)/);
    const empty = await serve(startStatusServer(200, '', { 'Content-Type': 'application/json' }));
    await failure(get(empty.origin), 'invalid-answer', /\(an empty body where JSON belongs\)/);
    const garbage = await serve(startStatusServer(200, '\x0a\xff\xff\xff\xff\x0f', { 'Content-Type': 'application/protobuf' }));
    await failure(fetchTrace({ kind: 'tempo', url: garbage.origin }, TRACE_ID), 'invalid-answer', /^Grafana Tempo at .* sent the trace 4bf9\S+ in a form Go Trace Lens does not read \(protobuf that does not decode: /);
    const frames = await serve(startStatusServer(200, '\x00\x00\x00\x01\x00\x0a', { 'Content-Type': 'application/grpc-web+proto' }));
    await failure(listProfileTypes({ kind: 'parca', url: frames.origin }, RANGE), 'invalid-answer', /\(a gRPC-web frame of 256 bytes with only 1 left\)/);
  });

  test('gRPC statuses in a gRPC-web answer: unauthenticated and permission denied are unauthorized, invalid argument is rejected with its reason', async () => {
    const statuses = [[16, 'unauthorized', /answered UNAUTHENTICATED \("missing bearer token"\) for the profile types: it needs credentials/], [7, 'unauthorized', /answered PERMISSION_DENIED/], [3, 'rejected', /answered INVALID_ARGUMENT \("missing bearer token"\) .*: the backend refused the query/], [14, 'http-error', /the backend is unavailable/]] as const;
    for (const [status, code, message] of statuses) {
      const server = await serve(startRecordingServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/grpc-web+proto', 'grpc-status': String(status), 'grpc-message': encodeURIComponent('missing bearer token') });
        res.end();
      }));
      const error = await failure(listProfileTypes({ kind: 'parca', url: server.url }, RANGE), code, message);
      assert.match(error.details.systemCode ?? '', /^[A-Z_]+$/);
    }
  });

  test('progress reports the bytes as they arrive, with the announced size, ending at the whole answer', async () => {
    const spans = Array.from({ length: 3000 }, (_, i) => ({ traceID: TRACE_ID, spanID: i.toString(16).padStart(16, '0'), operationName: `op ${i}`, startTime: 1000 + i, duration: 5, processID: 'p1' }));
    const body = JSON.stringify({ data: [{ traceID: TRACE_ID, spans, processes: { p1: { serviceName: 'web' } } }] });
    const server = await serve(startStatusServer(200, body, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) }));
    const seen: { bytes: number; expectedBytes?: number }[] = [];
    const trace = await fetchTrace(jaeger(server.origin), TRACE_ID, { onProgress: (p) => seen.push(p) });
    assert.equal(trace.spanCount, 3000);
    assert.deepEqual(seen.at(-1), { what: `the trace ${TRACE_ID}`, bytes: body.length, expectedBytes: body.length });
    assert.ok(seen.every((p, i) => i === 0 || p.bytes >= seen[i - 1]!.bytes));
  });
});
