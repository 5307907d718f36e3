// Building blocks for quick fixes: adding an import the fix needs, inserting a statement on the line after
// another with the same indentation, positions of source indices.

import type { SyntaxNode } from './syntaxTree';
import type { GoFile } from './goFile';
import type { Position, TextEdit } from './findings';
import { indentationAt, rangeOf } from './syntax';

/**
 * The 0-based line and UTF-16 column of a source index, counted from a known anchor (a node's start) so the
 * cost is proportional to the distance, not to the file.
 */
export function positionAt(source: string, index: number, anchor?: SyntaxNode): Position {
  let line = 0;
  let lineStart = 0;
  let from = 0;
  if (anchor && anchor.startIndex <= index) {
    line = anchor.startPosition.row;
    lineStart = anchor.startIndex - anchor.startPosition.column;
    from = anchor.startIndex;
  }
  for (let i = source.indexOf('\n', from); i !== -1 && i < index; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: index - lineStart };
}

export interface ImportUse {
  /** How to qualify the package's members: `trace.` (or '' when dot-imported). */
  readonly prefix: string;
  /** The edits that add the import, when the file does not have it yet. */
  readonly edits: readonly TextEdit[];
}

/** Uses the file's import of `importPath`, or adds one (named `alias` when `preferredName` is taken). */
export function ensureImport(file: GoFile, importPath: string, preferredName: string, alias: string): ImportUse {
  const qualifier = file.imports.qualifierFor(importPath);
  if (qualifier !== undefined) return { prefix: qualifier ? `${qualifier}.` : '', edits: [] };
  const taken = file.imports.bindsName(preferredName);
  const name = taken ? alias : preferredName;
  const spec = `${taken ? `${alias} ` : ''}"${importPath}"`;
  const imports = file.topLevel.filter((n) => n.type === 'import_declaration');
  const last = imports[imports.length - 1];
  if (last) {
    const list = last.namedChildren.find((c) => c?.type === 'import_spec_list');
    if (list) {
      // Before the closing parenthesis, on a line of its own.
      const close = list.endIndex - 1;
      const at = positionAt(file.source, close, list);
      const lineStart = file.source.lastIndexOf('\n', close - 1) + 1;
      const onOwnLine = file.source.slice(lineStart, close).trim() === '';
      const text = onOwnLine ? `\t${spec}\n` : `\n\t${spec}\n`;
      const pos = onOwnLine ? { line: at.line, character: 0 } : at;
      return { prefix: `${name}.`, edits: [{ range: { start: pos, end: pos }, newText: text }] };
    }
    const end = rangeOf(last).end;
    return { prefix: `${name}.`, edits: [{ range: { start: end, end }, newText: `\nimport ${spec}` }] };
  }
  const pkg = file.topLevel.find((n) => n.type === 'package_clause');
  const end = pkg ? rangeOf(pkg).end : { line: 0, character: 0 };
  return { prefix: `${name}.`, edits: [{ range: { start: end, end }, newText: `\n\nimport ${spec}` }] };
}

/** Inserts `statement` on a new line after the one where `node` ends, indented like the line `node` starts on. */
export function insertStatementAfter(file: GoFile, node: SyntaxNode, statement: string): TextEdit {
  const indent = indentationAt(file.source, node.startIndex);
  let lineEnd = file.source.indexOf('\n', node.endIndex);
  if (lineEnd === -1) lineEnd = file.source.length;
  if (lineEnd > 0 && file.source[lineEnd - 1] === '\r') lineEnd--;
  const at = positionAt(file.source, lineEnd, node);
  return { range: { start: at, end: at }, newText: `\n${indent}${statement}` };
}

/** Inserts `statement` on a new line before `node`'s line, with the same indentation. */
export function insertStatementBefore(file: GoFile, node: SyntaxNode, statement: string): TextEdit {
  const indent = indentationAt(file.source, node.startIndex);
  const at = rangeOf(node).start;
  return { range: { start: at, end: at }, newText: `${statement}\n${indent}` };
}

/** The edit that replaces a node's text. */
export function replaceNode(node: SyntaxNode, newText: string): TextEdit {
  return { range: rangeOf(node), newText };
}

/** The edit that replaces the source between two indices. */
export function replaceIndices(file: GoFile, anchor: SyntaxNode, start: number, end: number, newText: string): TextEdit {
  return { range: { start: positionAt(file.source, start, anchor), end: positionAt(file.source, end, anchor) }, newText };
}

/** A name for a new variable that no binding visible here uses. */
export function freshName(isTaken: (name: string) => boolean, candidates: readonly string[]): string {
  for (const name of candidates) if (!isTaken(name)) return name;
  for (let i = 2; ; i++) {
    const name = `${candidates[0]}${i}`;
    if (!isTaken(name)) return name;
  }
}
