// Mapping profile file names to local files: every rule on an in-memory file system (absolute paths,
// module-relative paths via go.mod and go.work, vendor/, the module cache, GOROOT, paths from another
// machine, user substitutions), the guarantee that nothing resolves outside the workspace, GOROOT or
// GOMODCACHE (not through "..", not through a symbolic link), and a real -trimpath build of the test
// service whose profile resolves completely.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeProfileBytes } from '../../core/profiles/profileFile.node';
import { discoverGoModules, parseModulePath, parseWorkUses } from '../../core/profiles/goModules';
import { nodeSourceFileSystem } from '../../core/profiles/sourceFileSystem.node';
import { SourcePathResolver, escapeModulePath } from '../../core/profiles/sourceMap';
import { prepareQuery } from '../../core/profiles/query';
import { topReport } from '../../core/profiles/topReport';
import { CACHE_DIR, GO_PROGRAMS, requireGo, runGo, startGoService } from '../helpers/goToolchain';
import { memorySourceFileSystem } from '../helpers/pprofMemoryFs';

const WS = '/home/me/shop';
const files: Record<string, string> = {
  [`${WS}/go.mod`]: '// the shop\nmodule "example.com/shop" // main module\n\ngo 1.23\n',
  [`${WS}/go.work`]: 'go 1.23\n\nuse (\n\t.\n\t./lib // shared code\n)\nuse ../outside\n',
  [`${WS}/cmd/main.go`]: 'package main',
  [`${WS}/tools/go.mod`]: 'module example.com/shop/tools\n',
  [`${WS}/tools/gen.go`]: 'package tools',
  [`${WS}/lib/go.mod`]: 'module example.com/lib\n',
  [`${WS}/lib/lib.go`]: 'package lib',
  [`${WS}/vendor/github.com/foo/bar/x.go`]: 'package bar',
  [`${WS}/node_modules/x/go.mod`]: 'module example.com/ignored\n',
  '/home/me/outside/go.mod': 'module example.com/outside\n',
  '/home/me/outside/o.go': 'package outside',
  '/goroot/src/runtime/proc.go': 'package runtime',
  '/modcache/github.com/!azure/sdk@v1.2.3/client.go': 'package sdk',
  '/etc/passwd': 'root:x:0:0',
};
const fs = memorySourceFileSystem(files, { [`${WS}/link`]: '/etc' });

function resolver(extra: Partial<ConstructorParameters<typeof SourcePathResolver>[1]> = {}) {
  return new SourcePathResolver(fs, { workspaceFolders: [WS], goroot: '/goroot', gomodcache: '/modcache', ...extra });
}

