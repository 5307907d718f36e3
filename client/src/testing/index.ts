// The testing feature: profile a test, a benchmark or a whole package with the real `go test`, from the
// lens the language server puts above each test and benchmark (its testLenses feature) or from
// "Profile Package (go test)…" in the Explorer, the editor and the command palette. Running go test runs
// the workspace's code, so in an untrusted workspace the lenses are off (the server is told) and the
// commands refuse. Saved files go where captures go and open as captures do (the capture feature's
// folder and view, the Profile feature, the timeline).

import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import { TESTS_OUTPUT_CHANNEL_NAME, TestingCommands } from '../../../common/ids';
import { TestLensesRequest } from '../../../common/testingProtocol';
import type { CapturesFolderApi } from '../capture';
import type { CaptureDestinations } from '../capture/openCapture';
import type { GoTraceLensContext } from '../context';
import { send } from '../lspMessages';
import { GoTestController } from './goTestController';
import { nodeProcessRunner } from './processRunner';

export function registerTestingFeature(context: GoTraceLensContext, destinations: CaptureDestinations, captures: CapturesFolderApi | undefined): void {
  const { extension, output, config, client } = context;
  const testOutput = vscode.window.createOutputChannel(TESTS_OUTPUT_CHANNEL_NAME);
  const controller = new GoTestController({ extension, log: output, testOutput, config, runner: nodeProcessRunner, destinations, ...(captures ? { captures } : {}) });

  // The server shows no test lenses until told the workspace is trusted; it is told on every (re)start.
  const syncLenses = (): void => {
    if (client.state !== State.Running) return;
    send(client, TestLensesRequest, { enabled: vscode.workspace.isTrusted }).catch((error: unknown) => {
      output.warn(`Could not turn the test lenses ${vscode.workspace.isTrusted ? 'on' : 'off'}: ${error instanceof Error ? error.message : String(error)}`);
    });
  };
  syncLenses();

  extension.subscriptions.push(
    testOutput,
    client.onDidChangeState(({ newState }) => {
      if (newState === State.Running) syncLenses();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(syncLenses),
    vscode.commands.registerCommand(TestingCommands.profileFunction, (ref: unknown) => controller.guarded('Profiling a test', () => controller.profileFunction(ref))),
    vscode.commands.registerCommand(TestingCommands.profilePackage, (uri: unknown) => controller.guarded('Profiling a package', () => controller.profilePackage(uri))),
  );
}
