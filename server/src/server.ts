// The Go Trace Lens language server: owns open Go documents and their syntax trees, runs the
// context-chain analyzer on every change and publishes diagnostics with quick fixes.
// Started by the extension over IPC, or by anything that speaks LSP over stdio (`--stdio`).

import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createConnection, DidChangeWatchedFilesNotification, FileChangeType, ProposedFeatures, TextDocumentSyncKind, WatchKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { SkippedFileNotification, type InitializationOptions } from '../../common/protocol';
import { Settings } from '../../common/ids';
import { ruleDocPath, type RuleId } from '../../common/rules';
import { IndexStatusRequest } from '../../common/analysisProtocol';
import { ContextChainService } from './workspace/contextChainService';
import { createGoParser } from '../../core/analysis/index.node';
import { skipReason } from '../../core/analysis';
import { GoDocumentStore } from './lsp/documentStore';
import { codeActionsFor, toDiagnostic } from './lsp/diagnostics';
import { DEFAULT_SETTINGS, parseSettings, type ServerSettings } from './lsp/settings';
import { DiagnosticsHub } from './lsp/diagnosticsHub';
import { ProfileFeatures } from './lsp/profileFeatures';
import { registerFunctionSearch } from './lsp/functionSearch';
import { notify, onRequest } from './lsp/handlers';

const connection = createConnection(ProposedFeatures.all);
const log = (message: string) => connection.console.log(message);
const diagnostics = new DiagnosticsHub(connection);
const profiles = new ProfileFeatures(connection, () => store, diagnostics);

let store: GoDocumentStore | undefined;
let settings: ServerSettings = DEFAULT_SETTINGS;
let docsRoot = path.join(__dirname, '..');
let supportsConfiguration = false;
const skipped = new Set<string>();
let workspaceFolders: string[] = [];
let watchesFiles = false;
let foldersChangeSupported = false;
const chains = new ContextChainService({
  log,
  republish: (except) => {
    for (const uri of store?.uris() ?? []) if (uri !== except) analyzeAndPublish(uri);
  },
});

function docUrl(rule: string): string {
  return pathToFileURL(path.join(docsRoot, ruleDocPath(rule as RuleId))).href;
}

function analyzeAndPublish(uri: string): void {
  const entry = store?.get(uri);
  if (!entry) return;
  const text = entry.document.getText();
  const reason = skipReason(text, settings.maxFileSize);
  if (reason) {
    if (!skipped.has(uri)) {
      skipped.add(uri);
      log(`Not analysing ${uri}: ${reason}.`);
      void notify(connection, SkippedFileNotification, { uri, reason });
    }
    diagnostics.set(uri, 'analysis', [], entry.document.version);
    return;
  }
  skipped.delete(uri);
  try {
    const findings = chains.analyze(uri, text, entry.tree, { ruleSettings: settings.ruleSettings });
    diagnostics.set(uri, 'analysis', findings.map((f) => toDiagnostic(uri, f, docUrl)), entry.document.version);
  } catch (error) {
    connection.console.error(`Analysis of ${uri} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  }
}

async function refreshSettings(initial = false): Promise<void> {
  const indexBefore = JSON.stringify(settings.index);
  if (supportsConfiguration) {
    const raw: unknown = await connection.workspace.getConfiguration(Settings.section);
    settings = parseSettings(raw, (message) => connection.console.warn(message));
    for (const uri of store?.uris() ?? []) analyzeAndPublish(uri);
    await profiles.configure(raw);
  }
  if (initial || JSON.stringify(settings.index) !== indexBefore) void chains.rebuild(workspaceFolders, settings.index);
}

connection.onInitialize(async (params): Promise<InitializeResult> => {
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  if (options.docsRoot) docsRoot = options.docsRoot;
  supportsConfiguration = !!params.capabilities.workspace?.configuration;
  watchesFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  foldersChangeSupported = !!params.capabilities.workspace?.workspaceFolders;
  const folderUris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  workspaceFolders = folderUris.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
  store = new GoDocumentStore(await createGoParser());
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
      const uris = [...workspaceFolders.map((f) => pathToFileURL(f).href).filter((u) => !gone.has(u)), ...added.map((f) => f.uri)];
      workspaceFolders = uris.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
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

onRequest(connection, IndexStatusRequest, () => {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  const memory = process.memoryUsage();
  return { ...chains.index.status(), heapUsedBytes: memory.heapUsed, rssBytes: memory.rss };
});

registerFunctionSearch(connection, { paths: () => chains.index.graph.paths(), indexing: () => chains.index.status().state === 'indexing', openText: (file) => store?.get(pathToFileURL(file).href)?.document.getText() });

connection.onDidChangeConfiguration(() => {
  void refreshSettings();
});

/**
 * A document just opened is analysed a moment later, not inside didOpen: the editor asks for its
 * CodeLens and heat right after opening it, and those must not wait behind a full analysis of a large
 * file. An edit analyses at once (and takes over a pending open analysis).
 */
const OPEN_ANALYSIS_DELAY_MS = 200;
const pendingOpenAnalysis = new Map<string, ReturnType<typeof setTimeout>>();

function cancelOpenAnalysis(uri: string): void {
  clearTimeout(pendingOpenAnalysis.get(uri));
  pendingOpenAnalysis.delete(uri);
}

connection.onDidOpenTextDocument(({ textDocument: doc }) => {
  if (doc.languageId !== 'go' && !doc.uri.endsWith('.go')) return;
  store?.open(doc.uri, doc.languageId, doc.version, doc.text);
  cancelOpenAnalysis(doc.uri);
  pendingOpenAnalysis.set(doc.uri, setTimeout(() => {
    pendingOpenAnalysis.delete(doc.uri);
    analyzeAndPublish(doc.uri);
  }, OPEN_ANALYSIS_DELAY_MS));
  profiles.documentChanged(doc.uri);
});

connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
  if (store?.change(textDocument.uri, textDocument.version, contentChanges)) {
    cancelOpenAnalysis(textDocument.uri);
    analyzeAndPublish(textDocument.uri);
    profiles.documentChanged(textDocument.uri);
  }
});

connection.onDidCloseTextDocument(({ textDocument }) => {
  cancelOpenAnalysis(textDocument.uri);
  if (!store?.get(textDocument.uri)) return;
  store.close(textDocument.uri);
  skipped.delete(textDocument.uri);
  void chains.closed(textDocument.uri);
  diagnostics.set(textDocument.uri, 'analysis', []);
});

connection.onCodeAction(({ textDocument, context }) => codeActionsFor(textDocument.uri, context.diagnostics));

connection.onShutdown(() => {
  chains.dispose();
  store?.dispose();
  store = undefined;
});

connection.listen();
