// The trace timeline feature: the custom editor for trace files, "Open Trace…", "Open in Timeline" for
// span exports, content detection of trace files opened as text, and the settings every open timeline
// follows. Other features open traces through what registering returns (the capture feature: a saved
// execution trace).

import * as vscode from 'vscode';
import { TRACE_EDITOR_VIEW_TYPE, TimelineCommands, TraceCommands } from '../../../common/ids';
import { SETTINGS_SECTION } from '../../../common/settings';
import type { GoTraceLensContext } from '../context';
import type { TimelineHostServices } from './timelineHost';
import { timelineSettingsFrom } from './timelineSettings';
import { TimelineRegistry } from './timelineRegistry';
import { TraceEditorProvider } from './traceEditorProvider';
import { watchTraceFiles } from './traceAutoOpen';

const TRACE_FILTERS = { 'Traces (Go execution traces, OTLP, Jaeger, Zipkin)': ['trace', 'out', 'json', 'jsonl'], 'All files': ['*'] };

async function openInTimeline(uri: vscode.Uri): Promise<void> {
  await vscode.commands.executeCommand('vscode.openWith', uri, TRACE_EDITOR_VIEW_TYPE);
}

/** What the timeline offers the other features. */
export interface TraceOpener {
  /** Opens a trace file in the timeline. */
  open(path: string): Promise<void>;
}

export function registerTimelineFeature(context: GoTraceLensContext): TraceOpener {
  const { extension, output, config, client } = context;
  const registry = new TimelineRegistry();
  let settings = timelineSettingsFrom(config.get);
  const services: TimelineHostServices = {
    extension,
    client,
    output,
    settings: () => settings,
    loaded: (host) => registry.loaded(host),
    revealTask: (from, taskId, spanName) => registry.revealTask(from, taskId, spanName),
  };

  extension.subscriptions.push(
    TraceEditorProvider.register(services, registry),
    vscode.commands.registerCommand(TraceCommands.open, async (uri?: unknown) => {
      let target = uri instanceof vscode.Uri ? uri : undefined;
      if (!target) {
        const [picked] =
          (await vscode.window.showOpenDialog({ title: 'Open Trace', canSelectMany: false, filters: TRACE_FILTERS, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri })) ?? [];
        target = picked;
      }
      if (target) await openInTimeline(target);
    }),
    vscode.commands.registerCommand(TimelineCommands.openInTimeline, async (uri?: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (target) await openInTimeline(target);
      else await vscode.commands.executeCommand(TraceCommands.open);
    }),
    watchTraceFiles(() => settings, output),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!config.affects(event, `${SETTINGS_SECTION}.timeline`)) return;
      settings = timelineSettingsFrom(config.get);
      for (const host of registry.all()) host.updateSettings(settings.view);
    }),
  );
  return { open: (path) => openInTimeline(vscode.Uri.file(path)) };
}
