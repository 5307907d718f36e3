// root-span-in-request: `tracer.StartSpan("x")` / `opentracing.StartSpan("x")` (or Datadog's
// `tracer.StartSpan`) without a parent reference (ChildOf, FollowsFrom) while a request context is in scope.
// The span becomes the root of a new trace instead of a child of the request's span. The fix starts it from
// the context: `span, ctx := opentracing.StartSpanFromContext(ctx, "x")`.
//
// A start that may well have a parent is not reported: one given options the analysis cannot see into (`opts...`,
// a variable, a helper's result: the parent reference may be among them), one in a function that looks up the
// parent itself (`opentracing.SpanFromContext(ctx)`, `tracer.Extract(format, carrier)`: the parentless start is
// its branch for "no parent arrived"), and one in a worker loop (`for { select { case <-ticker.C: … } }`) that runs
// on a component's lifetime context rather than a request's, where every round is a trace of its own.

import type { SyntaxNode } from '../syntaxTree';
import type { Fix } from '../findings';
import type { Rule, RuleContext } from '../rule';
import { recognizeSpanStart } from '../tracing';
import { OPENTRACING_PKG } from '../goPackages';
import { assignmentOperator, expressionsOf, namedChildren, rangeOf } from '../syntax';
import { callInfo } from '../callInfo';
import { ensureImport } from '../fixEdits';
import type { InheritedContext } from '../scope';

const PARENT_OPTION = /\b(ChildOf|FollowsFrom|RPCServerOption|SpanReference|WithParent|ChildOfCarrierOption)\b/;
/** Start options that carry no parent: tags, start times, span kinds, Datadog's resource, type and service. */
const NON_PARENT_CALL = /^(Tag|Tags|StartTime|ResourceName|SpanType|ServiceName|Measured|AnalyticsRate|WithSpanID|SpanKind[A-Za-z]*)$/;
const OPENTRACING_EXT_PKG = 'github.com/opentracing/opentracing-go/ext';

/** True when the option is known to carry no parent reference. */
function isNonParentOption(context: RuleContext, option: SyntaxNode): boolean {
  const { file } = context;
  switch (option.type) {
    case 'interpreted_string_literal':
    case 'raw_string_literal':
      return true;
    case 'composite_literal': {
      // opentracing.Tag{Key: …, Value: …}, opentracing.Tags{…}
      const type = option.childForFieldName('type');
      return !!type && /(^|\.)Tags?$/.test(file.text(type));
    }
    case 'selector_expression': {
      // ext.SpanKindRPCServer, ext.SpanKindRPCClient: tags.
      const operand = option.childForFieldName('operand');
      const field = option.childForFieldName('field');
      return (!!operand && operand.type === 'identifier' && file.imports.refersTo(file.text(operand), OPENTRACING_EXT_PKG)) ||
        (!!field && /^SpanKind/.test(file.text(field)));
    }
    case 'call_expression': {
      const name = callInfo(file, option).name;
      return NON_PARENT_CALL.test(name);
    }
    default:
      return false;
  }
}

/** The function looks the parent up itself (SpanFromContext, or extracting it from a carrier). */
function looksUpParent(context: RuleContext, fn: SyntaxNode): boolean {
  const { file } = context;
  return fn.descendantsOfType('call_expression').some((call) => {
    if (!call) return false;
    const info = callInfo(file, call);
    return info.name === 'SpanFromContext' || (info.name === 'Extract' && info.args.length === 2 && !!info.operand);
  });
}

/** The call is inside a loop that runs until the component stops: `for { … }`, `for range ticker.C`, `for range time.Tick(d)`. */
function insideWorkerLoop(context: RuleContext, call: SyntaxNode, fn: SyntaxNode): boolean {
  const { file } = context;
  for (let current = call.parent; current && current.id !== fn.id; current = current.parent) {
    if (current.type !== 'for_statement') continue;
    const header = namedChildren(current).filter((c) => c.type !== 'block');
    if (header.length === 0) return true;
    const range = header.find((c) => c.type === 'range_clause');
    const over = range?.childForFieldName('right');
    if (over && /(\.C|\bTick\([^)]*\))$/.test(file.text(over))) return true;
  }
  return false;
}

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
  const options = start.args.slice(1);
  if (options.some((a) => PARENT_OPTION.test(file.text(a)))) return;
  if (!options.every((a) => isNonParentOption(context, a))) return;
  const inherited = scope.inherited();
  if (!inherited) return;
  const fn = scope.currentFrame?.node;
  if (fn && (looksUpParent(context, fn) || (!inherited.fromRequest && insideWorkerLoop(context, node, fn)))) return;
  const parentSpan = inherited.fromRequest ? `the request's span` : `the span ${inherited.expression} carries`;
  const callee = node.childForFieldName('function')!;
  const fix = fixFor(context, node, start.receiver, start.family, start.args, inherited);
  context.report({
    range: rangeOf(callee),
    message:
      `${file.text(callee)} starts a span without a parent while ${inherited.expression} is in scope: it becomes the ` +
      `root of a new trace instead of a child of ${parentSpan}. Start it from ${inherited.expression} ` +
      `(StartSpanFromContext), ${inherited.origin}.`,
    fixes: fix ? [fix] : [],
    related: [{ range: inherited.declRange, message: `The context in scope: ${inherited.origin}` }],
  });
}

export const rootSpanInRequest: Rule = {
  id: 'root-span-in-request',
  visitors: { call_expression: visitCall },
};
