// "Discover local services": the kernel's TCP tables, the pprof index, and a real scan of this machine's
// loopback ports that finds the Go test service and nothing else.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CaptureError } from '../../core/capture/captureError';
import { discoverLocalServices, listLoopbackListeners } from '../../core/capture/discoverServices.node';
import { parsePprofIndex } from '../../core/capture/pprofIndex';
import { loopbackListeners, parseProcNetTcp, TCP_LISTEN } from '../../core/capture/procNetTcp';
import { startHangingServer, startStatusServer, type TestServer } from '../helpers/captureServers';
import { buildGoProgram, requireGo, startGoService, type RunningService } from '../helpers/goToolchain';

// Lines in the kernel's format (x86, little-endian words): LISTEN on 127.0.0.1:6060, 0.0.0.0:8080,
// 10.0.0.5:9090; an ESTABLISHED connection from 127.0.0.1:41234.
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:17AC 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 31337 1 0000000000000000 100 0 0 10 0
   1: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31338 1 0000000000000000 100 0 0 10 0
   2: 0500000A:2382 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31339 1 0000000000000000 100 0 0 10 0
   3: 0100007F:A0D2 0100007F:17AC 01 00000000:00000000 00:00000000 00000000  1000        0 31340 1 0000000000000000 20 4 30 10 -1
`;
// LISTEN on [::1]:7070, [::]:6060, [::ffff:127.0.0.1]:5050, [fe80::1]:4040.
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1B9E 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1 0000000000000000 100 0 0 10 0
   1: 00000000000000000000000000000000:17AC 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 2 1 0000000000000000 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:13BA 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 3 1 0000000000000000 100 0 0 10 0
   3: 000080FE000000000000000001000000:0FC8 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4 1 0000000000000000 100 0 0 10 0
`;

test('the kernel TCP tables parse into addresses, ports and states', () => {
  assert.deepEqual(parseProcNetTcp(TCP, 4), [
    { family: 4, address: '127.0.0.1', port: 6060, state: TCP_LISTEN },
    { family: 4, address: '0.0.0.0', port: 8080, state: TCP_LISTEN },
    { family: 4, address: '10.0.0.5', port: 9090, state: TCP_LISTEN },
    { family: 4, address: '127.0.0.1', port: 41170, state: 1 },
  ]);
  assert.deepEqual(
    parseProcNetTcp(TCP6, 6).map((e) => `${e.address} ${e.port}`),
    ['::1 7070', ':: 6060', '::ffff:127.0.0.1 5050', 'fe80::1 4040'],
  );
  // Big-endian kernels print the words the other way round.
  assert.equal(parseProcNetTcp('   0: 7F000001:17AC 00000000:0000 0A 0', 4, false)[0]?.address, '127.0.0.1');
});

test('loopback listeners: loopback and unspecified addresses, one per port, IPv4 preferred', () => {
  const entries = [...parseProcNetTcp(TCP, 4), ...parseProcNetTcp(TCP6, 6)];
  assert.deepEqual(loopbackListeners(entries), [
    { port: 5050, host: '127.0.0.1' },
    { port: 6060, host: '127.0.0.1' },
    { port: 7070, host: '::1' },
    { port: 8080, host: '127.0.0.1' },
  ]);
});

test('fuzz: any IPv4 listener line parses back to its address and port', () => {
  fc.assert(
    fc.property(fc.ipV4(), fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 11 }), (address, port, state) => {
      const word = address.split('.').map((o) => Number(o).toString(16).padStart(2, '0').toUpperCase()).reverse().join('');
      const line = `   7: ${word}:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 ${state.toString(16).toUpperCase().padStart(2, '0')} 00000000:00000000 00:00000000 00000000 0 0 1 1`;
      assert.deepEqual(parseProcNetTcp(line, 4), [{ family: 4, address, port, state }]);
    }),
    { numRuns: 2000 },
  );
});

test('the pprof index: Go\'s page is recognised and its profiles listed; other pages are not', () => {
  const page = `<html>\n<head>\n<title>/debug/pprof/</title>\n</head><body>\nTypes of profiles available:\n<table>\n<thead><td>Count</td><td>Profile</td></thead>\n<tr><td>12</td><td><a href='allocs?debug=1'>allocs</a></td></tr>\n<tr><td>0</td><td><a href='cmdline?debug=1'>cmdline</a></td></tr>\n<tr><td>9</td><td><a href='goroutine?debug=1'>goroutine</a></td></tr>\n</table>\n<a href="goroutine?debug=2">full goroutine stack dump</a>\n`;
  assert.deepEqual(parsePprofIndex(page), [
    { name: 'allocs', count: 12 },
    { name: 'cmdline', count: 0 },
    { name: 'goroutine', count: 9 },
  ]);
  assert.equal(parsePprofIndex('<html><title>Grafana</title><a href="x?debug=1">x</a></html>'), undefined);
  assert.equal(parsePprofIndex('<title>/debug/pprof/</title> but no table'), undefined);
});

