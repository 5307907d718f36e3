// Every way a capture goes wrong, against real misbehaving local servers: each case gives its code and
// message, fails within its timeout, and leaves nothing in the destination folder (no partial file).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { CaptureError, type CaptureErrorCode } from '../../core/capture/captureError';
import { captureToFile, type CaptureOptions, type CaptureRequest } from '../../core/capture/captureToFile.node';
import {
  GO_CPU_IN_USE,
  GO_TRACE_IN_USE,
  LOGIN_PAGE,
  cutGzip,
  refusingPort,
  startBytesServer,
  startChunkedServer,
  startDrippingServer,
  startGoErrorServer,
  startHangingServer,
  startHttpServer,
  startRedirectServer,
  startShortBodyServer,
  startStatusServer,
  type TestServer,
} from '../helpers/captureServers';
import { makeSelfSignedCertificate, startHttpsServer } from '../helpers/captureTls';
import { buildGoProgram, requireGo, startGoService } from '../helpers/goToolchain';
import { sharedFixture } from '../helpers/sharedFixtures';

const TOKEN = 'tok-3f9a1c77e2b04d58';
const scratch = mkdtempSync(join(tmpdir(), 'gtl-capture-errors-'));
let folders = 0;

function freshFolder(): string {
  // Two levels that do not exist yet, like a workspace's .pprof/<subfolder>.
  return join(scratch, `dest-${++folders}`, 'captures');
}

function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

interface Expectation {
  readonly code: CaptureErrorCode;
  readonly message: RegExp;
  /** The failure must come before this many ms. */
  readonly within: number;
  /** …and not before this many (for timeouts). */
  readonly notBefore?: number;
}

/** Runs a capture that must fail as expected, quickly enough, leaving no file; returns the error. */
async function expectFailure(request: Omit<CaptureRequest, 'destination'>, options: CaptureOptions, expected: Expectation): Promise<CaptureError> {
  const destination = freshFolder();
  const logs: string[] = [];
  const started = performance.now();
  let caught: unknown;
  try {
    await captureToFile({ ...request, destination }, { log: (line) => logs.push(line), ...options });
  } catch (error) {
    caught = error;
  }
  const elapsed = performance.now() - started;
  assert.ok(caught instanceof CaptureError, `expected a CaptureError, got ${caught instanceof Error ? caught.stack : String(caught)}`);
  assert.equal(caught.code, expected.code, caught.message);
  assert.match(caught.message, expected.message);
  assert.ok(elapsed < expected.within, `failed after ${Math.round(elapsed)} ms, expected within ${expected.within} ms`);
  if (expected.notBefore !== undefined) assert.ok(elapsed >= expected.notBefore, `failed after ${Math.round(elapsed)} ms, before its timeout of ${expected.notBefore} ms`);
  assert.deepEqual(filesIn(destination), [], 'the destination folder must be left empty');
  assert.equal(existsSync(dirname(destination)), false, 'folders the capture created are removed again');
  for (const text of [caught.message, JSON.stringify(caught.details), ...logs]) assert.ok(!text.includes(TOKEN), `a credential leaked: ${text}`);
  return caught;
}

const servers: TestServer[] = [];
async function serve(server: Promise<TestServer>): Promise<TestServer> {
  const started = await server;
  servers.push(started);
  return started;
}

/** A real heap profile from the Go test service, for the cases that must succeed (null without Go). */
let realProfile: Buffer | null = null;

before(async () => {
  if (!requireGo(() => undefined)) return;
  const service = await startGoService(buildGoProgram('service'), ['-busy=false']);
  try {
    realProfile = Buffer.from(await (await fetch(`${service.url}/debug/pprof/heap`)).arrayBuffer());
  } finally {
    await service.stop();
  }
});

after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(scratch, { recursive: true, force: true });
});

const heap = (baseUrl: string, headers?: Record<string, string>) => ({ endpoint: { baseUrl, ...(headers ? { headers } : {}) }, kind: 'heap' as const });

