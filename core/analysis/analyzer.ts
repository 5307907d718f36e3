// The analyzer core: one walk over each top-level declaration of a Go file, tracking scopes and bindings
// (scope.ts) and dispatching nodes to the rules that visit them, then applying settings (rules off,
// severities) and `//go-trace-lens:ignore` directives. The walk visits only the node types a rule or the
// scope tracker needs: tree-sitter collects them in document order on the wasm side (descendantsOfType), and
// entering and leaving nodes is rebuilt from their extents, so the many nodes nobody looks at (identifiers,
// literals, punctuation) never cross into JavaScript. With a DeclarationCache, declarations whose text did not
// change since the last run are not walked again.
// Pure: source text and tree in, findings out. Used by the language server and the CLI.

import { RULES, type RuleId, type Severity } from '../../common/rules';
import type { SyntaxNode, Tree } from './syntaxTree';
import { renderLineRefs, type CallSite, type Finding } from './findings';
import type { GoFile } from './goFile';
import { readGoFile } from './fileFacts';
import type { NodeVisitor, Report, Rule, RuleContext, RuleSetting } from './rule';
import { ALL_RULES } from './rules';
import { Suppressions, isGeneratedSource, parseIgnoreDirective } from './suppression';
import { ScopeTracker } from './scope';
import { planDeclaration, type DeclarationPlan } from './declarations';
import { DeclarationCache, type DeclarationResult } from './declarationCache';
import { resolveCallChainBreaks, type CallGraphView } from './rules/callChainBreak';
import { withoutIgnoredContextUses } from './rules/spanContextDiscarded';
import { resolveProgramFindings } from './rules/propagation';
import { singleFileIndex } from './workspace/callGraph';
import { startOf } from './syntax';

export interface AnalyzeOptions {
  /** Per-rule severity, or 'off'. Rules not named use their default severity. */
  readonly ruleSettings?: Partial<Record<RuleId, RuleSetting>>;
  /** When given, only these rules run. */
  readonly only?: readonly RuleId[];
  /** Rules to run instead of the built-in catalogue (tests). */
  readonly rules?: readonly Rule[];
  /** Results of unchanged declarations from the previous run of the same document. */
  readonly cache?: DeclarationCache;
  /** The workspace index for call-chain-break; without one, the file is its own workspace. */
  readonly index?: CallGraphView;
  /** Absolute path of the file, for resolving calls against the index. */
  readonly filePath?: string;
}

/** Findings of the rules that need only this file, and the calls call-chain-break checks against an index. */
export interface FileAnalysis {
  readonly findings: Finding[];
  readonly callSites: CallSite[];
}

const FUNCTION = 1;
const BLOCK = 2;
const SCOPE = 4;
const DECLARATION = 8;
const VISITED = 32;
const EXITED = 64;

const IGNORE_DIRECTIVE_IN_TEXT = /\/\/\s*go-trace-lens:ignore\s/g;

const SCOPE_TYPES: ReadonlySet<string> = new Set([
  'if_statement', 'for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement',
  'expression_case', 'default_case', 'type_case', 'communication_case',
]);
const DECLARATION_TYPES: ReadonlySet<string> = new Set([
  'short_var_declaration', 'assignment_statement', 'var_spec', 'range_clause', 'receive_statement',
]);
const FUNCTION_NODE_TYPES: ReadonlySet<string> = new Set(['function_declaration', 'method_declaration', 'func_literal']);
const SKIPPED_TOP_LEVEL: ReadonlySet<string> = new Set(['package_clause', 'import_declaration', 'comment']);

interface Dispatch {
  readonly rule: Rule;
  readonly visitor: NodeVisitor;
}

interface DispatchTable {
  readonly flags: Map<string, number>;
  readonly visitors: Map<string, Dispatch[]>;
  readonly exits: Map<string, Dispatch[]>;
  /** Every node type the walk must see. */
  readonly types: string[];
}

interface PendingExit {
  readonly endIndex: number;
  readonly type: string;
  readonly node: SyntaxNode;
  readonly closesFunction: boolean;
  readonly closesScope: boolean;
  readonly plan: DeclarationPlan | undefined;
  readonly typeSwitch: boolean;
}

function activeRules(options: AnalyzeOptions): Rule[] {
  return (options.rules ?? ALL_RULES).filter(
    (rule) => options.ruleSettings?.[rule.id] !== 'off' && (!options.only || options.only.includes(rule.id)),
  );
}

