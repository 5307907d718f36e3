// The capture commands' flow: kind → endpoint → duration (each skipped when a key binding's arguments
// give it), then one capture session under a cancellable progress notification, then what follows:
// a saved capture is handed with its kind to the feature that opens it (or revealed in the Captures
// view), a failure shows the core's
// message with buttons that help, a decline or cancel is only logged. Also "Set Credentials…" and
// "Discover Local Services…", which share the endpoint picker.

import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { CaptureSettings } from '../../../common/settings';
import type { CaptureResult } from '../../../core/capture/index.node';
import { type CaptureError, type CaptureKind, formatBytes, redactUrl } from '../../../core/capture';
import { captureFileType, planAfterCapture } from './afterCapture';
import { parseCaptureCommandArgs, type CaptureCommandArgs } from './captureCommandArgs';
import { readCaptureConfiguration, type CaptureConfiguration } from './captureConfiguration';
import type { Config } from '../config';
import type { CaptureMemory } from './captureMemory';
import { runCaptureSession, type CaptureSessionUi } from './captureSession';
import type { CapturesView } from './capturesView';
import { CredentialStore, promptForCredentials } from './credentialsUi';
import { discoverEndpoint } from './discoverUi';
import { pickEndpoint } from './endpointPicker';
import { findEndpoint, interpretTypedEndpoint, type EndpointChoice } from './endpointChoices';
import { CAPTURE_ERROR_ACTION_LABELS, captureErrorActions, type CaptureErrorAction } from './errorActions';
import type { HostApprovals } from './hostApprovals';
import { kindChoices, kindSubject, parseDurationInput, suggestedSeconds, type KindChoice } from './kindChoices';
import { featuresOf, handOver, type CaptureDestinations } from './openCapture';

/** One capture the user asked for, kept so that "Retry" and "Set Credentials…" can run it again. */
interface CapturePlan {
  readonly kind: CaptureKind;
  readonly endpoint: EndpointChoice;
  readonly seconds?: number;
}

export interface CaptureControllerDeps {
  readonly extension: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  readonly config: Config;
  readonly view: CapturesView;
  readonly credentials: CredentialStore;
  readonly approvals: HostApprovals;
  readonly memory: CaptureMemory;
  /** The features saved captures are handed to. */
  readonly destinations: CaptureDestinations;
}

export class CaptureController {
  /** Settings problems already logged this session (each is logged once). */
  private readonly loggedProblems = new Set<string>();

  constructor(private readonly deps: CaptureControllerDeps) {}

  private get output(): vscode.LogOutputChannel {
    return this.deps.output;
  }

  private configuration(): CaptureConfiguration {
    const config = readCaptureConfiguration(this.deps.extension, this.deps.config, this.deps.memory.recentEndpoint());
    for (const problem of config.endpoints.problems) {
      if (this.loggedProblems.has(problem.message)) continue;
      this.loggedProblems.add(problem.message);
      if (problem.severity === 'error') this.output.error(problem.message);
      else this.output.warn(problem.message);
    }
    for (const setting of config.ignoredUntrustedSettings) {
      const message = `${setting} is set in this workspace's settings, which are ignored until you trust the workspace.`;
      if (this.loggedProblems.has(message)) continue;
      this.loggedProblems.add(message);
      this.output.warn(message);
    }
    if (config.folder.folder !== this.deps.view.captureFolder.folder) this.deps.view.setFolder(config.folder);
    return config;
  }

  /** "Capture Profile…" and the per-kind commands. `fixedKind` is the kind of a per-kind command. */
  async capture(rawArgs: unknown, fixedKind?: CaptureKind, presetEndpoint?: EndpointChoice): Promise<void> {
    const parsed = parseCaptureCommandArgs(rawArgs, fixedKind);
    if ('error' in parsed) {
      // Only a key binding passes arguments: offer to fix it there.
      this.output.error(parsed.error);
      void vscode.window.showErrorMessage(parsed.error, 'Open Keyboard Shortcuts (JSON)').then((c) => c && vscode.commands.executeCommand('workbench.action.openGlobalKeybindingsFile'));
      return;
    }
    const args = parsed.args;
    const kind = args.kind ?? (await this.pickKind());
    if (!kind) return;
    const config = this.configuration();
    const endpoint = presetEndpoint ?? (await this.chooseEndpoint(config, args, `${kindSubject(kind)}: from which endpoint?`));
    if (!endpoint) return;
    let seconds: number | undefined;
    if (kind.timed) {
      seconds = args.seconds ?? (await this.askSeconds(kind, endpoint));
      if (seconds === undefined) return;
    } else if (args.seconds !== undefined) {
      this.output.warn(`A ${kind.label} profile is a snapshot; the "seconds" argument is ignored.`);
    }
    await this.run({ kind, endpoint, ...(seconds !== undefined ? { seconds } : {}) });
  }

