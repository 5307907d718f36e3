// One capture as the extension runs it (runCaptureSession), against the real Go service and real servers
// in front of it: an auth proxy (401 without the stored token, the profile with it), a host other than
// loopback (asked once, never contacted when declined), a redirect to another host (asked, retried with
// that origin, credentials not forwarded), and cancel mid-countdown (no file). The user's answers are
// scripted: they are the only part that cannot exist here.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type * as net from 'node:net';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCaptureKind } from '../../core/capture/captureKinds';
import { runCaptureSession, type CaptureSessionUi } from '../../client/src/capture/captureSession';
import { endpointChoice } from '../../client/src/capture/endpointChoices';
import { captureErrorActions } from '../../client/src/capture/errorActions';
import { HostApprovals, type KeyValueStore } from '../../client/src/capture/hostApprovals';
import type { ProgressStep } from '../../client/src/capture/progressText';
import { buildGoProgram, requireGo, startGoService, type RunningService } from '../helpers/goToolchain';

const TOKEN = 'tok-7c1e55aa90d2b3f4';
const heap = findCaptureKind('heap')!;
const cpu = findCaptureKind('cpu')!;
const scratch = mkdtempSync(join(tmpdir(), 'gtl-capture-ui-session-'));
let folders = 0;
let service: RunningService | undefined;
let skipReason: string | undefined;

before(async () => {
  if (!requireGo((why) => (skipReason = why))) return;
  service = await startGoService(buildGoProgram('service'));
});