function dispatchTable(rules: readonly Rule[]): DispatchTable {
  const byType = (pick: (rule: Rule) => Readonly<Record<string, NodeVisitor>> | undefined) => {
    const table = new Map<string, Dispatch[]>();
    for (const rule of rules) {
      for (const [type, visitor] of Object.entries(pick(rule) ?? {})) {
        let list = table.get(type);
        if (!list) table.set(type, (list = []));
        list.push({ rule, visitor });
      }
    }
    return table;
  };
  const visitors = byType((r) => r.visitors);
  const exits = byType((r) => r.exits);
  const types = new Set([...FUNCTION_NODE_TYPES, 'block', ...SCOPE_TYPES, ...DECLARATION_TYPES, ...visitors.keys(), ...exits.keys()]);
  const flags = new Map<string, number>();
  for (const type of types) {
    let f = 0;
    if (FUNCTION_NODE_TYPES.has(type)) f |= FUNCTION;
    else if (type === 'block') f |= BLOCK;
    else if (SCOPE_TYPES.has(type)) f |= SCOPE;
    else if (DECLARATION_TYPES.has(type)) f |= DECLARATION;
    if (visitors.has(type)) f |= VISITED;
    if (exits.has(type)) f |= EXITED;
    flags.set(type, f);
  }
  return { flags, visitors, exits, types: [...types] };
}

/** Ignore directives written inside a declaration (found in its text: comments are not walked). */
function directivesIn(file: GoFile, decl: SyntaxNode): { line: number; rules: string[] }[] {
  const text = file.text(decl);
  const out: { line: number; rules: string[] }[] = [];
  IGNORE_DIRECTIVE_IN_TEXT.lastIndex = 0;
  let line = decl.startPosition.row;
  let counted = 0;
  for (let m = IGNORE_DIRECTIVE_IN_TEXT.exec(text); m; m = IGNORE_DIRECTIVE_IN_TEXT.exec(text)) {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) {
      line++;
      counted = i + 1;
    }
    const end = text.indexOf('\n', m.index);
    const rules = parseIgnoreDirective(text.slice(m.index, end === -1 ? undefined : end));
    if (rules) out.push({ line, rules });
  }
  return out;
}

/** Identifies what per-declaration results depend on besides the declaration's own text. */
function cacheKey(file: GoFile, options: AnalyzeOptions, rules: readonly Rule[]): string {
  // Fixes that add an import edit the import block: where it ends (offset and line) is part of the key.
  const importsEnd = file.topLevel.filter((n) => n.type === 'import_declaration' || n.type === 'package_clause')
    .map((n) => `${n.endIndex}@${n.endPosition.row}:${n.endPosition.column}`);
  return [
    file.fingerprint(), importsEnd.join(','), rules.map((r) => r.id).join(','), JSON.stringify(options.ruleSettings ?? {}),
  ].join('\u0000');
}

/** Walks one top-level declaration and returns what the rules found in it. */
function analyzeDeclaration(
  file: GoFile, decl: SyntaxNode, table: DispatchTable, rules: readonly Rule[], options: AnalyzeOptions,
): DeclarationResult {
  const tracker = new ScopeTracker(file);
  const findings: Finding[] = [];
  const callSites: CallSite[] = [];
  const suppressions: { line: number; rules: string[] }[] = [];
  const seen = new Set<string>();
  const contexts = new Map<Rule, RuleContext>();
  for (const rule of rules) {
    contexts.set(rule, {
      file,
      scope: tracker,
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
          ...(report.contextUses ? { contextUses: report.contextUses } : {}),
          ...(report.program ? { program: report.program } : {}),
        });
      },
      reportCallSite(site: CallSite) {
        callSites.push(site);
      },
    });
  }
  const run = (list: Dispatch[] | undefined, node: SyntaxNode) => {
    if (list) for (const { rule, visitor } of list) visitor(node, contexts.get(rule)!);
  };
  const typeSwitchAliases: { start: number; names: SyntaxNode[] }[] = [];
  const pending: PendingExit[] = [];

  const leave = (exit: PendingExit) => {
    if (exit.plan) {
      exit.plan.apply(tracker);
      run(table.exits.get(exit.type), exit.node);
      return;
    }
    run(table.exits.get(exit.type), exit.node);
    if (exit.typeSwitch) typeSwitchAliases.pop();
    if (exit.closesFunction) tracker.exitFunction();
    else if (exit.closesScope) tracker.exitScope();
  };

  const enter = (node: SyntaxNode, type: string, f: number) => {
    let closesFunction = false;
    let closesScope = false;
    let plan: DeclarationPlan | undefined;
    let typeSwitch = false;
    if (f & FUNCTION) {
      tracker.enterFunction(node);
      closesFunction = true;
    } else if (f & BLOCK) {
      closesScope = tracker.enterBlock(node);
    } else if (f & SCOPE) {
      tracker.enterScope(node);
      closesScope = true;
      if (type === 'type_switch_statement') {
        const alias = node.childForFieldName('alias');
        typeSwitchAliases.push({ start: node.startIndex, names: alias ? alias.namedChildren.filter((c): c is SyntaxNode => !!c) : [] });
        typeSwitch = true;
      } else if ((type === 'type_case' || type === 'default_case') && typeSwitchAliases.length > 0) {
        const top = typeSwitchAliases[typeSwitchAliases.length - 1]!;
        if (node.parent?.startIndex === top.start) {
          for (const name of top.names) tracker.declare(name, { kind: 'other' }, node.startIndex);
        }
      }
    } else if (f & DECLARATION) {
      plan = planDeclaration(file, node, tracker);
    }
    if (f & VISITED) run(table.visitors.get(type), node);
    if (closesFunction || closesScope || plan || typeSwitch || f & EXITED) {
      pending.push({ endIndex: node.endIndex, type, node, closesFunction, closesScope, plan, typeSwitch });
    }
  };

  // The declaration itself, then every node of interest inside it, in document order (parents first).
  const nodes = table.flags.has(decl.type) ? [decl] : [];
  for (const node of decl.descendantsOfType(table.types)) if (node) nodes.push(node);
  for (const node of nodes) {
    const start = node.startIndex;
    while (pending.length > 0 && pending[pending.length - 1]!.endIndex <= start) leave(pending.pop()!);
    const type = node.type;
    enter(node, type, table.flags.get(type)!);
  }
  while (pending.length > 0) leave(pending.pop()!);
  suppressions.push(...directivesIn(file, decl));
  return { findings, callSites, suppressions };
}

