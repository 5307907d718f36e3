// Endpoint URLs, capture URLs, loopback detection and request headers of the capture core.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import fc from 'fast-check';
import { CaptureError } from '../../core/capture/captureError';
import { checkHeaders, mergeHeaders, parseHeaderLine } from '../../core/capture/captureHeaders';
import { CAPTURE_KINDS, findCaptureKind } from '../../core/capture/captureKinds';
import { buildCaptureUrl, defaultEndpointName, isLoopbackEndpoint, parseEndpointUrl, pprofIndexUrl } from '../../core/capture/endpointUrl';
import { isLoopbackHost } from '../../core/capture/loopback';

function kind(id: string) {
  const found = findCaptureKind(id);
  assert.ok(found, id);
  return found;
}

function captureError(code: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof CaptureError, `expected a CaptureError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  };
}

test('the kinds table covers every kind the issue lists, with Go handler paths and the right validator', () => {
  assert.deepEqual(
    CAPTURE_KINDS.map((k) => [k.id, k.path, k.timed, k.validator, k.extension]),
    [
      ['cpu', 'profile', true, 'pprof', 'pb.gz'],
      ['heap', 'heap', false, 'pprof', 'pb.gz'],
      ['allocs', 'allocs', false, 'pprof', 'pb.gz'],
      ['goroutine', 'goroutine', false, 'pprof', 'pb.gz'],
      ['mutex', 'mutex', false, 'pprof', 'pb.gz'],
      ['block', 'block', false, 'pprof', 'pb.gz'],
      ['threadcreate', 'threadcreate', false, 'pprof', 'pb.gz'],
      ['trace', 'trace', true, 'trace', 'trace'],
      ['heap-delta', 'heap', true, 'pprof', 'pb.gz'],
      ['allocs-delta', 'allocs', true, 'pprof', 'pb.gz'],
      ['mutex-delta', 'mutex', true, 'pprof', 'pb.gz'],
      ['block-delta', 'block', true, 'pprof', 'pb.gz'],
    ],
  );
  assert.equal(kind('cpu').defaultSeconds, 30);
  for (const k of CAPTURE_KINDS) assert.equal(k.timed, k.defaultSeconds !== undefined, k.id);
});

test('capture URLs: base path, kind path and seconds; other query parameters are kept', () => {
  const { base } = parseEndpointUrl('http://localhost:6060/debug/pprof');
  assert.equal(buildCaptureUrl(base, kind('cpu'), 30).href, 'http://localhost:6060/debug/pprof/profile?seconds=30');
  assert.equal(buildCaptureUrl(base, kind('heap'), undefined).href, 'http://localhost:6060/debug/pprof/heap');
  assert.equal(buildCaptureUrl(base, kind('heap-delta'), 10).href, 'http://localhost:6060/debug/pprof/heap?seconds=10');
  assert.equal(buildCaptureUrl(base, kind('trace'), 1).href, 'http://localhost:6060/debug/pprof/trace?seconds=1');
  const mounted = parseEndpointUrl('https://svc.example.com/admin/pprof/?tenant=a').base;
  assert.equal(buildCaptureUrl(mounted, kind('mutex'), undefined).href, 'https://svc.example.com/admin/pprof/mutex?tenant=a');
  assert.equal(pprofIndexUrl(base).href, 'http://localhost:6060/debug/pprof/');
});

test('endpoint URLs: a bare origin gets /debug/pprof, a pasted handler URL is reduced to its base', () => {
  assert.equal(parseEndpointUrl('http://127.0.0.1:6060').base.href, 'http://127.0.0.1:6060/debug/pprof');
  assert.equal(parseEndpointUrl('http://127.0.0.1:6060/').base.href, 'http://127.0.0.1:6060/debug/pprof');
  assert.equal(parseEndpointUrl('  http://h:1/debug/pprof/  ').base.href, 'http://h:1/debug/pprof');
  assert.equal(parseEndpointUrl('http://h:1/debug/pprof/heap?debug=1').base.href, 'http://h:1/debug/pprof');
  assert.equal(parseEndpointUrl('http://h:1/debug/pprof/profile?seconds=5#x').base.href, 'http://h:1/debug/pprof');
  assert.equal(parseEndpointUrl('http://[::1]:6060/debug/pprof').base.hostname, '[::1]');
});

test('endpoint URLs: only http and https, with a host; errors say what to type', () => {
  assert.throws(() => parseEndpointUrl(''), captureError('bad-url', /empty.*http:\/\/localhost:6060\/debug\/pprof/));
  assert.throws(() => parseEndpointUrl('ftp://h/debug/pprof'), captureError('bad-url', /only http:\/\/ and https:\/\/ URLs are supported \(got ftp:\)/));
  assert.throws(() => parseEndpointUrl('file:///etc/passwd'), captureError('bad-url', /only http/));
  assert.throws(() => parseEndpointUrl('javascript:alert(1)'), captureError('bad-url', /only http/));
  assert.throws(() => parseEndpointUrl('localhost:6060'), captureError('bad-url', /Did you mean http:\/\/localhost:6060\?/));
  assert.throws(() => parseEndpointUrl('not a url'), captureError('bad-url', /not a valid URL/));
});

test('user info in the URL becomes a Basic Authorization header and never stays in the URL or an error', () => {
  const parsed = parseEndpointUrl('http://admin:s3cr%C3%A9t@h:1/debug/pprof');
  assert.equal(parsed.base.href, 'http://h:1/debug/pprof');
  assert.equal(parsed.basicAuthorization, `Basic ${Buffer.from('admin:s3crét').toString('base64')}`);
  assert.ok(parsed.secrets.includes('s3crét'));
  assert.throws(
    () => parseEndpointUrl('gopher://admin:hunter22@h/x'),
    (error: unknown) => error instanceof CaptureError && !error.message.includes('hunter22') && error.message.includes('[redacted]@'),
  );
});

test('default endpoint names are host-port', () => {
  assert.equal(defaultEndpointName(parseEndpointUrl('http://localhost:6060').base), 'localhost-6060');
  assert.equal(defaultEndpointName(parseEndpointUrl('https://svc.internal/debug/pprof').base), 'svc.internal-443');
  assert.equal(defaultEndpointName(parseEndpointUrl('http://[::1]:7000').base), '::1-7000');
});

test('loopback hosts: localhost, 127/8, ::1 and mapped 127.x; everything else asks first', () => {
  for (const host of ['localhost', 'LOCALHOST', 'localhost.', 'api.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '[::ffff:7f00:1]']) {
    assert.equal(isLoopbackHost(host), true, host);
  }
  for (const host of ['example.com', 'localhost.example.com', '10.0.0.1', '0.0.0.0', '128.0.0.1', '::', '::2', '::ffff:10.0.0.1', '127.0.0.256', 'my-localhost', '']) {
    assert.equal(isLoopbackHost(host), false, host);
  }
  assert.equal(isLoopbackEndpoint('http://localhost:6060/debug/pprof'), true);
  assert.equal(isLoopbackEndpoint('https://user:pw@[::1]:8443'), true);
  assert.equal(isLoopbackEndpoint('http://prod.example.com:6060/debug/pprof'), false);
  assert.throws(() => isLoopbackEndpoint('ftp://localhost/'), (e: unknown) => e instanceof CaptureError && e.code === 'bad-url');
  // As the URL parser normalises hosts (127.1, 0x7f.1 → 127.0.0.1).
  assert.equal(isLoopbackHost(new URL('http://0x7f.1/').hostname), true);
});

test('fuzz: isLoopbackHost agrees with Node\'s address parser on every IPv4 and IPv6 address', () => {
  const loopback = new net.BlockList();
  loopback.addSubnet('127.0.0.0', 8, 'ipv4');
  loopback.addAddress('::1', 'ipv6');
  loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
  fc.assert(
    fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('127.0.0.1', '::1', '::ffff:127.9.9.9')), (address) => {
      const family = net.isIPv4(address) ? 'ipv4' : 'ipv6';
      assert.equal(isLoopbackHost(address), loopback.check(address, family), address);
      assert.equal(isLoopbackHost(new URL(`http://${family === 'ipv6' ? `[${address}]` : address}/`).hostname), loopback.check(address, family), address);
    }),
    { numRuns: 5000 },
  );
});