test('without /proc/net/tcp discovery says it needs Linux', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'gtl-no-proc-'));
  try {
    await assert.rejects(listLoopbackListeners(empty), (error: unknown) => {
      assert.ok(error instanceof CaptureError);
      assert.equal(error.code, 'discovery-unavailable');
      assert.match(error.message, /which this system does not have \(it works on Linux\)\. Enter the service's URL instead/);
      return true;
    });
    writeFileSync(join(empty, 'tcp'), TCP);
    assert.deepEqual((await listLoopbackListeners(empty)).map((l) => l.port), [6060, 8080]);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

let service: RunningService | undefined;
let skipReason: string | undefined;
const decoys: TestServer[] = [];
let ipv6Only: http.Server | undefined;

before(async () => {
  if (!requireGo((why) => (skipReason = why))) return;
  service = await startGoService(buildGoProgram('service'), ['-busy=false']);
  decoys.push(await startStatusServer(200, '<html><title>Not pprof</title></html>', { 'Content-Type': 'text/html' }));
  decoys.push(await startHangingServer());
  ipv6Only = http.createServer((req, res) => {
    if (req.url === '/debug/pprof/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end("<html><head><title>/debug/pprof/</title></head><body>Types of profiles available:<table><tr><td>3</td><td><a href='heap?debug=1'>heap</a></td></tr></table>");
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    ipv6Only!.once('error', reject);
    ipv6Only!.listen(0, '::1', () => resolve());
  });
});

after(async () => {
  await service?.stop();
  await Promise.all(decoys.map((d) => d.close()));
  await new Promise<void>((resolve) => (ipv6Only ? ipv6Only.close(() => resolve()) : resolve()));
});

test('a scan of this machine finds the Go service (and an IPv6-only index), not the other servers, within its timeouts', async (t) => {
  if (!service) return t.skip(skipReason);
  const goPort = Number(new URL(service.url).port);
  const v6Port = (ipv6Only!.address() as net.AddressInfo).port;
  const ours = [goPort, v6Port, ...decoys.map((d) => d.port)];
  // The kernel's table lists all of them, as this machine really has them.
  const listeners = await listLoopbackListeners();
  for (const port of ours) assert.ok(listeners.some((l) => l.port === port), `port ${port} is listed as listening on loopback`);
  assert.equal(listeners.find((l) => l.port === v6Port)?.host, '::1');
  // Probing is limited to this test's ports: other tests running beside this one have servers that count requests.
  const started = performance.now();
  const result = await discoverLocalServices({ timeoutMs: 800, onlyPorts: ours });
  const elapsed = performance.now() - started;
  assert.equal(result.probedPorts, ours.length);
  const go = result.services.find((s) => s.port === goPort);
  assert.ok(go, `the Go service on ${goPort} was found among ${JSON.stringify(result.services)}`);
  assert.equal(go.baseUrl, `http://127.0.0.1:${goPort}/debug/pprof`);
  for (const name of ['allocs', 'block', 'goroutine', 'heap', 'mutex', 'profile', 'threadcreate', 'trace']) {
    assert.ok(go.profiles.some((p) => p.name === name), name);
  }
  const v6 = result.services.find((s) => s.port === v6Port);
  assert.equal(v6?.baseUrl, `http://[::1]:${v6Port}/debug/pprof`);
  assert.equal(result.services.length, 2, 'the HTML page and the hanging server are not pprof endpoints');
  // Probes run in parallel: the hanging decoy costs one timeout, not one per port.
  assert.ok(elapsed < 800 * 2, `the scan took ${Math.round(elapsed)} ms`);
  assert.ok(elapsed >= 750, 'the hanging decoy was waited for up to the timeout');
  const excluded = await discoverLocalServices({ timeoutMs: 800, onlyPorts: ours, excludePorts: [goPort] });
  assert.deepEqual(excluded.services.map((s) => s.port), [v6Port]);
});

test('a cancelled scan stops with code cancelled', async (t) => {
  if (!service) return t.skip(skipReason);
  await assert.rejects(discoverLocalServices({ signal: AbortSignal.abort() }), (error: unknown) => error instanceof CaptureError && error.code === 'cancelled');
});
