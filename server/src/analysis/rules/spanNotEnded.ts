// span-not-ended: a span (or runtime/trace task or region) that is not ended on every path: no deferred
// End/Finish, not returned, not handed on (to a call, a struct, a channel, a closure that ends it), and either
// never ended or ended only after an early return. An unended span is never exported: the trace shows a hole
// where it should be, and its children become orphans.

import type { SyntaxNode } from '../goParser';
import type { Fix } from '../findings';
import type { Rule, RuleContext } from '../rule';
import type { Binding, FunctionFrame, Scope } from '../scope';
import { expressionsOf, namedChildren, rangeOf } from '../syntax';
import { callInfo } from '../callInfo';
import { ensureImport, freshName, insertStatementAfter, insertStatementBefore, replaceNode } from '../fixEdits';
import { spanTypeFor } from '../tracing';
import { lineRef, type TextEdit } from '../findings';
import { spanStatementOf, type SpanStatement } from './spanStatements';

interface TrackedSpan {
  readonly stmt: SpanStatement;
  readonly name: string;
  readonly binding: Binding;
  readonly scope: Scope | null;
  settled: boolean;
  /** Positions of End/Finish calls made directly in the span's own block. */
  readonly ends: number[];
  /** Whether some End/Finish exists in a nested block (a conditional end). */
  endedConditionally: boolean;
}

interface FrameState {
  readonly spans: TrackedSpan[];
  /** Positions of return statements of this function (not of nested literals). */
  readonly returns: { index: number; line: number }[];
}

const owner = {};

function stateOf(frame: FunctionFrame): FrameState {
  return frame.stateFor(owner, () => ({ spans: [], returns: [] }) as FrameState);
}

function statementFix(context: RuleContext, stmt: SpanStatement, spanName: string, renameDiscarded: boolean): Fix | undefined {
  const { file } = context;
  const parent = stmt.statement.parent;
  if (parent?.type !== 'statement_list' && parent?.type !== 'block') return undefined;
  const call = `${stmt.start.endMethod}()`;
  const edits: TextEdit[] = [insertStatementAfter(file, stmt.statement, `defer ${spanName}.${call}`)];
  if (renameDiscarded && stmt.spanTarget) {
    edits.unshift(replaceNode(stmt.spanTarget, spanName));
    // `ctx, _ = tracer.Start(…)` assigns: the new name needs a declaration of its own.
    if (stmt.operator === '=') {
      if (stmt.start.family === 'datadog') return undefined;
      const type = spanTypeFor(stmt.start.family);
      const use = ensureImport(file, type.importPath, type.preferredName, stmt.start.family === 'otel' ? 'oteltrace' : type.preferredName);
      const spelled = type.typeName.startsWith('*') ? `*${use.prefix}${type.typeName.slice(1)}` : `${use.prefix}${type.typeName}`;
      edits.push(insertStatementBefore(file, stmt.statement, `var ${spanName} ${spelled}`), ...use.edits);
    }
  }
  return { title: `Insert defer ${spanName}.${call}`, edits };
}

function exitStatement(node: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  const frame = scope.currentFrame;
  if (!frame) return;
  const stmt = spanStatementOf(file, node, scope);
  if (!stmt?.spanTarget || stmt.spanTarget.type !== 'identifier') return;
  const name = file.text(stmt.spanTarget);
  const what = stmt.start.method === 'NewTask' ? 'task' : stmt.start.method === 'StartRegion' ? 'region' : 'span';
  if (name === '_') {
    const fresh = freshName((n) => !!scope.resolve(n), [what, `${what}2`]);
    const fix = statementFix(context, stmt, fresh, true);
    context.report({
      range: rangeOf(stmt.spanTarget),
      message:
        `The ${what} started by ${file.text(stmt.call.childForFieldName('function')!)} is thrown away, so it can never be ` +
        `ended: it is never exported, and its children become orphans. Keep it and ${stmt.start.endMethod} it.`,
      fixes: fix ? [fix] : [],
    });
    return;
  }
  const binding = scope.resolve(name);
  if (!binding || binding.kind !== 'span') return;
  stateOf(frame).spans.push({ stmt, name, binding, scope: scope.scope, settled: false, ends: [], endedConditionally: false });
}

/** The tracked span an identifier refers to, searching this function and the ones around it. */
function trackedFor(context: RuleContext, identifier: SyntaxNode): TrackedSpan | undefined {
  if (identifier.type !== 'identifier') return undefined;
  const binding = context.scope.resolve(context.file.text(identifier));
  if (!binding || binding.kind !== 'span') return undefined;
  for (let frame = context.scope.currentFrame; frame; frame = frame.parent) {
    const found = stateOf(frame).spans.find((s) => s.binding === binding);
    if (found) return found;
  }
  return undefined;
}