test('fuzz: parseEndpointUrl either returns an http(s) base or throws a bad-url CaptureError', () => {
  fc.assert(
    fc.property(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string(), fc.constantFrom('ftp://x', 'http://', 'http://[::1', 'HTTP://X:1/A')), (raw) => {
      try {
        const { base } = parseEndpointUrl(raw);
        assert.ok(base.protocol === 'http:' || base.protocol === 'https:');
        assert.equal(base.username, '');
        assert.equal(base.hash, '');
        assert.ok(!base.pathname.endsWith('/') || base.pathname === '/');
      } catch (error) {
        assert.ok(error instanceof CaptureError, String(error));
        assert.equal(error.code, 'bad-url');
      }
    }),
    { numRuns: 3000 },
  );
});

test('headers: names must be tokens, values one line; reserved ones are refused; errors never show values', () => {
  assert.doesNotThrow(() => checkHeaders({ Authorization: 'Bearer abc.def', 'X-Api-Key': 'k' }));
  assert.throws(() => checkHeaders({ 'Bad Name': 'x' }), captureError('bad-header', /"Bad Name" is not valid/));
  assert.throws(() => checkHeaders({ Authorization: 'Bearer tok\r\nX-Evil: 1' }), (e: unknown) => e instanceof CaptureError && e.code === 'bad-header' && !e.message.includes('tok'));
  assert.throws(() => checkHeaders({ 'Content-Length': '5' }), captureError('bad-header', /set by the capture itself/));
  assert.deepEqual(parseHeaderLine('Authorization:  Bearer a:b '), ['Authorization', 'Bearer a:b']);
  assert.throws(() => parseHeaderLine('no colon here'), captureError('bad-header', /'Name: value'/));
  assert.throws(() => parseHeaderLine(': value'), captureError('bad-header', /'Name: value'/));
  assert.deepEqual(mergeHeaders({ authorization: 'Basic x' }, { Authorization: 'Bearer y' }), { Authorization: 'Bearer y' });
});
