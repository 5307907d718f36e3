// call-chain-break into a library: the packages of required modules the workspace imports are read from the
// module cache (or a local replace folder) into the index, so a call to a library's context-less Get whose
// body runs GetCtx on a root context is found, with the twin suggested. Module paths are escaped as the go
// tool escapes them in the cache; a module missing from the cache is simply not followed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from '../../cli/checkCommand';
import { escapeModulePath, parseRequirements } from '../../core/analysis/workspace/dependencies.node';

const LIBRARY = `package kv

import "context"

type Client struct{ conn conn }

type conn struct{}

func (conn) Do(ctx context.Context, cmd string) string { return "" }

// Get runs GetCtx on a root context.
func (c *Client) Get(key string) string {
	return c.GetCtx(context.Background(), key)
}

func (c *Client) GetCtx(ctx context.Context, key string) string {
	return c.conn.Do(ctx, "GET "+key)
}
`;

const HANDLER = `package app

import (
	"net/http"

	"github.com/Acme/kv"
)

func Stock(w http.ResponseWriter, r *http.Request, rdb *kv.Client) {
	_ = rdb.Get("stock")
}
`;

function workspace(goMod: string): { root: string; files: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'gtl-deps-'));
  mkdirSync(join(root, 'app'));
  writeFileSync(join(root, 'app', 'go.mod'), goMod);
  writeFileSync(join(root, 'app', 'handler.go'), HANDLER);
  return { root, files: [join(root, 'app', 'handler.go')] };
}

test('go.mod requirements, single and in blocks, with replace directives', () => {
  const goMod = 'module example.com/app\n\ngo 1.22\n\nrequire github.com/Acme/kv v1.4.0 // indirect\n\nrequire (\n\tgolang.org/x/sync v0.7.0\n\texample.com/local v0.0.0\n)\n\nreplace example.com/local => ../local\n';
  const byPath = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path);
  assert.deepEqual(parseRequirements(goMod, '/w/app').sort(byPath), [
    { path: 'github.com/Acme/kv', version: 'v1.4.0' },
    { path: 'golang.org/x/sync', version: 'v0.7.0' },
    { path: 'example.com/local', dir: '/w/local' },
  ].sort(byPath));
  assert.equal(escapeModulePath('github.com/Acme/KV'), 'github.com/!acme/!k!v');
});

test('a library method on a parameter, read from the module cache, is followed and its twin suggested', async () => {
  const { root, files } = workspace('module example.com/app\n\ngo 1.22\n\nrequire github.com/Acme/kv v1.4.0\n');
  try {
    const cache = join(root, 'modcache');
    mkdirSync(join(cache, 'github.com', '!acme', 'kv@v1.4.0'), { recursive: true });
    writeFileSync(join(cache, 'github.com', '!acme', 'kv@v1.4.0', 'kv.go'), LIBRARY);
    const outcome = await runCheck(files, { jobs: 1, gomodcache: cache });
    const findings = outcome.findings.flatMap((f) => f.findings);
    assert.deepEqual(findings.map((f) => `${f.range.start.line + 1}:${f.rule}`), ['10:call-chain-break']);
    assert.match(findings[0]!.message, /^rdb\.Get takes no context and creates a root context with context\.Background\(\) \(kv\.go:13\)/);
    assert.match(findings[0]!.message, /Call rdb\.GetCtx\(r\.Context\(\), …\) instead/);

    // Not in the cache (never downloaded): nothing to follow, nothing claimed.
    rmSync(join(cache, 'github.com'), { recursive: true });
    assert.deepEqual((await runCheck(files, { jobs: 1, gomodcache: cache })).findings.flatMap((f) => f.findings), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a module replaced by a local folder is read from that folder', async () => {
  const { root, files } = workspace('module example.com/app\n\ngo 1.22\n\nrequire github.com/Acme/kv v1.4.0\n\nreplace github.com/Acme/kv => ../kv\n');
  try {
    mkdirSync(join(root, 'kv'));
    writeFileSync(join(root, 'kv', 'kv.go'), LIBRARY);
    const findings = (await runCheck(files, { jobs: 1, gomodcache: join(root, 'no-cache') })).findings.flatMap((f) => f.findings);
    assert.deepEqual(findings.map((f) => `${f.range.start.line + 1}:${f.rule}`), ['10:call-chain-break']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
