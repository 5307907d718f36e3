// Code actions: the quick fixes a context-chain diagnostic carries (in its `data`), offered for the
// diagnostics of the request; the first fix of each is preferred.

import { CodeActionRequest, type Connection } from 'vscode-languageserver';
import { codeActionsFor } from '../lsp/diagnostics';
import { guard } from '../lsp/handlers';

export function registerCodeActions(connection: Connection): void {
  connection.onCodeAction(guard(connection.console, CodeActionRequest.method, ({ textDocument, context }) => codeActionsFor(textDocument.uri, context.diagnostics)));
}
