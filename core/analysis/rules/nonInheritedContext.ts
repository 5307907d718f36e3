// non-inherited-context and handler-root-context: `context.Background()` / `context.TODO()` passed on (or
// used as the base of a With* context) in a function that has a context. Where that context is an incoming
// HTTP request's, the function is a handler or middleware, and the finding is handler-root-context: the
// trace context extracted from the request headers is dropped. Work handed to goroutines is
// goroutine-background's.

import type { RuleId } from '../../../common/rules';
import type { SyntaxNode } from '../syntaxTree';
import type { Rule, RuleContext } from '../rule';
import { isRootContext } from '../contextScope';
import { callInfo } from '../callInfo';
import { rangeOf } from '../syntax';
import { detachedOnPurpose, enclosingGoroutineLaunch, isUsedAsContext, reachesWork, useInheritedFix } from './rootContexts';

function visitor(id: RuleId) {
  return (node: SyntaxNode, context: RuleContext): void => {
    const { file } = context;
    if (!isRootContext(callInfo(file, node))) return;
    const inherited = context.scope.inherited();
    if (!inherited || inherited.fromRequest !== (id === 'handler-root-context')) return;
    if (!isUsedAsContext(file, node) || enclosingGoroutineLaunch(file, node)) return;
    // Only a root that reaches work (a call doing I/O or tracing, not a log line or a metric), outside code
    // that must be detached (lifetime functions, deferred cleanup, after the context in scope is done).
    if (!reachesWork(file, node, context.scope) || detachedOnPurpose(file, node, context.scope)) return;
    // A command's or a daemon's own context (package main) is the process's, not a request's.
    if (!inherited.fromRequest && file.packageName === 'main') return;
    const root = file.text(node);
    const message = id === 'handler-root-context'
      ? `This handler builds on ${root} instead of the request's context: the trace context extracted from the ` +
        `incoming headers is dropped, so this span and everything below it start a new trace, and the client's ` +
        `cancellation is ignored. Derive from ${inherited.expression}, ${inherited.origin}.`
      : `${root} starts a new trace here although ${inherited.expression} is in scope: spans below it are cut off ` +
        `from the caller's trace, and the caller's deadline and cancellation are ignored. Use ${inherited.expression}, ` +
        `${inherited.origin}.`;
    context.report({
      range: rangeOf(node),
      message,
      fixes: [useInheritedFix(node, inherited, id === 'handler-root-context' ? `Derive from ${inherited.expression}` : undefined)],
      related: [{ range: inherited.declRange, message: `The context in scope: ${inherited.origin}` }],
    });
  };
}

export const nonInheritedContext: Rule = {
  id: 'non-inherited-context',
  visitors: { call_expression: visitor('non-inherited-context') },
};

export const handlerRootContext: Rule = {
  id: 'handler-root-context',
  visitors: { call_expression: visitor('handler-root-context') },
};
