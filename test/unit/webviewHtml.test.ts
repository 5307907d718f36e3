// The webview shell's Content-Security-Policy: nothing inline but the nonce'd script, a fresh nonce per
// render, and attribute values that cannot break out of their quotes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, webviewHtml } from '../../client/src/webview/webviewHtml';

const options = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  resource: (file: string) => `https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/${file}`,
  title: 'Flame graph',
  view: 'flamegraph',
};

test('the policy allows only the nonce script and resources from the webview root', () => {
  const csp = contentSecurityPolicy(options.cspSource, 'abc');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-abc'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
});

test('each render gets a new nonce, used by the one script tag', () => {
  const a = webviewHtml(options);
  const b = webviewHtml(options);
  const nonceOf = (html: string) => /script-src 'nonce-([^']+)'/.exec(html)![1];
  assert.notEqual(nonceOf(a), nonceOf(b));
  assert.ok(nonceOf(a)!.length >= 20);
  assert.equal((a.match(/<script/g) ?? []).length, 1);
  assert.ok(a.includes(`<script nonce="${nonceOf(a)}" src="${options.resource('flamegraph.js')}">`));
  assert.doesNotMatch(a, /\son[a-z]+=/i, 'no inline event handlers');
});

test('a hostile title cannot inject markup', () => {
  const html = webviewHtml({ ...options, title: '"><script>alert(1)</script>' });
  assert.equal((html.match(/<script/g) ?? []).length, 1);
  assert.ok(html.includes('&quot;&gt;&lt;script&gt;'));
});
