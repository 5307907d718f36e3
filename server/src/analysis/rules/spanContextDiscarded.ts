// span-context-discarded: the context returned with a new span is thrown away (`_, span := tracer.Start(ctx,
// …)`) and later work passes the old ctx on while the span is open, or it is assigned to a new ctx in an inner
// block (`ctx, span := …` shadowing the outer ctx) that is lost when the block ends while the span stays open.
// Either way the work's spans attach to the parent instead of the new span.

import type { SyntaxNode } from '../goParser';
import { lineRef, type Fix, type Range } from '../findings';
import type { Rule, RuleContext } from '../rule';
import type { Binding, FunctionFrame } from '../scope';
import { rangeOf } from '../syntax';
import { callInfo } from '../callInfo';
import { replaceNode } from '../fixEdits';
import { assignToOuterEdits, spanStatementOf, type SpanStatement } from './spanStatements';
import { isInterceptorHandlerCall } from './contextNotPropagated';

interface Record {
  readonly stmt: SpanStatement;
  readonly kind: 'discarded' | 'shadowed';
  readonly ctxName: string;
  /** The ctx whose later use is the mistake: the one passed to Start (discarded), or the outer one (shadowed). */
  readonly watched: Binding;
  /** The span's binding, to see it ended. */
  readonly span: Binding | undefined;
  /** Uses count after this index (the statement's end, or the end of the block for a shadowed ctx). */
  readonly usesAfter: number;
  /** The ctx passed to Start lives in an outer scope (so `:=` would shadow it). */
  readonly outerContext: boolean;
  closed: boolean;
  use?: { readonly line: number; readonly text: string };
}

const owner = {};

function recordsOf(frame: FunctionFrame): Record[] {
  return frame.stateFor(owner, () => [] as Record[]);
}

function exitStatement(node: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  const frame = scope.currentFrame;
  if (!frame) return;
  const stmt = spanStatementOf(file, node, scope);
  if (!stmt?.contextTarget || stmt.start.contextArg?.type !== 'identifier') return;
  const ctxName = file.text(stmt.start.contextArg);
  const target = file.text(stmt.contextTarget);
  const spanName = stmt.spanTarget ? file.text(stmt.spanTarget) : '_';
  const span = spanName !== '_' ? scope.resolve(spanName) : undefined;
  if (target === '_') {
    const watched = scope.resolve(ctxName);
    if (!watched) return;
    recordsOf(frame).push({
      stmt, kind: 'discarded', ctxName, watched, span, usesAfter: node.endIndex,
      outerContext: stmt.operator === ':=' && watched.scope !== scope.scope, closed: false,
    });
    return;
  }
  if (target !== ctxName || stmt.operator !== ':=' || !scope.scope || scope.scope === frame.rootScope) return;
  const declared = scope.resolve(ctxName);
  const outer = scope.resolveOuter(ctxName);
  if (!declared || !outer || declared.scope !== scope.scope) return;
  recordsOf(frame).push({
    stmt, kind: 'shadowed', ctxName, watched: outer, span, usesAfter: scope.scope.endIndex, outerContext: true, closed: false,
  });
}

function visitCall(node: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  let anyRecords = false;
  for (let frame = scope.currentFrame; frame && !anyRecords; frame = frame.parent) anyRecords = recordsOf(frame).length > 0;
  if (!anyRecords) return;
  const info = callInfo(file, node);
  const callee = info.callee;
  // span.End() / span.Finish() outside a defer closes the span for the code after it.
  if (info.operandName !== undefined) {
    const method = info.name;
    if ((method === 'End' || method === 'Finish') && !insideDefer(node)) {
      const binding = scope.resolve(info.operandName);
      for (let frame = scope.currentFrame; frame; frame = frame.parent) {
        for (const record of recordsOf(frame)) if (record.span && record.span === binding) record.closed = true;
      }
    }
  }
  let args: SyntaxNode[] | undefined;
  for (let frame = scope.currentFrame; frame; frame = frame.parent) {
    const records = recordsOf(frame);
    if (records.length === 0) continue;
    args ??= info.args.filter((a) => a.type === 'identifier');
    if (args.length === 0) return;
    for (const record of records) {
      if (record.use || record.closed || node.startIndex < record.usesAfter) continue;
      if (!args.some((a) => scope.resolve(file.text(a)) === record.watched)) continue;
      if (isInterceptorHandlerCall(context, node)) continue;
      record.use = { line: node.startPosition.row, text: callee ? file.text(callee) : 'a call' };
    }
  }
}

function insideDefer(node: SyntaxNode): boolean {
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

function exitFunction(_node: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  const frame = scope.currentFrame;
  if (!frame) return;
  for (const record of recordsOf(frame)) {
    if (!record.use) continue;
    const { stmt, ctxName } = record;
    const spanName = stmt.spanTarget ? file.text(stmt.spanTarget) : 'the span';
    const useLine = lineRef(record.use.line);
    const target = stmt.contextTarget!;
    const outerFix = record.outerContext ? assignToOuterEdits(file, stmt) : undefined;
    const fixes: Fix[] = [];
    let range: Range;
    let message: string;
    const children = stmt.start.family === 'runtime-trace'
      ? `its regions and log events belong to ${ctxName}'s task instead of ${spanName}`
      : `its spans attach to ${ctxName}'s span instead of ${spanName}`;
    if (record.kind === 'discarded') {
      range = rangeOf(target);
      message =
        `The context returned with ${spanName} is discarded, and ${record.use.text} on line ${useLine} passes ${ctxName} ` +
        `on: ${children}. Keep the returned context in ${ctxName}.`;
      if (!record.outerContext) fixes.push({ title: `Keep the span's context in ${ctxName}`, edits: [replaceNode(target, ctxName)] });
      else if (outerFix) fixes.push({ title: `Keep the span's context in the outer ${ctxName}`, edits: [replaceNode(target, ctxName), ...outerFix] });
    } else {
      range = rangeOf(target);
      message =
        `This ${ctxName} is a new variable that only lives in this block: after the block, ${record.use.text} on line ` +
        `${useLine} uses the outer ${ctxName} while ${spanName} is still open, so its spans attach to the parent instead ` +
        `of ${spanName}. Assign the span's context to the outer ${ctxName}.`;
      if (outerFix) fixes.push({ title: `Assign to the outer ${ctxName}`, edits: outerFix });
    }
    context.report({
      range, message, fixes,
      related: [{ range: record.watched.declRange, message: `The ${ctxName} that is passed on instead.` }],
    });
  }
}

export const spanContextDiscarded: Rule = {
  id: 'span-context-discarded',
  visitors: { call_expression: visitCall },
  exits: {
    short_var_declaration: exitStatement,
    assignment_statement: exitStatement,
    function_declaration: exitFunction,
    method_declaration: exitFunction,
    func_literal: exitFunction,
  },
};
