// goroutine-background: work started with `go` (or errgroup's / WaitGroup's `Go`) that builds on
// context.Background() or context.TODO() while the request's context is in scope. The goroutine's spans
// start new traces ("ghost requests") and it ignores the request's deadline and cancellation.

import type { SyntaxNode } from '../goParser';
import type { GoFile } from '../goFile';
import type { Rule, RuleContext } from '../rule';
import { contextMember, inheritedContextAt, isRootContextCall } from '../contextScope';
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
  }
  return null;
}

function visitCall(node: SyntaxNode, context: RuleContext): void {
  const { file } = context;
  if (!isRootContextCall(file, node)) return;
  if (!enclosingGoroutineLaunch(file, node)) return;
  const inherited = inheritedContextAt(file, node);
  if (!inherited) return;
  const root = file.text(node);
  const range = rangeOf(node);
  context.report({
    range,
    message:
      `This goroutine starts from ${root}: its spans begin a new trace, cut off from the request, and it ` +
      `ignores the request's cancellation. Use ${inherited.expression}, ${inherited.origin}.`,
    fixes: [
      { title: `Use ${inherited.expression}`, edits: [{ range, newText: inherited.expression }] },
      {
        title: `Use ${contextMember(file, node, 'WithoutCancel')}(${inherited.expression}) (keep the trace, outlive the request)`,
        edits: [{ range, newText: `${contextMember(file, node, 'WithoutCancel')}(${inherited.expression})` }],
      },
    ],
    related: [{ range: rangeOf(inherited.declaration), message: `The context in scope: ${inherited.origin}` }],
  });
}

export const goroutineBackground: Rule = {
  id: 'goroutine-background',
  visitors: { call_expression: visitCall },
};
