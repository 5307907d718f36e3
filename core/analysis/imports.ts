// The imports of one Go file: which local names refer to which package paths, so that
// `import stdctx "context"` and `import . "context"` do not fool the rules.

import type { SyntaxNode } from './syntaxTree';
import { textOf } from './syntax';

export class ImportTable {
  private readonly names = new Map<string, Set<string>>();
  private readonly dotImported = new Set<string>();
  private readonly pathByName = new Map<string, string>();

  /** Local identifiers that name the package (`context`, or its alias). */
  namesOf(importPath: string): ReadonlySet<string> {
    return this.names.get(importPath) ?? EMPTY;
  }

  /** True when the package is imported with `.`, so its members are used unqualified. */
  isDotImported(importPath: string): boolean {
    return this.dotImported.has(importPath);
  }

  /** True when `identifier` (the operand of a selector) names the package at `importPath`. */
  refersTo(identifier: string, importPath: string): boolean {
    return this.names.get(importPath)?.has(identifier) ?? false;
  }

  /** The name this file uses for the package (`stdctx` for `import stdctx "context"`), '' when dot-imported. */
  qualifierFor(importPath: string): string | undefined {
    const first = this.names.get(importPath)?.values().next();
    if (first && !first.done) return first.value;
    return this.dotImported.has(importPath) ? '' : undefined;
  }

  /** The packages imported with `.`. */
  dotImportedPaths(): ReadonlySet<string> {
    return this.dotImported;
  }

  /** Every imported path (aliased, plain or dot-imported). */
  paths(): string[] {
    return [...new Set([...this.names.keys(), ...this.dotImported])];
  }

  /** True when some import binds the local name `identifier`. */
  bindsName(identifier: string): boolean {
    return this.pathByName.has(identifier);
  }

  /** The import path a local package name refers to. */
  pathOf(identifier: string): string | undefined {
    return this.pathByName.get(identifier);
  }

  has(importPath: string): boolean {
    return this.names.has(importPath) || this.dotImported.has(importPath);
  }

  add(importPath: string, alias: string | undefined): void {
    if (alias === '_') return;
    if (alias === '.') {
      this.dotImported.add(importPath);
      return;
    }
    const name = alias ?? defaultPackageName(importPath);
    if (!this.pathByName.has(name)) this.pathByName.set(name, importPath);
    let set = this.names.get(importPath);
    if (!set) this.names.set(importPath, (set = new Set()));
    set.add(name);
  }

  /** A string that identifies the table's content (for cache keys). */
  key(): string {
    const names = [...this.names].map(([path, set]) => `${path}=${[...set].sort().join('/')}`).sort();
    return `${names.join(',')};${[...this.dotImported].sort().join(',')}`;
  }

  static fromSource(root: SyntaxNode, source: string): ImportTable {
    const decls: SyntaxNode[] = [];
    for (let i = 0; i < root.namedChildCount; i++) {
      const decl = root.namedChild(i);
      if (decl) decls.push(decl);
    }
    return ImportTable.fromDeclarations(decls, source);
  }

  static fromDeclarations(topLevel: readonly SyntaxNode[], source: string): ImportTable {
    const table = new ImportTable();
    for (const decl of topLevel) {
      if (decl.type !== 'import_declaration') continue;
      for (const spec of decl.descendantsOfType('import_spec')) {
        if (!spec) continue;
        const pathNode = spec.childForFieldName('path');
        if (!pathNode) continue;
        const importPath = unquote(textOf(source, pathNode));
        const nameNode = spec.childForFieldName('name');
        table.add(importPath, nameNode ? textOf(source, nameNode) : undefined);
      }
    }
    return table;
  }
}

const EMPTY: ReadonlySet<string> = new Set();

function unquote(literal: string): string {
  return literal.length >= 2 ? literal.slice(1, -1) : literal;
}

/** Packages whose declared name differs from what their import path suggests. */
const KNOWN_PACKAGE_NAMES: Readonly<Record<string, string>> = {
  'github.com/uber/jaeger-client-go': 'jaeger',
  'github.com/opentracing/opentracing-go': 'opentracing',
};

/**
 * Go's package name for an import path, as goimports guesses it: the last element, skipping a major-version
 * suffix, without a `go-` prefix or `-go` suffix (a few well-known packages are looked up by path).
 */
export function defaultPackageName(importPath: string): string {
  const known = KNOWN_PACKAGE_NAMES[importPath];
  if (known) return known;
  const parts = importPath.split('/');
  let last = parts[parts.length - 1] ?? importPath;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2]!;
  // gopkg.in/yaml.v3 → yaml, go-redis → redis, opentracing-go → opentracing
  return last.replace(/\.v\d+$/, '').replace(/^go-/, '').replace(/-go$/, '').replace(/[-.]/g, '_');
}
