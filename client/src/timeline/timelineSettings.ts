// The goTraceLens.timeline.* settings: what the webview needs (tolerances, in nanoseconds), the largest
// file the host reads, and whether execution traces opened as text go to the timeline instead. Pure:
// the raw values in (as VS Code's configuration returns them), checked settings out.

import { Settings, TimelineSettings } from '../../../common/ids';
import type { TimelineViewSettings } from '../../../common/timelineProtocol';

export interface TimelineHostSettings {
  readonly view: TimelineViewSettings;
  readonly maxFileBytes: number;
  readonly openExecutionTracesInTimeline: boolean;
}

function numberSetting(raw: unknown, fallback: number, min: number): number {
  return typeof raw === 'number' && Number.isFinite(raw) && raw >= min ? raw : fallback;
}

/** Settings from their raw values (as the configuration returns them), defaults for anything invalid. */
export function timelineSettingsFrom(get: (key: string) => unknown): TimelineHostSettings {
  const key = (full: string) => full.slice(Settings.section.length + 1);
  return {
    view: {
      clockSkewToleranceNs: Math.round(numberSetting(get(key(TimelineSettings.clockSkewToleranceMs)), 1, 0) * 1e6),
      matchToleranceNs: Math.round(numberSetting(get(key(TimelineSettings.matchToleranceMs)), 2, 0) * 1e6),
    },
    maxFileBytes: numberSetting(get(key(TimelineSettings.maxFileSizeMiB)), 1024, 1) * 1024 * 1024,
    openExecutionTracesInTimeline: get(key(TimelineSettings.openExecutionTracesInTimeline)) !== false,
  };
}
