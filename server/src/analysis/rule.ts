// The shape of an analyzer rule: the node types it visits and what it reports from them.

import type { RuleId } from '../../../common/rules';
import type { SyntaxNode } from './goParser';
import type { GoFile } from './goFile';
import type { Fix, Range, RelatedLocation } from './findings';

export interface Report {
  readonly range: Range;
  readonly message: string;
  readonly fixes?: readonly Fix[];
  readonly related?: readonly RelatedLocation[];
}

export interface RuleContext {
  readonly file: GoFile;
  report(report: Report): void;
}

export type NodeVisitor = (node: SyntaxNode, context: RuleContext) => void;

export interface Rule {
  readonly id: RuleId;
  /** Called for every node of the given type, in document order. */
  readonly visitors: Readonly<Record<string, NodeVisitor>>;
}
