// Root contexts and how a file spells members of package context: `context.Background()` and
// `context.TODO()` under any import alias (or dot-imported), and `stdctx.WithoutCancel` for fixes.
// Which context is in scope at a point of the walk is the ScopeTracker's business (scope.ts).

import type { SyntaxNode } from './goParser';
import type { GoFile } from './goFile';
import { CONTEXT_PKG } from './goPackages';

const ROOT_CONTEXT_FUNCTIONS: ReadonlySet<string> = new Set(['Background', 'TODO']);

/** True for `context.Background()` / `context.TODO()` (under any alias, or dot-imported). */
export function isRootContextCall(file: GoFile, node: SyntaxNode): boolean {
  if (node.type !== 'call_expression') return false;
  const callee = node.childForFieldName('function');
  const args = node.childForFieldName('arguments');
  return !!callee && !!args && args.namedChildCount === 0 && file.isPackageFunction(callee, CONTEXT_PKG, ROOT_CONTEXT_FUNCTIONS);
}

/** How the file spells a member of package context at this call: `stdctx.WithoutCancel` or `WithoutCancel`. */
export function contextMember(file: GoFile, rootCall: SyntaxNode, member: string): string {
  const callee = rootCall.childForFieldName('function');
  const operand = callee?.type === 'selector_expression' ? callee.childForFieldName('operand') : null;
  return operand ? `${file.text(operand)}.${member}` : member;
}
