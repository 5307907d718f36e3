// Credentials as kept in SecretStorage (the stored text, the header they become, what the user may type,
// descriptions that never contain the secret), the hosts the user agreed to capture from, and what the
// pickers remember per workspace (never a secret).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findCaptureKind } from '../../core/capture/captureKinds';
import { CaptureMemory } from '../../client/src/capture/captureMemory';
import {
  authorizationHeader,
  credentialsSecretKey,
  describeCredentials,
  normalizeToken,
  parseStoredCredentials,
  passwordProblem,
  serializeCredentials,
  tokenProblem,
  userProblem,
  type EndpointCredentials,
} from '../../client/src/capture/credentials';
import { endpointChoice } from '../../client/src/capture/endpointChoices';
import { HostApprovals, type KeyValueStore } from '../../client/src/capture/hostApprovals';

/** The Memento the extension passes, as a JSON round trip (what VS Code stores). */
function memoryStore(): KeyValueStore & { dump(): string } {
  const values = new Map<string, string>();
  return {
    get: <T>(key: string) => (values.has(key) ? (JSON.parse(values.get(key)!) as T) : undefined),
    update: async (key: string, value: unknown) => {
      values.set(key, JSON.stringify(value));
    },
    dump: () => JSON.stringify([...values]),
  };
}

describe('credentials', () => {
  test('a bearer token and basic auth become the Authorization header', () => {
    assert.equal(authorizationHeader({ scheme: 'bearer', token: 'abc.def' }), 'Bearer abc.def');
    assert.equal(authorizationHeader({ scheme: 'basic', user: 'alice', password: 'pä:ss' }), `Basic ${Buffer.from('alice:pä:ss', 'utf8').toString('base64')}`);
  });

  test('stored text reads back as the same credentials (fuzzed)', () => {
    const credentials: fc.Arbitrary<EndpointCredentials> = fc.oneof(
      fc.record({ scheme: fc.constant('bearer' as const), token: fc.string({ minLength: 1 }) }),
      fc.record({ scheme: fc.constant('basic' as const), user: fc.string(), password: fc.string() }),
    );
    fc.assert(fc.property(credentials, (c) => assert.deepEqual(parseStoredCredentials(serializeCredentials(c)), { ...c })), { numRuns: 2000 });
  });

  test('anything malformed in storage counts as no credentials', () => {
    for (const text of [undefined, '', 'not json', 'null', '[]', '{"scheme":"bearer","token":""}', '{"scheme":"basic","user":"a"}', '{"scheme":"digest"}']) {
      assert.equal(parseStoredCredentials(text), undefined, String(text));
    }
  });

  test('one secret per endpoint base URL', () => {
    assert.equal(credentialsSecretKey('http://127.0.0.1:6060/debug/pprof'), 'goTraceLens.capture.credentials:http://127.0.0.1:6060/debug/pprof');
  });

  test('what may be typed', () => {
    assert.equal(normalizeToken('  Bearer abc  '), 'abc');
    assert.equal(tokenProblem('Bearer '), 'Paste the token (without "Bearer ").');
    assert.match(tokenProblem('two words')!, /one word/);
    assert.match(tokenProblem('line\nbreak')!, /one word/);
    assert.equal(tokenProblem('eyJhbGciOi.x.y'), undefined);
    assert.match(userProblem('a:b')!, /cannot contain ":"/);
    assert.match(userProblem('')!, /Type the user name/);
    assert.equal(userProblem('alice'), undefined);
    assert.match(passwordProblem('a\r\nb')!, /line breaks/);
    assert.equal(passwordProblem(''), undefined);
  });

  test('descriptions never contain the secret (fuzzed)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4 }), fc.string({ minLength: 4 }), (token, password) => {
        const bearer = describeCredentials({ scheme: 'bearer', token });
        const basic = describeCredentials({ scheme: 'basic', user: 'alice', password });
        assert.equal(bearer, 'a bearer token');
        assert.equal(basic, 'basic auth as alice');
      }),
      { numRuns: 200 },
    );
  });
});

describe('host approvals', () => {
  const remote = endpointChoice('https://prod.example.com:8443/debug/pprof', 'user');
  const local = endpointChoice('http://[::1]:6060', 'typed');

  test('loopback never asks; another host asks until approved, once per host name', async () => {
    const approvals = new HostApprovals(memoryStore());
    assert.equal(approvals.needsConfirmation(local), false);
    assert.equal(approvals.needsConfirmation(remote), true);
    await approvals.approve(remote.host);
    assert.equal(approvals.needsConfirmation(remote), false);
    assert.equal(approvals.needsConfirmation(endpointChoice('http://PROD.example.com./other', 'typed')), false, 'same host, other port and spelling');
    assert.equal(approvals.needsConfirmation(endpointChoice('https://staging.example.com', 'typed')), true);
  });

  test('approvals survive in the store, and junk in it is ignored', async () => {
    const store = memoryStore();
    await new HostApprovals(store).approve('10.0.0.5');
    assert.equal(new HostApprovals(store).isApproved('10.0.0.5'), true);
    await store.update('goTraceLens.capture.approvedHosts', [42, null, '10.0.0.6']);
    assert.equal(new HostApprovals(store).isApproved('10.0.0.6'), true);
  });
});

describe('capture memory', () => {
  test('remembers the last endpoint, kind and per-kind duration, and never a secret', async () => {
    const store = memoryStore();
    const memory = new CaptureMemory(store);
    assert.equal(memory.recentEndpoint(), undefined);
    const endpoint = endpointChoice('http://bob:pa55word@127.0.0.1:7070', 'typed', { headers: { Authorization: 'Bearer tok-123456' } });
    await memory.remember(endpoint, findCaptureKind('cpu')!, 12);
    await memory.remember(endpoint, findCaptureKind('trace')!, 3);
    assert.deepEqual(memory.recentEndpoint(), { key: 'http://127.0.0.1:7070/debug/pprof', name: '127.0.0.1-7070', source: 'typed' });
    assert.equal(memory.lastKind()?.id, 'trace');
    assert.equal(memory.lastSeconds('cpu'), 12);
    assert.equal(memory.lastSeconds('trace'), 3);
    assert.equal(memory.lastSeconds('heap-delta'), undefined);
    assert.ok(!store.dump().includes('pa55word') && !store.dump().includes('tok-123456'), store.dump());
  });
});
