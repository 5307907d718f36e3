// The open Go documents: didOpen/didChange/didClose update the document store (text and syntax tree,
// reparsed incrementally), then tell the features that follow documents, in the order they subscribed.
// LSP allows one handler per notification, so this is the only one; the store exists once the server
// has initialized (the parser loads asynchronously).

import type { Connection } from 'vscode-languageserver';
import type { DocumentText } from '../profiles/profileProjections';
import { pathOfUri } from '../workspace/contextChainService';
import type { GoDocument, GoDocumentStore } from './documentStore';

export interface DocumentListener {
  opened?(uri: string): void;
  changed?(uri: string): void;
  closed?(uri: string): void;
}

export class DocumentSync {
  private store?: GoDocumentStore;
  private readonly listeners: DocumentListener[] = [];

  constructor(connection: Connection) {
    connection.onDidOpenTextDocument(({ textDocument: doc }) => {
      if (doc.languageId !== 'go' && !doc.uri.endsWith('.go')) return;
      this.store?.open(doc.uri, doc.languageId, doc.version, doc.text);
      for (const listener of this.listeners) listener.opened?.(doc.uri);
    });
    connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
      if (!this.store?.change(textDocument.uri, textDocument.version, contentChanges)) return;
      for (const listener of this.listeners) listener.changed?.(textDocument.uri);
    });
    connection.onDidCloseTextDocument(({ textDocument }) => {
      if (!this.store?.get(textDocument.uri)) return;
      this.store.close(textDocument.uri);
      for (const listener of this.listeners) listener.closed?.(textDocument.uri);
    });
  }

  /** The store to keep, once the parser is loaded. */
  attach(store: GoDocumentStore): void {
    this.store = store;
  }

  subscribe(listener: DocumentListener): void {
    this.listeners.push(listener);
  }

  get(uri: string): GoDocument | undefined {
    return this.store?.get(uri);
  }

  uris(): string[] {
    return this.store?.uris() ?? [];
  }

  /** A `file:` document's path, text and version, as the projections of a profile take it. */
  fileText(uri: string): DocumentText | undefined {
    const entry = this.store?.get(uri);
    const file = pathOfUri(uri);
    if (!entry || !file) return undefined;
    return { path: file, text: entry.document.getText(), version: entry.document.version };
  }

  dispose(): void {
    this.store?.dispose();
    this.store = undefined;
  }
}
