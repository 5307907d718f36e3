// The named type a value has, as far as its declaration spells it: a parameter `r *store.Redis`, a variable
// `var c Client`, a field `store objectStore`, a value built as `&Cache{}` or by `NewCache(…)`. Enough for
// call-chain-break to follow `r.Get(…)`, `a.store.Get(…)` and `c := NewCache(); c.Fill()` to the method the
// workspace index knows. Syntax and imports only: an interface type simply has no methods in the index.

import type { SyntaxNode } from './syntaxTree';
import type { GoFile } from './goFile';

export interface NamedType {
  /** The import path of the package declaring it, or undefined for the file's own package. */
  readonly importPath?: string;
  readonly name: string;
}

/** `*store.Redis`, `Cache`, `pkg.Box[T]` → the named type, or undefined for other types (maps, funcs, builtins). */
export function namedTypeOf(file: GoFile, text: string): NamedType | undefined {
  const bare = text.replace(/\s+/g, '').replace(/^\*/, '').replace(/\[.*\]$/, '');
  const match = /^(?:([A-Za-z_]\w*)\.)?([A-Za-z_]\w*)$/.exec(bare);
  if (!match) return undefined;
  const [, qualifier, name] = match;
  if (!qualifier) return /^[A-Za-z]/.test(name!) && !PREDECLARED.has(name!) ? { name: name! } : undefined;
  const importPath = file.imports.pathOf(qualifier);
  return importPath ? { importPath, name: name! } : undefined;
}

const PREDECLARED: ReadonlySet<string> = new Set([
  'bool', 'byte', 'complex64', 'complex128', 'error', 'float32', 'float64', 'int', 'int8', 'int16', 'int32', 'int64',
  'rune', 'string', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'any',
]);

/** The type a value expression builds: `&Cache{…}`, `Cache{…}`, `store.NewRedis(…)`, `newCache(…)`. */
export function namedTypeBuiltBy(file: GoFile, expr: SyntaxNode): NamedType | undefined {
  let node: SyntaxNode | null = expr;
  if (node.type === 'unary_expression') node = node.childForFieldName('operand');
  if (!node) return undefined;
  if (node.type === 'composite_literal') {
    const type = node.childForFieldName('type');
    return type ? namedTypeOf(file, file.text(type)) : undefined;
  }
  if (node.type !== 'call_expression') return undefined;
  // A constructor by Go's naming: NewCache() builds a Cache, store.NewRedis() a store.Redis, and the
  // unexported newCache() an unexported cache.
  const callee = node.childForFieldName('function');
  const text = callee ? file.text(callee) : '';
  const constructor = /^(?:([A-Za-z_]\w*)\.)?(N|n)ew([A-Z]\w*)$/.exec(text);
  if (!constructor) return undefined;
  const [, qualifier, initial, rest] = constructor;
  const typeName = initial === 'n' && !qualifier ? rest!.charAt(0).toLowerCase() + rest!.slice(1) : rest!;
  return namedTypeOf(file, qualifier ? `${qualifier}.${typeName}` : typeName);
}
