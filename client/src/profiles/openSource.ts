// Opening a profile frame's source: the server maps the profile's file name to a local file; files
// outside the workspace (GOROOT, the module cache) open read-only. Unresolved files offer a path mapping.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ProfileCommands } from '../../../common/ids';
import { ResolveSourceRequest, type SourceRef } from '../../../common/profileProtocol';
import { send } from '../lspMessages';

/** Opens `localPath` at a 1-based line; read-only for toolchain and module-cache files. */
export async function openAtLine(localPath: string, line: number, readOnly: boolean): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(localPath));
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  const editor = await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position), preview: true });
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  if (readOnly) await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession');
  return editor;
}

/** Opens a source reference from the profile (a tree row, a flame graph frame). */
export async function openSource(client: LanguageClient, ref: Pick<SourceRef, 'profileFile' | 'line'> & { localPath?: string | null }): Promise<void> {
  const resolved = await send(client, ResolveSourceRequest, { profileFile: ref.profileFile });
  if (!resolved.localPath) {
    const choice = await vscode.window.showWarningMessage(
      `${ref.profileFile || 'This frame'} is not a file in this workspace, GOROOT or the module cache (${resolved.reason ?? 'not found'}).`,
      'Add Path Mapping…',
    );
    if (choice) await vscode.commands.executeCommand(ProfileCommands.addPathMapping, ref.profileFile);
    return;
  }
  await openAtLine(resolved.localPath, ref.line, resolved.readOnly);
}
