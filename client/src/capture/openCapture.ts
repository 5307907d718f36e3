// Opening and comparing saved captures through the features that own them: the Profile feature
// (`goTraceLens.profile.open` / `.compare`) and the trace timeline (`goTraceLens.trace.open`). Whether each
// is registered is asked of VS Code at the moment of use; when one is missing the capture is revealed in
// the Captures view and the log says which feature is missing (nothing is faked).

import * as vscode from 'vscode';
import { planCompareCaptures, planOpenCapture, type CaptureFileType } from './afterCapture';

export async function registeredCommands(): Promise<ReadonlySet<string>> {
  return new Set(await vscode.commands.getCommands(true));
}

export interface CaptureOpener {
  /** Shows the capture in the Captures view (selected). */
  reveal(path: string): Promise<void>;
  readonly log: vscode.LogOutputChannel;
}

/** Opens a capture with its feature; falls back to revealing it. Returns whether it was opened. */
export async function openSavedCapture(path: string, type: CaptureFileType, opener: CaptureOpener, options: { explicit: boolean }): Promise<boolean> {
  const plan = planOpenCapture(type, await registeredCommands());
  if (plan.action === 'command') {
    opener.log.info(`Opening ${path} (${plan.command}).`);
    await vscode.commands.executeCommand(plan.command, vscode.Uri.file(path));
    return true;
  }
  opener.log.warn(plan.explanation);
  await opener.reveal(path);
  if (options.explicit) {
    // The user asked to open it: say why nothing opened.
    void vscode.window.showWarningMessage(plan.explanation, 'Show Output').then((choice) => choice && opener.log.show(true));
  }
  return false;
}

/** Opens the diff of `path` against the earlier `basePath`. */
export async function compareSavedCaptures(path: string, basePath: string, opener: CaptureOpener): Promise<boolean> {
  const plan = planCompareCaptures(await registeredCommands());
  if (plan.action === 'command') {
    opener.log.info(`Comparing ${path} with ${basePath} (${plan.command}).`);
    await vscode.commands.executeCommand(plan.command, vscode.Uri.file(path), vscode.Uri.file(basePath));
    return true;
  }
  opener.log.warn(plan.explanation);
  await opener.reveal(path);
  void vscode.window.showWarningMessage(plan.explanation, 'Show Output').then((choice) => choice && opener.log.show(true));
  return false;
}
