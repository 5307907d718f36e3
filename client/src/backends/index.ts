// The backends feature: traces from Jaeger, Tempo and Zipkin and merged profiles from Pyroscope and
// Parca (`goTraceLens.backends`), fetched through the backends core into the captures folder and opened
// in the timeline or as the active profile; credentials in SecretStorage; "Open Trace in <backend>" on
// trace IDs in text, the terminal and Go hovers. Registered once from extension.ts.

import * as vscode from 'vscode';
import { BackendCommands } from '../../../common/ids';
import { BackendSettings } from '../../../common/settings';
import type { CapturesFolderApi } from '../capture';
import type { CaptureDestinations } from '../capture/openCapture';
import type { GoTraceLensContext } from '../context';
import { BackendSecretStore } from './backendCredentialsUi';
import { traceBackends } from './backendList';
import { BackendCommandRunner, type OpenTraceArgs } from './backendCommands';
import { registerTraceIdLinks } from './traceIdLinks';

function openTraceArgs(value: unknown): OpenTraceArgs | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { traceId, backend } = value as Record<string, unknown>;
  return { ...(typeof traceId === 'string' ? { traceId } : {}), ...(typeof backend === 'string' ? { backend } : {}) };
}

export function registerBackendsFeature(context: GoTraceLensContext, destinations: CaptureDestinations, captures: CapturesFolderApi | undefined): void {
  const { extension, output, config, client } = context;
  const runner = new BackendCommandRunner({ output, config, secrets: new BackendSecretStore(extension.secrets), destinations, captures, client });
  extension.subscriptions.push(
    vscode.commands.registerCommand(BackendCommands.openTrace, (args: unknown) => runner.openTrace(openTraceArgs(args))),
    vscode.commands.registerCommand(BackendCommands.searchTraces, () => runner.searchTraces()),
    vscode.commands.registerCommand(BackendCommands.openProfile, () => runner.openProfile()),
    vscode.commands.registerCommand(BackendCommands.compareEarlier, () => runner.compareEarlier()),
    vscode.commands.registerCommand(BackendCommands.setCredentials, (name: unknown) => runner.setCredentials(name)),
    ...registerTraceIdLinks(() => traceBackends(runner.backends()), (listener) => vscode.workspace.onDidChangeConfiguration((event) => {
      if (config.affects(event, BackendSettings.backends)) listener();
    })),
  );
}
