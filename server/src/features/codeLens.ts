// CodeLens on profiled functions: above each function of a document that has samples in the active
// profile, its flat and cum; a click reveals it in the flame graph. Declarations are read from the
// document as it is now; functions whose declaration moved are placed where their first line went.
// LSP has one CodeLens handler, so other features' lenses (the test lenses) are added here.

import { CodeLensRequest, type CodeLens, type Connection } from 'vscode-languageserver';
import { ProfileCommands } from '../../../common/ids';
import type { DocumentSync } from '../lsp/documentSync';
import { guard } from '../lsp/handlers';
import { declarationsOf } from '../profiles/functionLocator';
import type { ProfileSession } from './profileSession';

/** A document's lenses from another feature. */
export type CodeLensSource = (uri: string) => CodeLens[];

export function registerCodeLens(connection: Connection, profiles: ProfileSession, documents: DocumentSync, others: readonly CodeLensSource[] = []): void {
  const profileLenses = (uri: string): CodeLens[] => {
    const doc = documents.fileText(uri);
    const entry = documents.get(uri);
    const model = profiles.model;
    if (!doc || !entry || !model) return [];
    return model.projections.lenses(doc, declarationsOf(entry.tree, doc.text)).map((lens) => ({
      range: { start: { line: lens.line, character: 0 }, end: { line: lens.line, character: 0 } },
      command: { title: lens.text, command: ProfileCommands.revealInFlameGraph, arguments: [lens.functionName] },
    }));
  };
  connection.onCodeLens(guard(connection.console, CodeLensRequest.method, ({ textDocument }) => [...profileLenses(textDocument.uri), ...others.flatMap((lenses) => lenses(textDocument.uri))], {
    what: ({ textDocument }) => `CodeLens for ${textDocument.uri}`,
    answer: () => [],
  }));
}
