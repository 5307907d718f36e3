// Small helpers over tree-sitter nodes: text, ranges and the enclosing function of a node.

import type { SyntaxNode } from './goParser';
import type { Range } from './findings';

export const FUNCTION_TYPES: ReadonlySet<string> = new Set(['function_declaration', 'method_declaration', 'func_literal']);

export function rangeOf(node: SyntaxNode): Range {
  const s = node.startPosition;
  const e = node.endPosition;
  return { start: { line: s.row, character: s.column }, end: { line: e.row, character: e.column } };
}

/** The node's source text, sliced from the document (cheaper than asking the wasm side). */
export function textOf(source: string, node: SyntaxNode): string {
  return source.slice(node.startIndex, node.endIndex);
}

/** The nearest function declaration, method or function literal that contains the node. */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  for (let current = node.parent; current; current = current.parent) {
    if (FUNCTION_TYPES.has(current.type)) return current;
  }
  return null;
}

/** The named children of a node, without the nulls web-tree-sitter's typing allows. */
export function namedChildren(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let i = 0; i < node.namedChildCount; i++) {
    const child = node.namedChild(i);
    if (child) out.push(child);
  }
  return out;
}

/** The children of a node held in one field (a parameter declaration has several `name` fields). */
export function childrenForField(node: SyntaxNode, field: string): SyntaxNode[] {
  return node.childrenForFieldName(field).filter((c): c is SyntaxNode => c !== null);
}
