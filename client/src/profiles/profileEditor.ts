// The custom read-only editor for profile files (*.pprof, *.pb.gz, *.prof, and Go's default output names
// such as cpu.out): opening one loads it as the active profile and shows its flame graph and summary.
// When the editor comes back to the front, its profile becomes the active one again. A file that is not
// a profile says so, with a button to open it as text.

import * as vscode from 'vscode';
import { PROFILE_EDITOR_VIEW_TYPE } from '../../../common/ids';
import { FlameGraphHost } from './flameGraphHost';
import type { ProfileController } from './profileController';

class ProfileDocument implements vscode.CustomDocument {
  profileId?: string;
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

export class ProfileEditorProvider implements vscode.CustomReadonlyEditorProvider<ProfileDocument> {
  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly profiles: ProfileController,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  static register(extension: vscode.ExtensionContext, profiles: ProfileController, output: vscode.LogOutputChannel): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(PROFILE_EDITOR_VIEW_TYPE, new ProfileEditorProvider(extension, profiles, output), {
      supportsMultipleEditorsPerDocument: false,
      webviewOptions: { retainContextWhenHidden: false },
    });
  }

  openCustomDocument(uri: vscode.Uri): ProfileDocument {
    return new ProfileDocument(uri);
  }

  async resolveCustomEditor(document: ProfileDocument, panel: vscode.WebviewPanel): Promise<void> {
    const name = document.uri.path.slice(document.uri.path.lastIndexOf('/') + 1);
    const host = new FlameGraphHost(panel.webview, this.extension, this.profiles, this.output, {
      title: name,
      isVisible: () => panel.visible,
      openAsText: () => void vscode.commands.executeCommand('vscode.openWith', document.uri, 'default'),
    });
    panel.onDidDispose(() => host.dispose());
    if (document.uri.scheme !== 'file') {
      host.showMessage(`${name} is not on this machine's file system, so Go Trace Lens cannot read it as a profile.`, true);
      return;
    }
    const result = await this.profiles.tryLoad({ path: document.uri.fsPath, makeActive: true });
    if (!result.ok) {
      this.output.warn(`${document.uri.fsPath}: ${result.message}`);
      host.showMessage(result.message, true);
      return;
    }
    document.profileId = result.profile.id;
    panel.onDidChangeViewState(() => {
      if (panel.active && document.profileId && this.profiles.state.activeId !== document.profileId && this.profiles.state.profiles.some((p) => p.id === document.profileId)) {
        void this.profiles.update({ activeId: document.profileId });
      }
    });
    await host.reload();
  }
}
