// Extension entry point: one output channel, the settings, the language client, and the feature areas,
// each of which registers its own commands, views and providers. The capture feature is given the two
// features it hands saved captures to, and the testing feature those and the captures folder; a feature
// that fails to register is logged and left out.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands, OUTPUT_CHANNEL_NAME } from '../../common/ids';
import { registerBackendsFeature } from './backends';
import { registerCaptureFeature } from './capture';
import { Config } from './config';
import type { GoTraceLensContext } from './context';
import { createLanguageClient } from './languageClient';
import { registerProfileFeature } from './profiles';
import { registerTestingFeature } from './testing';
import { registerTimelineFeature } from './timeline';

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

  const featureContext: GoTraceLensContext = { extension: context, output, config: new Config(output), client };
  const register = <T>(name: string, registration: () => T): T | undefined => {
    try {
      return registration();
    } catch (error) {
      output.error(`The ${name} feature failed to register: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return undefined;
    }
  };
  const profiles = register('profile', () => registerProfileFeature(featureContext));
  const timeline = register('timeline', () => registerTimelineFeature(featureContext));
  const captures = register('capture', () => registerCaptureFeature(featureContext, { profiles, timeline }));
  register('testing', () => registerTestingFeature(featureContext, { profiles, timeline }, captures));
  register('backends', () => registerBackendsFeature(featureContext, { profiles, timeline }, captures));

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
