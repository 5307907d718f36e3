// The editor's side of profiling a test, a benchmark or a package: refuse in an untrusted workspace (go
// test builds and runs the workspace's code), find go, save the file whose lens was clicked (and say
// which other files of the package have unsaved changes go test will not see), run go test under a
// cancellable progress notification with its output streamed to "Go Trace Lens: Tests", then hand the
// saved file with its kind to the feature that opens it, exactly as a capture is handed over, and show it
// in the Captures view. A failure says plainly what happened, with "Show Output".

import * as path from 'node:path';
import * as vscode from 'vscode';
import { CaptureSettings, GoToolSettings } from '../../../common/settings';
import type { TestFunctionRef } from '../../../common/testingProtocol';
import { captureFileType, planAfterCapture } from '../capture/afterCapture';
import type { CapturesFolderApi } from '../capture';
import { featuresOf, handOver, type CaptureDestinations } from '../capture/openCapture';
import type { Config } from '../config';
import { describeTarget, formatCommandLine, type TestProfileKind, type TestTarget } from './goTestArgs';
import { hostGoLookup, locateGo } from './goLocation';
import { describeSaved, runGoTest, type GoTestRunResult } from './goTestRun';
import type { ProcessRunner } from './processRunner';
import { reportRun } from './runReport';
import { pickPackageFolder, pickPackageRun, pickProfileKind } from './testingPickers';

export interface GoTestControllerDeps {
  readonly extension: vscode.ExtensionContext;
  /** The extension's log. */
  readonly log: vscode.LogOutputChannel;
  /** "Go Trace Lens: Tests": go test's own output. */
  readonly testOutput: vscode.OutputChannel;
  readonly config: Config;
  readonly runner: ProcessRunner;
  readonly destinations: CaptureDestinations;
  /** The captures folder and view (absent when the capture feature did not register). */
  readonly captures?: CapturesFolderApi;
}

const PHASES = { building: 'building the test binary…', running: 'running…', checking: 'checking what go test wrote…' } as const;

function isTestFunctionRef(value: unknown): value is TestFunctionRef {
  const ref = value as Partial<TestFunctionRef> | undefined;
  return typeof ref?.uri === 'string' && typeof ref.name === 'string' && (ref.kind === 'test' || ref.kind === 'benchmark');
}

export class GoTestController {
  constructor(private readonly deps: GoTestControllerDeps) {}

  /** The lens's command: profile one test or benchmark. */
  async profileFunction(arg: unknown): Promise<void> {
    if (!isTestFunctionRef(arg)) {
      this.deps.log.error(`Profile test: expected a test or benchmark of a _test.go file, got ${JSON.stringify(arg)}.`);
      return;
    }
    if (!this.trusted()) return;
    const uri = vscode.Uri.parse(arg.uri);
    if (uri.scheme !== 'file') return void vscode.window.showWarningMessage(`${arg.name} is not in a file on disk; go test runs packages on disk.`);
    const profile = await pickProfileKind(`Profile ${arg.kind} ${arg.name}`, this.deps.extension.workspaceState);
    if (!profile) return;
    await this.run(path.dirname(uri.fsPath), { kind: arg.kind, name: arg.name }, profile, uri);
  }

  /** "Profile Package…": a folder (or a file in it) from a menu, else one picked; then tests or benchmarks, then the profile. */
  async profilePackage(arg: unknown): Promise<void> {
    if (!this.trusted()) return;
    let folder: string | undefined;
    if (arg instanceof vscode.Uri && arg.scheme === 'file') {
      const stat = await Promise.resolve(vscode.workspace.fs.stat(arg)).catch(() => undefined);
      if (!stat) return void vscode.window.showWarningMessage(`${arg.fsPath} is gone: choose a package folder that exists.`);
      folder = stat.type & vscode.FileType.Directory ? arg.fsPath : path.dirname(arg.fsPath);
    } else {
      folder = await pickPackageFolder();
    }
    if (!folder) return;
    const label = vscode.workspace.asRelativePath(folder, true);
    const target = await pickPackageRun(label);
    if (!target) return;
    const profile = await pickProfileKind(`Profile the ${target.run} of ${label}`, this.deps.extension.workspaceState);
    if (!profile) return;
    await this.run(folder, target, profile);
  }

  private trusted(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window
      .showWarningMessage('Profiling a test runs go test, which builds and runs this workspace\'s code: trust the workspace first.', 'Manage Workspace Trust')
      .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
    return false;
  }

