// The analyzer core: one cursor walk over each top-level declaration of a Go file, tracking scopes and
// bindings (scope.ts) and dispatching nodes to the rules that visit them, then applying settings (rules off,
// severities) and `//go-trace-lens:ignore` directives. Only the nodes a rule or the scope tracker needs are
// materialised; everything else is skipped by its type id. With a DeclarationCache, declarations whose text
// did not change since the last run are not walked again.
// Pure: source text and tree in, findings out. Used by the language server and the CLI.

import { RULES, type RuleId, type Severity } from '../../../common/rules';
import type { SyntaxNode, Tree } from './goParser';
import type { CallSite, Finding } from './findings';
import { GoFile } from './goFile';
import type { NodeVisitor, Report, Rule, RuleContext } from './rule';
import { ALL_RULES } from './rules';
import { Suppressions, isGeneratedSource, parseIgnoreDirective } from './suppression';
import { ScopeTracker } from './scope';
import { planDeclaration, type DeclarationPlan } from './declarations';
import { DeclarationCache, type DeclarationResult } from './declarationCache';
import { resolveCallChainBreaks, type CallGraphView } from './rules/callChainBreak';
import { singleFileIndex } from './index/callGraph';
import { startOf } from './syntax';

export type RuleSetting = Severity | 'off';

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
const COMMENT = 16;
const VISITED = 32;
const EXITED = 64;

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
  readonly flags: Uint8Array;
  readonly visitors: (Dispatch[] | undefined)[];
  readonly exits: (Dispatch[] | undefined)[];
}

interface PendingExit {
  readonly depth: number;
  readonly node: SyntaxNode;
  readonly typeId: number;
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

function dispatchTable(rules: readonly Rule[], tree: Tree): DispatchTable {
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
  const visitorsByType = byType((r) => r.visitors);
  const exitsByType = byType((r) => r.exits);
  const types = tree.language.types;
  const flags = new Uint8Array(types.length);
  const visitors: (Dispatch[] | undefined)[] = new Array(types.length);
  const exits: (Dispatch[] | undefined)[] = new Array(types.length);
  for (let id = 0; id < types.length; id++) {
    const type = types[id];
    if (!type || !tree.language.nodeTypeIsNamed(id)) continue;
    let f = 0;
    if (FUNCTION_NODE_TYPES.has(type)) f |= FUNCTION;
    else if (type === 'block') f |= BLOCK;
    else if (SCOPE_TYPES.has(type)) f |= SCOPE;
    else if (DECLARATION_TYPES.has(type)) f |= DECLARATION;
    else if (type === 'comment') f |= COMMENT;
    visitors[id] = visitorsByType.get(type);
    exits[id] = exitsByType.get(type);
    if (visitors[id]) f |= VISITED;
    if (exits[id]) f |= EXITED;
    flags[id] = f;
  }
  return { flags, visitors, exits };
}

/** Identifies what per-declaration results depend on besides the declaration's own text. */
function cacheKey(file: GoFile, options: AnalyzeOptions, rules: readonly Rule[]): string {
  const importsEnd = file.topLevel.filter((n) => n.type === 'import_declaration' || n.type === 'package_clause').map((n) => n.endIndex);
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
      run(table.exits[exit.typeId], exit.node);
      return;
    }
    run(table.exits[exit.typeId], exit.node);
    if (exit.typeSwitch) typeSwitchAliases.pop();
    if (exit.closesFunction) tracker.exitFunction();
    else if (exit.closesScope) tracker.exitScope();
  };

  const enter = (node: SyntaxNode, typeId: number, f: number, depth: number) => {
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
      const type = node.type;
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
    if (f & VISITED) run(table.visitors[typeId], node);
    if (closesFunction || closesScope || plan || typeSwitch || f & EXITED) {
      pending.push({ depth, node, typeId, closesFunction, closesScope, plan, typeSwitch });
    }
  };

  const cursor = decl.walk();
  try {
    let depth = 0;
    let descending = true;
    for (;;) {
      if (descending) {
        const typeId = cursor.nodeTypeId;
        const f = table.flags[typeId]!;
        if (f) {
          const node = cursor.currentNode;
          if (f & COMMENT) {
            const rulesNamed = parseIgnoreDirective(file.text(node));
            if (rulesNamed) suppressions.push({ line: node.startPosition.row, rules: rulesNamed });
          } else {
            enter(node, typeId, f, depth);
          }
        }
        if (cursor.gotoFirstChild()) {
          depth++;
          continue;
        }
        while (pending.length > 0 && pending[pending.length - 1]!.depth === depth) leave(pending.pop()!);
      }
      if (cursor.gotoNextSibling()) {
        descending = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      depth--;
      while (pending.length > 0 && pending[pending.length - 1]!.depth === depth) leave(pending.pop()!);
      descending = false;
    }
    while (pending.length > 0) leave(pending.pop()!);
  } finally {
    cursor.delete();
  }
  return { findings, callSites, suppressions };
}

/** Analyzes one Go file: findings of the single-file rules, and the call sites call-chain-break resolves. */
export function analyzeGoFileDetailed(source: string, tree: Tree, options: AnalyzeOptions = {}): FileAnalysis {
  if (isGeneratedSource(source)) return { findings: [], callSites: [] };
  const rules = activeRules(options);
  if (rules.length === 0) return { findings: [], callSites: [] };
  const callChainActive = rules.some((r) => r.id === 'call-chain-break');
  const table = dispatchTable(rules, tree);
  const file = new GoFile(source, tree.rootNode);
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
    if (cache) {
      const text = file.text(decl);
      const start = startOf(decl);
      result = cache.lookup(text, start);
      if (!result) {
        result = analyzeDeclaration(file, decl, table, rules, options);
        cache.store(text, start, result);
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
    findings: findings.filter((f) => !suppressions.isSuppressed(f.rule, f.range.start.line)).sort(byPosition),
    callSites: callChainActive ? callSites.filter((c) => !suppressions.isSuppressed('call-chain-break', c.range.start.line)) : [],
  };
}

/**
 * Analyzes one Go file, including call-chain-break against `options.index` (or, without an index, against
 * the file's own functions). Generated files (`// Code generated … DO NOT EDIT.`) give no findings.
 */
export function analyzeGoFile(source: string, tree: Tree, options: AnalyzeOptions = {}): Finding[] {
  const { findings, callSites } = analyzeGoFileDetailed(source, tree, options);
  if (callSites.length === 0) return findings;
  const filePath = options.filePath ?? '/untitled/untitled.go';
  const index = options.index ?? singleFileIndex(filePath, source);
  const breaks = resolveCallChainBreaks(callSites, filePath, index, options.ruleSettings?.['call-chain-break']);
  return [...findings, ...breaks].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
