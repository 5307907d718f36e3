// Hosts the flame graph webview (media/flamegraph) in a panel or in the profile custom editor: the HTML
// shell with its CSP, the active profile's graph sent after the webview's `ready`, and the webview's
// requests (open a frame's source, switch the sample type, open a non-profile file as text).

import * as vscode from 'vscode';
import type { FlameGraphToHost, HostToFlameGraph } from '../../../common/flameGraphProtocol';
import { FlameGraphRequest } from '../../../common/profileProtocol';
import { send } from '../lspMessages';
import { webviewHtml } from '../webview/webviewHtml';
import { webviewRoot } from '../webview/webviewRoot';
import { openSource } from './openSource';
import type { ProfileController } from './profileController';

const BUNDLE = 'flamegraph';

export class FlameGraphHost implements vscode.Disposable {
  private ready = false;
  private queued: HostToFlameGraph[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** While set, the webview shows this message instead of the active profile (a file that is not one). */
  private emptyMessage?: { message: string; offerOpenAsText: boolean };

  constructor(
    private readonly webview: vscode.Webview,
    private readonly extension: vscode.ExtensionContext,
    private readonly profiles: ProfileController,
    private readonly output: vscode.LogOutputChannel,
    private readonly options: { title: string; isVisible: () => boolean; openAsText?: () => void },
  ) {
    const root = webviewRoot(extension);
    webview.options = { enableScripts: true, localResourceRoots: [root] };
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      resource: (file) => webview.asWebviewUri(vscode.Uri.joinPath(root, file)).toString(),
      title: options.title,
      view: BUNDLE,
    });
    this.disposables.push(
      webview.onDidReceiveMessage((message: FlameGraphToHost) => this.receive(message)),
      profiles.onDidChange(() => {
        if (this.options.isVisible()) void this.reload();
      }),
    );
  }

  private post(message: HostToFlameGraph): void {
    if (!this.ready) {
      this.queued.push(message);
      return;
    }
    void this.webview.postMessage(message);
  }

  showMessage(message: string, offerOpenAsText: boolean): void {
    this.emptyMessage = { message, offerOpenAsText };
    this.post({ type: 'empty', message, offerOpenAsText });
  }

  /** Sends the active profile's flame graph (or why there is none). */
  async reload(): Promise<void> {
    if (this.emptyMessage) {
      this.post({ type: 'empty', ...this.emptyMessage });
      return;
    }
    if (!this.profiles.active) {
      this.post({ type: 'empty', message: 'No profile is active. Open one with "Go Trace Lens: Open Profile…", or capture one from a running service.' });
      return;
    }
    const result = await send(this.profiles.client, FlameGraphRequest);
    if (result.ok) this.post({ type: 'load', data: result.data, summary: result.summary });
    else this.post({ type: 'empty', message: result.message });
  }

  reveal(functionName: string): void {
    this.post({ type: 'reveal', functionName });
  }

  private receive(message: FlameGraphToHost): void {
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        const queued = this.queued;
        this.queued = [];
        const hasContent = queued.some((m) => m.type === 'load' || m.type === 'empty');
        const send = () => { for (const m of queued) void this.webview.postMessage(m); };
        if (hasContent) send();
        else void this.reload().then(send);
        break;
      }
      case 'openSource':
        void openSource(this.profiles.client, { profileFile: message.file, line: message.line });
        break;
      case 'switchSampleType': {
        const index = this.profiles.active?.sampleTypes.findIndex((t) => t.type === message.sampleType) ?? -1;
        if (index >= 0) void this.profiles.update({ sampleIndex: index });
        break;
      }
      case 'openAsText':
        this.options.openAsText?.();
        break;
      case 'metrics':
        this.output.info(`flame graph ${message.name}: ${message.value.toFixed(1)}`);
        break;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
