// root-span-in-request: `tracer.StartSpan("x")` / `opentracing.StartSpan("x")` (or Datadog's
// `tracer.StartSpan`) without a parent reference (ChildOf, FollowsFrom) while a request context is in scope.
// The span becomes the root of a new trace instead of a child of the request's span. The fix starts it from
// the context: `span, ctx := opentracing.StartSpanFromContext(ctx, "x")`.

import type { SyntaxNode } from '../goParser';
import type { Fix } from '../findings';
import type { Rule, RuleContext } from '../rule';
import { recognizeSpanStart } from '../tracing';
import { OPENTRACING_PKG } from '../goPackages';
import { assignmentOperator, expressionsOf, rangeOf } from '../syntax';
import { ensureImport } from '../fixEdits';
import type { InheritedContext } from '../scope';

const PARENT_OPTION = /\b(ChildOf|FollowsFrom|RPCServerOption|SpanReference|WithParent)\b/;

function fixFor(context: RuleContext, call: SyntaxNode, receiver: SyntaxNode, family: string, args: readonly SyntaxNode[], inherited: InheritedContext): Fix | undefined {
  const { file } = context;
  const list = call.parent;
  const stmt = list?.type === 'expression_list' ? list.parent : null;
  if (!stmt || (stmt.type !== 'short_var_declaration' && stmt.type !== 'assignment_statement') || list!.namedChildCount !== 1) return undefined;
  const left = stmt.childForFieldName('left');
  const right = stmt.childForFieldName('right');
  const targets = expressionsOf(left);
  if (!left || !right || targets.length !== 1 || targets[0]!.type !== 'identifier') return undefined;
  const operator = assignmentOperator(file.source, left, right);
  const ctxTarget = inherited.binding.kind === 'context' ? inherited.expression : '_';
  const argText = args.map((a) => file.text(a)).join(', ');
  let callText: string;
  const edits = [];
  if (family === 'datadog') {
    callText = `${file.text(receiver)}.StartSpanFromContext(${inherited.expression}, ${argText})`;
  } else {
    const use = ensureImport(file, OPENTRACING_PKG, 'opentracing', 'opentracing');
    edits.push(...use.edits);
    const global = file.packageOfOperand(receiver) === OPENTRACING_PKG || /GlobalTracer\(\)$/.test(file.text(receiver));
    callText = global
      ? `${use.prefix}StartSpanFromContext(${inherited.expression}, ${argText})`
      : `${use.prefix}StartSpanFromContextWithTracer(${inherited.expression}, ${file.text(receiver)}, ${argText})`;
  }
  const spanName = file.text(targets[0]!);
  edits.unshift({ range: { start: rangeOf(left).start, end: rangeOf(right).end }, newText: `${spanName}, ${ctxTarget} ${operator} ${callText}` });
  return { title: `Start ${spanName} from ${inherited.expression}`, edits };
}

function visitCall(node: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  const start = recognizeSpanStart(file, node, (name) => scope.kindOf(name));
  if (!start || start.method !== 'StartSpan') return;
  if (start.args.slice(1).some((a) => PARENT_OPTION.test(file.text(a)))) return;
  const inherited = scope.inherited();
  if (!inherited) return;
  const callee = node.childForFieldName('function')!;
  const fix = fixFor(context, node, start.receiver, start.family, start.args, inherited);
  context.report({
    range: rangeOf(callee),
    message:
      `${file.text(callee)} starts a span without a parent while ${inherited.expression} is in scope: it becomes the ` +
      `root of a new trace instead of a child of the request's span. Start it from ${inherited.expression} ` +
      `(StartSpanFromContext), ${inherited.origin}.`,
    fixes: fix ? [fix] : [],
    related: [{ range: inherited.declRange, message: `The context in scope: ${inherited.origin}` }],
  });
}

export const rootSpanInRequest: Rule = {
  id: 'root-span-in-request',
  visitors: { call_expression: visitCall },
};
