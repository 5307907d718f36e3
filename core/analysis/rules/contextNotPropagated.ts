// context-not-propagated: a middleware derives a new context (a value, a deadline, a span) but calls
// `next.ServeHTTP(w, r)` (or grpc-gateway's `next(w, r, pathParams)`) with the original request; a gRPC unary
// interceptor starts a span but calls `handler(ctx, req)` with the parent context; a gin, echo or fiber
// middleware starts a span but runs the next handler without storing the span's context on the framework's
// request (frameworkMiddleware.ts). The handlers below never see the new context: their spans attach to the
// wrong parent and the new values and deadline are lost.

import type { SyntaxNode } from '../syntaxTree';
import type { Fix } from '../findings';
import type { Rule, RuleContext } from '../rule';
import type { Binding, ScopeTracker } from '../scope';
import { rangeOf } from '../syntax';
import { callInfo } from '../callInfo';
import { ensureImport, replaceNode } from '../fixEdits';
import { OPENTRACING_PKG, OTEL_TRACE_PKG } from '../goPackages';
import { enterFrameworkStatement, exitFrameworkStatement, visitFrameworkCall } from './frameworkMiddleware';

/** grpc-gateway's middleware type: `func(next runtime.HandlerFunc) runtime.HandlerFunc`, called `next(w, r, pathParams)`. */
const GATEWAY_RUNTIME_PKGS: readonly string[] = [
  'github.com/grpc-ecosystem/grpc-gateway/v2/runtime', 'github.com/grpc-ecosystem/grpc-gateway/runtime',
];

/** True when `call` is `handler(ctx, req)` on the handler argument of a gRPC unary interceptor. */
export function isInterceptorHandlerCall(context: RuleContext, call: SyntaxNode): boolean {
  const info = callInfo(context.file, call);
  return info.calleeType === 'identifier' && context.scope.resolve(info.name)?.kind === 'grpcUnaryHandler';
}

/** The spans started in the current function (visible here), newest first. */
function spansStartedHere(scope: ScopeTracker): Binding[] {
  const frame = scope.currentFrame;
  const spans: Binding[] = [];
  for (let s = scope.scope; s && s.frame === frame; s = s.parent) {
    for (const b of s.bindings.values()) if (b.kind === 'span' && b.start && b.start.contextArg) spans.push(b);
  }
  return spans.sort((a, b) => b.seq - a.seq);
}

function checkMiddleware(call: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  const info = callInfo(file, call);
  const callee = info.callee;
  if (!callee) return;
  // The next handler of a middleware: a handler the function was given (next.ServeHTTP, next(w, r), m.next…).
  const isNextHandler = (expr: SyntaxNode | null): boolean => {
    if (!expr) return false;
    const kind = expr.type === 'identifier'
      ? scope.kindOf(file.text(expr))
      : expr.type === 'selector_expression' ? file.facts.fieldKinds.get(file.text(expr.childForFieldName('field')!)) : undefined;
    return kind === 'httpHandler' || kind === 'httpHandlerFunc';
  };
  const isServeHTTP = info.calleeType === 'selector_expression' && info.name === 'ServeHTTP' && isNextHandler(info.operand);
  const handler = info.calleeType === 'identifier' ? scope.resolve(info.name) : undefined;
  const isHandlerFunc = handler?.kind === 'httpHandlerFunc';
  const isGatewayHandlerFunc = handler?.namedType?.name === 'HandlerFunc' && GATEWAY_RUNTIME_PKGS.includes(handler.namedType.importPath ?? '');
  if (!isServeHTTP && !isHandlerFunc && !isGatewayHandlerFunc) return;
  const args = info.args;
  if (args.length !== (isGatewayHandlerFunc ? 3 : 2)) return;
  const requestArg = args[1]!;
  if (requestArg.type !== 'identifier') return;
  const request = scope.resolve(file.text(requestArg));
  if (request?.kind !== 'request') return;
  const inherited = scope.inherited();
  const derived = inherited?.binding;
  if (!derived || derived.kind !== 'context' || !derived.derivedNew || derived.seq < request.seq) return;
  if (derived.scope.frame !== scope.currentFrame) return;
  const r = file.text(requestArg);
  const replacement = `${r}.WithContext(${derived.name})`;
  context.report({
    range: rangeOf(requestArg),
    message:
      `${file.text(callee)} receives the original request ${r}, not ${derived.name} (${derived.origin}): the next ` +
      `handler never sees the new context, so its spans attach to the wrong parent and the new values and deadline ` +
      `are lost. Pass ${replacement}.`,
    fixes: [{ title: `Pass ${replacement}`, edits: [replaceNode(requestArg, replacement)] }],
    related: [{ range: derived.declRange, message: `The derived context: ${derived.origin}` }],
  });
}

function checkInterceptor(call: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  if (!isInterceptorHandlerCall(context, call)) return;
  const ctxArg = callInfo(file, call).args[0];
  if (ctxArg?.type !== 'identifier') return;
  const ctxName = file.text(ctxArg);
  const ctx = scope.resolve(ctxName);
  if (!ctx) return;
  const span = spansStartedHere(scope).find((b) => b.start!.contextArg!.type === 'identifier' &&
    file.text(b.start!.contextArg!) === ctxName && ctx.updatedAt < b.declaredAt);
  if (!span) return;
  const start = span.start!;
  const kept = span.spanContextName && span.spanContextName !== '_' ? scope.resolve(span.spanContextName) : undefined;
  const fixes: Fix[] = [];
  if (kept && kept !== ctx) {
    fixes.push({ title: `Pass ${kept.name}, the span's context`, edits: [replaceNode(ctxArg, kept.name)] });
  } else if (start.family === 'otel' || start.family === 'opentracing') {
    const use = start.family === 'otel'
      ? ensureImport(file, OTEL_TRACE_PKG, 'trace', 'oteltrace')
      : ensureImport(file, OPENTRACING_PKG, 'opentracing', 'opentracing');
    const wrapped = `${use.prefix}ContextWithSpan(${ctxName}, ${span.name})`;
    fixes.push({ title: `Pass ${wrapped}`, edits: [replaceNode(ctxArg, wrapped), ...use.edits] });
  }
  context.report({
    range: rangeOf(ctxArg),
    message:
      `The interceptor started ${span.name} but calls the handler with ${ctxName}, the parent context: the handler's ` +
      `spans become siblings of ${span.name} instead of its children, and ${span.name} looks empty. Pass the span's context.`,
    fixes,
    related: [{ range: span.declRange, message: `The span started here, from ${ctxName}.` }],
  });
}

function visitCall(node: SyntaxNode, context: RuleContext): void {
  checkMiddleware(node, context);
  checkInterceptor(node, context);
  visitFrameworkCall(node, context);
}

export const contextNotPropagated: Rule = {
  id: 'context-not-propagated',
  visitors: { call_expression: visitCall, short_var_declaration: enterFrameworkStatement, assignment_statement: enterFrameworkStatement },
  exits: { short_var_declaration: exitFrameworkStatement, assignment_statement: exitFrameworkStatement },
};
