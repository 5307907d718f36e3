// The context-chain rule catalogue: ids (part of the public interface: diagnostics' `code`, suppression
// comments, CLI `--rule`, settings), titles, default severities and the documentation file of each rule.

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RuleInfo {
  readonly id: RuleId;
  /** One line: what the rule finds. */
  readonly title: string;
  readonly defaultSeverity: Severity;
}

export const RULE_IDS = ['goroutine-background'] as const;

export type RuleId = (typeof RULE_IDS)[number];

export const RULES: Readonly<Record<RuleId, RuleInfo>> = {
  'goroutine-background': {
    id: 'goroutine-background',
    title: 'A goroutine starts from a root context while the request context is in scope',
    defaultSeverity: 'warning',
  },
};

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

/** Path of a rule's documentation, relative to the extension's (or repository's) root folder. */
export function ruleDocPath(id: RuleId): string {
  return `docs/rules/${id}.md`;
}
