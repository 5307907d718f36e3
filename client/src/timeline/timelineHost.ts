// Hosts one timeline webview (media/timeline) for one trace file: the HTML shell with its CSP, the
// file's bytes posted after the webview's `ready` (decoding happens in the webview's worker, never
// here), and the webview's requests: open a frame's or a span's source (the language server maps the
// trace's path to a local file), find workspace functions for a span's name, reveal a task in the
// execution trace of the same run, open the file as text.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CaptureCommands, ProfileCommands } from '../../../common/ids';
import { ResolveSourceRequest, type ResolveSourceResult } from '../../../common/profileProtocol';
import {
  FindFunctionsRequest,
  type FunctionSearchResult,
  type HostToTimeline,
  type TimelineToHost,
  type TimelineTraceKind,
  type TimelineViewSettings,
} from '../../../common/timelineProtocol';
import { send } from '../lspMessages';
import { openAtLine, openSource } from '../profiles/openSource';
import { webviewHtml } from '../webview/webviewHtml';
import { webviewRoot } from '../webview/webviewRoot';
import { TraceFileError, describeUri, readTraceFile } from './traceFileReader';
import { locateTraceSource } from './traceSourceLocator';
import type { TimelineHostSettings } from './timelineSettings';

const BUNDLE = 'timeline';
const NO_FUNCTIONS: FunctionSearchResult = { matches: [], indexing: false };

/** What the host needs from the feature: the language client, the log, settings and its siblings. */
export interface TimelineHostServices {
  readonly extension: vscode.ExtensionContext;
  readonly client: LanguageClient;
  readonly output: vscode.LogOutputChannel;
  settings(): TimelineHostSettings;
  /** The webview decoded its trace. */
  loaded(host: TimelineHost): void;
  /** A span asked to show its task in the execution trace of the same run. */
  revealTask(from: TimelineHost, taskId: number, spanName: string): void;
}