  private pickKind(): Promise<CaptureKind | undefined> {
    return new Promise((resolve) => {
      const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & KindChoice>();
      quickPick.title = 'Capture Profile';
      quickPick.placeholder = 'What to capture from the running service';
      quickPick.matchOnDescription = true;
      const items = kindChoices().map((choice) => ({ ...choice }));
      quickPick.items = items;
      const last = this.deps.memory.lastKind();
      const active = items.find((item) => item.captureKind.id === last?.id);
      if (active) quickPick.activeItems = [active];
      let chosen: CaptureKind | undefined;
      quickPick.onDidAccept(() => {
        chosen = quickPick.activeItems[0]?.captureKind;
        quickPick.hide();
      });
      quickPick.onDidHide(() => {
        quickPick.dispose();
        resolve(chosen);
      });
      quickPick.show();
    });
  }

  private async chooseEndpoint(config: CaptureConfiguration, args: CaptureCommandArgs, title: string): Promise<EndpointChoice | undefined> {
    if (args.endpoint !== undefined) {
      const found = findEndpoint(config.endpoints.choices, args.endpoint);
      if (found) return found;
      const typed = interpretTypedEndpoint(args.endpoint.includes('://') ? args.endpoint : `http://${args.endpoint}`);
      if (typed && 'choice' in typed && /[:/]/.test(args.endpoint)) return typed.choice;
      const names = config.endpoints.choices.map((c) => c.name).join(', ');
      const message = `No endpoint is named "${redactUrl(args.endpoint)}" (endpoints: ${names}). Give a configured endpoint's name or a URL such as http://localhost:6060/debug/pprof.`;
      this.output.error(message);
      void vscode.window.showErrorMessage(message, 'Edit Endpoints').then((c) => c && vscode.commands.executeCommand('workbench.action.openSettings', CaptureSettings.endpoints.key));
      return undefined;
    }
    const recent = this.deps.memory.recentEndpoint();
    return pickEndpoint({
      title,
      list: config.endpoints,
      ...(recent ? { lastUsedKey: recent.key } : {}),
      discover: () => discoverEndpoint(this.deps.config, this.output),
    });
  }

  private async askSeconds(kind: CaptureKind, endpoint: EndpointChoice): Promise<number | undefined> {
    const text = await vscode.window.showInputBox({
      title: `${kindSubject(kind)} from ${endpoint.name}: how long?`,
      prompt: 'Duration in seconds (or e.g. 2m, 1m30s). The service records for this long, then sends the result.',
      value: String(suggestedSeconds(kind, this.deps.memory.lastSeconds(kind.id))),
      ignoreFocusOut: true,
      validateInput: (value) => {
        const parsed = parseDurationInput(value);
        return 'error' in parsed ? parsed.error : undefined;
      },
    });
    if (text === undefined) return undefined;
    const parsed = parseDurationInput(text);
    return 'seconds' in parsed ? parsed.seconds : undefined;
  }

