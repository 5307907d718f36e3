// The "Flame Graph" panel: one per window, showing the active profile; a CodeLens click reveals its
// function there.

import * as vscode from 'vscode';
import { FLAME_GRAPH_PANEL_VIEW_TYPE } from '../../../common/ids';
import { FlameGraphHost } from './flameGraphHost';
import type { ProfileController } from './profileController';

export class FlameGraphPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private host?: FlameGraphHost;

  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly profiles: ProfileController,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  show(reveal?: string): void {
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(FLAME_GRAPH_PANEL_VIEW_TYPE, 'Flame Graph', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        localResourceRoots: [vscode.Uri.joinPath(this.extension.extensionUri, 'dist', 'webview')],
      });
      this.panel = panel;
      this.host = new FlameGraphHost(panel.webview, this.extension, this.profiles, this.output, { title: 'Flame Graph', isVisible: () => panel.visible });
      panel.onDidChangeViewState(() => {
        if (panel.visible) void this.host?.reload();
      });
      panel.onDidDispose(() => {
        this.host?.dispose();
        this.host = undefined;
        this.panel = undefined;
      });
    } else {
      this.panel.reveal(undefined, true);
    }
    if (reveal) this.host?.reveal(reveal);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
