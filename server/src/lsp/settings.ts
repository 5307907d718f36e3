// The server's view of the `goTraceLens.*` settings it uses, read through workspace/configuration.

import { isRuleId, type RuleId } from '../../../common/rules';
import type { RuleSetting } from '../analysis/analyzer';

export interface ServerSettings {
  readonly ruleSettings: Partial<Record<RuleId, RuleSetting>>;
  /** Files larger than this (in UTF-16 code units ≈ bytes for Go source) are not analysed. */
  readonly maxFileSize: number;
}

export const DEFAULT_SETTINGS: ServerSettings = { ruleSettings: {}, maxFileSize: 2 * 1024 * 1024 };

const RULE_SETTINGS: ReadonlySet<string> = new Set(['off', 'error', 'warning', 'information', 'hint']);

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
  const analysis = section['analysis'] as Record<string, unknown> | undefined;
  const maxKiB = analysis?.['maxFileSizeKiB'];
  const maxFileSize = typeof maxKiB === 'number' && maxKiB > 0 ? maxKiB * 1024 : DEFAULT_SETTINGS.maxFileSize;
  return { ruleSettings, maxFileSize };
}
