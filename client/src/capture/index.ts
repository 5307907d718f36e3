// The capture feature: "Capture Profile…" and one command per kind, "Set Credentials…", "Discover Local
// Services…", the Captures view and its row commands. Registered once from extension.ts, with the features
// saved captures are handed to (the Profile feature, the timeline); it returns the captures folder and the
// view to features that save files there too (profiling tests). The capture itself is the capture core
// (core/capture), which runs here in the extension host; this host never decodes what it saved.

import * as vscode from 'vscode';
import { CaptureCommands, CaptureKindCommands } from '../../../common/ids';
import { CaptureSettings } from '../../../common/settings';
import { CAPTURE_KINDS } from '../../../core/capture';
import type { GoTraceLensContext } from '../context';
import { readCaptureFolder } from './captureConfiguration';
import { CaptureController } from './captureController';
import type { CaptureFolder } from './captureFolder';
import { CaptureItemCommands } from './captureItemCommands';
import { CaptureMemory } from './captureMemory';
import { CapturesView } from './capturesView';
import { CredentialStore } from './credentialsUi';
import { HostApprovals } from './hostApprovals';
import type { CaptureDestinations } from './openCapture';
import { TraceProfileCommand } from './traceProfileCommand';

/** What the capture feature offers features that save files in the captures folder. */
export interface CapturesFolderApi {
  /** The captures folder as the settings say now. */
  folder(): CaptureFolder;
  /** Shows and selects a saved file in the Captures view. */
  reveal(path: string): Promise<void>;
}

export function registerCaptureFeature(context: GoTraceLensContext, destinations: CaptureDestinations): CapturesFolderApi {
  const { extension, output, config, client } = context;
  const view = new CapturesView(readCaptureFolder(extension, config).folder, output);
  const controller = new CaptureController({
    extension,
    output,
    config,
    view,
    credentials: new CredentialStore(extension.secrets),
    approvals: new HostApprovals(extension.globalState),
    memory: new CaptureMemory(extension.workspaceState),
    destinations,
  });
  const followFolder = (): void => {
    const { folder } = readCaptureFolder(extension, config);
    if (folder.folder !== view.captureFolder.folder) view.setFolder(folder);
  };

  extension.subscriptions.push(
    view,
    vscode.commands.registerCommand(CaptureCommands.captureProfile, (args: unknown) => controller.capture(args)),
    ...CAPTURE_KINDS.map((kind) => vscode.commands.registerCommand(CaptureKindCommands[kind.id], (args: unknown) => controller.capture(args, kind))),
    vscode.commands.registerCommand(CaptureCommands.setCredentials, (endpoint: unknown) => controller.setCredentials(endpoint)),
    vscode.commands.registerCommand(CaptureCommands.discoverServices, () => controller.discover()),
    ...new CaptureItemCommands(view, destinations, output).register(),
    vscode.commands.registerCommand(CaptureCommands.traceProfile, (args: unknown) =>
      new TraceProfileCommand({ client, output, view, destinations }).run(args, readCaptureFolder(extension, config).folder.folder),
    ),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (config.affects(event, CaptureSettings.folder)) followFolder();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(followFolder),
    vscode.workspace.onDidGrantWorkspaceTrust(followFolder),
  );
  return {
    folder: () => {
      followFolder();
      return view.captureFolder;
    },
    reveal: (path) => view.reveal(path),
  };
}
