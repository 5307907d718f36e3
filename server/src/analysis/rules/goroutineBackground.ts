// goroutine-background: work started with `go` (or errgroup's / WaitGroup's `Go`) that builds on
// context.Background() or context.TODO() while the request's context is in scope. The goroutine's spans
// start new traces ("ghost requests") and it ignores the request's deadline and cancellation.

import type { SyntaxNode } from '../goParser';
import type { Rule, RuleContext } from '../rule';
import { contextMember, isRootContext } from '../contextScope';
import { callInfo } from '../callInfo';
import { rangeOf } from '../syntax';
import { enclosingGoroutineLaunch, useInheritedFix } from './rootContexts';

export { enclosingGoroutineLaunch } from './rootContexts';

function visitCall(node: SyntaxNode, context: RuleContext): void {
  const { file } = context;
  if (!isRootContext(callInfo(file, node))) return;
  const inherited = context.scope.inherited();
  if (!inherited) return;
  if (!enclosingGoroutineLaunch(file, node)) return;
  const root = file.text(node);
  const range = rangeOf(node);
  const withoutCancel = `${contextMember(file, node, 'WithoutCancel')}(${inherited.expression})`;
  context.report({
    range,
    message:
      `This goroutine starts from ${root}: its spans begin a new trace, cut off from the request, and it ` +
      `ignores the request's cancellation. Use ${inherited.expression}, ${inherited.origin}.`,
    fixes: [
      useInheritedFix(node, inherited),
      {
        title: `Use ${withoutCancel} (keep the trace, outlive the request)`,
        edits: [{ range, newText: withoutCancel }],
      },
    ],
    related: [{ range: inherited.declRange, message: `The context in scope: ${inherited.origin}` }],
  });
}

export const goroutineBackground: Rule = {
  id: 'goroutine-background',
  visitors: { call_expression: visitCall },
};
