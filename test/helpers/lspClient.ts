// A minimal LSP client for tests, talking real JSON-RPC to the language server: either the built bundle
// (dist/server.js --stdio, spawned, over the process's pipes) or the server's code started in this
// process (startServer over a pair of in-memory streams), which needs no build and shows a failure's
// stack where the test runs.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type MessageReader, type MessageWriter, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import {
  InitializeRequest, InitializedNotification, PublishDiagnosticsNotification, ConfigurationRequest,
  ShutdownRequest, ExitNotification, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification, DidChangeConfigurationNotification, CodeActionRequest, LogMessageNotification, type Diagnostic, type LogMessageParams, type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent, type CodeAction, type Range, type InitializeResult,
} from 'vscode-languageserver-protocol';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { NotificationDescriptor, ParamsArgs, RequestDescriptor } from '../../common/protocol';
import { startServer } from '../../server/src/languageServer';

export const SERVER_JS = join(__dirname, '..', '..', 'dist', 'server.js');
const REPO_ROOT = join(__dirname, '..', '..');

/** A custom request (its descriptor in common/) sent over a test's connection, with its typed result. */
export function sendCustom<P, R>(connection: ProtocolConnection, type: RequestDescriptor<P, R>, ...params: ParamsArgs<P>): Promise<R> {
  return params.length === 0 ? connection.sendRequest(type.method) as Promise<R> : connection.sendRequest(type.method, params[0]) as Promise<R>;
}

/** The server a TestLspClient talks to. */
export interface ServerUnderTest {
  readonly reader: MessageReader;
  readonly writer: MessageWriter;
  /** What the server wrote to stderr (spawned only). */
  readonly stderr: string[];
  /** The `processId` to initialize with: a server watches that process and exits when it is gone. */
  readonly clientProcessId: number | null;
  /** After the shutdown request: ends the server; its exit code, or null when it had none (or had to be killed). */
  end(connection: ProtocolConnection): Promise<number | null>;
}

/** The built server (dist/server.js --stdio) in its own process; `nodeArgs` go to its Node (e.g. --cpu-prof). */
export function spawnedServer(nodeArgs: readonly string[] = []): ServerUnderTest {
  const child = spawn(process.execPath, [...nodeArgs, SERVER_JS, '--stdio'], { stdio: 'pipe' });
  const stderr: string[] = [];
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    reader: new StreamMessageReader(child.stdout),
    writer: new StreamMessageWriter(child.stdin),
    stderr,
    clientProcessId: process.pid,
    async end(connection) {
      await connection.sendNotification(ExitNotification.type).catch(() => undefined);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const killed = new Promise<null>((resolve) => {
        timer = setTimeout(() => {
          child.kill();
          resolve(null);
        }, 3000);
      });
      const code = await Promise.race([exited, killed]);
      clearTimeout(timer);
      return code;
    },
  };
}

/**
 * The server's code (startServer) in this process, on the same Node connection the bundle makes, over two
 * in-memory streams. It is never sent `exit`: the Node connection answers that by ending the process.
 */
export function inProcessServer(): ServerUnderTest {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(connection, { docsRoot: REPO_ROOT });
  return {
    reader: new StreamMessageReader(toClient),
    writer: new StreamMessageWriter(toServer),
    stderr: [],
    // Watching this very process would keep it alive after the tests.
    clientProcessId: null,
    async end() {
      connection.dispose();
      toServer.end();
      toClient.end();
      return null;
    },
  };
}

export class TestLspClient {
  readonly connection: ProtocolConnection;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: { uri: string; version?: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  settings: Record<string, unknown> = {};
  /** What the server logged (window/logMessage), in order. */
  readonly logs: LogMessageParams[] = [];
  /** The server's exit code once shut down (null in process, or when it had to be killed). */
  exitCode: number | null = null;

  constructor(private readonly server: ServerUnderTest = spawnedServer()) {
    this.connection = createProtocolConnection(server.reader, server.writer);
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const waiter = this.waiters[i]!;
        if (waiter.uri === params.uri && (waiter.version === undefined || params.version === waiter.version)) {
          this.waiters.splice(i, 1);
          waiter.resolve(params);
        }
      }
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (item.section === 'goTraceLens' ? this.settings : null)));
    this.connection.onNotification(LogMessageNotification.method, (params: LogMessageParams) => {
      this.logs.push(params);
    });
    this.connection.listen();
  }

  async initialize(workspaceFolders: string[] = []): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: this.server.clientProcessId,
      rootUri: null,
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
      workspaceFolders: workspaceFolders.length ? workspaceFolders.map((f) => ({ uri: pathToFileURL(f).href, name: f })) : null,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  /** Resolves with the next diagnostics published for `uri` (and `version`, when given). */
  nextDiagnostics(uri: string, version?: number, timeoutMs = 10000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version ?? '?'} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ uri, version, resolve: (p) => { clearTimeout(timer); resolve(p); } });
    });
  }

  latest(uri: string): Diagnostic[] {
    return this.diagnostics.get(uri)?.diagnostics ?? [];
  }

  async open(uri: string, text: string, version = 1): Promise<PublishDiagnosticsParams> {
    const next = this.nextDiagnostics(uri, version);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'go', version, text } });
    return next;
  }

  async change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<PublishDiagnosticsParams> {
    const next = this.nextDiagnostics(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return next;
  }

  async close(uri: string): Promise<PublishDiagnosticsParams> {
    const next = this.nextDiagnostics(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    return next;
  }

  /** Sends a custom request. */
  request<P, R>(type: RequestDescriptor<P, R>, ...params: ParamsArgs<P>): Promise<R> {
    return sendCustom(this.connection, type, ...params);
  }

  /** Handles a custom notification from the server. */
  onNotification<P>(type: NotificationDescriptor<P>, handler: (params: P) => void): void {
    this.connection.onNotification(type.method, handler);
  }

  /** Changes the settings the server pulls (workspace/configuration) and tells it they changed. */
  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /** Applies a code action's edits to `uri` as the editor would (one didChange to `version`). */
  applyFix(uri: string, action: CodeAction, version: number): Promise<PublishDiagnosticsParams> {
    const edits = action.edit?.changes?.[uri] ?? [];
    return this.change(uri, version, edits.map((e) => ({ range: e.range, text: e.newText })));
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<(CodeAction)[]> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } }) as Promise<CodeAction[]>;
  }

  get stderr(): string[] {
    return this.server.stderr;
  }

  async shutdown(): Promise<void> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
    } catch {
      // The process may already be gone.
    }
    this.exitCode = await this.server.end(this.connection);
    this.connection.dispose();
  }
}