after(async () => {
  await service?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

function freshFolder(): string {
  return join(scratch, `dest-${++folders}`);
}

function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

function memoryStore(): KeyValueStore {
  const values = new Map<string, unknown>();
  return { get: <T>(key: string) => values.get(key) as T | undefined, update: async (key, value) => void values.set(key, value) };
}

interface Recorded {
  hostQuestions: string[];
  redirectQuestions: { from: string; to: string; origin: string }[];
  titles: string[];
  steps: ProgressStep[];
  logs: string[];
}

/** The user's side, scripted: answers to the two questions; `onStep` may cancel (as the notification's button does). */
function scriptedUi(answers: { host?: boolean; redirect?: boolean }, onStep?: (step: ProgressStep, cancel: () => void) => void): { ui: CaptureSessionUi; recorded: Recorded } {
  const recorded: Recorded = { hostQuestions: [], redirectQuestions: [], titles: [], steps: [], logs: [] };
  const ui: CaptureSessionUi = {
    confirmHost: async (q) => {
      recorded.hostQuestions.push(q.host);
      return answers.host ?? false;
    },
    confirmRedirect: async (q) => {
      recorded.redirectQuestions.push(q);
      return answers.redirect ?? false;
    },
    withProgress: (title, task) => {
      recorded.titles.push(title);
      const controller = new AbortController();
      return task((step) => {
        recorded.steps.push(step);
        onStep?.(step, () => controller.abort());
      }, controller.signal);
    },
    log: (line) => recorded.logs.push(line),
  };
  return { ui, recorded };
}

interface Proxy {
  readonly port: number;
  /** Authorization header of every request (undefined when none was sent). */
  readonly authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/**
 * A real HTTP server in front of the Go service: optionally demands `Authorization: Bearer TOKEN` (401
 * otherwise, as an auth proxy does), else forwards the request and streams the answer back.
 */
function startProxy(target: string, options: { host: string; requireToken?: boolean; redirectTo?: string }): Promise<Proxy> {
  const authorizations: (string | undefined)[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    if (options.redirectTo !== undefined) {
      res.writeHead(302, { Location: `${options.redirectTo}${req.url}` });
      res.end();
      return;
    }
    if (options.requireToken && req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer' });
      res.end('missing or wrong bearer token\n');
      return;
    }
    const upstream = http.get(`${target}${req.url}`, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host, () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        authorizations,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

/** An IPv4 address of this machine that is not loopback, if it has one. */
function nonLoopbackAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

function assertNoToken(recorded: Recorded, ...more: string[]): void {
  for (const text of [...recorded.logs, ...recorded.steps.map((s) => s.message), ...recorded.titles, ...more]) {
    assert.ok(!text.includes(TOKEN), `the token leaked: ${text}`);
  }
}

describe('runCaptureSession', () => {
  test('a loopback capture asks nothing, shows the kind and endpoint, and saves a validated file', async (t) => {
    if (!service) return t.skip(skipReason);
    const destination = freshFolder();
    const { ui, recorded } = scriptedUi({});
    const outcome = await runCaptureSession({ endpoint: endpointChoice(service.url, 'typed', { name: 'svc' }), kind: heap, destination }, ui, new HostApprovals(memoryStore()));
    assert.equal(outcome.status, 'saved');
    assert.ok(outcome.status === 'saved');
    assert.deepEqual(recorded.hostQuestions, []);
    assert.deepEqual(recorded.titles, ['Heap profile from svc']);
    assert.deepEqual(filesIn(destination), [outcome.result.fileName]);
    assert.match(outcome.result.fileName, /^svc-heap-\d{8}T\d{6}Z\.pb\.gz$/);
    assert.equal(outcome.result.format.type, 'pprof');
    assert.match(recorded.logs[0]!, /^Capturing heap from svc \(http:\/\/127\.0\.0\.1:\d+\/debug\/pprof\) into /);
    assert.ok(recorded.logs.some((l) => l.startsWith(`Saved ${outcome.result.fileName}`)));
  });

  test('401 without credentials offers Set Credentials; with the stored token the capture succeeds', async (t) => {
    if (!service) return t.skip(skipReason);
    const proxy = await startProxy(service.url, { host: '127.0.0.1', requireToken: true });
    try {
      const endpoint = endpointChoice(`http://127.0.0.1:${proxy.port}`, 'user', { name: 'guarded' });
      const approvals = new HostApprovals(memoryStore());

      const refused = scriptedUi({});
      const destination = freshFolder();
      const failed = await runCaptureSession({ endpoint, kind: heap, destination }, refused.ui, approvals);
      assert.equal(failed.status, 'failed');
      assert.ok(failed.status === 'failed');
      assert.equal(failed.error.code, 'unauthorized');
      assert.match(failed.error.message, /Set credentials for this endpoint/);
      assert.equal(captureErrorActions(failed.error.code, { endpointFromSettings: true, loopback: true })[0], 'set-credentials');
      assert.deepEqual(filesIn(destination), []);

      const allowed = scriptedUi({});
      const saved = await runCaptureSession({ endpoint, kind: heap, destination, credentials: { scheme: 'bearer', token: TOKEN } }, allowed.ui, approvals);
      assert.equal(saved.status, 'saved');
      assert.deepEqual(proxy.authorizations, [undefined, `Bearer ${TOKEN}`]);
      assert.equal(filesIn(destination).length, 1);
      assert.ok(allowed.recorded.logs.some((l) => /with a bearer token/.test(l)), allowed.recorded.logs.join('\n'));
      assertNoToken(refused.recorded, failed.error.message);
      assertNoToken(allowed.recorded);
    } finally {
      await proxy.close();
    }
  });

  test('a host other than this machine: declined, it is never contacted; accepted, asked only once', async (t) => {
    if (!service) return t.skip(skipReason);
    const address = nonLoopbackAddress();
    if (!address) return t.skip('this machine has no non-loopback IPv4 address');
    const proxy = await startProxy(service.url, { host: '0.0.0.0' });
    try {
      const endpoint = endpointChoice(`http://${address}:${proxy.port}/debug/pprof`, 'user', { name: 'lan' });
      assert.equal(endpoint.loopback, false);
      const approvals = new HostApprovals(memoryStore());
      const destination = freshFolder();

      const no = scriptedUi({ host: false });
      const declined = await runCaptureSession({ endpoint, kind: heap, destination }, no.ui, approvals);
      assert.equal(declined.status, 'declined');
      assert.deepEqual(no.recorded.hostQuestions, [address]);
      assert.deepEqual(no.recorded.titles, [], 'no progress: nothing was requested');
      assert.equal(proxy.authorizations.length, 0, 'the host was not contacted');
      assert.deepEqual(filesIn(destination), []);

      const yes = scriptedUi({ host: true });
      assert.equal((await runCaptureSession({ endpoint, kind: heap, destination }, yes.ui, approvals)).status, 'saved');
      const again = scriptedUi({ host: false });
      assert.equal((await runCaptureSession({ endpoint, kind: heap, destination }, again.ui, approvals)).status, 'saved');
      assert.deepEqual(again.recorded.hostQuestions, [], 'the second capture from that host does not ask');
      assert.equal(filesIn(destination).length, 2);
    } finally {
      await proxy.close();
    }
  });

  test('a redirect to another host is followed only when accepted, and never receives the credentials', async (t) => {
    if (!service) return t.skip(skipReason);
    const target = await startProxy(service.url, { host: '127.0.0.1' });
    // 127.0.0.1 → localhost is another origin, as a redirect to another machine would be.
    const redirecting = await startProxy(service.url, { host: '127.0.0.1', redirectTo: `http://localhost:${target.port}` });
    try {
      const endpoint = endpointChoice(`http://127.0.0.1:${redirecting.port}`, 'typed');
      const approvals = new HostApprovals(memoryStore());
      const credentials = { scheme: 'bearer', token: TOKEN } as const;
      const destination = freshFolder();

      const no = scriptedUi({ redirect: false });
      const declined = await runCaptureSession({ endpoint, kind: heap, destination, credentials }, no.ui, approvals);
      assert.equal(declined.status, 'declined');
      assert.ok(declined.status === 'declined');
      assert.equal(declined.what, 'redirect');
      assert.deepEqual(no.recorded.redirectQuestions.map((q) => q.origin), [`http://localhost:${target.port}`]);
      assert.equal(target.authorizations.length, 0);
      assert.deepEqual(filesIn(destination), []);

      const yes = scriptedUi({ redirect: true });
      const saved = await runCaptureSession({ endpoint, kind: heap, destination, credentials }, yes.ui, approvals);
      assert.equal(saved.status, 'saved');
      assert.equal(yes.recorded.redirectQuestions.length, 1);
      assert.deepEqual(target.authorizations, [undefined], 'the other host got the request without the credentials');
      // Declined: one request; accepted: the request that met the redirect, then the retry that follows it.
      assert.deepEqual(redirecting.authorizations, [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
      assertNoToken(no.recorded);
      assertNoToken(yes.recorded);
    } finally {
      await redirecting.close();
      await target.close();
    }
  });

  test('cancel during a CPU capture\'s countdown ends it at once and leaves no file', async (t) => {
    if (!service) return t.skip(skipReason);
    const destination = freshFolder();
    let cancelledAt = 0;
    let leftAtCancel = 0;
    const { ui, recorded } = scriptedUi({}, (step, cancel) => {
      // The first countdown step after the start (a busy machine may skip a second: 10, 8…).
      const left = Number(/^(\d+) s left/.exec(step.message ?? '')?.[1] ?? 0);
      if (cancelledAt === 0 && left > 0 && left < 10) {
        cancelledAt = performance.now();
        leftAtCancel = left;
        cancel();
      }
    });
    const outcome = await runCaptureSession({ endpoint: endpointChoice(service.url, 'typed'), kind: cpu, seconds: 10, destination }, ui, new HostApprovals(memoryStore()));
    const took = performance.now() - cancelledAt;
    assert.equal(outcome.status, 'cancelled');
    assert.ok(cancelledAt > 0, `the countdown never went below 10 s left: ${recorded.steps.map((s) => s.message).join(' | ')}`);
    // At once: long before the seconds the capture still had to run (at least 4 s once it is below 5 s left).
    assert.ok(took < Math.min(leftAtCancel - 1, 4) * 1000, `the capture ended ${Math.round(took)} ms after the cancel, with ${leftAtCancel} s left`);
    assert.deepEqual(filesIn(destination), [], 'no file, not even a partial one');
    assert.match(recorded.logs[recorded.logs.length - 1]!, /Cancelled the capture of CPU for 10 s .*nothing was saved/);
  });
});
