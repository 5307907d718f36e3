// The workspace's dependencies in the index: the packages of required modules that the workspace imports,
// read from the module cache (GOMODCACHE, where `go build` put them) or from a local `replace` folder, so
// call-chain-break follows a call into a library (`rdb.Get(key)` whose body is `GetCtx(context.Background(),
// key)`) as it follows one into the workspace. Only packages the workspace imports are summarised, once each;
// nothing is downloaded: a module that is not in the cache is simply not followed. Node-only (fs).

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CallGraphIndex } from './callGraph';

export interface Requirement {
  readonly path: string;
  /** The version the module cache holds it under (`v1.2.3`), when not replaced by a local folder. */
  readonly version?: string;
  /** A local folder a `replace` directive points at. */
  readonly dir?: string;
  /** The module the cache holds it as, when a `replace` points at another module. */
  readonly cachePath?: string;
}

/** The required modules of a go.mod (single-line and block `require`s), with `replace` directives applied. */
export function parseRequirements(goMod: string, goModDir: string): Requirement[] {
  const text = goMod.replace(/\/\/[^\n]*/g, '');
  const required = new Map<string, string>();
  const replaced = new Map<string, Requirement>();
  const directives = (keyword: string): string[] => {
    const lines: string[] = [];
    const block = new RegExp(`^\\s*${keyword}\\s*\\(([^)]*)\\)`, 'gm');
    for (let m = block.exec(text); m; m = block.exec(text)) lines.push(...m[1]!.split('\n'));
    const single = new RegExp(`^\\s*${keyword}\\s+([^(\\s][^\\n]*)$`, 'gm');
    for (let m = single.exec(text); m; m = single.exec(text)) lines.push(m[1]!);
    return lines.map((l) => l.trim()).filter((l) => l !== '');
  };
  for (const line of directives('require')) {
    const [modulePath, version] = line.split(/\s+/);
    if (modulePath && version) required.set(unquote(modulePath), version);
  }
  for (const line of directives('replace')) {
    const match = /^(\S+)(?:\s+\S+)?\s+=>\s+(\S+)(?:\s+(\S+))?$/.exec(line);
    if (!match) continue;
    const [, from, to, toVersion] = match;
    const target = unquote(to!);
    if (target.startsWith('.') || path.isAbsolute(target)) replaced.set(unquote(from!), { path: unquote(from!), dir: path.resolve(goModDir, target) });
    else if (toVersion) replaced.set(unquote(from!), { path: target, version: toVersion });
  }
  return [...required].map(([modulePath, version]) => {
    const replacement = replaced.get(modulePath);
    if (replacement?.dir) return { path: modulePath, dir: replacement.dir };
    return replacement ? { path: modulePath, version: replacement.version!, ...(replacement.path !== modulePath ? { cachePath: replacement.path } : {}) } : { path: modulePath, version };
  });
}

function unquote(text: string): string {
  return text.replace(/^"(.*)"$/, '$1');
}

/** The module cache's folder name for a module path: upper-case letters become `!` and the lower-case letter. */
export function escapeModulePath(modulePath: string): string {
  return modulePath.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/** Where a required module's source lives: its replace folder, or `<gomodcache>/<escaped path>@<version>`. */
export function moduleDirectory(requirement: Requirement, gomodcache: string | undefined): string | undefined {
  if (requirement.dir) return requirement.dir;
  if (!gomodcache || !requirement.version) return undefined;
  return path.join(gomodcache, `${escapeModulePath(requirement.cachePath ?? requirement.path)}@${requirement.version}`);
}

/**
 * Adds to the index the packages of required modules that `importPaths` name and the index does not resolve
 * already. Returns how many files were summarised. Never throws: unreadable folders and files are skipped.
 * Reads asynchronously and yields to the event loop every few dozen files, so a language server indexing a
 * large module cache keeps answering meanwhile.
 */
export async function indexDependencies(
  index: CallGraphIndex, goMods: ReadonlyMap<string, string>, importPaths: Iterable<string>, gomodcache: string | undefined,
): Promise<number> {
  const requirements: Requirement[] = [];
  for (const [dir, text] of goMods) requirements.push(...parseRequirements(text, dir));
  if (requirements.length === 0) return 0;
  let files = 0;
  const added = new Set<string>();
  for (const importPath of importPaths) {
    if (index.directoryOf(importPath) !== undefined) continue;
    // The required module with the longest path that is a prefix of the import path provides it.
    let best: Requirement | undefined;
    for (const r of requirements) {
      if ((importPath === r.path || importPath.startsWith(`${r.path}/`)) && (!best || r.path.length > best.path.length)) best = r;
    }
    const moduleDir = best ? moduleDirectory(best, gomodcache) : undefined;
    if (!best || !moduleDir || added.has(importPath)) continue;
    added.add(importPath);
    const packageDir = importPath === best.path ? moduleDir : path.join(moduleDir, importPath.slice(best.path.length + 1));
    let names: string[];
    try {
      names = (await fs.promises.readdir(packageDir)).filter((n) => n.endsWith('.go') && !n.endsWith('_test.go'));
    } catch {
      continue;
    }
    index.setModule(moduleDir, best.path);
    for (const name of names) {
      try {
        index.setSource(path.join(packageDir, name), await fs.promises.readFile(path.join(packageDir, name), 'utf8'));
        if (++files % 64 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      } catch {
        // unreadable: not followed
      }
    }
  }
  return files;
}
