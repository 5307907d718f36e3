// The analyzer core: one walk over a Go file's syntax tree, dispatching nodes to the rules that visit
// them, then applying settings (rules off, severities) and `//go-trace-lens:ignore` directives.
// Pure: source text and tree in, findings out. Used by the language server and the CLI.

import { RULES, type RuleId, type Severity } from '../../../common/rules';
import type { SyntaxNode, Tree } from './goParser';
import type { Finding } from './findings';
import { GoFile } from './goFile';
import type { NodeVisitor, Report, Rule, RuleContext } from './rule';
import { ALL_RULES } from './rules';
import { Suppressions, isGeneratedSource } from './suppression';

export type RuleSetting = Severity | 'off';

export interface AnalyzeOptions {
  /** Per-rule severity, or 'off'. Rules not named use their default severity. */
  readonly ruleSettings?: Partial<Record<RuleId, RuleSetting>>;
  /** When given, only these rules run. */
  readonly only?: readonly RuleId[];
  /** Rules to run instead of the built-in catalogue (tests). */
  readonly rules?: readonly Rule[];
}

interface Dispatch {
  readonly rule: Rule;
  readonly visitor: NodeVisitor;
}

function activeRules(options: AnalyzeOptions): Rule[] {
  return (options.rules ?? ALL_RULES).filter(
    (rule) => options.ruleSettings?.[rule.id] !== 'off' && (!options.only || options.only.includes(rule.id)),
  );
}

function dispatchTable(rules: readonly Rule[]): Map<string, Dispatch[]> {
  const table = new Map<string, Dispatch[]>();
  for (const rule of rules) {
    for (const [type, visitor] of Object.entries(rule.visitors)) {
      let list = table.get(type);
      if (!list) table.set(type, (list = []));
      list.push({ rule, visitor });
    }
  }
  return table;
}

/** Analyzes one Go file. Generated files (`// Code generated … DO NOT EDIT.`) give no findings. */
export function analyzeGoFile(source: string, tree: Tree, options: AnalyzeOptions = {}): Finding[] {
  if (isGeneratedSource(source)) return [];
  const rules = activeRules(options);
  if (rules.length === 0) return [];
  const table = dispatchTable(rules);
  const file = new GoFile(source, tree.rootNode);
  const suppressions = new Suppressions();
  const findings: Finding[] = [];
  const seen = new Set<string>();

  const contextFor = (rule: Rule): RuleContext => ({
    file,
    report(report: Report) {
      const key = `${rule.id}:${report.range.start.line}:${report.range.start.character}`;
      if (seen.has(key)) return;
      seen.add(key);
      findings.push({
        rule: rule.id,
        severity: (options.ruleSettings?.[rule.id] as Severity | undefined) ?? RULES[rule.id].defaultSeverity,
        range: report.range,
        message: report.message,
        fixes: report.fixes ?? [],
        related: report.related ?? [],
      });
    },
  });
  const contexts = new Map<Rule, RuleContext>(rules.map((rule) => [rule, contextFor(rule)]));

  const cursor = tree.walk();
  try {
    let descending = true;
    for (;;) {
      if (descending) {
        const type = cursor.nodeType;
        if (type === 'comment') {
          const node = cursor.currentNode;
          suppressions.addComment(node.startPosition.row, source.slice(node.startIndex, node.endIndex));
        } else {
          const handlers = table.get(type);
          if (handlers) {
            const node: SyntaxNode = cursor.currentNode;
            for (const { rule, visitor } of handlers) visitor(node, contexts.get(rule)!);
          }
        }
        if (cursor.gotoFirstChild()) continue;
      }
      if (cursor.gotoNextSibling()) {
        descending = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      descending = false;
    }
  } finally {
    cursor.delete();
  }

  return findings
    .filter((f) => !suppressions.isSuppressed(f.rule, f.range.start.line))
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