describe('connections', () => {
  test('connection refused: is the service running, does it import net/http/pprof?', async () => {
    const port = await refusingPort();
    const error = await expectFailure(heap(`http://127.0.0.1:${port}/debug/pprof`), {}, {
      code: 'connection-refused',
      message: new RegExp(`^Connection refused by 127\\.0\\.0\\.1:${port} \\(http://127\\.0\\.0\\.1:${port}/debug/pprof/heap\\)\\. Is the service running .*import _ "net/http/pprof"`),
      within: 2000,
    });
    assert.equal(error.details.systemCode, 'ECONNREFUSED');
  });

  test('DNS failure names the host and what to check', async () => {
    await expectFailure(heap('http://no-such-service.invalid:6060/debug/pprof'), {}, {
      code: 'dns',
      message: /^The host name "no-such-service\.invalid" could not be resolved \((ENOTFOUND|EAI_AGAIN)\)\. Check the spelling/,
      within: 10000,
    });
  });

  test('a server that accepts and never answers times out after the idle timeout', async () => {
    const server = await serve(startHangingServer());
    await expectFailure(heap(server.baseUrl), { idleTimeoutMs: 600, timeoutMs: 10000 }, {
      code: 'timeout',
      message: new RegExp(`^127\\.0\\.0\\.1:${server.port} accepted the connection but did not answer within 600 ms .*stuck or overloaded`),
      within: 2500,
      notBefore: 550,
    });
    assert.equal(server.connections(), 1);
  });

  test('a TLS handshake that never completes hits the connect timeout', async () => {
    const server = await serve(startHangingServer());
    await expectFailure(heap(server.baseUrl.replace('http:', 'https:')), { connectTimeoutMs: 700, idleTimeoutMs: 200 }, {
      code: 'timeout',
      message: new RegExp(`^Connecting to 127\\.0\\.0\\.1:${server.port} took longer than 700 ms \\(https://127\\.0\\.0\\.1:${server.port}/debug/pprof/heap\\)\\. Check that the host is up and reachable`),
      within: 2500,
      notBefore: 650,
    });
  });

  test('a timed capture waits for its duration before the idle timeout starts', async () => {
    const server = await serve(startHangingServer());
    await expectFailure({ endpoint: { baseUrl: server.baseUrl }, kind: 'cpu', seconds: 1 }, { idleTimeoutMs: 500, timeoutMs: 10000 }, {
      code: 'timeout',
      message: /did not answer within 500 ms after the 1 s capture ended/,
      within: 3500,
      notBefore: 1450,
    });
  });

  test('a server dripping one byte a second hits the overall deadline', async () => {
    const server = await serve(startDrippingServer());
    await expectFailure(heap(server.baseUrl), { timeoutMs: 2500, idleTimeoutMs: 10000 }, {
      code: 'timeout',
      message: /^The capture from http:\/\/127\.0\.0\.1:\d+\/debug\/pprof\/heap did not complete within 2\.5 s \(the time allowed\); only [1-4] B of 97\.7 KB arrived\. .*too slow or stuck/,
      within: 4500,
      notBefore: 2400,
    });
  });

  test('cancelling aborts the request at once and keeps nothing', async () => {
    const server = await serve(startDrippingServer());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    await expectFailure(heap(server.baseUrl), { signal: controller.signal }, {
      code: 'cancelled',
      message: /was cancelled; nothing was saved/,
      within: 1500,
    });
    const before = performance.now();
    await expectFailure(heap(server.baseUrl), { signal: AbortSignal.abort() }, { code: 'cancelled', message: /cancelled/, within: 500 });
    assert.ok(performance.now() - before < 500);
  });

  test('https to a self-signed certificate fails with a tls error; trusting its certificate makes it work', async (t) => {
    const certificate = makeSelfSignedCertificate();
    const server = await serve(startHttpsServer(certificate, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(realProfile ?? Buffer.alloc(0));
    }));
    await expectFailure(heap(server.baseUrl, { Authorization: `Bearer ${TOKEN}` }), {}, {
      code: 'tls',
      message: new RegExp(`^The TLS connection to 127\\.0\\.0\\.1:${server.port} was refused because its certificate is self-signed \\(DEPTH_ZERO_SELF_SIGNED_CERT\\)\\. Trust the service's certificate authority`),
      within: 3000,
    });
    assert.equal(server.requests.length, 0, 'no request (and no credential) may reach an untrusted server');
    if (!realProfile) return t.skip('needs a real profile from the Go service');
    const destination = freshFolder();
    const result = await captureToFile({ ...heap(server.baseUrl), destination }, { ca: certificate.certPem });
    assert.deepEqual(filesIn(destination), [result.fileName]);
  });

  test('https to a plain-HTTP port says to use http://', async () => {
    const server = await serve(startStatusServer(200, 'hello'));
    await expectFailure(heap(server.baseUrl.replace('http:', 'https:')), {}, {
      code: 'tls',
      message: /did not answer with TLS \((EPROTO|ERR_SSL_WRONG_VERSION_NUMBER)\): it probably serves plain HTTP\. Use http:\/\//,
      within: 3000,
    });
  });
});