  private sessionUi(): CaptureSessionUi {
    return {
      confirmHost: async (question) => {
        const choice = await vscode.window.showWarningMessage(
          `Capture from ${question.host}?`,
          {
            modal: true,
            detail: `This is the first capture from ${question.host}, which is not this machine. Go Trace Lens will request ${question.displayUrl} (with the credentials set for "${question.endpointName}", if any) and save the answer in ${question.destination}. You are asked once per host.`,
          },
          'Capture',
        );
        return choice === 'Capture';
      },
      confirmRedirect: async (question) => {
        const choice = await vscode.window.showWarningMessage(
          `${question.from} redirects to ${question.to}, on another host. Follow the redirect?`,
          { modal: true, detail: `Credentials are not sent to ${question.origin}. Follow it only if you trust that host; it is allowed for this capture only.` },
          'Follow Redirect',
        );
        return choice === 'Follow Redirect';
      },
      withProgress: (title, task) =>
        Promise.resolve(
          vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
            const controller = new AbortController();
            const subscription = token.onCancellationRequested(() => controller.abort());
            try {
              return await task((step) => progress.report(step), controller.signal);
            } finally {
              subscription.dispose();
            }
          }),
        ),
      log: (line) => this.output.info(line),
    };
  }

  /** Runs one capture and deals with its outcome. */
  async run(plan: CapturePlan): Promise<void> {
    const config = this.configuration();
    let ca: Buffer | undefined;
    if (config.caFile !== undefined) {
      try {
        ca = await fs.readFile(config.caFile);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        const message = `Cannot read the CA certificate file ${config.caFile} (${code}) set in ${CaptureSettings.caFile.key}. Choose a PEM file, or clear the setting.`;
        this.output.error(message);
        const choice = await vscode.window.showErrorMessage(message, CAPTURE_ERROR_ACTION_LABELS['set-ca-file']);
        if (choice && (await this.chooseCaFile())) await this.run(plan);
        return;
      }
    }
    const credentials = await this.deps.credentials.get(plan.endpoint.key);
    let outcome;
    try {
      outcome = await runCaptureSession(
        {
          endpoint: plan.endpoint,
          kind: plan.kind,
          ...(plan.seconds !== undefined ? { seconds: plan.seconds } : {}),
          destination: config.folder.folder,
          ...(credentials ? { credentials } : {}),
          maxBytes: config.maxBytes,
          timeoutMs: config.timeoutMs,
          ...(ca ? { ca } : {}),
        },
        this.sessionUi(),
        this.deps.approvals,
      );
    } catch (error) {
      const message = `The capture failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`;
      this.output.error(error instanceof Error && error.stack ? error.stack : message);
      void vscode.window.showErrorMessage(message, 'Show Output').then((c) => c && this.output.show(true));
      return;
    }
    switch (outcome.status) {
      case 'saved':
        await this.afterSaved(plan, outcome.result, config);
        return;
      case 'cancelled':
        vscode.window.setStatusBarMessage('$(circle-slash) Capture cancelled; nothing was saved.', 5000);
        return;
      case 'declined':
        return;
      case 'failed':
        await this.afterFailure(plan, outcome.error);
        return;
    }
  }

  private async afterSaved(plan: CapturePlan, result: CaptureResult, config: CaptureConfiguration): Promise<void> {
    await this.deps.memory.remember(plan.endpoint, plan.kind, plan.seconds);
    vscode.window.setStatusBarMessage(`$(check) Saved ${kindSubject(plan.kind)} from ${plan.endpoint.name} (${formatBytes(result.bytes)}): ${result.fileName}`, 10000);
    if (result.notice) void vscode.window.showWarningMessage(result.notice);
    const file = { path: result.path, type: captureFileType(plan.kind.id), kind: plan.kind.id };
    const after = planAfterCapture(file.type, featuresOf(this.deps.destinations), config.openAfterCapture);
    if (after.action === 'open') {
      try {
        await handOver(file, this.deps.destinations);
        await this.deps.view.refresh();
        return;
      } catch (error) {
        this.output.error(`Opening ${result.path} (${after.feature}) failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    } else if (after.explanation) {
      this.output.warn(after.explanation);
    }
    await this.deps.view.reveal(result.path);
  }

  private async afterFailure(plan: CapturePlan, error: CaptureError): Promise<void> {
    const actions = captureErrorActions(error.code, { endpointFromSettings: plan.endpoint.source === 'user' || plan.endpoint.source === 'workspace', loopback: plan.endpoint.loopback });
    const labels = actions.map((a) => CAPTURE_ERROR_ACTION_LABELS[a]);
    const choice = await vscode.window.showErrorMessage(error.message, ...labels);
    const action = actions.find((a) => CAPTURE_ERROR_ACTION_LABELS[a] === choice);
    if (action) await this.runErrorAction(action, plan);
  }

  private async runErrorAction(action: CaptureErrorAction, plan: CapturePlan): Promise<void> {
    switch (action) {
      case 'set-credentials':
        if (await promptForCredentials(this.deps.credentials, plan.endpoint, this.output)) await this.run(plan);
        return;
      case 'retry':
        await this.run(plan);
        return;
      case 'discover': {
        const endpoint = await discoverEndpoint(this.deps.config, this.output);
        if (endpoint) await this.run({ ...plan, endpoint });
        return;
      }
      case 'edit-endpoints':
        await vscode.commands.executeCommand('workbench.action.openSettings', CaptureSettings.endpoints.key);
        return;
      case 'set-ca-file':
        if (await this.chooseCaFile()) await this.run(plan);
        return;
      case 'raise-size-cap':
        await vscode.commands.executeCommand('workbench.action.openSettings', CaptureSettings.maxSizeMb.key);
        return;
      case 'raise-timeout':
        await vscode.commands.executeCommand('workbench.action.openSettings', CaptureSettings.timeoutSeconds.key);
        return;
      case 'choose-folder':
        await vscode.commands.executeCommand('workbench.action.openSettings', CaptureSettings.folder.key);
        return;
      case 'show-output':
        this.output.show(true);
        return;
    }
  }

  /** Lets the user pick a PEM file and saves it as the user setting; true when one was chosen. */
  private async chooseCaFile(): Promise<boolean> {
    const picked = await vscode.window.showOpenDialog({
      title: 'CA certificate (PEM) to trust for https endpoints',
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: false,
      filters: { 'PEM certificates': ['pem', 'crt', 'cer'], 'All files': ['*'] },
    });
    const file = picked?.[0];
    if (!file) return false;
    await this.deps.config.update(CaptureSettings.caFile, file.fsPath, vscode.ConfigurationTarget.Global);
    this.output.info(`${CaptureSettings.caFile.key} is now ${file.fsPath} (user settings).`);
    return true;
  }

  /** "Set Credentials…": for an endpoint named in `rawArg` (name or URL), else one picked. */
  async setCredentials(rawArg: unknown): Promise<void> {
    const config = this.configuration();
    const named = typeof rawArg === 'string' ? rawArg : undefined;
    const endpoint = await this.chooseEndpoint(config, named !== undefined ? { endpoint: named } : {}, 'Set Credentials: for which endpoint?');
    if (!endpoint) return;
    await promptForCredentials(this.deps.credentials, endpoint, this.output);
  }

  /** "Discover Local Services…": choose a service found, then capture from it. */
  async discover(): Promise<void> {
    const endpoint = await discoverEndpoint(this.deps.config, this.output, 'Discovered pprof services: capture from which?');
    if (endpoint) await this.capture(undefined, undefined, endpoint);
  }
}
