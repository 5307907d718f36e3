// Shared by the rules about root contexts: where a `context.Background()` / `context.TODO()` call sits
// (inside work handed to a goroutine? compared rather than used?) and the fix that replaces it.

import type { SyntaxNode } from '../goParser';
import type { GoFile } from '../goFile';
import type { Fix } from '../findings';
import type { InheritedContext } from '../scope';
import { rangeOf } from '../syntax';

const GOROUTINE_LAUNCHERS: ReadonlySet<string> = new Set(['Go', 'TryGo']);

/** The `go` statement or `x.Go(func…)` call whose work contains `node`, if any. */
export function enclosingGoroutineLaunch(file: GoFile, node: SyntaxNode): SyntaxNode | null {
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (current.type === 'go_statement') return current;
    if (current.type === 'argument_list' && child.type === 'func_literal') {
      const call = current.parent;
      const callee = call?.childForFieldName('function');
      const method = callee?.type === 'selector_expression' ? callee.childForFieldName('field') : null;
      if (call && method && GOROUTINE_LAUNCHERS.has(file.text(method))) return call;
    }
    if (current.type === 'function_declaration' || current.type === 'method_declaration') return null;
  }
  return null;
}

/**
 * True when the root context is used the way the rules mean: passed to a call (including as the base of a
 * With* context) or put into a variable. Not when it is compared, stored in a struct or returned, and not in
 * the nil-guard idiom `if ctx == nil { ctx = context.Background() }`.
 */
export function isUsedAsContext(file: GoFile, node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === 'argument_list') return true;
  if (parent.type !== 'expression_list') return false;
  const statement = parent.parent;
  if (!statement || (statement.type !== 'short_var_declaration' && statement.type !== 'assignment_statement' && statement.type !== 'var_spec')) return false;
  if (statement.type !== 'assignment_statement') return true;
  const targets = statement.childForFieldName('left');
  const name = targets ? file.text(targets) : '';
  for (let block = statement.parent; block; block = block.parent) {
    if (block.type === 'if_statement') {
      const condition = block.childForFieldName('condition');
      const text = condition ? file.text(condition).replace(/\s+/g, '') : '';
      return text !== `${name}==nil` && text !== `nil==${name}`;
    }
    if (block.type !== 'block' && block.type !== 'statement_list') return true;
  }
  return true;
}

/** The quick fix: replace the root context with the inherited one. */
export function useInheritedFix(rootCall: SyntaxNode, inherited: InheritedContext, title?: string): Fix {
  return { title: title ?? `Use ${inherited.expression}`, edits: [{ range: rangeOf(rootCall), newText: inherited.expression }] };
}
