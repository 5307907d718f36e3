// The workspace index behind call-chain-break: per-function summaries of every Go file (no syntax trees),
// grouped by package (directory + package name), with go.mod modules to map import paths to directories.
// Answers one question: does calling this function, which takes no context, end in a root context, and where
// is it made? Transitive answers are memoised until the index changes.
// Pure: file paths and summaries in, answers out; the language server and the CLI feed it.

import type { CalleeRef } from '../findings';
import { isLifetimeFunction } from '../lifetime';
import { isLogOrMetricHelper } from '../logsAndMetrics';
import { TWIN_NAMES, packageCalleeKey, summarizeGoSource, type FileSummary, type FunctionSummary, type RootCreation } from './goSummary';
import { computePrograms, type IndexedSummary, type Program } from './programs';
import { samePropagation, type PropagatorSetting } from './propagation';

export type { Program } from './programs';

export interface RootChain {
  /** The file (as given to the index) that creates the root context. */
  readonly file: string;
  readonly root: RootCreation;
  /** The function that creates it. */
  readonly creator: string;
  /** The functions between the callee and the creator (excluding both), outermost first. */
  readonly via: readonly string[];
  /** The callee's context-taking twin in its package (`GetCtx` for `Get`), when it has one. */
  readonly twin?: string;
}

/** Whether a function, by its name (`Get` or `Client.Get`), cannot be a request's chain break. */
export function notARequestStep(name: string): boolean {
  const dot = name.indexOf('.');
  const base = dot === -1 ? name : name.slice(dot + 1);
  const receiver = dot === -1 ? '' : name.slice(0, dot);
  return isLifetimeFunction(base) || isLogOrMetricHelper(base, receiver);
}

export interface CallGraphView {
  /** Where calling `callee` from `callerFile` leads to a root context, or undefined when it does not (or is unknown). */
  rootChainFor(callerFile: string, callee: CalleeRef): RootChain | undefined;
  /** Whether `callee` is known, and every function of that name declares its context `_` (or leaves it unnamed). */
  ignoresContext(callerFile: string, callee: CalleeRef): boolean;
  /** Every program (main package) of the index. */
  programs(): readonly Program[];
  /** The programs whose packages include the file's. */
  programsReaching(file: string): readonly Program[];
  /** The file's SetTextMapPropagator call whose callee starts at the position, as the index read it. */
  propagatorAt(file: string, line: number, character: number): PropagatorSetting | undefined;
}

interface IndexedFunction {
  readonly file: string;
  readonly summary: FunctionSummary;
}

interface IndexedFile {
  readonly path: string;
  readonly packageKey: string;
  readonly summary: FileSummary;
}

/** The index's key for a path: forward slashes. */
function normalise(path: string): string {
  return path.replace(/\\/g, '/');
}

function dirOf(path: string): string {
  const n = normalise(path);
  const slash = n.lastIndexOf('/');
  return slash <= 0 ? n.slice(0, slash + 1) : n.slice(0, slash);
}

/** The module path declared by a go.mod file, or undefined. */
export function parseModulePath(goMod: string): string | undefined {
  const match = /^\s*module\s+("([^"]+)"|(\S+))/m.exec(goMod);
  return match ? (match[2] ?? match[3]) : undefined;
}

