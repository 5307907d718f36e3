// The Go Trace Lens language server, on any connection: it owns the open Go documents and their syntax
// trees, publishes the context-chain analyzer's diagnostics with quick fixes, and answers for profiles
// (CodeLens, hover, heat, pile-ups, the custom requests), the timeline's function search and the lenses
// that profile tests and benchmarks. Each LSP feature is one file of features/, registered here behind
// the one error wrapper (lsp/handlers.ts); this file only puts them together and follows the session:
// initialize, settings, workspace folders, watched files, shutdown. server.ts starts it on the Node
// connection; tests start it in-process.

import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DidChangeWatchedFilesNotification, FileChangeType, TextDocumentSyncKind, WatchKind, type Connection, type InitializeResult,
} from 'vscode-languageserver';
import type { InitializationOptions } from '../../common/protocol';
import { SETTINGS_SECTION } from '../../common/settings';
import { createGoParser } from '../../core/analysis/index.node';
import { AnalysisDiagnostics } from './features/analysisDiagnostics';
import { registerCodeActions } from './features/codeActions';
import { registerCodeLens } from './features/codeLens';
import { registerFunctionSearch } from './features/functionSearch';
import { registerHover } from './features/hover';
import { registerIndexStatus } from './features/indexStatus';
import { registerPileupDiagnostics } from './features/pileupDiagnostics';
import { registerProfileRequests } from './features/profileRequests';
import { registerSpanProblemCounts } from './features/spanProblemCounts';
import { registerSpanProfiles } from './features/spanProfiles';
import { registerTraceProfiles } from './features/traceProfiles';
import { ProfileSession } from './features/profileSession';
import { registerTestLenses } from './features/testLenses';
import { DiagnosticsHub } from './lsp/diagnosticsHub';
import { GoDocumentStore } from './lsp/documentStore';
import { DocumentSync } from './lsp/documentSync';
import { DEFAULT_SETTINGS, parseSettings, type ServerSettings } from './lsp/settings';
import { nodeProfileHost } from './profiles/nodeProfileHost';
import { ContextChainService } from './workspace/contextChainService';

export interface ServerOptions {
  /** The folder that holds docs/rules/*.md, unless the client names one (initializationOptions.docsRoot). */
  readonly docsRoot: string;
}

const toPaths = (uris: readonly string[]) => uris.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));

/** Serves the language server on `connection` (and starts listening). */
export function startServer(connection: Connection, options: ServerOptions): void {
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let docsRoot = options.docsRoot;
  let workspaceFolders: string[] = [];
  let supportsConfiguration = false;
  let watchesFiles = false;
  let foldersChangeSupported = false;

  const documents = new DocumentSync(connection);
  const diagnostics = new DiagnosticsHub(connection);
  const chains = new ContextChainService({
    log: (message) => connection.console.log(message),
    republish: (except) => analysis.publishAll(except),
  });
  const analysis = new AnalysisDiagnostics(connection, { documents, diagnostics, chains, settings: () => settings, docsRoot: () => docsRoot });
  const profiles = new ProfileSession(connection, nodeProfileHost);
  registerPileupDiagnostics(profiles, documents, diagnostics);
  registerCodeActions(connection);
  registerCodeLens(connection, profiles, documents, [registerTestLenses(connection, documents, () => profiles.refreshLenses())]);
  registerHover(connection, profiles, documents);
  registerProfileRequests(connection, profiles, documents);
  registerSpanProfiles(connection, profiles);
  registerTraceProfiles(connection);
  registerSpanProblemCounts(connection);
  registerFunctionSearch(connection, {
    paths: () => chains.index.graph.paths(),
    indexing: () => chains.index.status().state === 'indexing',
    openText: (file) => documents.get(pathToFileURL(file).href)?.document.getText(),
  });
  registerIndexStatus(connection, chains.index);

  async function refreshSettings(initial = false): Promise<void> {
    const indexBefore = JSON.stringify(settings.index);
    if (supportsConfiguration) {
      const raw: unknown = await connection.workspace.getConfiguration(SETTINGS_SECTION);
      settings = parseSettings(raw, (message) => connection.console.warn(message));
      analysis.publishAll();
      await profiles.configure(raw);
    }
    if (initial || JSON.stringify(settings.index) !== indexBefore) void chains.rebuild(workspaceFolders, settings.index);
  }

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    const initializationOptions = (params.initializationOptions ?? {}) as InitializationOptions;
    if (initializationOptions.docsRoot) docsRoot = initializationOptions.docsRoot;
    supportsConfiguration = !!params.capabilities.workspace?.configuration;
    watchesFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    foldersChangeSupported = !!params.capabilities.workspace?.workspaceFolders;
    workspaceFolders = toPaths(params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []));
    documents.attach(new GoDocumentStore(await createGoParser()));
    profiles.initialize(workspaceFolders, !!params.capabilities.workspace?.codeLens?.refreshSupport);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        codeLensProvider: { resolveProvider: false },
        hoverProvider: true,
      },
      serverInfo: { name: 'go-trace-lens' },
    };
  });

  connection.onInitialized(() => {
    if (watchesFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/*.go' },
          { globPattern: '**/go.mod' },
          // Deleted folders are reported as folders, not as the Go files they held.
          { globPattern: '**/*', kind: WatchKind.Delete },
        ],
      });
    }
    void refreshSettings(true);
    if (foldersChangeSupported) {
      connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
        const gone = new Set(removed.map((f) => f.uri));
        workspaceFolders = toPaths([...workspaceFolders.map((f) => pathToFileURL(f).href).filter((u) => !gone.has(u)), ...added.map((f) => f.uri)]);
        void chains.rebuild(workspaceFolders, settings.index);
        void profiles.foldersChanged(workspaceFolders);
      });
    }
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    const kinds = { [FileChangeType.Created]: 'created', [FileChangeType.Changed]: 'changed', [FileChangeType.Deleted]: 'deleted' } as const;
    const files = changes.filter((c) => c.uri.startsWith('file:')).map((c) => ({ path: fileURLToPath(c.uri), kind: kinds[c.type] }));
    void chains.filesChanged(files);
  });

  connection.onDidChangeConfiguration(() => {
    void refreshSettings();
  });

  connection.onShutdown(() => {
    analysis.dispose();
    chains.dispose();
    documents.dispose();
  });

  connection.listen();
}
