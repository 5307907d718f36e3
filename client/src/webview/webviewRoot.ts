// Where every webview's files live: dist/webview of the installed extension, also each panel's only
// local resource root.

import * as vscode from 'vscode';

export function webviewRoot(extension: vscode.ExtensionContext): vscode.Uri {
  return vscode.Uri.joinPath(extension.extensionUri, 'dist', 'webview');
}