describe('source mapping rules', () => {
  it('finds the workspace modules: go.mod module lines, go.work uses inside the workspace, no node_modules', () => {
    assert.deepEqual(discoverGoModules(fs, [WS]).map((m) => `${m.path} ${m.dir}`), [
      `example.com/shop ${WS}`,
      `example.com/lib ${WS}/lib`,
      `example.com/shop/tools ${WS}/tools`,
    ]);
    assert.equal(parseModulePath('module (\n  example.com/blocky\n)\n'), 'example.com/blocky');
    assert.equal(parseModulePath('go 1.22\n'), null);
    assert.deepEqual(parseWorkUses('use ./a\nuse (\n  ./b\n  "./c d"\n)\n'), ['./a', './b', './c d']);
  });

  it('resolves each kind of name, and says by which rule', () => {
    const r = resolver({ substitutions: [{ from: '/build/src', to: WS }] });
    const cases: [string, string, string][] = [
      [`${WS}/cmd/main.go`, `${WS}/cmd/main.go`, 'absolute'],
      ['example.com/shop/cmd/main.go', `${WS}/cmd/main.go`, 'module'],
      ['example.com/shop/tools/gen.go', `${WS}/tools/gen.go`, 'module'],
      ['example.com/lib/lib.go', `${WS}/lib/lib.go`, 'module'],
      ['github.com/foo/bar/x.go', `${WS}/vendor/github.com/foo/bar/x.go`, 'vendor'],
      ['github.com/foo/bar@v0.1.0/x.go', `${WS}/vendor/github.com/foo/bar/x.go`, 'vendor'],
      ['github.com/Azure/sdk@v1.2.3/client.go', '/modcache/github.com/!azure/sdk@v1.2.3/client.go', 'module-cache'],
      ['runtime/proc.go', '/goroot/src/runtime/proc.go', 'goroot'],
      ['/usr/local/go/src/runtime/proc.go', '/goroot/src/runtime/proc.go', 'relocated'],
      ['/home/ci/go/pkg/mod/github.com/!azure/sdk@v1.2.3/client.go', '/modcache/github.com/!azure/sdk@v1.2.3/client.go', 'relocated'],
      ['/ci/workspace/shop/cmd/main.go', `${WS}/cmd/main.go`, 'relocated'],
      ['/go/src/example.com/shop/tools/gen.go', `${WS}/tools/gen.go`, 'relocated'],
      ['/build/src/cmd/main.go', `${WS}/cmd/main.go`, 'substitution'],
    ];
    for (const [name, path, rule] of cases) assert.deepEqual(r.resolve(name), { localPath: path, rule }, name);
    assert.equal(escapeModulePath('github.com/BurntSushi/TOML'), 'github.com/!burnt!sushi/!t!o!m!l');
  });

  it('never resolves outside the workspace, GOROOT or GOMODCACHE', () => {
    const r = resolver({ substitutions: [{ from: '/x', to: '/etc' }] });
    for (const name of ['/etc/passwd', `${WS}/../../../etc/passwd`, 'example.com/shop/../../../../etc/passwd', 'example.com/outside/o.go', '/home/me/outside/o.go', `${WS}/link/passwd`, '/x/passwd', '../etc/passwd']) {
      assert.equal(r.resolve(name).localPath, null, name);
    }
  });

  it('reports the names it could not resolve, with a reason', () => {
    const r = resolver();
    const { resolved, unresolved } = r.resolveAll(['runtime/proc.go', 'example.com/gone/x.go', 'runtime/proc.go', '']);
    assert.deepEqual([...resolved.keys()], ['runtime/proc.go']);
    assert.deepEqual(unresolved, ['', 'example.com/gone/x.go']);
    const miss = r.resolve('example.com/gone/x.go');
    assert.ok(miss.localPath === null && /substitution/.test(miss.reason));
  });
});

describe('source mapping on a real -trimpath build', () => {
  it('resolves every file of the profile to the service source, GOROOT or nothing missing', async (t) => {
    if (!requireGo((why) => t.skip(why))) return;
    const binary = join(CACHE_DIR, 'bin', 'service-trimpath');
    runGo(['build', '-trimpath', '-o', binary, './service']);
    const service = await startGoService(binary, ['-busy=false', '-leak', '2']);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await (await fetch(`${service.url}/debug/pprof/goroutine`)).arrayBuffer());
    } finally {
      await service.stop();
    }
    const profile = decodeProfileBytes(bytes);
    const report = topReport(prepareQuery(profile), { granularity: 'lines', nodeFraction: 0 });
    const names = [...new Set(report.rows.map((r) => r.file))];
    assert.ok(names.includes('gotracelens.test/programs/service/main.go'), 'trimpath names the main module by its module path');
    assert.ok(names.some((n) => n.startsWith('runtime/')), 'and the standard library by its GOROOT-relative path');
    const goroot = runGo(['env', 'GOROOT']).trim();
    const gomodcache = runGo(['env', 'GOMODCACHE']).trim();
    const r = new SourcePathResolver(nodeSourceFileSystem, { workspaceFolders: [GO_PROGRAMS], goroot, gomodcache });
    const { resolved, unresolved } = r.resolveAll(names);
    assert.deepEqual(unresolved, []);
    assert.equal(resolved.get('gotracelens.test/programs/service/main.go'), join(GO_PROGRAMS, 'service', 'main.go'));
    for (const [name, path] of resolved) if (name.startsWith('runtime/')) assert.equal(path, join(goroot, 'src', name));
  });
});
