// Entry point of the language server bundle (dist/server.js): the Node connection — IPC when the extension
// starts it, stdio with `--stdio` for anything else that speaks LSP — served by startServer. The rule
// documentation ships next to the bundle (dist/ → the install folder's docs/).

import * as path from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './languageServer';

startServer(createConnection(ProposedFeatures.all), { docsRoot: path.join(__dirname, '..') });
