// Open Go documents with their text and syntax tree. Edits from `didChange` are applied to the tree
// (tree.edit) and the document is reparsed incrementally from the old tree, never from scratch per
// keystroke. Trees live in wasm memory, which is not garbage-collected: they are deleted on close.

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { Parser } from 'web-tree-sitter';
import type { Edit, Point, Tree } from '../../../core/analysis';

export interface GoDocument {
  readonly document: TextDocument;
  readonly tree: Tree;
}

function endPoint(start: Point, inserted: string): Point {
  let row = start.row;
  let lastBreak = -1;
  for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) {
    row++;
    lastBreak = i;
  }
  return lastBreak === -1
    ? { row, column: start.column + inserted.length }
    : { row, column: inserted.length - lastBreak - 1 };
}

export class GoDocumentStore {
  private readonly docs = new Map<string, GoDocument>();

  constructor(private readonly parser: Parser) {}

  get(uri: string): GoDocument | undefined {
    return this.docs.get(uri);
  }

  uris(): string[] {
    return [...this.docs.keys()];
  }

  open(uri: string, languageId: string, version: number, text: string): GoDocument {
    this.close(uri);
    const document = TextDocument.create(uri, languageId, version, text);
    const entry = { document, tree: this.parse(text) };
    this.docs.set(uri, entry);
    return entry;
  }

  /** Applies the edits of one `didChange` notification and reparses incrementally. */
  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): GoDocument | undefined {
    const entry = this.docs.get(uri);
    if (!entry) return undefined;
    let { document } = entry;
    const oldTree = entry.tree;
    let incremental = true;
    for (const change of changes) {
      if (!('range' in change)) {
        incremental = false;
        document = TextDocument.update(document, [change], version);
        continue;
      }
      const startIndex = document.offsetAt(change.range.start);
      const oldEndIndex = document.offsetAt(change.range.end);
      const startPosition = { row: change.range.start.line, column: change.range.start.character };
      const edit: Edit = {
        startIndex,
        oldEndIndex,
        newEndIndex: startIndex + change.text.length,
        startPosition,
        oldEndPosition: { row: change.range.end.line, column: change.range.end.character },
        newEndPosition: endPoint(startPosition, change.text),
      };
      if (incremental) oldTree.edit(edit);
      document = TextDocument.update(document, [change], version);
    }
    const tree = this.parse(document.getText(), incremental ? oldTree : undefined);
    oldTree.delete();
    const updated = { document, tree };
    this.docs.set(uri, updated);
    return updated;
  }

  close(uri: string): void {
    const entry = this.docs.get(uri);
    if (!entry) return;
    entry.tree.delete();
    this.docs.delete(uri);
  }

  dispose(): void {
    for (const uri of this.uris()) this.close(uri);
  }

  private parse(text: string, oldTree?: Tree): Tree {
    const tree = this.parser.parse(text, oldTree ?? null);
    if (!tree) throw new Error('tree-sitter gave up parsing the document');
    return tree;
  }
}
