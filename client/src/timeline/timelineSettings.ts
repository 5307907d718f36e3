// The goTraceLens.timeline.* settings: what the webview needs (tolerances, in nanoseconds), the largest
// file the host reads, and whether execution traces opened as text go to the timeline instead. Pure:
// read through the schema (common/settings.ts) by whichever reader is given, converted here.

import { TimelineSettings, type SettingReader } from '../../../common/settings';
import type { TimelineViewSettings } from '../../../common/timelineProtocol';

export interface TimelineHostSettings {
  readonly view: TimelineViewSettings;
  readonly maxFileBytes: number;
  readonly openExecutionTracesInTimeline: boolean;
}

/** The settings in the units their users need (the schema's defaults for anything invalid). */
export function timelineSettingsFrom(read: SettingReader): TimelineHostSettings {
  return {
    view: {
      clockSkewToleranceNs: Math.round(read(TimelineSettings.clockSkewToleranceMs) * 1e6),
      matchToleranceNs: Math.round(read(TimelineSettings.matchToleranceMs) * 1e6),
    },
    maxFileBytes: read(TimelineSettings.maxFileSizeMiB) * 1024 * 1024,
    openExecutionTracesInTimeline: read(TimelineSettings.openExecutionTracesInTimeline),
  };
}