export class TimelineHost implements vscode.Disposable {
  private ready = false;
  private queued: HostToTimeline[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** What the webview found in the file, once it decoded it. */
  kind: TimelineTraceKind | undefined;
  /** For a span trace: the execution trace offered as its companion. */
  companion: TimelineHost | undefined;

  constructor(
    readonly uri: vscode.Uri,
    readonly panel: vscode.WebviewPanel,
    private readonly services: TimelineHostServices,
  ) {
    const webview = panel.webview;
    const root = webviewRoot(services.extension);
    webview.options = { enableScripts: true, localResourceRoots: [root] };
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      resource: (file) => webview.asWebviewUri(vscode.Uri.joinPath(root, file)).toString(),
      title: describeUri(uri),
      view: BUNDLE,
    });
    this.disposables.push(webview.onDidReceiveMessage((message: TimelineToHost) => void this.receive(message)));
    // A trace captured again under the same name: show the new one.
    if (uri.scheme === 'file') {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), uri.path.slice(uri.path.lastIndexOf('/') + 1)), true, false, true);
      let pending: ReturnType<typeof setTimeout> | undefined;
      watcher.onDidChange(() => {
        clearTimeout(pending);
        pending = setTimeout(() => {
          if (this.ready) void this.sendTrace();
        }, 300);
      });
      this.disposables.push(watcher, { dispose: () => clearTimeout(pending) });
    }
  }

  post(message: HostToTimeline): void {
    if (!this.ready) {
      this.queued.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  /** Reads the file and sends its bytes to the webview (again, after the webview was recreated). */
  private async sendTrace(): Promise<void> {
    const settings = this.services.settings();
    try {
      const { info, bytes } = await readTraceFile(this.uri, settings.maxFileBytes);
      this.post({ type: 'open', file: info, bytes, settings: settings.view });
    } catch (error) {
      const message = error instanceof TraceFileError ? error.message : `${describeUri(this.uri)} could not be opened: ${String(error)}`;
      this.services.output.warn(message);
      this.post({ type: 'message', message, offerOpenAsText: true });
    }
  }

  /** Offers an execution trace (another open timeline) to this span trace, for span↔task matching. */
  async offerCompanion(exec: TimelineHost): Promise<void> {
    this.companion = exec;
    try {
      const { info, bytes } = await readTraceFile(exec.uri, this.services.settings().maxFileBytes);
      if (this.companion === exec) this.post({ type: 'companion', file: info, bytes });
    } catch (error) {
      this.services.output.warn(`The execution trace ${describeUri(exec.uri)} was not matched with ${describeUri(this.uri)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  withdrawCompanion(): void {
    this.companion = undefined;
    this.post({ type: 'companionClosed' });
  }

  revealTask(taskId: number, spanName: string): void {
    this.panel.reveal(undefined, false);
    this.post({ type: 'revealTask', taskId, spanName });
  }

  updateSettings(view: TimelineViewSettings): void {
    this.post({ type: 'settings', settings: view });
  }

  private async receive(message: TimelineToHost): Promise<void> {
    const output = this.services.output;
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        const queued = this.queued.filter((m) => m.type !== 'open' && m.type !== 'message');
        this.queued = [];
        await this.sendTrace();
        for (const m of queued) void this.panel.webview.postMessage(m);
        break;
      }
      case 'loaded':
        this.kind = message.kind;
        output.info(`Timeline: ${describeUri(this.uri)}: ${message.description}`);
        this.services.loaded(this);
        break;
      case 'failed':
        output.warn(`Timeline: ${describeUri(this.uri)}: ${message.message}`);
        break;
      case 'openSource':
        await this.openSource(message.file, message.line, message.functionName);
        break;
      case 'openFunction':
        await this.openLocal(message.path, message.line);
        break;
      case 'findFunctions':
        this.post({ type: 'functions', requestId: message.requestId, result: await this.findFunctions(message.name) });
        break;
      case 'revealTask':
        this.services.revealTask(this, message.taskId, message.spanName);
        break;
      case 'openAsText':
        await vscode.commands.executeCommand('vscode.openWith', this.uri, 'default');
        break;
      case 'log':
        output[message.level](`Timeline: ${message.message}`);
        break;
      case 'metrics':
        output.info(`timeline ${message.name}: ${message.value.toFixed(1)}`);
        break;
      case 'traceProfile':
        // The capture feature derives it into the captures folder and opens it (its command is the seam).
        if (this.uri.scheme !== 'file') {
          void vscode.window.showWarningMessage(`Go Trace Lens: profiles can be derived only from trace files on disk; save ${describeUri(this.uri)} first.`);
          break;
        }
        await vscode.commands.executeCommand(CaptureCommands.traceProfile, { trace: this.uri.fsPath, type: message.profile, scope: message.scope, scopeLabel: message.scopeLabel });
        break;
      case 'spanProfile':
        // The profile feature finds the span's samples in the loaded profiles (its command is the seam).
        await vscode.commands.executeCommand(ProfileCommands.showSpanProfile, message.request);
        break;
    }
  }

  private async findFunctions(name: string, limit = 8): Promise<FunctionSearchResult> {
    try {
      return await send(this.services.client, FindFunctionsRequest, { name, limit });
    } catch (error) {
      this.services.output.warn(`Timeline: searching workspace functions for "${name}" failed: ${error instanceof Error ? error.message : String(error)}`);
      return NO_FUNCTIONS;
    }
  }

  /** Opens a local path at a line: read-only when it is outside the workspace. */
  private async openLocal(path: string, line: number): Promise<void> {
    const inWorkspace = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(path)) !== undefined;
    try {
      await openAtLine(path, line, !inWorkspace);
    } catch (error) {
      void vscode.window.showErrorMessage(`${path} could not be opened: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * A frame's or a span's file as the trace names it (a path on the machine that ran the program): the
   * language server finds the local file (workspace, GOROOT, module cache, path mappings); failing that,
   * a workspace file with the same path tail, or the path itself when it exists here. Then a workspace
   * function with the frame's name is the next best place; otherwise the user is offered a path mapping.
   */
  private async openSource(file: string, line: number, functionName: string): Promise<void> {
    let resolved: ResolveSourceResult | undefined;
    try {
      resolved = await send(this.services.client, ResolveSourceRequest, { profileFile: file });
    } catch (error) {
      this.services.output.warn(`Timeline: resolving ${file} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (resolved?.localPath) {
      await openAtLine(resolved.localPath, line, resolved.readOnly);
      return;
    }
    const located = await locateTraceSource(file);
    if (located) {
      await openAtLine(located.path, line, located.readOnly);
      return;
    }
    if (functionName) {
      const { matches } = await this.findFunctions(functionName, 2);
      const [best, second] = matches;
      if (best && best.score >= 90 && (!second || second.score < best.score)) {
        this.services.output.info(`Timeline: ${file} is not on this machine; opened ${best.name} in ${best.path} instead.`);
        await this.openLocal(best.path, best.line);
        return;
      }
    }
    await openSource(this.services.client, { profileFile: file, line });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
