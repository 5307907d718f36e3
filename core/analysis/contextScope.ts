// Root contexts and how a file spells members of package context: `context.Background()` and
// `context.TODO()` under any import alias (or dot-imported), and `stdctx.WithoutCancel` for fixes.
// Which context is in scope at a point of the walk is the ScopeTracker's business (scope.ts).

import type { SyntaxNode } from './syntaxTree';
import type { GoFile } from './goFile';
import { CONTEXT_PKG } from './goPackages';
import { callInfo, type CallInfo } from './callInfo';

const ROOT_CONTEXT_FUNCTIONS: ReadonlySet<string> = new Set(['Background', 'TODO']);

/** True for `context.Background()` / `context.TODO()` (under any alias, or dot-imported). */
export function isRootContextCall(file: GoFile, node: SyntaxNode): boolean {
  return node.type === 'call_expression' && isRootContext(callInfo(file, node));
}

export function isRootContext(info: CallInfo): boolean {
  if (!ROOT_CONTEXT_FUNCTIONS.has(info.name)) return false;
  if (info.argumentListNode?.namedChildCount !== 0) return false;
  if (info.calleeType === 'identifier') return info.file.imports.isDotImported(CONTEXT_PKG);
  return info.operandName !== undefined && info.file.imports.refersTo(info.operandName, CONTEXT_PKG);
}

/** How the file spells a member of package context at this call: `stdctx.WithoutCancel` or `WithoutCancel`. */
export function contextMember(file: GoFile, rootCall: SyntaxNode, member: string): string {
  const callee = rootCall.childForFieldName('function');
  const operand = callee?.type === 'selector_expression' ? callee.childForFieldName('operand') : null;
  return operand ? `${file.text(operand)}.${member}` : member;
}
