// The custom read-only editor for trace files (goTraceLens.traceEditor): Go execution traces (*.trace,
// trace.out) and span exports (*.json, *.jsonl). Its priority is "option", so ordinary JSON files keep
// opening as text; traceAutoOpen.ts brings execution traces here by their content, and span traces get
// an "Open in Timeline" button. Each editor is a timeline webview that keeps its state while hidden (a
// decoded million-event trace is worth keeping).

import * as vscode from 'vscode';
import { TRACE_EDITOR_VIEW_TYPE } from '../../../common/ids';
import { TimelineHost, type TimelineHostServices } from './timelineHost';
import type { TimelineRegistry } from './timelineRegistry';

class TraceDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

export class TraceEditorProvider implements vscode.CustomReadonlyEditorProvider<TraceDocument> {
  constructor(
    private readonly services: TimelineHostServices,
    private readonly registry: TimelineRegistry,
  ) {}

  static register(services: TimelineHostServices, registry: TimelineRegistry): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(TRACE_EDITOR_VIEW_TYPE, new TraceEditorProvider(services, registry), {
      supportsMultipleEditorsPerDocument: true,
      webviewOptions: { retainContextWhenHidden: true },
    });
  }

  openCustomDocument(uri: vscode.Uri): TraceDocument {
    return new TraceDocument(uri);
  }

  resolveCustomEditor(document: TraceDocument, panel: vscode.WebviewPanel): void {
    const host = new TimelineHost(document.uri, panel, this.services);
    this.registry.add(host);
    panel.onDidDispose(() => {
      this.registry.remove(host);
      host.dispose();
    });
  }
}
