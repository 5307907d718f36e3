// "CPU profile of this span" (from a span in the timeline): the language server says which loaded
// profiles hold samples of the span and the spans below it (profiles whose samples carry span IDs, as
// Pyroscope's otel-profiling-go and examples/shop record them); the one with the most becomes the active
// profile under the label filter that keeps exactly those samples, so lenses, heat, the Profile view
// and the flame graph show the span's own work. When no profile has them, the message says why and
// what to do.

import * as vscode from 'vscode';
import { CaptureCommands, ProfileCommands } from '../../../common/ids';
import { SpanSamplesRequest, type SpanSamplesInProfile, type SpanSamplesResult } from '../../../common/profileProtocol';
import type { SpanProfileRequest } from '../../../common/timelineProtocol';
import { send } from '../lspMessages';
import type { ProfileController } from './profileController';
import { noSamplesMessage, shownMessage, spansText } from './spanProfileText';

async function choose(request: SpanProfileRequest, profiles: readonly SpanSamplesInProfile[]): Promise<SpanSamplesInProfile | undefined> {
  if (profiles.length === 1) return profiles[0];
  const picked = await vscode.window.showQuickPick(
    profiles.map((p) => ({ label: p.label, description: `${p.totalText} (${p.shareText}) ${p.sampleType} in ${p.samples} sample${p.samples === 1 ? '' : 's'}`, detail: p.path, hit: p })),
    { title: `Samples of ${spansText(request)}: which profile?` },
  );
  return picked?.hit;
}

export async function showSpanProfile(profiles: ProfileController, output: vscode.LogOutputChannel, request: SpanProfileRequest): Promise<void> {
  let result: SpanSamplesResult;
  try {
    result = await send(profiles.client, SpanSamplesRequest, { spanIds: request.spanIds });
  } catch (error) {
    const message = `Finding the samples of ${spansText(request)} failed: ${error instanceof Error ? error.message : String(error)}`;
    output.error(message);
    void vscode.window.showErrorMessage(message);
    return;
  }
  if (result.profiles.length === 0) {
    const { message, actions } = noSamplesMessage(request, result);
    output.info(message);
    const action = await vscode.window.showInformationMessage(message, ...actions);
    if (action === 'Capture Profile…') await vscode.commands.executeCommand(CaptureCommands.captureProfile);
    else if (action === 'Open Profile…') await vscode.commands.executeCommand(ProfileCommands.open);
    return;
  }
  const hit = await choose(request, result.profiles);
  if (!hit) return;
  if (!(await profiles.update({ activeId: hit.profileId, labelFilter: hit.filter }))) return;
  const message = shownMessage(request, hit);
  output.info(`${message} (filter ${hit.filter})`);
  const action = await vscode.window.showInformationMessage(message, 'Show Flame Graph', 'Clear Filter');
  if (action === 'Show Flame Graph') await vscode.commands.executeCommand(ProfileCommands.showFlameGraph);
  else if (action === 'Clear Filter') await profiles.update({ labelFilter: null });
}