  /** `lensDocument`: the file whose lens was clicked, saved first when it has unsaved changes. */
  private async run(packageDir: string, target: TestTarget, profile: TestProfileKind, lensDocument?: vscode.Uri): Promise<void> {
    const { log, testOutput, config } = this.deps;
    const located = await locateGo(hostGoLookup(config.get(GoToolSettings.goExecutable)));
    if ('problem' in located) {
      log.error(located.problem);
      const choice = await vscode.window.showErrorMessage(located.problem, 'Open Setting');
      if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', GoToolSettings.goExecutable.key);
      return;
    }
    if (!this.deps.captures) {
      const message = 'Profiling tests needs the capture feature (its captures folder and view), which did not start; see the Go Trace Lens log.';
      log.error(message);
      return void vscode.window.showErrorMessage(message);
    }
    const subject = describeTarget(target, path.basename(packageDir));
    const captureFolder = this.deps.captures.folder().folder;
    testOutput.show(true);
    testOutput.appendLine('');
    testOutput.appendLine(`[${new Date().toLocaleTimeString()}] Profiling ${subject} (${profile.noun}) in ${packageDir}`);
    await this.saveLensDocument(packageDir, lensDocument);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Profiling ${subject} (${profile.noun})`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const subscription = token.onCancellationRequested(() => abort.abort());
        try {
          return await runGoTest(
            {
              go: located.go,
              packageDir,
              target,
              profile,
              captureFolder,
              env: process.env,
              signal: abort.signal,
              onStart: (commandLine) => testOutput.appendLine(`$ ${formatCommandLine('cd', [packageDir])} && ${commandLine}`),
              onOutput: (text) => testOutput.append(text),
              onPhase: (phase) => progress.report({ message: PHASES[phase] }),
            },
            this.deps.runner,
          );
        } finally {
          subscription.dispose();
        }
      },
    );
    await this.afterRun(result, subject, profile);
  }

  /** Runs a command's work; an unexpected failure is logged with its stack and shown, never lost. */
  async guarded(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.deps.log.error(`${what} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      void vscode.window.showErrorMessage(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, 'Show Output').then((choice) => choice && this.deps.log.show(true));
    }
  }

  /**
   * go test builds what is on disk. The file whose lens was clicked is saved (its lens came from what the
   * editor shows); the package's other unsaved Go files are left alone, and the output says they are not
   * part of the run.
   */
  private async saveLensDocument(packageDir: string, lensDocument: vscode.Uri | undefined): Promise<void> {
    const unsaved = vscode.workspace.textDocuments.filter((doc) => doc.isDirty && doc.uri.scheme === 'file' && doc.fileName.endsWith('.go') && path.dirname(doc.fileName) === packageDir);
    const others: string[] = [];
    for (const doc of unsaved) {
      if (lensDocument && doc.uri.toString() === lensDocument.toString() && (await doc.save())) this.deps.testOutput.appendLine(`Saved ${path.basename(doc.fileName)} first.`);
      else others.push(path.basename(doc.fileName));
    }
    if (others.length > 0) this.deps.testOutput.appendLine(`Not saved, so go test builds them as they are on disk: ${others.join(', ')}.`);
  }

  private async afterRun(result: GoTestRunResult, subject: string, profile: TestProfileKind): Promise<void> {
    const { log, testOutput, config, destinations } = this.deps;
    const report = reportRun(result, subject, profile.noun);
    testOutput.appendLine(report.logLine);
    log.info(`Profiling ${subject}: ${report.logLine}`);
    if (report.status) vscode.window.setStatusBarMessage(report.status, 10000);
    if (report.popup) {
      const show = report.popup.severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
      void show(report.popup.message, 'Show Output').then((choice) => choice && testOutput.show(true));
    }
    if (result.status !== 'finished' || !result.saved) return;
    log.info(`Profiling ${subject}: ${describeSaved(result.saved)}.`);
    const file = { path: result.saved.path, type: captureFileType(profile.captureKind), kind: profile.captureKind };
    const after = planAfterCapture(file.type, featuresOf(destinations), config.get(CaptureSettings.openAfterCapture));
    if (after.action === 'open') {
      try {
        await handOver(file, destinations);
      } catch (error) {
        log.error(`Opening ${file.path} (${after.feature}) failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    } else if (after.explanation) {
      log.warn(after.explanation);
    }
    await this.deps.captures?.reveal(result.saved.path);
  }
}