/** Analyzes one Go file: findings of the single-file rules, and the call sites call-chain-break resolves. */
export function analyzeGoFileDetailed(source: string, tree: Tree, options: AnalyzeOptions = {}): FileAnalysis {
  if (isGeneratedSource(source)) return { findings: [], callSites: [] };
  const rules = activeRules(options);
  if (rules.length === 0) return { findings: [], callSites: [] };
  const callChainActive = rules.some((r) => r.id === 'call-chain-break');
  const table = dispatchTable(rules);
  const file = readGoFile(source, tree.rootNode, /_test\.go$/.test(options.filePath ?? ''));
  const cache = options.cache;
  cache?.beginRun(cacheKey(file, options, rules));
  const suppressions = new Suppressions();
  const findings: Finding[] = [];
  const callSites: CallSite[] = [];
  for (const decl of file.topLevel) {
    if (SKIPPED_TOP_LEVEL.has(decl.type)) {
      if (decl.type === 'comment') suppressions.addComment(decl.startPosition.row, file.text(decl));
      continue;
    }
    let result: DeclarationResult | undefined;
    // A declaration with a syntax error is never cached: error recovery parses the same text differently
    // depending on what surrounds it (`context.Background()` read as a conversion with a missing operand).
    if (cache && !decl.hasError) {
      const text = file.text(decl);
      const start = startOf(decl);
      result = cache.lookup(decl.type, text, start);
      if (!result) {
        result = analyzeDeclaration(file, decl, table, rules, options);
        cache.store(decl.type, text, start, result);
      }
    } else {
      result = analyzeDeclaration(file, decl, table, rules, options);
    }
    findings.push(...result.findings);
    callSites.push(...result.callSites);
    for (const s of result.suppressions) suppressions.add(s.line, s.rules);
  }
  cache?.endRun();
  const byPosition = (a: { range: { start: { line: number; character: number } } }, b: typeof a) =>
    a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  return {
    findings: findings.filter((f) => !suppressions.isSuppressed(f.rule, f.range.start.line)).sort(byPosition).map(rendered),
    callSites: callChainActive ? callSites.filter((c) => !suppressions.isSuppressed('call-chain-break', c.range.start.line)) : [],
  };
}

/** A finding with its message's line references written out. */
function rendered(f: Finding): Finding {
  if (!f.message.includes('\u0001') && !f.related.some((r) => r.message.includes('\u0001')) && !f.fixes.some((x) => x.title.includes('\u0001'))) return f;
  return {
    ...f,
    message: renderLineRefs(f.message),
    fixes: f.fixes.map((x) => ({ ...x, title: renderLineRefs(x.title) })),
    related: f.related.map((r) => ({ ...r, message: renderLineRefs(r.message) })),
  };
}

/**
 * Analyzes one Go file, including call-chain-break against `options.index` (or, without an index, against
 * the file's own functions). Generated files (`// Code generated … DO NOT EDIT.`) give no findings.
 */
export function analyzeGoFile(source: string, tree: Tree, options: AnalyzeOptions = {}): Finding[] {
  const { findings, callSites } = analyzeGoFileDetailed(source, tree, options);
  if (callSites.length === 0 && !findings.some((f) => f.contextUses || f.program)) return findings;
  const filePath = options.filePath ?? '/untitled/untitled.go';
  const index = options.index ?? singleFileIndex(filePath, source);
  const breaks = resolveCallChainBreaks(callSites, filePath, index, options.ruleSettings?.['call-chain-break']);
  return [...resolveProgramFindings(withoutIgnoredContextUses(findings, filePath, index), filePath, index), ...breaks]
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
