// The language server's settings, parsed from the `goTraceLens` section it pulls (workspace/configuration)
// through the schema in common/settings.ts: the analyzer's (rule severities, the size limit, what the
// workspace index covers) and the profiles'. Invalid values are reported and replaced by defaults, never
// thrown; glob patterns are also checked against the index's matcher.

import { AnalysisSettings, ProfileSettings as ProfileSettingKeys, sectionReader, type Setting, type Warn } from '../../../common/settings';
import type { RuleId } from '../../../common/rules';
import type { RuleSetting } from '../../../core/analysis';
import type { ProfileSettings } from '../profiles/profileModel';
import { globMatcher } from '../workspace/globs';
import { DEFAULT_INDEX_SETTINGS, type IndexSettings } from '../workspace/workspaceIndex';

export interface ServerSettings {
  readonly ruleSettings: Partial<Record<RuleId, RuleSetting>>;
  /** Files larger than this (in UTF-16 code units ≈ bytes for Go source) are not analysed. */
  readonly maxFileSize: number;
  /** What the workspace index covers. */
  readonly index: IndexSettings;
}

export const DEFAULT_SETTINGS: ServerSettings = { ruleSettings: {}, maxFileSize: DEFAULT_INDEX_SETTINGS.maxFileSize, index: DEFAULT_INDEX_SETTINGS };

/** The patterns the index's matcher accepts; the others are reported and left out. */
function validGlobs(globs: readonly string[], setting: Setting<readonly string[]>, warn: Warn): readonly string[] {
  const valid: string[] = [];
  for (const glob of globs) {
    try {
      globMatcher(glob);
      valid.push(glob);
    } catch (error) {
      warn(`${setting.key}: ${(error as Error).message}; ignored.`);
    }
  }
  return valid;
}

/** The analyzer's settings from the raw `goTraceLens` section. */
export function parseSettings(raw: unknown, warn: Warn): ServerSettings {
  const read = sectionReader(raw, warn);
  const ruleSettings = read(AnalysisSettings.rules);
  const maxFileSize = read(AnalysisSettings.maxFileSizeKiB) * 1024;
  const index: IndexSettings = {
    include: validGlobs(read(AnalysisSettings.include), AnalysisSettings.include, warn),
    exclude: validGlobs(read(AnalysisSettings.exclude), AnalysisSettings.exclude, warn),
    includeVendor: read(AnalysisSettings.includeVendor),
    includeTestdata: read(AnalysisSettings.includeTestdata),
    maxFileSize,
  };
  return { ruleSettings, maxFileSize, index };
}

/** The profiles' settings from the raw `goTraceLens` section. */
export function parseProfileSettings(raw: unknown, warn: Warn): ProfileSettings {
  const read = sectionReader(raw, warn);
  const pathMappings = read(ProfileSettingKeys.pathMappings);
  const goroot = read(ProfileSettingKeys.goroot);
  return {
    pathMappings,
    goroot: goroot !== '' ? goroot : undefined,
    heatThreshold: read(ProfileSettingKeys.heatThreshold),
    pileupThreshold: read(ProfileSettingKeys.pileupThreshold),
    leakCpuShare: read(ProfileSettingKeys.leakCpuShareThreshold),
    maxDecompressedBytes: read(ProfileSettingKeys.maxSizeMiB) * 1024 * 1024,
  };
}
