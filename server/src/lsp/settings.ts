// The server's view of the `goTraceLens.*` settings it uses, read through workspace/configuration:
// goTraceLens.rules (rule id → off|error|warning|information|hint) and goTraceLens.analysis.* (the size
// limit, and what the workspace index covers).

import { isRuleId, type RuleId } from '../../../common/rules';
import type { RuleSetting } from '../../../core/analysis';
import { globMatcher } from '../workspace/globs';
import { DEFAULT_INDEX_SETTINGS, type IndexSettings } from '../workspace/workspaceIndex';

export interface ServerSettings {
  readonly ruleSettings: Partial<Record<RuleId, RuleSetting>>;
  /** Files larger than this (in UTF-16 code units ≈ bytes for Go source) are not analysed. */
  readonly maxFileSize: number;
  /** What the workspace index covers. */
  readonly index: IndexSettings;
}

export const DEFAULT_SETTINGS: ServerSettings = { ruleSettings: {}, maxFileSize: 2 * 1024 * 1024, index: DEFAULT_INDEX_SETTINGS };

const RULE_SETTINGS: ReadonlySet<string> = new Set(['off', 'error', 'warning', 'information', 'hint']);

function globList(value: unknown, key: string, fallback: readonly string[], warn: (message: string) => void): readonly string[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    warn(`goTraceLens.analysis.${key}: expected a list of glob patterns; using ${JSON.stringify(fallback)}.`);
    return fallback;
  }
  const valid: string[] = [];
  for (const glob of value as string[]) {
    try {
      globMatcher(glob);
      valid.push(glob);
    } catch (error) {
      warn(`goTraceLens.analysis.${key}: ${(error as Error).message}; ignored.`);
    }
  }
  return valid;
}

function bool(value: unknown, key: string, fallback: boolean, warn: (message: string) => void): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  warn(`goTraceLens.analysis.${key}: "${String(value)}" is not true or false; using ${fallback}.`);
  return fallback;
}

/** Validates the raw `goTraceLens` section; unknown rules and values are reported, not thrown. */
export function parseSettings(raw: unknown, warn: (message: string) => void): ServerSettings {
  const section = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const ruleSettings: Partial<Record<RuleId, RuleSetting>> = {};
  const rules = section['rules'];
  if (rules && typeof rules === 'object') {
    for (const [id, value] of Object.entries(rules as Record<string, unknown>)) {
      if (!isRuleId(id)) warn(`goTraceLens.rules: "${id}" is not a rule id; ignored.`);
      else if (typeof value !== 'string' || !RULE_SETTINGS.has(value)) warn(`goTraceLens.rules.${id}: "${String(value)}" is not one of off, error, warning, information, hint; ignored.`);
      else ruleSettings[id] = value as RuleSetting;
    }
  }
  const analysis = (section['analysis'] && typeof section['analysis'] === 'object' ? section['analysis'] : {}) as Record<string, unknown>;
  const maxKiB = analysis['maxFileSizeKiB'];
  const maxFileSize = typeof maxKiB === 'number' && maxKiB > 0 ? maxKiB * 1024 : DEFAULT_SETTINGS.maxFileSize;
  const index: IndexSettings = {
    include: globList(analysis['include'], 'include', DEFAULT_INDEX_SETTINGS.include, warn),
    exclude: globList(analysis['exclude'], 'exclude', DEFAULT_INDEX_SETTINGS.exclude, warn),
    includeVendor: bool(analysis['includeVendor'], 'includeVendor', DEFAULT_INDEX_SETTINGS.includeVendor, warn),
    includeTestdata: bool(analysis['includeTestdata'], 'includeTestdata', DEFAULT_INDEX_SETTINGS.includeTestdata, warn),
    maxFileSize,
  };
  return { ruleSettings, maxFileSize, index };
}
