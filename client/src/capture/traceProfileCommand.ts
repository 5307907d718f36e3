// "Show Trace Profile on the Code…": one of the four profiles `go tool trace -pprof=net|sync|syscall|sched`
// derives from an execution trace (network wait, sync block, syscall, scheduler latency), for the whole
// trace or the scope the timeline passes (a goroutine group, a region type, a task, a time range). The
// language server derives it and writes it into the captures folder, named like a capture of the trace's
// endpoint (`shop-trace-sched-….pb.gz`), so the Captures view lists it and "Compare with Previous Capture"
// diffs two of them; then it opens as any profile (lenses, heat, flame graph). From the timeline the trace
// and kind come as arguments; from the palette the active timeline's trace is used and the kind is asked.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TRACE_EDITOR_VIEW_TYPE } from '../../../common/ids';
import { DeriveTraceProfileRequest } from '../../../common/timelineProtocol';
import { DERIVED_KINDS, captureFileName, derivedKindOf, type DerivedKind } from '../../../core/capture';
import { formatValue } from '../../../core/profiles';
import { send, type MessageClient } from '../lspMessages';
import type { CapturesView } from './capturesView';
import { handOver, type CaptureDestinations } from './openCapture';
import { derivedEndpointName, parseTraceProfileArgs } from './traceProfileArgs';

export interface TraceProfileDeps {
  readonly client: MessageClient;
  readonly output: vscode.LogOutputChannel;
  readonly view: CapturesView;
  readonly destinations: CaptureDestinations;
}

/** The trace of the active timeline tab, if it shows a file. */
function activeTimelineTrace(): string | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom && input.viewType === TRACE_EDITOR_VIEW_TYPE && input.uri.scheme === 'file') return input.uri.fsPath;
  return undefined;
}

export class TraceProfileCommand {
  constructor(private readonly deps: TraceProfileDeps) {}

  async run(raw: unknown, folder: string): Promise<void> {
    const args = parseTraceProfileArgs(raw);
    const trace = args.trace ? (args.trace.startsWith('file:') ? vscode.Uri.parse(args.trace).fsPath : args.trace) : await this.pickTrace();
    if (!trace) return;
    const kind = args.type ? derivedKindOf(args.type) : await this.pickKind();
    if (!kind) return;
    const scopeText = args.scopeLabel ? ` (${args.scopeLabel})` : '';
    let out: string;
    try {
      out = this.outputPath(folder, trace, kind);
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`Go Trace Lens: the captures folder ${folder} cannot be made (${why}). Set goTraceLens.capture.folder to a folder you can write to.`);
      return;
    }
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Deriving the ${kind.label} profile of ${path.basename(trace)}${scopeText}…` },
      () => send(this.deps.client, DeriveTraceProfileRequest, { trace, type: kind.traceProfile, out, ...(args.scope ? { scope: args.scope } : {}) }),
    );
    if (!result.ok) {
      this.deps.output.error(`The ${kind.label} profile of ${trace} could not be made: ${result.message}`);
      void vscode.window.showErrorMessage(`Go Trace Lens: no ${kind.label} profile of ${path.basename(trace)}: ${result.message}`);
      return;
    }
    if (result.empty) {
      void vscode.window.showInformationMessage(`Go Trace Lens: the ${kind.label} profile of ${path.basename(trace)}${scopeText} is empty: ${result.empty}.`);
      return;
    }
    this.deps.output.info(`${path.basename(out)}: the ${kind.label} profile of ${trace}${scopeText}: ${result.stacks} stacks, ${result.contentions} waits, ${formatValue(result.delayNs, 'nanoseconds')} in all.`);
    await this.deps.view.reveal(out);
    if (!(await handOver({ path: out, type: 'pprof', kind: kind.id }, this.deps.destinations))) {
      this.deps.output.warn(`The Profile feature is not available, so ${out} was only saved.`);
    }
  }

  /** A new file in the captures folder, named like a capture of the trace's endpoint. */
  private outputPath(folder: string, trace: string, kind: DerivedKind): string {
    fs.mkdirSync(folder, { recursive: true });
    const endpointName = derivedEndpointName(trace);
    const time = new Date();
    for (let sequence = 1; ; sequence++) {
      const candidate = path.join(folder, captureFileName({ endpointName, kind: kind.id, time, sequence, extension: 'pb.gz' }));
      if (!fs.existsSync(candidate)) return candidate;
    }
  }

  private async pickTrace(): Promise<string | undefined> {
    const active = activeTimelineTrace();
    if (active) return active;
    const picked = await vscode.window.showOpenDialog({
      title: 'Derive a profile from which execution trace?',
      canSelectMany: false,
      openLabel: 'Use This Trace',
      filters: { 'Go execution traces': ['trace', 'out'], 'All files': ['*'] },
    });
    return picked?.[0]?.fsPath;
  }

  private async pickKind(): Promise<DerivedKind | undefined> {
    const picked = await vscode.window.showQuickPick(
      DERIVED_KINDS.map((kind) => ({ label: kind.label, description: `go tool trace -pprof=${kind.traceProfile}`, detail: kind.description, derived: kind })),
      { title: 'Which profile of the trace?', placeHolder: 'The profile opens on the code: lenses, heat, flame graph' },
    );
    return picked?.derived;
  }
}
