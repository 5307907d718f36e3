// A minimal LSP client for tests: spawns the built server (dist/server.js --stdio) and talks real
// JSON-RPC to it over the process's pipes.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import {
  InitializeRequest, InitializedNotification, PublishDiagnosticsNotification, ConfigurationRequest,
  ShutdownRequest, ExitNotification, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification, CodeActionRequest, type Diagnostic, type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent, type CodeAction, type Range, type InitializeResult,
} from 'vscode-languageserver-protocol';
import type { NotificationDescriptor, ParamsArgs, RequestDescriptor } from '../../common/protocol';

export const SERVER_JS = join(__dirname, '..', '..', 'dist', 'server.js');

/** A custom request (its descriptor in common/) sent over a test's connection, with its typed result. */
export function sendCustom<P, R>(connection: ProtocolConnection, type: RequestDescriptor<P, R>, ...params: ParamsArgs<P>): Promise<R> {
  return params.length === 0 ? connection.sendRequest(type.method) as Promise<R> : connection.sendRequest(type.method, params[0]) as Promise<R>;
}

export class TestLspClient {
  readonly connection: ProtocolConnection;
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: { uri: string; version?: number; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  readonly stderr: string[] = [];
  settings: Record<string, unknown> = {};
  exitCode: number | null = null;

  /** `nodeArgs` go to the server's Node (e.g. --cpu-prof when investigating a slow request). */
  constructor(nodeArgs: readonly string[] = []) {
    this.process = spawn(process.execPath, [...nodeArgs, SERVER_JS, '--stdio'], { stdio: 'pipe' });
    this.process.stderr.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    this.process.on('exit', (code) => { this.exitCode = code; });
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
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
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.listen();
  }

  async initialize(workspaceFolders: string[] = []): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
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

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<(CodeAction)[]> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } }) as Promise<CodeAction[]>;
  }

  async shutdown(): Promise<void> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // The process may already be gone.
    }
    await new Promise<void>((resolve) => {
      if (this.exitCode !== null) return resolve();
      const timer = setTimeout(() => { this.process.kill(); resolve(); }, 3000);
      this.process.on('exit', () => { clearTimeout(timer); resolve(); });
    });
    this.connection.dispose();
  }
}
