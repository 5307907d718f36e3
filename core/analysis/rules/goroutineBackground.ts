// goroutine-background: work started with `go` (or errgroup's / WaitGroup's `Go`) that builds on
// context.Background() or context.TODO() while the request's context is in scope. The goroutine's spans
// start new traces ("ghost requests") and it ignores the request's deadline and cancellation.

import type { SyntaxNode } from '../syntaxTree';
import type { Rule, RuleContext } from '../rule';
import { contextMember, isRootContext } from '../contextScope';
import { callInfo } from '../callInfo';
import { enclosingFunction, rangeOf } from '../syntax';
import type { GoFile } from '../goFile';
import type { Fix } from '../findings';
import { detachedOnPurpose, enclosingGoroutineLaunch, reachesWork, useInheritedFix } from './rootContexts';

export { enclosingGoroutineLaunch } from './rootContexts';

/**
 * Whether the function that starts the goroutine waits for it before returning: the launch is errgroup's or a
 * WaitGroup's `Go`, or a `Wait()` call follows the `go` statement in the same function.
 */
function isJoined(file: GoFile, launch: SyntaxNode): boolean {
  if (launch.type !== 'go_statement') return true;
  const body = enclosingFunction(launch)?.childForFieldName('body');
  if (!body) return false;
  for (const call of body.descendantsOfType('call_expression')) {
    if (!call || call.startIndex < launch.endIndex) continue;
    const callee = call.childForFieldName('function');
    if (callee?.type === 'selector_expression' && file.text(callee.childForFieldName('field')!) === 'Wait') return true;
  }
  return false;
}

function visitCall(node: SyntaxNode, context: RuleContext): void {
  const { file } = context;
  if (!isRootContext(callInfo(file, node))) return;
  const inherited = context.scope.inherited();
  if (!inherited) return;
  const launch = enclosingGoroutineLaunch(file, node);
  if (!launch) return;
  // Only a root that reaches the goroutine's work (not a log line or a metric), outside code that must be
  // detached (a component's lifetime functions, cleanup after the context in scope is done).
  if (!reachesWork(file, node, context.scope) || detachedOnPurpose(file, node, context.scope)) return;
  const root = file.text(node);
  const range = rangeOf(node);
  const withoutCancel = `${contextMember(file, node, 'WithoutCancel')}(${inherited.expression})`;
  const keepTrace: Fix = {
    title: `Use ${withoutCancel} (keep the trace, outlive the request)`,
    edits: [{ range, newText: withoutCancel }],
  };
  const related = [{ range: inherited.declRange, message: `The context in scope: ${inherited.origin}` }];
  if (isJoined(file, launch)) {
    // The function waits for the goroutine: it belongs to the request, trace and cancellation alike.
    context.report({
      range,
      message:
        `This goroutine starts from ${root}: its spans begin a new trace, cut off from the request, and it ` +
        `ignores the request's cancellation although the function waits for it. Use ${inherited.expression}, ${inherited.origin}.`,
      fixes: [useInheritedFix(node, inherited), keepTrace],
      related,
    });
    return;
  }
  // Nothing waits for it: it outlives the request on purpose, and only the trace should follow it.
  context.report({
    range,
    message:
      `This goroutine starts from ${root}: its spans begin a new trace, cut off from the request's. It runs ` +
      `after the function returns, so keep the trace without the request's cancellation: use ${withoutCancel}, ` +
      `${inherited.expression} being ${inherited.origin}.`,
    fixes: [keepTrace, useInheritedFix(node, inherited, `Use ${inherited.expression} (cancelled with the request)`)],
    related,
  });
}

export const goroutineBackground: Rule = {
  id: 'goroutine-background',
  visitors: { call_expression: visitCall },
};
