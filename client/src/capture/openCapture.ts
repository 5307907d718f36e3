// Opening and comparing saved captures: each is handed directly, as `{path, kind}`, to the feature that
// opens it — the Profile feature (which tells the language server the kind, so nothing is guessed from the
// file name) or the timeline — both given to the capture feature when it registers (extension.ts). When
// one is missing the capture is revealed in the Captures view and the log says which (nothing is faked).

import * as vscode from 'vscode';
import type { ProfileFile } from '../../../common/profileProtocol';
import type { SavedKindId } from '../../../core/capture';
import type { ProfileOpener } from '../profiles';
import type { TraceOpener } from '../timeline';
import { planCompareCaptures, planOpenCapture, profileKindOf, type CaptureFeature, type CaptureFileType } from './afterCapture';

/** The features captures are handed to; one that did not register is absent. */
export interface CaptureDestinations {
  readonly profiles?: ProfileOpener;
  readonly timeline?: TraceOpener;
}

/** A saved capture: a profile or a trace, and its kind when known (the captures folder's file names say it). */
export interface SavedFile {
  readonly path: string;
  readonly type: CaptureFileType;
  readonly kind?: SavedKindId;
}

export interface CaptureRevealer {
  /** Shows the capture in the Captures view (selected). */
  reveal(path: string): Promise<void>;
  readonly log: vscode.LogOutputChannel;
}

/** The features there are to hand captures to. */
export function featuresOf(destinations: CaptureDestinations): ReadonlySet<CaptureFeature> {
  const features = new Set<CaptureFeature>();
  if (destinations.profiles) features.add('profiles');
  if (destinations.timeline) features.add('timeline');
  return features;
}

function profileFile(file: SavedFile): ProfileFile {
  const kind = file.kind && profileKindOf(file.kind);
  return kind ? { path: file.path, kind } : { path: file.path };
}

/** Hands a capture to the feature that opens it; false when that feature is missing. */
export async function handOver(file: SavedFile, destinations: CaptureDestinations): Promise<boolean> {
  if (file.type === 'trace') {
    if (!destinations.timeline) return false;
    await destinations.timeline.open(file.path);
    return true;
  }
  if (!destinations.profiles) return false;
  await destinations.profiles.open(profileFile(file));
  return true;
}

/** What to do with a capture that was not opened: reveal it, say why in the log (and to the user who asked). */
async function notOpened(path: string, explanation: string, revealer: CaptureRevealer, explicit: boolean): Promise<false> {
  revealer.log.warn(explanation);
  await revealer.reveal(path);
  if (explicit) void vscode.window.showWarningMessage(explanation, 'Show Output').then((choice) => choice && revealer.log.show(true));
  return false;
}

/** Opens a capture with its feature; falls back to revealing it. Returns whether it was opened. */
export async function openSavedCapture(file: SavedFile, destinations: CaptureDestinations, revealer: CaptureRevealer, options: { explicit: boolean }): Promise<boolean> {
  const plan = planOpenCapture(file.type, featuresOf(destinations));
  if (plan.action === 'reveal') return notOpened(file.path, plan.explanation, revealer, options.explicit);
  revealer.log.info(`Opening ${file.path} (${plan.feature === 'timeline' ? 'in the timeline' : 'as the active profile'}).`);
  return handOver(file, destinations);
}

/** Opens the diff of `file` against the earlier `base`. */
export async function compareSavedCaptures(file: SavedFile, base: SavedFile, destinations: CaptureDestinations, revealer: CaptureRevealer): Promise<boolean> {
  const plan = planCompareCaptures(featuresOf(destinations));
  if (plan.action === 'reveal') return notOpened(file.path, plan.explanation, revealer, true);
  revealer.log.info(`Comparing ${file.path} with ${base.path}.`);
  await destinations.profiles?.compare(profileFile(file), profileFile(base));
  return true;
}
