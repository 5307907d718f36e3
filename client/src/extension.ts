// Extension entry point: one output channel, the language client, and the command registry.

import * as vscode from 'vscode';
import { Commands, OUTPUT_CHANNEL_NAME } from '../../common/ids';
import { createLanguageClient } from './languageClient';
import type { LanguageClient } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  context.subscriptions.push(output);
  output.info(`Go Trace Lens ${String(context.extension.packageJSON.version)} activating.`);

  const created = createLanguageClient(context, output);
  client = created.client;

  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.showOutput, () => output.show()),
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      created.policy.reset();
      output.info('Restarting the language server.');
      await created.client.restart();
    }),
  );

  try {
    await client.start();
  } catch (error) {
    const message = `The Go Trace Lens language server did not start: ${error instanceof Error ? error.message : String(error)}`;
    output.error(message);
    void vscode.window.showErrorMessage(message, 'Show Output').then((c) => c && output.show());
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