describe('HTTP answers', () => {
  test('404: the pprof handlers are not registered on this path', async () => {
    const server = await serve(startStatusServer(404, '404 page not found\n'));
    await expectFailure(heap(server.baseUrl), {}, {
      code: 'not-found',
      message: /answered 404 Not Found for http:\/\/127\.0\.0\.1:\d+\/debug\/pprof\/heap: the pprof handlers are not registered on this path\. Import _ "net\/http\/pprof"/,
      within: 2000,
    });
  });

  test("Go's 404 Unknown profile says the service has no such profile", async () => {
    const server = await serve(startGoErrorServer(404, 'Unknown profile'));
    await expectFailure({ endpoint: { baseUrl: server.baseUrl }, kind: 'allocs' }, {}, { code: 'not-found', message: /the service has no "allocs" profile \(Go says "Unknown profile"\)/, within: 2000 });
  });

  test('an HTML page instead of a profile (by Content-Type, and by content)', async () => {
    const byType = await serve(startStatusServer(200, LOGIN_PAGE, { 'Content-Type': 'text/html; charset=utf-8' }));
    await expectFailure(heap(byType.baseUrl), {}, {
      code: 'html-instead-of-profile',
      message: /returned an HTML page \("Sign in - Example SSO"\) instead of a profile\. The URL probably leads to a web UI or a login page/,
      within: 2000,
    });
    const bySniff = await serve(startBytesServer(Buffer.from(LOGIN_PAGE)));
    await expectFailure({ endpoint: { baseUrl: bySniff.baseUrl }, kind: 'trace', seconds: 1 }, {}, { code: 'html-instead-of-profile', message: /HTML page \("Sign in - Example SSO"\) instead of a trace/, within: 3000 });
  });

  test('401 without credentials: set credentials', async () => {
    const server = await serve(startStatusServer(401, 'Unauthorized\n', { 'WWW-Authenticate': 'Bearer', 'Content-Type': 'text/plain' }));
    await expectFailure(heap(server.baseUrl), {}, {
      code: 'unauthorized',
      message: /answered 401 Unauthorized for .*: the service needs credentials\. Set credentials for this endpoint \(bearer token or basic auth/,
      within: 2000,
    });
  });

  test('401 with credentials: they were rejected (and the token never shows, even when echoed)', async () => {
    const server = await serve(startHttpServer((req, res) => {
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      res.end(`invalid credentials: ${req.headers.authorization}\n`);
    }));
    const error = await expectFailure(heap(server.baseUrl, { Authorization: `Bearer ${TOKEN}` }), {}, {
      code: 'unauthorized',
      message: /the credentials sent were rejected\. Check or renew the endpoint's credentials/,
      within: 2000,
    });
    assert.equal(server.requests[0]?.authorization, `Bearer ${TOKEN}`, 'the header was sent');
    assert.ok(!error.message.includes(TOKEN));
  });

  test('403: access denied', async () => {
    const server = await serve(startStatusServer(403, 'Forbidden\n'));
    await expectFailure(heap(server.baseUrl), {}, { code: 'forbidden', message: /answered 403 Forbidden .*access is denied\. Set credentials for this endpoint/, within: 2000 });
  });

  test("Go's 500 when a CPU profile is already running", async () => {
    const server = await serve(startGoErrorServer(500, GO_CPU_IN_USE));
    await expectFailure({ endpoint: { baseUrl: server.baseUrl }, kind: 'cpu', seconds: 1 }, {}, {
      code: 'profiling-in-use',
      message: /is already recording a CPU profile \("Could not enable CPU profiling: cpu profiling already in use"\); Go allows one at a time\. Wait for the other capture/,
      within: 2000,
    });
  });

  test("Go's 500 when an execution trace is already running", async () => {
    const server = await serve(startGoErrorServer(500, GO_TRACE_IN_USE));
    await expectFailure({ endpoint: { baseUrl: server.baseUrl }, kind: 'trace', seconds: 1 }, {}, {
      code: 'profiling-in-use',
      message: /is already recording an execution trace \("Could not enable tracing: tracing is already enabled"\)/,
      within: 2000,
    });
  });

  test("Go's 500 when CPU profiling cannot be enabled for another reason", async () => {
    const server = await serve(startGoErrorServer(500, 'Could not enable CPU profiling: setitimer: operation not permitted'));
    await expectFailure({ endpoint: { baseUrl: server.baseUrl }, kind: 'cpu', seconds: 1 }, {}, {
      code: 'cpu-profiling-unavailable',
      message: /could not start CPU profiling \("Could not enable CPU profiling: setitimer: operation not permitted"\)\. The service's runtime refused it/,
      within: 2000,
    });
  });

  test('other statuses quote the first line of the body', async () => {
    const server = await serve(startStatusServer(502, '<html><body><h1>502 Bad Gateway</h1></body></html>'));
    await expectFailure(heap(server.baseUrl), {}, { code: 'http-error', message: /answered 502 Bad Gateway for .* \("502 Bad Gateway"\)\. The service failed to produce it/, within: 2000 });
  });
});

describe('bodies', () => {
  test('a body shorter than its Content-Length is truncated', async () => {
    const server = await serve(startShortBodyServer(randomBytes(3000)));
    await expectFailure(heap(server.baseUrl), {}, {
      code: 'truncated',
      message: /^The connection to 127\.0\.0\.1:\d+ broke after 2\.9 KB of the 5\.9 KB announced of .*: the body is incomplete and was not kept/,
      within: 3000,
    });
  });

  test('a gzip stream cut short is truncated', async () => {
    const server = await serve(startChunkedServer(cutGzip(randomBytes(20000), 9000)));
    await expectFailure(heap(server.baseUrl), {}, { code: 'truncated', message: /^The profile from .* is incomplete: the gzip data ends early/, within: 3000 });
  });

  test('a body announced over the size cap is refused before it is read', async () => {
    const server = await serve(startBytesServer(randomBytes(50000)));
    await expectFailure(heap(server.baseUrl), { maxBytes: 10000 }, {
      code: 'too-large',
      message: /announces 48\.8 KB, over the size cap of 9\.8 KB; the capture was stopped and nothing was kept\. Raise the size cap/,
      within: 2000,
    });
  });

  test('a streamed body over the size cap is stopped when it crosses the cap', async () => {
    const server = await serve(startChunkedServer(randomBytes(200000)));
    const error = await expectFailure(heap(server.baseUrl), { maxBytes: 50000 }, { code: 'too-large', message: /sent more than 48\.8 KB, over the size cap of 48\.8 KB/, within: 2000 });
    assert.ok((error.details.bytesReceived ?? 0) > 50000);
  });

  test('bytes that are no profile are refused with the decoder\'s reason', async () => {
    // Field 1 (sample_type) with the wrong wire type: well-formed enough to look like protobuf, not a profile.
    const server = await serve(startBytesServer(Buffer.concat([Buffer.from([0x08, 0x96, 0x01]), randomBytes(300)])));
    await expectFailure(heap(server.baseUrl), {}, { code: 'not-a-profile', message: /did not return a heap profile: the profile is not valid protobuf data: sample_type has wire type 0, expected 2 \(at byte \d+\)\. Nothing was kept\./, within: 2000 });
  });

  test('a gzip stream of something else is refused', async () => {
    const server = await serve(startBytesServer(gzipSync(Buffer.from('{"hello": "world"}'))));
    await expectFailure(heap(server.baseUrl), {}, { code: 'not-a-profile', message: /did not return a heap profile: this is JSON, not a pprof profile\./, within: 2000 });
  });

  test('the text form of a profile (debug=1) is refused with advice', async () => {
    const server = await serve(startBytesServer(Buffer.from('goroutine profile: total 4\n1 @ 0x43a1f6 0x4069ce\n'), 'text/plain; charset=utf-8'));
    await expectFailure({ endpoint: { baseUrl: server.baseUrl }, kind: 'goroutine' }, {}, { code: 'not-a-profile', message: /did not return a goroutine profile: this is the text form of a Go profile \(debug=1 or debug=2\).*without the \?debug= parameter/, within: 2000 });
  });

  test('an empty body is refused', async () => {
    const server = await serve(startBytesServer(Buffer.alloc(0)));
    await expectFailure(heap(server.baseUrl), {}, { code: 'not-a-profile', message: /did not return a heap profile: the response was empty\. Check that the URL/, within: 2000 });
    await expectFailure({ endpoint: { baseUrl: server.baseUrl }, kind: 'trace', seconds: 1 }, {}, { code: 'not-a-profile', message: /did not return an execution trace: the response was empty/, within: 3000 });
  });

  test('a large profile is checked by its head: a good start is kept, a bad one refused; the whole is decoded on request', async () => {
    const large = readFileSync(sharedFixture('pprof', 'large.cpu.pb.gz'));
    const cpu = (server: TestServer) => ({ endpoint: { baseUrl: server.baseUrl }, kind: 'cpu' as const, seconds: 1 });
    const good = await serve(startBytesServer(large));
    assert.deepEqual((await captureToFile({ ...cpu(good), destination: freshFolder() })).format, { type: 'pprof', gzipped: true });
    assert.deepEqual((await captureToFile({ ...cpu(good), destination: freshFolder() }, { wholeProfile: true })).format, { type: 'pprof', gzipped: true, sampleCount: 20430 });
    // A tail cut off beyond the head: the head check keeps it (the language server's decoder refuses it when
    // it is opened); the whole check refuses it now.
    const cut = await serve(startBytesServer(large.subarray(0, large.length - 1000)));
    assert.equal((await captureToFile({ ...cpu(cut), destination: freshFolder() })).format.type, 'pprof');
    await expectFailure(cpu(cut), { wholeProfile: true }, { code: 'truncated', message: /^The profile from .* is incomplete: the gzip data ends early/, within: 3000 });
    const json = await serve(startBytesServer(Buffer.from(`{"resourceSpans":[${'{},'.repeat(100_000)}{}]}`)));
    await expectFailure(heap(json.baseUrl), {}, { code: 'not-a-profile', message: /did not return a heap profile: this is JSON, not a pprof profile\./, within: 2000 });
  });

  test('an old-format trace is kept, with a notice that the timeline cannot show it', async () => {
    const server = await serve(startBytesServer(Buffer.concat([Buffer.from('go 1.19 trace\0\0\0'), randomBytes(64)])));
    const destination = freshFolder();
    const result = await captureToFile({ endpoint: { baseUrl: server.baseUrl }, kind: 'trace', seconds: 1, destination });
    assert.deepEqual(filesIn(destination), [result.fileName]);
    assert.equal(result.format.type, 'trace');
    assert.match(result.notice ?? '', /This trace is from Go 1\.19; re-capture with Go 1\.22 or later/);
  });

  test('a profile where a trace was asked for, and a trace where a profile was', async () => {
    const gz = await serve(startBytesServer(gzipSync(randomBytes(100))));
    await expectFailure({ endpoint: { baseUrl: gz.baseUrl }, kind: 'trace', seconds: 1 }, {}, { code: 'not-a-profile', message: /did not return an execution trace: This is not a Go execution trace.*It is gzip-compressed data, which is what a pprof profile looks like/, within: 3000 });
    const trace = await serve(startBytesServer(Buffer.concat([Buffer.from('go 1.23 trace\0\0\0'), randomBytes(64)])));
    await expectFailure(heap(trace.baseUrl), {}, { code: 'not-a-profile', message: /did not return a heap profile: this is a Go execution trace \(from \/debug\/pprof\/trace or runtime\/trace\), not a pprof profile/, within: 2000 });
    const junk = await serve(startBytesServer(Buffer.from('\x00\x01binary junk that is not a trace')));
    await expectFailure({ endpoint: { baseUrl: junk.baseUrl }, kind: 'trace', seconds: 1 }, {}, { code: 'not-a-profile', message: /This is not a Go execution trace/, within: 3000 });
  });
});

describe('redirects', () => {
  test('a redirect to another host is not followed, and says where it leads', async () => {
    const other = await serve(startBytesServer(Buffer.from('never')));
    const redirecting = await serve(startRedirectServer((path) => `http://localhost:${other.port}${path}`));
    const error = await expectFailure(heap(redirecting.baseUrl, { Authorization: `Bearer ${TOKEN}` }), {}, {
      code: 'redirect-to-other-host',
      message: new RegExp(`redirects to http://localhost:${other.port}/debug/pprof/heap, on another host\\. It was not followed: if you trust http://localhost:${other.port}, allow the redirect`),
      within: 2000,
    });
    assert.equal(error.details.redirectOrigin, `http://localhost:${other.port}`);
    assert.equal(other.requests.length, 0);
  });

  test('an accepted redirect is followed without the credentials; same-origin redirects just work', async (t) => {
    if (!realProfile) return t.skip('needs a real profile from the Go service');
    const profile = realProfile;
    const other = await serve(startHttpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(profile);
    }));
    const redirecting = await serve(startRedirectServer((path) => `http://localhost:${other.port}${path}`, 307));
    const destination = freshFolder();
    const result = await captureToFile({ ...heap(redirecting.baseUrl, { Authorization: `Bearer ${TOKEN}` }), destination }, { allowRedirectTo: [`http://localhost:${other.port}/anything`] });
    assert.deepEqual(filesIn(destination), [result.fileName]);
    assert.equal(redirecting.requests[0]?.authorization, `Bearer ${TOKEN}`);
    assert.equal(other.requests[0]?.authorization, undefined, 'credentials must not follow a redirect to another host');

    const sameHost = await serve(startHttpServer((req, res) => {
      if (req.url === '/debug/pprof/heap') {
        res.writeHead(301, { Location: '/moved/heap' });
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(profile);
    }));
    const same = await captureToFile({ ...heap(sameHost.baseUrl, { Authorization: `Bearer ${TOKEN}` }), destination: freshFolder() });
    assert.match(same.fileName, /^127\.0\.0\.1-\d+-heap-\d{8}T\d{6}Z\.pb\.gz$/);
    assert.deepEqual(sameHost.requests.map((h) => h.authorization), [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  test('redirect loops stop', async () => {
    const server = await serve(startRedirectServer((path) => path));
    await expectFailure(heap(server.baseUrl), { maxRedirects: 3 }, { code: 'too-many-redirects', message: /redirected more than 3 times/, within: 2000 });
    assert.equal(server.requests.length, 4);
  });
});

describe('requests that cannot be made', () => {
  test('bad URLs, kinds, durations and headers fail before any connection, creating nothing', async () => {
    const server = await serve(startBytesServer(Buffer.from('x')));
    await expectFailure(heap('ftp://127.0.0.1/debug/pprof'), {}, { code: 'bad-url', message: /only http:\/\/ and https:\/\/ URLs are supported \(got ftp:\)/, within: 500 });
    await expectFailure({ endpoint: { baseUrl: server.baseUrl }, kind: 'heap', seconds: 10 }, {}, { code: 'bad-seconds', message: /A heap profile is a snapshot and takes no duration\. For the change over 10 s, capture heap-delta\./, within: 500 });
    await expectFailure({ endpoint: { baseUrl: server.baseUrl }, kind: 'cpu', seconds: 0 }, {}, { code: 'bad-seconds', message: /whole number of seconds from 1 to 86400 \(got 0\)/, within: 500 });
    await expectFailure({ endpoint: { baseUrl: server.baseUrl }, kind: 'cpu', seconds: 1.5 }, {}, { code: 'bad-seconds', message: /got 1\.5/, within: 500 });
    await expectFailure({ endpoint: { baseUrl: server.baseUrl }, kind: 'flame' as 'cpu' }, {}, { code: 'bad-kind', message: /"flame" is not a capture kind\. Kinds: cpu, heap/, within: 500 });
    await expectFailure(heap(server.baseUrl, { Authorization: `Bearer ${TOKEN}\r\nX: y` }), {}, { code: 'bad-header', message: /Authorization contains a line break/, within: 500 });
    assert.equal(server.requests.length, 0);
  });

  test('a failure in an existing folder leaves the folder and its other files alone', async () => {
    const server = await serve(startStatusServer(404, '404 page not found\n'));
    const destination = join(scratch, 'existing');
    mkdirSync(destination);
    writeFileSync(join(destination, 'earlier-heap.pb.gz'), 'x');
    await assert.rejects(captureToFile({ ...heap(server.baseUrl), destination }), (error: unknown) => error instanceof CaptureError && error.code === 'not-found');
    assert.deepEqual(readdirSync(destination), ['earlier-heap.pb.gz']);
  });

  test('a destination that is not a folder is a destination error', async () => {
    const server = await serve(startBytesServer(Buffer.from('x')));
    const file = join(scratch, 'not-a-folder');
    writeFileSync(file, 'x');
    await assert.rejects(captureToFile({ ...heap(server.baseUrl), destination: file }), (error: unknown) => {
      assert.ok(error instanceof CaptureError);
      assert.equal(error.code, 'destination');
      assert.match(error.message, /^Cannot save captures in .*not-a-folder \((EEXIST|ENOTDIR)\)\. Choose a folder you can write to/);
      return true;
    });
    assert.equal(server.requests.length, 0);
  });
});
