// The endpoint picker's list: what settings are offered (user, workspace only when trusted), in which
// order (last used first, the default last), what is refused with which message, what a user types, and
// how an endpoint is saved into the user settings.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addEndpointSetting,
  buildEndpointList,
  endpointChoice,
  endpointKey,
  findEndpoint,
  interpretTypedEndpoint,
  parseEndpointSettings,
  parseRecentEndpoint,
  recentEndpoint,
} from '../../client/src/capture/endpointChoices';

const SHOP = { name: 'shop', url: 'http://127.0.0.1:6061/debug/pprof' };
const PROD = { name: 'prod', url: 'https://prod.example.com/debug/pprof' };
const TEAM = { name: 'team', url: 'http://10.1.2.3:6060' };

describe('buildEndpointList', () => {
  test('offers workspace entries, then user entries, then the default, when the workspace is trusted', () => {
    const list = buildEndpointList({ inspection: { globalValue: [PROD], workspaceValue: [SHOP] }, trusted: true });
    assert.deepEqual(list.choices.map((c) => [c.name, c.source]), [['shop', 'workspace'], ['prod', 'user'], ['localhost-6060', 'default']]);
    assert.equal(list.ignoredWorkspaceEntries, 0);
    assert.deepEqual(list.problems, []);
  });

  test('ignores every workspace entry in an untrusted workspace and says how many', () => {
    const list = buildEndpointList({ inspection: { globalValue: [PROD], workspaceValue: [SHOP, TEAM], workspaceFolderValue: [SHOP] }, trusted: false });
    assert.deepEqual(list.choices.map((c) => c.name), ['prod', 'localhost-6060']);
    assert.equal(list.ignoredWorkspaceEntries, 3);
    assert.ok(list.choices.every((c) => c.source !== 'workspace'));
  });

  test('a workspace endpoint used last does not come back once the workspace is untrusted', () => {
    const trusted = buildEndpointList({ inspection: { workspaceValue: [TEAM] }, trusted: true });
    const recent = recentEndpoint(trusted.choices[0]!);
    const untrusted = buildEndpointList({ inspection: { workspaceValue: [TEAM] }, trusted: false, recent });
    assert.ok(!untrusted.choices.some((c) => c.key === recent.key), 'the workspace endpoint must not be offered');
  });

  test('puts the last used endpoint first, keeping its configured name and headers', () => {
    const withHeaders = { ...PROD, headers: { 'X-Team': 'perf' } };
    const list = buildEndpointList({ inspection: { globalValue: [SHOP, withHeaders] }, trusted: true, recent: { key: endpointKey(PROD.url)!, name: 'old name', source: 'user' } });
    assert.equal(list.choices[0]!.name, 'prod');
    assert.deepEqual(list.choices[0]!.headers, { 'X-Team': 'perf' });
    assert.deepEqual(list.choices.map((c) => c.name), ['prod', 'shop', 'localhost-6060']);
  });

  test('a typed or discovered endpoint used last is offered again; a user entry since removed is not', () => {
    const typed = buildEndpointList({ inspection: {}, trusted: true, recent: { key: 'http://127.0.0.1:7070/debug/pprof', name: '127.0.0.1-7070', source: 'typed' } });
    assert.deepEqual(typed.choices.map((c) => [c.name, c.source]), [['127.0.0.1-7070', 'recent'], ['localhost-6060', 'default']]);
    const removed = buildEndpointList({ inspection: {}, trusted: true, recent: { key: 'http://127.0.0.1:7070/debug/pprof', name: 'gone', source: 'user' } });
    assert.deepEqual(removed.choices.map((c) => c.name), ['localhost-6060']);
  });

  test('the default is not offered twice when a setting names it', () => {
    const list = buildEndpointList({ inspection: { globalValue: [{ name: 'local', url: 'http://localhost:6060' }] }, trusted: true });
    assert.deepEqual(list.choices.map((c) => c.name), ['local']);
  });

  test('entries that cannot be used are left out with a message naming the entry and the fix', () => {
    const list = buildEndpointList({
      inspection: { globalValue: [{ url: 'ftp://files.example.com' }, { name: 'x' }, { url: 'http://ok:1', headers: { 'Bad Header': 'v' } }, { url: 'http://ok:2', headers: { A: 1 } }, 'http://plain:6060'] },
      trusted: true,
    });
    assert.deepEqual(list.choices.map((c) => c.url), ['http://plain:6060', 'http://localhost:6060/debug/pprof']);
    const messages = list.problems.map((p) => p.message);
    assert.equal(messages.length, 4);
    assert.match(messages[0]!, /entry 1 of goTraceLens\.endpoints in user settings .*only http:\/\/ and https:\/\//);
    assert.match(messages[1]!, /entry 2 .* has no "url"/);
    assert.match(messages[2]!, /entry 3 .*header name "Bad Header" is not valid/);
    assert.match(messages[3]!, /entry 4 .*"headers" must map header names to text/);
  });

  test('credentials in settings are offered but warned about, without repeating the secret', () => {
    const { choices, problems } = parseEndpointSettings(
      [{ name: 'a', url: 'http://alice:hunter22@svc:6060', headers: {} }, { name: 'b', url: 'http://svc:6061', headers: { Authorization: 'Bearer tok-abcdef' } }],
      'workspace',
    );
    assert.equal(choices.length, 2);
    assert.equal(problems.length, 2);
    assert.ok(problems.every((p) => p.severity === 'warning' && /Set Credentials/.test(p.message)));
    for (const p of problems) assert.ok(!p.message.includes('hunter22') && !p.message.includes('tok-abcdef'), p.message);
    assert.equal(choices[0]!.displayUrl, 'http://svc:6060/debug/pprof', 'the shown URL has no user info');
  });

  test('a non-list setting is reported, not thrown', () => {
    const list = buildEndpointList({ inspection: { globalValue: { url: 'http://x:1' } }, trusted: true });
    assert.match(list.problems[0]!.message, /must be a list/);
  });

  test('never throws, never offers a duplicate or an untrusted workspace entry (fuzzed settings)', () => {
    const url = fc.oneof(
      fc.constantFrom('http://localhost:6060', 'http://127.0.0.1:6060/debug/pprof', 'https://a.example:443/x/debug/pprof', 'http://[::1]:6060', 'ftp://x', 'nonsense', ''),
      fc.webUrl(),
    );
    const entry = fc.oneof(fc.record({ name: fc.option(fc.string(), { nil: undefined }), url }, { requiredKeys: ['url'] }), url, fc.anything());
    const value = fc.oneof(fc.array(entry, { maxLength: 6 }), fc.anything());
    fc.assert(
      fc.property(value, value, fc.boolean(), (globalValue, workspaceValue, trusted) => {
        const list = buildEndpointList({ inspection: { globalValue, workspaceValue }, trusted });
        const keys = list.choices.map((c) => c.key);
        assert.equal(new Set(keys).size, keys.length);
        if (!trusted) assert.ok(list.choices.every((c) => c.source !== 'workspace'));
        assert.ok(list.choices.some((c) => c.key === 'http://localhost:6060/debug/pprof'));
        for (const c of list.choices) assert.match(c.key, /^https?:\/\//);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('interpretTypedEndpoint', () => {
  test('host:port becomes an http endpoint on the default pprof path', () => {
    const typed = interpretTypedEndpoint('localhost:7070');
    assert.ok(typed && 'choice' in typed);
    assert.equal(typed.choice.key, 'http://localhost:7070/debug/pprof');
    assert.equal(typed.choice.name, 'localhost-7070');
    assert.equal(typed.choice.source, 'typed');
    assert.equal(typed.choice.loopback, true);
  });

  test('a pasted handler URL is reduced to its base', () => {
    const typed = interpretTypedEndpoint('http://10.0.0.5:6060/debug/pprof/heap?debug=1');
    assert.ok(typed && 'choice' in typed);
    assert.equal(typed.choice.key, 'http://10.0.0.5:6060/debug/pprof');
    assert.equal(typed.choice.loopback, false);
    assert.equal(typed.choice.host, '10.0.0.5');
  });

  test('a URL that cannot be captured from says why', () => {
    const typed = interpretTypedEndpoint('ftp://files:21/');
    assert.ok(typed && 'error' in typed);
    assert.match(typed.error, /only http:\/\/ and https:\/\//);
  });

  test('filter text is not taken for a URL', () => {
    assert.equal(interpretTypedEndpoint('shop'), undefined);
    assert.equal(interpretTypedEndpoint('  '), undefined);
  });

  test('user info typed in a URL never reaches the display URL or the key', () => {
    const typed = interpretTypedEndpoint('http://bob:s3cr3t-pw@127.0.0.1:6060');
    assert.ok(typed && 'choice' in typed);
    assert.ok(!typed.choice.displayUrl.includes('s3cr3t-pw') && !typed.choice.key.includes('s3cr3t-pw'));
    assert.ok(!JSON.stringify(recentEndpoint(typed.choice)).includes('s3cr3t-pw'), 'what is remembered has no password');
  });
});

describe('findEndpoint', () => {
  const choices = buildEndpointList({ inspection: { globalValue: [SHOP, PROD] }, trusted: true }).choices;
  test('by name, in any case', () => assert.equal(findEndpoint(choices, 'PROD')?.name, 'prod'));
  test('by URL, in any spelling of the same base', () => assert.equal(findEndpoint(choices, '127.0.0.1:6061')?.name, 'shop'));
  test('nothing for an unknown name', () => assert.equal(findEndpoint(choices, 'staging'), undefined));
});

describe('addEndpointSetting', () => {
  test('appends to the user list, keeping entries it does not understand', () => {
    const { list, replaced } = addEndpointSetting([{ weird: true }, PROD], { name: 'found', url: 'http://127.0.0.1:6060/debug/pprof' });
    assert.equal(replaced, false);
    assert.deepEqual(list, [{ weird: true }, PROD, { name: 'found', url: 'http://127.0.0.1:6060/debug/pprof' }]);
  });

  test('replaces an entry with the same base URL', () => {
    const { list, replaced } = addEndpointSetting([{ name: 'old', url: 'http://127.0.0.1:6060' }], { name: 'new', url: 'http://127.0.0.1:6060/debug/pprof' });
    assert.equal(replaced, true);
    assert.deepEqual(list, [{ name: 'new', url: 'http://127.0.0.1:6060/debug/pprof' }]);
  });

  test('starts a list when there is none', () => {
    assert.deepEqual(addEndpointSetting(undefined, { url: 'http://a:1' }).list, [{ url: 'http://a:1' }]);
  });
});

test('a remembered endpoint reads back; malformed memories are forgotten', () => {
  const choice = endpointChoice('http://127.0.0.1:9/debug/pprof', 'discovered');
  assert.deepEqual(parseRecentEndpoint(JSON.parse(JSON.stringify(recentEndpoint(choice)))), { key: choice.key, name: choice.name, source: 'discovered' });
  for (const bad of [undefined, null, 'x', { key: 1 }, { key: 'a', name: 'b', source: 'elsewhere' }]) assert.equal(parseRecentEndpoint(bad), undefined);
});
