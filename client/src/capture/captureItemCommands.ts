// The Captures view's row commands: open, compare with the previous capture (also from the palette, on
// the newest pair), reveal in the Explorer view or the OS, and delete after a confirmation. A row
// command gets the clicked row's path and, for multi-selection, all selected paths; run from the palette
// or a key binding it works on the view's selection.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { CaptureCommands } from '../../../common/ids';
import type { CapturesView } from './capturesView';
import type { SavedCapture } from '../../../core/capture/index.node';
import { captureFileType } from './afterCapture';
import { compareSavedCaptures, openSavedCapture, type CaptureDestinations, type CaptureRevealer, type SavedFile } from './openCapture';

/** The paths a row command applies to: the selection when the clicked row is part of it, else the row. */
function targetPaths(view: CapturesView, clicked: unknown, selected: unknown): string[] {
  const fromArgs = Array.isArray(selected) ? selected.filter((s): s is string => typeof s === 'string') : [];
  if (typeof clicked === 'string') return fromArgs.includes(clicked) ? fromArgs : [clicked];
  if (clicked instanceof vscode.Uri && clicked.scheme === 'file') return [clicked.fsPath];
  return view.selection();
}

/** A capture the captures folder lists, as it is handed over: with its kind. */
function savedFile(capture: SavedCapture): SavedFile {
  return { path: capture.path, type: captureFileType(capture.kind), kind: capture.kind };
}

export class CaptureItemCommands {
  private readonly revealer: CaptureRevealer;

  constructor(
    private readonly view: CapturesView,
    private readonly destinations: CaptureDestinations,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.revealer = { reveal: (p) => view.reveal(p), log };
  }

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand(CaptureCommands.open, (clicked: unknown, selected: unknown) => this.open(targetPaths(this.view, clicked, selected))),
      vscode.commands.registerCommand(CaptureCommands.compareWithPrevious, (clicked: unknown) => this.compareWithPrevious(typeof clicked === 'string' ? clicked : undefined)),
      vscode.commands.registerCommand(CaptureCommands.revealInExplorer, (clicked: unknown, selected: unknown) => this.revealIn('revealInExplorer', targetPaths(this.view, clicked, selected))),
      vscode.commands.registerCommand(CaptureCommands.revealInOs, (clicked: unknown, selected: unknown) => this.revealIn('revealFileInOS', targetPaths(this.view, clicked, selected))),
      vscode.commands.registerCommand(CaptureCommands.delete, (clicked: unknown, selected: unknown) => this.delete(targetPaths(this.view, clicked, selected))),
      vscode.commands.registerCommand(CaptureCommands.refresh, () => this.view.refresh()),
    ];
  }

  private async open(paths: string[]): Promise<void> {
    if (paths.length === 0) return this.nothingSelected('open');
    for (const file of paths) {
      const row = await this.view.row(file);
      // A file the folder does not list as a capture: its kind is unknown (the server infers a profile's).
      const saved: SavedFile = row ? savedFile(row.capture) : { path: file, type: file.endsWith('.trace') ? 'trace' : 'pprof' };
      await openSavedCapture(saved, this.destinations, this.revealer, { explicit: true });
    }
  }

  private async compareWithPrevious(clicked: string | undefined): Promise<void> {
    if (clicked !== undefined) {
      const row = await this.view.row(clicked);
      if (!row?.previous) {
        const message = `${path.basename(clicked)} has no earlier capture of the same kind from the same endpoint to compare with.`;
        this.log.info(message);
        void vscode.window.showInformationMessage(message, 'Capture Profile…').then((c) => c && vscode.commands.executeCommand(CaptureCommands.captureProfile));
        return;
      }
      await compareSavedCaptures(savedFile(row.capture), savedFile(row.previous), this.destinations, this.revealer);
      return;
    }
    const pair = await this.view.newestComparablePair();
    if (!pair) {
      const message = `The captures folder (${this.view.captureFolder.folder}) has no two profiles of the same kind from the same endpoint yet. Capture another one to compare.`;
      this.log.info(message);
      void vscode.window.showInformationMessage(message, 'Capture Profile…').then((c) => c && vscode.commands.executeCommand(CaptureCommands.captureProfile));
      return;
    }
    await compareSavedCaptures(savedFile(pair.capture), savedFile(pair.previous), this.destinations, this.revealer);
  }

  private async revealIn(command: 'revealInExplorer' | 'revealFileInOS', paths: string[]): Promise<void> {
    const file = paths[0];
    if (file === undefined) return this.nothingSelected('reveal');
    await vscode.commands.executeCommand(command, vscode.Uri.file(file));
  }

  private async delete(paths: string[]): Promise<void> {
    if (paths.length === 0) return this.nothingSelected('delete');
    const names = paths.map((p) => path.basename(p));
    const question = paths.length === 1 ? `Delete the capture ${names[0]}?` : `Delete ${paths.length} captures?`;
    const choice = await vscode.window.showWarningMessage(
      question,
      { modal: true, detail: `${paths.length === 1 ? 'It is' : `${names.join(', ')} are`} removed from ${this.view.captureFolder.folder} (to the trash where the system has one).` },
      'Delete',
    );
    if (choice !== 'Delete') return;
    for (const file of paths) {
      const uri = vscode.Uri.file(file);
      try {
        await vscode.workspace.fs.delete(uri, { useTrash: true });
        this.log.info(`Deleted ${file} (to the trash).`);
      } catch {
        try {
          await vscode.workspace.fs.delete(uri, { useTrash: false });
          this.log.info(`Deleted ${file} (no trash available here).`);
        } catch (error) {
          const message = `Cannot delete ${file}: ${error instanceof Error ? error.message : String(error)}`;
          this.log.error(message);
          void vscode.window.showErrorMessage(message);
        }
      }
    }
    await this.view.refresh();
  }

  private nothingSelected(what: string): void {
    void vscode.window.showInformationMessage(`Select a capture in the Captures view to ${what}.`);
  }
}
