// Hovers on profiled lines and functions: the line's flat and cum in the active profile, and on a
// function's declaration line its totals with callers and callees (links to their source).

import { HoverRequest, type Connection, type Hover } from 'vscode-languageserver';
import type { DocumentSync } from '../lsp/documentSync';
import { guard } from '../lsp/handlers';
import { declarationsOf } from '../profiles/functionLocator';
import type { ProfileSession } from './profileSession';

export function registerHover(connection: Connection, profiles: ProfileSession, documents: DocumentSync): void {
  const hover = (uri: string, line: number): Hover | null => {
    const doc = documents.fileText(uri);
    const entry = documents.get(uri);
    const model = profiles.model;
    if (!doc || !entry || !model) return null;
    const declaration = declarationsOf(entry.tree, doc.text).find((d) => d.line <= line && line <= d.endLine);
    const functionAtLine = declaration && declaration.line === line ? model.projections.declaredFunction(doc.path, declaration) : undefined;
    const value = model.projections.hover(doc, line, functionAtLine);
    return value ? { contents: { kind: 'markdown', value } } : null;
  };
  connection.onHover(guard(connection.console, HoverRequest.method, ({ textDocument, position }) => hover(textDocument.uri, position.line), {
    what: ({ textDocument }) => `Hover for ${textDocument.uri}`,
    answer: () => null,
  }));
}
