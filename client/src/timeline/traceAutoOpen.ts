// Content detection for trace files opened the ordinary way: an execution trace (binary, useless as
// text) opened from the explorer as `*.trace` or `trace.out` is reopened in the timeline when its first
// bytes say it is one (goTraceLens.timeline.openExecutionTracesInTimeline); a JSON file whose content
// is a span export sets a context key that shows "Open in Timeline" in the editor's title bar. Ordinary
// JSON files are left alone.

import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import { TRACE_EDITOR_VIEW_TYPE, TimelineContextKeys } from '../../../common/ids';
import { DETECTION_BYTES, baseNameOf, isExecutionTraceName, isSpanTraceName, traceKindOf } from './traceFileDetection';
import type { TimelineHostSettings } from './timelineSettings';

async function readHead(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  if (uri.scheme !== 'file') return undefined;
  let handle;
  try {
    handle = await open(uri.fsPath, 'r');
    const buffer = new Uint8Array(DETECTION_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, DETECTION_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

export function watchTraceFiles(settings: () => TimelineHostSettings, output: vscode.LogOutputChannel): vscode.Disposable {
  const reopening = new Set<string>();

  const reopenInTimeline = async (tab: vscode.Tab, uri: vscode.Uri) => {
    const key = uri.toString();
    if (reopening.has(key) || !settings().openExecutionTracesInTimeline) return;
    const head = await readHead(uri);
    if (!head || traceKindOf(head) !== 'go-execution-trace') return;
    reopening.add(key);
    try {
      output.info(`Timeline: ${uri.fsPath} is a Go execution trace; opening it in the timeline.`);
      await vscode.commands.executeCommand('vscode.openWith', uri, TRACE_EDITOR_VIEW_TYPE, tab.group.viewColumn);
      await vscode.window.tabGroups.close(tab, true);
    } catch (error) {
      output.warn(`Timeline: reopening ${uri.fsPath} in the timeline failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      reopening.delete(key);
    }
  };

  const markActiveEditor = (editor: vscode.TextEditor | undefined) => {
    let isTrace = false;
    const document = editor?.document;
    if (document && isSpanTraceName(baseNameOf(document.uri.path)) && document.lineCount > 0) {
      const head = document.getText(new vscode.Range(0, 0, Math.min(document.lineCount, 2000), 0)).slice(0, DETECTION_BYTES);
      isTrace = traceKindOf(new TextEncoder().encode(head)) === 'spans';
    }
    void vscode.commands.executeCommand('setContext', TimelineContextKeys.activeEditorIsTrace, isTrace);
  };

  const onTabs = (tabs: readonly vscode.Tab[]) => {
    for (const tab of tabs) {
      if (tab.input instanceof vscode.TabInputText && isExecutionTraceName(baseNameOf(tab.input.uri.path))) void reopenInTimeline(tab, tab.input.uri);
    }
  };

  markActiveEditor(vscode.window.activeTextEditor);
  onTabs(vscode.window.tabGroups.all.flatMap((group) => group.tabs));
  return vscode.Disposable.from(
    vscode.window.tabGroups.onDidChangeTabs((event) => onTabs([...event.opened, ...event.changed])),
    vscode.window.onDidChangeActiveTextEditor(markActiveEditor),
  );
}
