// The Captures view (`goTraceLens.captures`): the captures in the captures folder, newest first, kept
// current by a file watcher on that folder (and by the capture command after each save). Its rows open,
// compare with the previous capture, reveal in the Explorer or the OS, and delete (after confirmation).

import * as vscode from 'vscode';
import { CaptureCommands, CaptureContextKeys, CaptureViews } from '../../../common/ids';
import { listCaptures, type SavedCapture } from '../../../core/capture/index.node';
import type { CaptureFolder } from './captureFolder';
import { captureViewRows, newestComparablePair, type CaptureViewRow } from './capturesViewItems';

const KIND_ICONS: Readonly<Record<string, string>> = {
  cpu: 'pulse',
  trace: 'history',
  goroutine: 'list-tree',
  mutex: 'lock',
  'mutex-delta': 'lock',
  block: 'debug-pause',
  'block-delta': 'debug-pause',
  threadcreate: 'server-process',
};

/** Milliseconds of quiet before a burst of file events refreshes the view. */
const REFRESH_DEBOUNCE_MS = 150;

export class CapturesView implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly treeView: vscode.TreeView<string>;
  private rows = new Map<string, CaptureViewRow>();
  private order: string[] = [];
  private loaded: Promise<void> | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private folder: CaptureFolder;

  constructor(
    folder: CaptureFolder,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.folder = folder;
    this.treeView = vscode.window.createTreeView(CaptureViews.captures, { treeDataProvider: this, canSelectMany: true, showCollapseAll: false });
    this.setFolder(folder);
  }

  get captureFolder(): CaptureFolder {
    return this.folder;
  }

  /** Points the view (and its watcher) at another captures folder. */
  setFolder(folder: CaptureFolder): void {
    this.folder = folder;
    this.watcher?.dispose();
    const pattern =
      folder.workspaceFolder !== undefined && folder.relativePath !== undefined
        ? new vscode.RelativePattern(vscode.Uri.file(folder.workspaceFolder), folder.relativePath === '' ? '*' : `${folder.relativePath}/*`)
        : new vscode.RelativePattern(vscode.Uri.file(folder.folder), '*');
    this.watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const schedule = (): void => this.scheduleRefresh();
    this.watcher.onDidCreate(schedule);
    this.watcher.onDidDelete(schedule);
    this.watcher.onDidChange(schedule);
    this.treeView.description = folder.relativePath !== undefined && folder.relativePath !== '' ? folder.relativePath : folder.folder;
    void vscode.commands.executeCommand('setContext', CaptureContextKeys.folderInWorkspace, folder.workspaceFolder !== undefined);
    this.refresh();
  }

  private scheduleRefresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  /** Re-reads the folder and redraws the view. */
  refresh(): Promise<void> {
    this.loaded = this.load();
    return this.loaded.then(() => this.changed.fire(undefined));
  }

  private async load(): Promise<void> {
    let captures: SavedCapture[];
    try {
      captures = await listCaptures(this.folder.folder);
      this.treeView.message = undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      this.treeView.message = `Cannot read ${this.folder.folder} (${code}).`;
      this.log.error(`The Captures view cannot read ${this.folder.folder}: ${error instanceof Error ? error.message : String(error)}`);
      captures = [];
    }
    const rows = captureViewRows(captures, new Date());
    this.rows = new Map(rows.map((row) => [row.capture.path, row]));
    this.order = rows.map((row) => row.capture.path);
  }

  /** The saved captures, newest first (after the current load). */
  async captures(): Promise<SavedCapture[]> {
    await (this.loaded ?? this.refresh());
    return this.order.map((path) => this.rows.get(path)!.capture);
  }

  async row(path: string): Promise<CaptureViewRow | undefined> {
    await (this.loaded ?? this.refresh());
    return this.rows.get(path);
  }

  /** The selected rows' paths (for commands run without a row argument). */
  selection(): string[] {
    return [...this.treeView.selection];
  }

  async newestComparablePair(): Promise<{ capture: SavedCapture; previous: SavedCapture } | undefined> {
    return newestComparablePair(await this.captures());
  }

  /** Shows and selects a capture (after a refresh that includes it). */
  async reveal(path: string): Promise<void> {
    await this.refresh();
    if (!this.rows.has(path)) return;
    await this.treeView.reveal(path, { select: true, focus: false });
  }

  async getChildren(element?: string): Promise<string[]> {
    if (element !== undefined) return [];
    await (this.loaded ?? this.refresh());
    return this.order;
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(path: string): vscode.TreeItem {
    const row = this.rows.get(path);
    const item = new vscode.TreeItem(row?.label ?? path, vscode.TreeItemCollapsibleState.None);
    item.id = path;
    item.resourceUri = vscode.Uri.file(path);
    if (!row) return item;
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.contextValue = row.contextValue;
    item.iconPath = new vscode.ThemeIcon(KIND_ICONS[row.capture.kind] ?? 'graph');
    item.command = { command: CaptureCommands.open, title: 'Open Capture', arguments: [path] };
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watcher?.dispose();
    this.treeView.dispose();
    this.changed.dispose();
  }
}
