// Small helpers over tree-sitter nodes and source text: text, ranges, lines and indentation, the
// enclosing function of a node.

import type { SyntaxNode } from './syntaxTree';
import type { Position, Range } from './findings';

export const FUNCTION_TYPES: ReadonlySet<string> = new Set(['function_declaration', 'method_declaration', 'func_literal']);

export function rangeOf(node: SyntaxNode): Range {
  const s = node.startPosition;
  const e = node.endPosition;
  return { start: { line: s.row, character: s.column }, end: { line: e.row, character: e.column } };
}

export function startOf(node: SyntaxNode): Position {
  const s = node.startPosition;
  return { line: s.row, character: s.column };
}

export function endOf(node: SyntaxNode): Position {
  const e = node.endPosition;
  return { line: e.row, character: e.column };
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

/** The named children of an `expression_list` (or the node itself when it is a single expression). */
export function expressionsOf(node: SyntaxNode | null): SyntaxNode[] {
  if (!node) return [];
  return node.type === 'expression_list' ? namedChildren(node) : [node];
}

/** The arguments of a call, in order (an empty list for a call without an argument list). */
export function argumentsOf(call: SyntaxNode): SyntaxNode[] {
  const args = call.childForFieldName('arguments');
  return args ? namedChildren(args) : [];
}

/** Index of the first character of the line that contains `index`. */
export function lineStartIndex(source: string, index: number): number {
  return source.lastIndexOf('\n', index - 1) + 1;
}

/** The leading whitespace of the line that contains `index`. */
export function indentationAt(source: string, index: number): string {
  const start = lineStartIndex(source, index);
  let end = start;
  while (end < source.length && (source[end] === '\t' || source[end] === ' ')) end++;
  return source.slice(start, end);
}

/** The indentation one level deeper than `indent`, in the file's style (tabs, as gofmt writes, or spaces). */
export function deeperIndentation(indent: string): string {
  return indent.includes(' ') && !indent.includes('\t') ? indent + '    ' : indent + '\t';
}

/** The operator token (`:=` or `=`) of an assignment-like node, read from the text between its two sides. */
export function assignmentOperator(source: string, left: SyntaxNode, right: SyntaxNode): string {
  return source.slice(left.endIndex, right.startIndex).trim();
}
