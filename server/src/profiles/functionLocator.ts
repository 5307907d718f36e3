// Where a profiled function is declared in a Go document as it is now. Profiles name functions the way
// the Go runtime does ("example.com/shop/tracing.(*Tracer).Start", "main.applyDiscounts",
// "main.priceBasket.func1", "main.Map[...]"); the document's syntax tree gives each declaration's line.

import type { SyntaxNode, Tree } from '../../../core/analysis';

export interface GoFunctionName {
  /** Import path of the package ("main", "example.com/shop/tracing"). */
  readonly packagePath: string;
  /** Receiver type name without pointer or type parameters, for methods. */
  readonly receiver?: string;
  /** The declared name (method or function). */
  readonly name: string;
  /** A function literal inside it (".func1", ".gowrap2"…): it has no declaration of its own. */
  readonly closure: boolean;
}

const CLOSURE_PART = /^(?:func|gowrap|deferwrap)\d+$|^\d+$/;

/**
 * Splits a runtime function name. The package path ends at the first dot after the last slash (the
 * linker escapes dots in the last path element: "gopkg.in/yaml%2ev3"). Returns undefined for names that are not Go functions ("[unknown]").
 */
export function parseGoFunctionName(full: string): GoFunctionName | undefined {
  const lastSlash = full.lastIndexOf('/');
  const dot = full.indexOf('.', lastSlash + 1);
  if (dot <= 0) return undefined;
  const packagePath = full.slice(0, dot);
  let rest = full.slice(dot + 1).replace(/\[\.\.\.\]/g, '').replace(/-fm$/, '');
  let receiver: string | undefined;
  const method = /^\(\*?([A-Za-z_][\w]*)(?:\[[^\]]*\])?\)\.(.+)$/.exec(rest);
  if (method) {
    receiver = method[1]!;
    rest = method[2]!;
  }
  const parts = rest.split('.');
  // A value receiver has no parentheses ("main.gateway.create"); closures are ".func1", ".gowrap2", ".3".
  if (!receiver && parts.length > 1 && !CLOSURE_PART.test(parts[1]!)) {
    receiver = parts.shift()!;
  }
  const name = parts[0]!;
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  const closure = parts.length > 1;
  return { packagePath, receiver, name, closure };
}

export interface Declaration {
  readonly name: string;
  readonly receiver?: string;
  /** 0-based line of the `func` keyword. */
  readonly line: number;
  /** 0-based last line of the declaration. */
  readonly endLine: number;
}

function receiverTypeName(text: string): string | undefined {
  const match = /\*?\s*([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*\)?\s*$/.exec(text.replace(/^\(\s*(?:[A-Za-z_]\w*\s+)?/, '').replace(/\)\s*$/, ''));
  return match?.[1];
}

/** The top-level function and method declarations of a file. */
export function declarationsOf(tree: Tree, source: string): Declaration[] {
  const out: Declaration[] = [];
  const root: SyntaxNode = tree.rootNode;
  for (let i = 0; i < root.namedChildCount; i++) {
    const node = root.namedChild(i);
    if (!node || (node.type !== 'function_declaration' && node.type !== 'method_declaration')) continue;
    const nameNode = node.childForFieldName('name');
    if (!nameNode) continue;
    const name = source.slice(nameNode.startIndex, nameNode.endIndex);
    let receiver: string | undefined;
    if (node.type === 'method_declaration') {
      const recv = node.childForFieldName('receiver');
      if (recv) receiver = receiverTypeName(source.slice(recv.startIndex, recv.endIndex));
    }
    out.push({ name, receiver, line: node.startPosition.row, endLine: node.endPosition.row });
  }
  return out;
}

/** The declaration of a profiled function in this file, if it is declared here. */
export function findDeclaration(declarations: readonly Declaration[], fn: GoFunctionName): Declaration | undefined {
  return declarations.find((d) => d.name === fn.name && (d.receiver ?? undefined) === (fn.receiver ?? undefined));
}
