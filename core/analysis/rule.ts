// The shape of an analyzer rule: the node types it visits (on entry, and on exit) and what it reports.
// Visitors run during the analyzer's single walk, so `scope` describes the bindings visible at the visited
// node: declarations made later in the function are not visible yet.

import type { RuleId, Severity } from '../../common/rules';
import type { SyntaxNode } from './syntaxTree';
import type { GoFile } from './goFile';
import type { CallSite, CalleeRef, Fix, ProgramCondition, Range, RelatedLocation } from './findings';
import type { ScopeTracker } from './scope';

export interface Report {
  readonly range: Range;
  readonly message: string;
  readonly fixes?: readonly Fix[];
  readonly related?: readonly RelatedLocation[];
  /** See Finding.contextUses. */
  readonly contextUses?: readonly CalleeRef[];
  /** See Finding.program. */
  readonly program?: ProgramCondition;
}

export interface RuleContext {
  readonly file: GoFile;
  readonly scope: ScopeTracker;
  report(report: Report): void;
  /** Records a call for the workspace-level check (call-chain-break). */
  reportCallSite(site: CallSite): void;
}

/** How a rule is configured: the severity of its findings, or 'off'. */
export type RuleSetting = Severity | 'off';

export type NodeVisitor = (node: SyntaxNode, context: RuleContext) => void;

export interface Rule {
  readonly id: RuleId;
  /** Called for every node of the given type, in document order, when the walk enters it. */
  readonly visitors: Readonly<Record<string, NodeVisitor>>;
  /**
   * Called when the walk leaves a node of the given type: for declarations after their names became visible,
   * for functions and blocks before their scope closes.
   */
  readonly exits?: Readonly<Record<string, NodeVisitor>>;
}