function isDeferred(node: SyntaxNode): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'defer_statement') return true;
    if (current.type === 'function_declaration' || current.type === 'method_declaration') return false;
    if (current.type === 'func_literal') {
      const call = current.parent;
      return call?.type === 'call_expression' && call.parent?.type === 'defer_statement';
    }
  }
  return false;
}

/** Marks spans handed on: passed, returned, assigned, stored or sent. */
function handOn(context: RuleContext, expressions: readonly SyntaxNode[]): void {
  for (const expr of expressions) {
    const tracked = trackedFor(context, expr.type === 'unary_expression' ? expr.childForFieldName('operand') ?? expr : expr);
    if (tracked) tracked.settled = true;
  }
}

/** Whether this function or one around it tracks a span (otherwise there is nothing to look for). */
function tracking(context: RuleContext): boolean {
  for (let frame = context.scope.currentFrame; frame; frame = frame.parent) if (stateOf(frame).spans.length > 0) return true;
  return false;
}

function visitCall(node: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  if (!tracking(context)) return;
  const info = callInfo(file, node);
  const callee = info.callee;
  if (info.operand) {
    const method = info.name;
    const tracked = (method === 'End' || method === 'Finish') ? trackedFor(context, info.operand) : undefined;
    if (tracked) {
      if (isDeferred(node) || tracked.binding.scope.frame !== scope.currentFrame) tracked.settled = true;
      else if (scope.scope === tracked.scope) tracked.ends.push(node.startIndex);
      else tracked.endedConditionally = true;
    }
  }
  // Putting a span into a context (ContextWithSpan) does not end it; any other call it is passed to may.
  if (callee && /(^|\.)ContextWithSpan$/.test(file.text(callee))) return;
  handOn(context, info.args);
}

function visitReturn(node: SyntaxNode, context: RuleContext): void {
  const frame = context.scope.currentFrame;
  if (!frame || !tracking(context)) return;
  const values = node.namedChildren.filter((c): c is SyntaxNode => !!c).flatMap((c) => expressionsOf(c));
  handOn(context, values);
  stateOf(frame).returns.push({ index: node.startIndex, line: node.startPosition.row });
}

function visitAssignment(node: SyntaxNode, context: RuleContext): void {
  if (!tracking(context)) return;
  handOn(context, expressionsOf(node.childForFieldName('right') ?? node.childForFieldName('value')));
}

/** `&job{span: span}`, `[]trace.Span{span}`: the span is stored. */
function visitCompositeLiteral(node: SyntaxNode, context: RuleContext): void {
  if (!tracking(context)) return;
  const body = node.childForFieldName('body');
  for (const element of body ? namedChildren(body) : []) {
    const value = element.type === 'keyed_element' ? element.namedChild(1) : element;
    const inner = value?.type === 'literal_element' ? value.namedChild(0) : value;
    if (inner) handOn(context, [inner]);
  }
}

function visitSend(node: SyntaxNode, context: RuleContext): void {
  if (!tracking(context)) return;
  const value = node.childForFieldName('value');
  if (value) handOn(context, [value]);
}

function exitFunction(_node: SyntaxNode, context: RuleContext): void {
  const frame = context.scope.currentFrame;
  if (!frame) return;
  const { spans, returns } = stateOf(frame);
  for (const span of spans) {
    if (span.settled) continue;
    const startEnd = span.stmt.statement.endIndex;
    const firstEnd = span.ends.length > 0 ? Math.min(...span.ends) : undefined;
    let reason: string;
    if (firstEnd !== undefined) {
      const early = returns.find((r) => r.index > startEnd && r.index < firstEnd);
      if (!early) continue;
      reason = `the return on line ${lineRef(early.line)} leaves it open`;
    } else if (span.endedConditionally) {
      reason = `it is ended only on some paths`;
    } else {
      reason = `it is never ended`;
    }
    const call = `${span.stmt.start.endMethod}()`;
    const fix = statementFix(context, span.stmt, span.name, false);
    context.report({
      range: rangeOf(span.stmt.spanTarget!),
      message:
        `${span.name} is not ended on every path (${reason}): an unended span is never exported, so the trace shows a ` +
        `hole where it should be and its children become orphans. Add defer ${span.name}.${call} after starting it.`,
      fixes: fix ? [fix] : [],
    });
  }
}

export const spanNotEnded: Rule = {
  id: 'span-not-ended',
  visitors: {
    call_expression: visitCall,
    return_statement: visitReturn,
    short_var_declaration: visitAssignment,
    assignment_statement: visitAssignment,
    var_spec: visitAssignment,
    composite_literal: visitCompositeLiteral,
    send_statement: visitSend,
  },
  exits: {
    short_var_declaration: exitStatement,
    assignment_statement: exitStatement,
    function_declaration: exitFunction,
    method_declaration: exitFunction,
    func_literal: exitFunction,
  },
};
