// The Captures view's rows: one per saved capture, newest first ("CPU profile", "shop · 15:45:01 ·
// 1.2 MB"), with the context value its menus match on (profile or trace, and whether an earlier capture
// of the same kind and endpoint exists to compare with). Also the pair "Compare with Previous Capture"
// diffs when run from the command palette. Pure: no vscode import.

import { compareNewestFirst, type SavedCapture } from '../../../core/capture/index.node';
import { findSavedKind, formatBytes } from '../../../core/capture';
import { captureFileType, type CaptureFileType } from './afterCapture';
import { kindSubject } from './kindChoices';

export interface CaptureViewRow {
  readonly capture: SavedCapture;
  readonly type: CaptureFileType;
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
  /** `capture.profile`, `capture.profile.comparable` or `capture.trace` (menus match on these). */
  readonly contextValue: string;
  /** The capture "Compare with Previous" diffs against. */
  readonly previous?: SavedCapture;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `15:45:01` for a time today, `2025-01-31 15:45` otherwise (local time). */
export function formatCaptureTime(time: Date, now: Date): string {
  const clock = `${two(time.getHours())}:${two(time.getMinutes())}`;
  const sameDay = time.getFullYear() === now.getFullYear() && time.getMonth() === now.getMonth() && time.getDate() === now.getDate();
  return sameDay ? `${clock}:${two(time.getSeconds())}` : `${time.getFullYear()}-${two(time.getMonth() + 1)}-${two(time.getDate())} ${clock}`;
}

/** For captures sorted newest first: each one's previous capture (same kind and endpoint), in one pass. */
function previousCaptures(sorted: readonly SavedCapture[]): (SavedCapture | undefined)[] {
  const previous: (SavedCapture | undefined)[] = new Array(sorted.length);
  const olderInGroup = new Map<string, SavedCapture>();
  for (let i = sorted.length - 1; i >= 0; i--) {
    const capture = sorted[i]!;
    const group = `${capture.kind}\u0000${capture.endpointName}`;
    const older = olderInGroup.get(group);
    previous[i] = older && compareNewestFirst(capture, older) < 0 ? older : undefined;
    olderInGroup.set(group, capture);
  }
  return previous;
}

/** The rows for `captures` (in any order), newest first. */
export function captureViewRows(captures: readonly SavedCapture[], now: Date): CaptureViewRow[] {
  const sorted = [...captures].sort(compareNewestFirst);
  const previousOf = previousCaptures(sorted);
  return sorted.map((capture, index) => {
    const kind = findSavedKind(capture.kind);
    const type = captureFileType(capture.kind);
    const previous = type === 'pprof' ? previousOf[index] : undefined;
    const subject = kind ? kindSubject(kind) : capture.kind;
    const when = formatCaptureTime(capture.time, now);
    const sequence = capture.sequence > 1 ? ` (#${capture.sequence})` : '';
    return {
      capture,
      type,
      label: subject,
      description: `${capture.endpointName} · ${when}${sequence} · ${formatBytes(capture.bytes)}`,
      tooltip: [
        `${subject} from ${capture.endpointName}`,
        `captured ${capture.time.toLocaleString()}`,
        `${formatBytes(capture.bytes)} · ${capture.fileName}`,
        previous ? `previous: ${previous.fileName}` : type === 'pprof' ? 'no earlier capture of this kind from this endpoint' : '',
      ]
        .filter((line) => line !== '')
        .join('\n'),
      contextValue: type === 'trace' ? 'capture.trace' : previous ? 'capture.profile.comparable' : 'capture.profile',
      ...(previous ? { previous } : {}),
    };
  });
}

/**
 * The pair "Compare with Previous Capture" opens from the palette: the newest profile that has an earlier
 * capture of the same kind and endpoint, and that earlier one.
 */
export function newestComparablePair(captures: readonly SavedCapture[]): { capture: SavedCapture; previous: SavedCapture } | undefined {
  const sorted = [...captures].sort(compareNewestFirst);
  const previousOf = previousCaptures(sorted);
  for (const [index, capture] of sorted.entries()) {
    const previous = previousOf[index];
    if (previous && captureFileType(capture.kind) === 'pprof') return { capture, previous };
  }
  return undefined;
}