/** A string that is not a slice of a larger one (so the index never keeps whole sources alive). */
function detach(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

export class CallGraphIndex implements CallGraphView {
  private readonly files = new Map<string, IndexedFile>();
  private readonly packages = new Map<string, Map<string, IndexedFunction[]>>();
  private readonly modules = new Map<string, string>();
  private readonly strings = new Map<string, string>();
  private memo = new Map<string, RootChain | null>();
  /** Import path → package key, until packages or modules change. */
  private readonly packageKeys = new Map<string, string | undefined>();
  /** The programs, until a file's imports, package or propagation facts or a module change. */
  private programCache: Program[] | undefined;

  get fileCount(): number {
    return this.files.size;
  }

  /** Counts for status reports: files, functions, recorded calls. */
  stats(): { files: number; functions: number; calls: number; packages: number; modules: number } {
    let functions = 0;
    let calls = 0;
    for (const file of this.files.values()) {
      functions += file.summary.functions.length;
      for (const fn of file.summary.functions) calls += fn.calls.length;
    }
    return { files: this.files.size, functions, calls, packages: this.packages.size, modules: this.modules.size };
  }

  has(path: string): boolean {
    return this.files.has(normalise(path));
  }

  paths(): string[] {
    return [...this.files.values()].map((f) => f.path);
  }

  /** Every import path the indexed files import. */
  importPaths(): Set<string> {
    const paths = new Set<string>();
    for (const file of this.files.values()) for (const i of file.summary.imports) paths.add(i.path);
    return paths;
  }

  /** The folders of the declared modules (those with a go.mod). */
  moduleDirs(): string[] {
    return [...this.modules.keys()];
  }

  /** Adds or replaces a file's summary; returns false when the file was indexed with the same summary before. */
  setFile(path: string, summary: FileSummary): boolean {
    const key = normalise(path);
    const previous = this.files.get(key);
    const packageKey = `${dirOf(key)}\u0000${summary.packageName}`;
    // An edit that leaves the file's summary as it was (most keystrokes) keeps every memoised answer.
    const unchanged = previous?.packageKey === packageKey && sameFunctions(previous.summary, summary)
      && samePropagation(previous.summary.propagation, summary.propagation) && sameImports(previous.summary, summary);
    const memo = this.memo;
    const packageCount = this.packages.size;
    this.removeFile(path);
    const interned = this.intern(summary);
    const file: IndexedFile = { path: this.str(path), packageKey, summary: interned };
    this.files.set(key, file);
    let functions = this.packages.get(packageKey);
    if (!functions) this.packages.set(packageKey, (functions = new Map()));
    for (const fn of interned.functions) {
      let list = functions.get(fn.name);
      if (!list) functions.set(fn.name, (list = []));
      list.push({ file: file.path, summary: fn });
    }
    this.memo = unchanged ? memo : new Map();
    if (!unchanged) this.programCache = undefined;
    if (this.packages.size !== packageCount) this.packageKeys.clear();
    return !unchanged;
  }

  /** Summarises Go source and adds it. */
  setSource(path: string, source: string): FileSummary {
    const summary = summarizeGoSource(source);
    this.setFile(path, summary);
    return summary;
  }

  removeFile(path: string): boolean {
    const key = normalise(path);
    const file = this.files.get(key);
    if (!file) return false;
    this.files.delete(key);
    this.programCache = undefined;
    const functions = this.packages.get(file.packageKey);
    if (functions) {
      for (const fn of file.summary.functions) {
        const list = functions.get(fn.name)?.filter((f) => f.file !== file.path);
        if (list && list.length > 0) functions.set(fn.name, list);
        else functions.delete(fn.name);
      }
      if (functions.size === 0) {
        this.packages.delete(file.packageKey);
        this.packageKeys.clear();
      }
    }
    this.memo = new Map();
    return true;
  }

  /** Removes every file under a directory (a deleted folder). Returns the removed paths. */
  removeUnder(dir: string): string[] {
    const prefix = normalise(dir).replace(/\/?$/, '/');
    const removed = [...this.files.values()].filter((f) => normalise(f.path).startsWith(prefix)).map((f) => f.path);
    for (const path of removed) this.removeFile(path);
    for (const moduleDir of [...this.modules.keys()]) if (`${moduleDir}/`.startsWith(prefix)) this.removeModule(moduleDir);
    return removed;
  }

  /** Declares the module rooted at `dir` (the folder of a go.mod). */
  setModule(dir: string, modulePath: string): void {
    this.modules.set(normalise(dir).replace(/\/$/, ''), modulePath);
    this.programCache = undefined;
    this.memo = new Map();
    this.packageKeys.clear();
  }

  removeModule(dir: string): void {
    this.modules.delete(normalise(dir).replace(/\/$/, ''));
    this.programCache = undefined;
    this.memo = new Map();
    this.packageKeys.clear();
  }

  /** The directory holding the package with this import path, when a module of the index provides it. */
  directoryOf(importPath: string): string | undefined {
    let best: { dir: string; length: number } | undefined;
    for (const [dir, modulePath] of this.modules) {
      let candidate: string | undefined;
      let length = modulePath.length;
      if (importPath === modulePath) candidate = dir;
      else if (importPath.startsWith(`${modulePath}/`)) candidate = `${dir}/${importPath.slice(modulePath.length + 1)}`;
      else if (modulePath === 'std' && !importPath.split('/')[0]!.includes('.')) {
        candidate = `${dir}/${importPath}`;
        length = 0;
      }
      if (candidate !== undefined && (!best || length > best.length)) best = { dir: candidate, length };
    }
    return best?.dir;
  }

  /** The import path of the package in a directory, when a module of the index holds it. */
  importPathOf(dir: string): string | undefined {
    const d = normalise(dir).replace(/\/$/, '');
    let best: { dir: string; path: string } | undefined;
    for (const [moduleDir, modulePath] of this.modules) {
      if (modulePath === 'std' || !(d === moduleDir || d.startsWith(`${moduleDir}/`))) continue;
      if (!best || moduleDir.length > best.dir.length) best = { dir: moduleDir, path: d === moduleDir ? modulePath : `${modulePath}/${d.slice(moduleDir.length + 1)}` };
    }
    return best?.path;
  }

  /** The package and the index's name of a callee seen from a file. */
  private locate(callerFile: string, callee: CalleeRef): { packageKey: string | undefined; name: string } {
    if (callee.kind === 'package') return { packageKey: this.packageKeyOf(callee.importPath), name: callee.name };
    if (callee.kind === 'method' && callee.importPath !== undefined) {
      return { packageKey: this.packageKeyOf(callee.importPath), name: `${callee.receiverType}.${callee.name}` };
    }
    const caller = this.files.get(normalise(callerFile));
    return { packageKey: caller?.packageKey, name: callee.kind === 'method' ? `${callee.receiverType}.${callee.name}` : callee.name };
  }

  programs(): readonly Program[] {
    if (!this.programCache) {
      const byDir = new Map<string, IndexedSummary[]>();
      for (const file of this.files.values()) {
        const dir = dirOf(file.path);
        let list = byDir.get(dir);
        if (!list) byDir.set(dir, (list = []));
        list.push(file);
      }
      this.programCache = computePrograms(byDir, (importPath) => this.directoryOf(importPath), (dir) => this.importPathOf(dir));
    }
    return this.programCache;
  }

  programsReaching(file: string): readonly Program[] {
    const dir = dirOf(file);
    return this.programs().filter((p) => p.dirs.has(dir));
  }

  propagatorAt(file: string, line: number, character: number): PropagatorSetting | undefined {
    const settings = this.files.get(normalise(file))?.summary.propagation?.propagators ?? [];
    return settings.find((s) => s.site.line === line && s.site.character === character);
  }

  ignoresContext(callerFile: string, callee: CalleeRef): boolean {
    const { packageKey, name } = this.locate(callerFile, callee);
    const functions = packageKey ? this.packages.get(packageKey) : undefined;
    if (!functions) return false;
    let candidates = functions.get(name) ?? [];
    if (candidates.length === 0 && callee.kind === 'method') {
      // No such method on the named type: an interface. Its implementations in that package answer for it.
      const suffix = `.${callee.name}`;
      candidates = [...functions].filter(([key]) => key.endsWith(suffix)).flatMap(([, list]) => list);
    }
    return candidates.length > 0 && candidates.every((c) => c.summary.ignoresContext === true);
  }

  rootChainFor(callerFile: string, callee: CalleeRef): RootChain | undefined {
    const { packageKey, name } = this.locate(callerFile, callee);
    if (!packageKey) return undefined;
    const chain = this.chain(packageKey, name);
    if (!chain) return undefined;
    const twin = this.twinOf(packageKey, name);
    return twin ? { ...chain, twin } : chain;
  }

  /** The context-taking function of the same package named like `name` plus a twin suffix, if any. */
  private twinOf(packageKey: string, name: string): string | undefined {
    const functions = this.packages.get(packageKey);
    for (const suffix of TWIN_NAMES) {
      const twin = functions?.get(`${name}${suffix}`);
      if (twin?.some((f) => f.summary.takesContext)) return `${name}${suffix}`;
    }
    return undefined;
  }

  private packageKeyOf(importPath: string): string | undefined {
    if (this.packageKeys.has(importPath)) return this.packageKeys.get(importPath);
    const key = this.findPackageKey(importPath);
    this.packageKeys.set(importPath, key);
    return key;
  }

  private findPackageKey(importPath: string): string | undefined {
    const dir = this.directoryOf(importPath);
    if (!dir) return undefined;
    let fallback: string | undefined;
    for (const key of this.packages.keys()) {
      if (!key.startsWith(`${dir}\u0000`)) continue;
      if (!key.endsWith('_test')) return key;
      fallback = key;
    }
    return fallback;
  }

  /** Memoised depth-first search through functions that take no context. */
  private chain(packageKey: string, name: string): RootChain | null {
    const memoKey = `${packageKey}\u0001${name}`;
    const known = this.memo.get(memoKey);
    if (known !== undefined) return known;
    this.memo.set(memoKey, null); // in progress: a cycle leads nowhere new
    const candidates = notARequestStep(name) ? [] : this.packages.get(packageKey)?.get(name) ?? [];
    let found: RootChain | null = null;
    for (const fn of candidates) {
      if (fn.summary.takesContext) continue;
      if (fn.summary.breakRoot) {
        found = { file: fn.file, root: fn.summary.breakRoot, creator: fn.summary.name, via: [] };
        break;
      }
    }
    if (!found) {
      search: for (const fn of candidates) {
        if (fn.summary.takesContext) continue;
        for (const call of fn.summary.calls) {
          const separator = call.indexOf('\u0000');
          const next = separator === -1
            ? this.chain(packageKey, call)
            : (() => {
                const key = this.packageKeyOf(call.slice(0, separator));
                return key ? this.chain(key, call.slice(separator + 1)) : null;
              })();
          if (next) {
            const nextName = separator === -1 ? call : call.slice(separator + 1);
            const via = next.creator === nextName ? [] : [nextName, ...next.via];
            // A root made deeper than one step down is too far from this call to be its break: the functions
            // between usually have a purpose of their own (a state machine, a retry loop, a cache fill).
            if (via.length > 1) continue;
            found = { ...next, via };
            break search;
          }
        }
      }
    }
    this.memo.set(memoKey, found);
    return found;
  }

  private str(text: string): string {
    let interned = this.strings.get(text);
    if (interned === undefined) {
      interned = detach(text);
      this.strings.set(interned, interned);
    }
    return interned;
  }

  private intern(summary: FileSummary): FileSummary {
    return {
      packageName: this.str(summary.packageName),
      imports: summary.imports.map((i) => (i.name ? { path: this.str(i.path), name: this.str(i.name) } : { path: this.str(i.path) })),
      functions: summary.functions.map((fn) => ({
        name: this.str(fn.name),
        line: fn.line,
        character: fn.character,
        takesContext: fn.takesContext,
        ...(fn.ignoresContext ? { ignoresContext: true } : {}),
        ...(fn.root ? { root: { ...fn.root, text: this.str(fn.root.text) } } : {}),
        ...(fn.breakRoot ? { breakRoot: { ...fn.breakRoot, text: this.str(fn.breakRoot.text) } } : {}),
        calls: fn.calls.map((c) => this.str(c)),
      })),
      ...(summary.propagation ? { propagation: summary.propagation } : {}),
    };
  }
}

function sameFunctions(a: FileSummary, b: FileSummary): boolean {
  if (a.functions.length !== b.functions.length) return false;
  for (let i = 0; i < a.functions.length; i++) {
    const x = a.functions[i]!;
    const y = b.functions[i]!;
    if (x.name !== y.name || x.takesContext !== y.takesContext || x.ignoresContext !== y.ignoresContext || x.calls.length !== y.calls.length) return false;
    if (x.root?.line !== y.root?.line || x.root?.character !== y.root?.character || x.root?.text !== y.root?.text) return false;
    if (x.breakRoot?.line !== y.breakRoot?.line || x.breakRoot?.character !== y.breakRoot?.character) return false;
    for (let j = 0; j < x.calls.length; j++) if (x.calls[j] !== y.calls[j]) return false;
  }
  return true;
}

function sameImports(a: FileSummary, b: FileSummary): boolean {
  return a.imports.length === b.imports.length && a.imports.every((x, i) => x.path === b.imports[i]!.path && x.name === b.imports[i]!.name);
}

/** An index of one file, for analysing a file on its own (call-chain-break within the file). */
export function singleFileIndex(path: string, source: string): CallGraphIndex {
  const index = new CallGraphIndex();
  index.setSource(path, source);
  return index;
}

export { packageCalleeKey };
