// Starts the Go Trace Lens language server (dist/server.js, over IPC) and keeps it running.

import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Commands, EXTENSION_NAME } from '../../common/ids';
import { SETTINGS_SECTION } from '../../common/settings';
import { SkippedFileNotification, type InitializationOptions } from '../../common/protocol';
import { onNotification } from './lspMessages';
import { CrashRestartPolicy } from './restartPolicy';

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): { client: LanguageClient; policy: CrashRestartPolicy } {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const policy = new CrashRestartPolicy({
    maxCrashes: 3,
    windowMs: 3 * 60 * 1000,
    log: (message) => output.warn(message),
    onGiveUp: (message) => {
      output.error(message);
      void vscode.window.showErrorMessage(message, 'Show Output', 'Restart').then((choice) => {
        if (choice === 'Show Output') output.show();
        if (choice === 'Restart') void vscode.commands.executeCommand(Commands.restartServer);
      });
    },
  });
  const initializationOptions: InitializationOptions = { docsRoot: context.extensionPath };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'go' },
      { scheme: 'untitled', language: 'go' },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    initializationOptions,
    errorHandler: policy,
    synchronize: { configurationSection: SETTINGS_SECTION },
  };
  // The id is the settings section: the client reads `goTraceLens.trace.server` (LanguageServerSettings) by it.
  const client = new LanguageClient(SETTINGS_SECTION, EXTENSION_NAME, serverOptions, clientOptions);
  onNotification(client, SkippedFileNotification, (params) => {
    output.info(`Not analysing ${params.uri}: ${params.reason}.`);
  });
  return { client, policy };
}
