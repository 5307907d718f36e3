// Shared by the span rules: recognising a statement that starts a span (`ctx, span := tracer.Start(ctx, …)`,
// `span := tracer.StartSpan(…)`, `span, ctx := opentracing.StartSpanFromContext(ctx, …)`,
// `ctx, task := trace.NewTask(ctx, …)`, `var ctx, span = tracer.Start(ctx, …)`), its parts, the rewrite
// that keeps a span's context in an outer variable (`var span trace.Span` + `=`), and whether a call (an
// `End()`) runs deferred.

import type { SyntaxNode } from '../syntaxTree';
import type { GoFile } from '../goFile';
import type { TextEdit } from '../findings';
import type { ScopeTracker } from '../scope';
import { recognizeSpanStart, spanTypeFor, type SpanStart } from '../tracing';
import { assignmentOperator, childrenForField, expressionsOf } from '../syntax';
import { ensureImport, insertStatementBefore, replaceIndices } from '../fixEdits';

export interface SpanStatement {
  /** The short variable declaration, assignment or var_spec (one spec of a `var` declaration). */
  readonly statement: SyntaxNode;
  readonly start: SpanStart;
  readonly call: SyntaxNode;
  /** The names on the left, in order. */
  readonly targets: readonly SyntaxNode[];
  /** `var` for a var declaration, which declares its names like `:=`. */
  readonly operator: ':=' | '=' | 'var';
  /** The left-hand name receiving the span, and the one receiving its context (when the API returns one). */
  readonly spanTarget: SyntaxNode | undefined;
  readonly contextTarget: SyntaxNode | undefined;
}

/** The span start made by a short variable declaration, an assignment or a var spec, if it is one. */
export function spanStatementOf(file: GoFile, node: SyntaxNode, scope: ScopeTracker): SpanStatement | undefined {
  let targets: SyntaxNode[];
  let values: SyntaxNode[];
  let operator: string;
  if (node.type === 'var_spec') {
    const value = node.childForFieldName('value');
    if (!value) return undefined;
    targets = childrenForField(node, 'name');
    values = expressionsOf(value);
    operator = 'var';
  } else if (node.type === 'short_var_declaration' || node.type === 'assignment_statement') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right) return undefined;
    targets = expressionsOf(left);
    values = expressionsOf(right);
    operator = assignmentOperator(file.source, left, right);
  } else {
    return undefined;
  }
  if (values.length !== 1 || values[0]!.type !== 'call_expression') return undefined;
  if (operator !== ':=' && operator !== '=' && operator !== 'var') return undefined;
  const call = values[0]!;
  const start = recognizeSpanStart(file, call, (name) => scope.kindOf(name));
  if (!start) return undefined;
  const expected = start.contextResult >= 0 ? 2 : 1;
  if (targets.length !== expected) return undefined;
  return {
    statement: node, start, call, targets, operator: operator as SpanStatement['operator'],
    spanTarget: targets[start.spanResult],
    contextTarget: start.contextResult >= 0 ? targets[start.contextResult] : undefined,
  };
}

/**
 * Rewrites `ctx, span := tracer.Start(ctx, …)` into `var span trace.Span` + `ctx, span = tracer.Start(ctx, …)`,
 * so the span's context goes into the existing (outer) ctx instead of a new variable. Undefined when the
 * span's type cannot be spelled for this API.
 */
export function assignToOuterEdits(file: GoFile, stmt: SpanStatement): TextEdit[] | undefined {
  if (stmt.operator !== ':=' || !stmt.spanTarget || stmt.spanTarget.type !== 'identifier') return undefined;
  const spanName = file.text(stmt.spanTarget);
  if (spanName === '_') return undefined;
  if (stmt.start.family === 'datadog') return undefined;
  const type = spanTypeFor(stmt.start.family);
  const use = ensureImport(file, type.importPath, type.preferredName, stmt.start.family === 'otel' ? 'oteltrace' : type.preferredName);
  const spelled = type.typeName.startsWith('*') ? `*${use.prefix}${type.typeName.slice(1)}` : `${use.prefix}${type.typeName}`;
  const left = stmt.statement.childForFieldName('left')!;
  const right = stmt.statement.childForFieldName('right')!;
  const between = file.source.slice(left.endIndex, right.startIndex);
  const op = left.endIndex + between.indexOf(':=');
  return [
    insertStatementBefore(file, stmt.statement, `var ${spanName} ${spelled}`),
    replaceIndices(file, stmt.statement, op, op + 2, '='),
    ...use.edits,
  ];
}

/** True when the call runs deferred: `defer span.End()`, or inside `defer func() { … }()`. */
export function insideDefer(node: SyntaxNode): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'defer_statement') return true;
    if (current.type === 'function_declaration' || current.type === 'method_declaration' || current.type === 'func_literal') {
      // `defer func() { span.End() }()`: the literal is the deferred call's function.
      const call = current.parent;
      return call?.type === 'call_expression' && call.parent?.type === 'defer_statement';
    }
  }
  return false;
}
