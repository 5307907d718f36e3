// The Go modules of a workspace, for mapping profile file names back to source: the `module` line of every
// go.mod found under the workspace folders, and the `use` directories of go.work files. Reads through the
// small file-system interface of `sourceMap.ts`, so it runs in the server, the CLI and the tests alike.

import type { SourceFileSystem } from './sourceFileSystem';
import { isWithin, joinPath } from './pathUtil';

export interface GoModule {
  /** Module path from the `module` line, e.g. "example.com/shop". */
  readonly path: string;
  /** Directory holding the go.mod. */
  readonly dir: string;
}

const SKIPPED_DIRS = new Set(['vendor', 'node_modules', 'testdata']);

/** Strips a `//` comment that is not inside a quoted string. */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

/** The first token of a directive's argument: a quoted string (which may hold spaces) or a bare word. */
function firstToken(text: string): string {
  const t = text.trim();
  const quote = t[0];
  if (quote === '"' || quote === '`') {
    const end = t.indexOf(quote, 1);
    if (end > 0) return t.slice(1, end);
  }
  return t.split(/\s+/)[0] ?? '';
}

/** The module path declared by a go.mod file, or null. */
export function parseModulePath(goMod: string): string | null {
  const lines = goMod.split(/\r?\n/).map(stripComment);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (/^module\s*\($/.test(line)) {
      for (let j = i + 1; j < lines.length; j++) {
        const inner = lines[j]!.trim();
        if (inner === ')') break;
        if (inner) return firstToken(inner) || null;
      }
    }
    const single = /^module\s+(.+)$/.exec(line);
    if (single) return firstToken(single[1]!) || null;
  }
  return null;
}

/** The directories a go.work file `use`s, as written (relative to the go.work directory or absolute). */
export function parseWorkUses(goWork: string): string[] {
  const uses: string[] = [];
  const lines = goWork.split(/\r?\n/).map(stripComment);
  let inBlock = false;
  for (const raw of lines) {
    const line = raw.trim();
    if (inBlock) {
      if (line === ')') inBlock = false;
      else if (line) uses.push(firstToken(line));
      continue;
    }
    if (/^use\s*\($/.test(line)) inBlock = true;
    else {
      const single = /^use\s+(.+)/.exec(line);
      if (single) uses.push(firstToken(single[1]!));
    }
  }
  return uses;
}

export interface DiscoverOptions {
  /** Stop walking after this many directories (default 20,000). */
  readonly maxDirectories?: number;
}

/** Every module under the workspace folders (go.mod files and go.work `use` entries inside them). */
export function discoverGoModules(fs: SourceFileSystem, workspaceFolders: readonly string[], options: DiscoverOptions = {}): GoModule[] {
  const limit = options.maxDirectories ?? 20000;
  const modules = new Map<string, GoModule>();
  const addModule = (dir: string) => {
    if (modules.has(dir)) return;
    const text = fs.readText(joinPath(dir, 'go.mod'));
    const path = text === undefined ? null : parseModulePath(text);
    if (path) modules.set(dir, { path, dir });
  };
  let visited = 0;
  const queue = [...workspaceFolders];
  while (queue.length > 0 && visited < limit) {
    const dir = queue.shift()!;
    visited++;
    const entries = fs.readDir(dir);
    if (!entries) continue;
    for (const entry of entries) {
      if (entry.isDirectory) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.') && !entry.name.startsWith('_')) queue.push(joinPath(dir, entry.name));
      } else if (entry.name === 'go.mod') {
        addModule(dir);
      } else if (entry.name === 'go.work') {
        const text = fs.readText(joinPath(dir, 'go.work'));
        for (const use of text === undefined ? [] : parseWorkUses(text)) {
          const target = use.startsWith('/') ? joinPath(use) : joinPath(dir, use);
          if (workspaceFolders.some((root) => isWithin(target, root))) addModule(target);
        }
      }
    }
  }
  return [...modules.values()].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}
