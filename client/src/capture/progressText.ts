// The text and bar of the capture's progress notification. The notification's title names the capture
// ("CPU profile from shop") and VS Code shows "title: message", so the messages read
// "CPU profile from shop: 23 s left", then "…: receiving 1.2 MB", "…: checking 1.2 MB". The bar advances
// with the countdown (up to 90 %) and, when the size is known, with the bytes. Pure: no vscode import.

import type { CaptureProgress } from '../../../core/capture/index.node';
import { type CaptureKind, formatBytes } from '../../../core/capture';
import { kindSubject } from './kindChoices';

export interface ProgressStep {
  readonly message: string;
  /** Percent to add to the bar (VS Code's `increment`); absent when the bar does not move. */
  readonly increment?: number;
}

/** The title of the capture's notification: "CPU profile from shop". */
export function captureProgressTitle(kind: CaptureKind, endpointName: string): string {
  return `${kindSubject(kind)} from ${endpointName}`;
}

/** Share of the bar the countdown fills; the transfer fills the rest. */
const COUNTDOWN_SHARE = 90;

/** Turns the capture core's progress events into notification steps; one instance per capture attempt. */
export class CaptureProgressText {
  private shown = 0;

  constructor(private readonly kind: CaptureKind) {}

  /** The bar's position so far, in percent (never above 100). */
  get percent(): number {
    return this.shown;
  }

  next(progress: CaptureProgress): ProgressStep {
    switch (progress.phase) {
      case 'connecting':
        return { message: `connecting to ${hostOf(progress.url)}…` };
      case 'countdown': {
        const done = (progress.seconds - progress.secondsLeft) / progress.seconds;
        const received = progress.bytes > 0 ? ` · ${formatBytes(progress.bytes)} received` : '';
        return this.advanceTo(done * COUNTDOWN_SHARE, `${progress.secondsLeft} s left${received}`);
      }
      case 'receiving': {
        const start = this.kind.timed ? COUNTDOWN_SHARE : 0;
        if (progress.expectedBytes !== undefined && progress.expectedBytes > 0) {
          const fraction = Math.min(1, progress.bytes / progress.expectedBytes);
          return this.advanceTo(start + fraction * (100 - start), `receiving ${formatBytes(progress.bytes)} of ${formatBytes(progress.expectedBytes)}`);
        }
        return this.advanceTo(start, `receiving ${formatBytes(progress.bytes)}`);
      }
      case 'validating':
        return { message: `checking ${formatBytes(progress.bytes)}` };
    }
  }

  private advanceTo(target: number, message: string): ProgressStep {
    const goal = Math.min(100, Math.max(this.shown, target));
    const increment = goal - this.shown;
    this.shown = goal;
    return increment > 0 ? { message, increment } : { message };
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
