// The capture kinds as the UI shows them: the kind picker's entries, the subject of progress and result
// messages ("CPU profile", "Execution trace"), the titles of the per-kind commands, and reading the
// duration a user types for a timed kind ("30", "45s", "2m", "1m30s"). Pure: no vscode import.

import { CAPTURE_KINDS, MAX_CAPTURE_SECONDS, type CaptureKind } from '../../../core/capture';

export interface KindChoice {
  /** Not `kind`: that name belongs to QuickPickItem (separators). */
  readonly captureKind: CaptureKind;
  /** The picker's label, e.g. "CPU profile". */
  readonly label: string;
  /** e.g. "where CPU time goes, sampled over a duration · 30 s by default". */
  readonly description: string;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What a capture of this kind is called in a sentence's start: "CPU profile", "Delta heap profile", "Execution trace". */
export function kindSubject(kind: Pick<CaptureKind, 'label' | 'validator'>): string {
  return capitalize(kind.validator === 'trace' ? kind.label : `${kind.label} profile`);
}

/** The title of the kind's own command: "Capture CPU Profile…", "Capture Delta Heap Profile…". */
export function kindCommandTitle(kind: CaptureKind): string {
  const words = kindSubject(kind).split(' ').map((w) => (w === w.toUpperCase() ? w : capitalize(w)));
  return `Capture ${words.join(' ')}…`;
}

/** The kind picker's entries, in the order of the issue: snapshots and timed kinds as Go lists them. */
export function kindChoices(): KindChoice[] {
  return CAPTURE_KINDS.map((kind) => ({
    captureKind: kind,
    label: kindSubject(kind),
    description: kind.timed ? `${kind.description} · ${kind.defaultSeconds} s by default` : kind.description,
  }));
}

/** The duration offered for a timed kind: the one used last for it, else the kind's default. */
export function suggestedSeconds(kind: CaptureKind, lastUsed: unknown): number {
  if (typeof lastUsed === 'number' && Number.isInteger(lastUsed) && lastUsed >= 1 && lastUsed <= MAX_CAPTURE_SECONDS) return lastUsed;
  return kind.defaultSeconds ?? 30;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, sec: 1, secs: 1, second: 1, seconds: 1, m: 60, min: 60, mins: 60, minute: 60, minutes: 60, h: 3600, hr: 3600, hour: 3600, hours: 3600 };

/**
 * Reads a duration: a whole number of seconds, optionally with units and parts (`45s`, `2m`, `1m30s`,
 * `1 h`). Returns the seconds, or a sentence saying what to type.
 */
export function parseDurationInput(text: string): { seconds: number } | { error: string } {
  const trimmed = text.trim().toLowerCase();
  const example = 'Type a whole number of seconds, e.g. 30 (or 2m, 1m30s).';
  if (trimmed === '') return { error: `No duration. ${example}` };
  let seconds = 0;
  if (/^\d+$/.test(trimmed)) {
    seconds = Number(trimmed);
  } else {
    const part = /(\d+)\s*([a-z]+)\s*/gy;
    let consumed = 0;
    for (let match = part.exec(trimmed); match; match = part.exec(trimmed)) {
      const unit = UNIT_SECONDS[match[2]!];
      if (unit === undefined) return { error: `"${match[2]}" is not a unit of time. ${example}` };
      seconds += Number(match[1]) * unit;
      consumed = part.lastIndex;
    }
    if (consumed !== trimmed.length) return { error: `"${text.trim().slice(0, 40)}" is not a duration. ${example}` };
  }
  if (!Number.isSafeInteger(seconds) || seconds < 1) return { error: `A capture lasts at least 1 second. ${example}` };
  if (seconds > MAX_CAPTURE_SECONDS) return { error: `At most ${MAX_CAPTURE_SECONDS} seconds (a day); ${seconds} s is longer.` };
  return { seconds };
}
