// span-context-discarded's knowledge of helpers that start a span and hand back only the span:
//
//   func startSpan(ctx context.Context, name string) trace.Span {
//       _, span := tracer.Start(ctx, name)
//       return span
//   }
//
// The context Start returned (the one carrying the new span) stays inside the helper, so its callers keep
// working under their own ctx: what they start while the span is open attaches to ctx's span instead.
// Collected with the file's facts (fileFacts.ts), so a caller's finding follows edits to the helper.
//
// Only a helper that clearly does nothing else with the span counts: a function or method that takes a
// context.Context and starts exactly one span from it (OpenTelemetry's Start, OpenTracing's
// StartSpanFromContext), whose returned context is discarded (`_`, or assigned back to the parameter and never
// read again), whose results hold that span and no context, and which, besides returning it, only calls the
// span's own methods (SetAttributes, AddEvent…). A helper that ends the span, hands it to anything else
// (`AddSpanToRequest(r, span)`, a map, a struct) or returns a context too is not one.

import type { SyntaxNode } from '../syntaxTree';
import type { GoFile } from '../goFile';
import { childrenForField, enclosingFunction, expressionsOf, namedChildren } from '../syntax';
import { kindOfType } from '../valueKinds';
import { recognizeSpanStart, type TracerFamily } from '../tracing';
import { OPENTRACING_PKG, OTEL_PKG, OTEL_TRACE_PKG } from '../goPackages';

export interface SpanOnlyHelper {
  /** Position of the context among the call's arguments. */
  readonly contextIndex: number;
  /** Position of the span among the results, and how many results there are. */
  readonly spanIndex: number;
  readonly results: number;
  readonly family: Extract<TracerFamily, 'otel' | 'opentracing'>;
}

interface SpanOnlyHelperDeclaration extends SpanOnlyHelper {
  /** `startSpan`, or `Tracer.startSpan` for a method (as callers' functionRefOf names it). */
  readonly key: string;
}

const SPAN_ENDS: ReadonlySet<string> = new Set(['End', 'Finish']);

/** The file can start an OpenTelemetry or OpenTracing span. */
function importsTracing(file: GoFile): boolean {
  return file.imports.has(OTEL_PKG) || file.imports.has(OTEL_TRACE_PKG) || file.imports.has(OPENTRACING_PKG);
}

/** The result types of a function (unnamed results only: naked returns are not followed). */
function resultTypes(result: SyntaxNode): SyntaxNode[] | undefined {
  if (result.type !== 'parameter_list') return [result];
  const types: SyntaxNode[] = [];
  for (const decl of namedChildren(result)) {
    if (decl.type !== 'parameter_declaration' || childrenForField(decl, 'name').length > 0) return undefined;
    const type = decl.childForFieldName('type');
    if (!type) return undefined;
    types.push(type);
  }
  return types;
}

/** The context parameter's name and its position among the arguments. */
function contextParameter(file: GoFile, params: SyntaxNode): { name: string; index: number } | undefined {
  let index = 0;
  for (const decl of namedChildren(params)) {
    if (decl.type !== 'parameter_declaration' && decl.type !== 'variadic_parameter_declaration') continue;
    const names = childrenForField(decl, 'name');
    const context = decl.type === 'parameter_declaration' && kindOfType(file, decl.childForFieldName('type')) === 'context';
    for (const name of names.length > 0 ? names : [null]) {
      if (context && name && file.text(name) !== '_') return { name: file.text(name), index };
      index++;
    }
  }
  return undefined;
}

/** Nodes of `types` inside `decl`'s own body (not inside a function literal of it). */
function ownDescendants(decl: SyntaxNode, body: SyntaxNode, types: string | string[]): SyntaxNode[] {
  return body.descendantsOfType(types).filter((n): n is SyntaxNode => !!n && enclosingFunction(n)?.id === decl.id);
}

/** `span.SetAttributes(…)`: the identifier is the operand of a call of one of the span's own methods (not End). */
function isOwnMethodCall(file: GoFile, id: SyntaxNode): boolean {
  const selector = id.parent;
  if (selector?.type !== 'selector_expression' || selector.childForFieldName('operand')?.id !== id.id) return false;
  const field = selector.childForFieldName('field');
  return !!field && !SPAN_ENDS.has(file.text(field)) && selector.parent?.type === 'call_expression';
}

/** The helper a function or method declares, when it is one (see the header). */
function spanOnlyHelperOf(file: GoFile, decl: SyntaxNode): SpanOnlyHelperDeclaration | undefined {
  if (decl.type !== 'function_declaration' && decl.type !== 'method_declaration') return undefined;
  // Most functions return no span: their header (up to the body's `{`) says so without asking the syntax tree.
  const bodyStart = file.source.indexOf('{', decl.startIndex);
  if (!file.source.slice(decl.startIndex, bodyStart < 0 ? decl.endIndex : bodyStart).includes('Span')) return undefined;
  const result = decl.childForFieldName('result');
  if (!result || !file.text(result).includes('Span')) return undefined;
  const nameNode = decl.childForFieldName('name');
  const params = decl.childForFieldName('parameters');
  const body = decl.childForFieldName('body');
  if (!nameNode || !params || !body) return undefined;
  const types = resultTypes(result);
  if (!types) return undefined;
  const kinds = types.map((t) => kindOfType(file, t));
  const spanIndex = kinds.indexOf('span');
  if (spanIndex < 0 || kinds.lastIndexOf('span') !== spanIndex || kinds.includes('context')) return undefined;
  const ctx = contextParameter(file, params);
  if (!ctx) return undefined;

  let found: { statement: SyntaxNode; contextTarget: SyntaxNode; spanTarget: SyntaxNode; family: TracerFamily } | undefined;
  for (const statement of ownDescendants(decl, body, ['short_var_declaration', 'assignment_statement'])) {
    const right = expressionsOf(statement.childForFieldName('right'));
    if (right.length !== 1 || right[0]!.type !== 'call_expression') continue;
    const start = recognizeSpanStart(file, right[0]!, (n) => file.facts.packageVarKinds.get(n));
    if (!start) continue;
    // Exactly one span started from the parameter, its context returned to a target we can read.
    const left = expressionsOf(statement.childForFieldName('left'));
    if (found || start.contextResult < 0 || start.contextArg?.type !== 'identifier' || file.text(start.contextArg) !== ctx.name ||
        left.length !== 2) return undefined;
    found = { statement, contextTarget: left[start.contextResult]!, spanTarget: left[start.spanResult]!, family: start.family };
  }
  if (!found || (found.family !== 'otel' && found.family !== 'opentracing')) return undefined;
  const { statement, contextTarget, spanTarget } = found;
  if (contextTarget.type !== 'identifier' || spanTarget.type !== 'identifier') return undefined;
  const contextName = file.text(contextTarget);
  const spanName = file.text(spanTarget);
  if (spanName === '_' || (contextName !== '_' && contextName !== ctx.name)) return undefined;

  const identifiers = ownDescendants(decl, body, 'identifier');
  // `ctx, span := tracer.Start(ctx, …)` and ctx never read again: the span's context is dropped all the same.
  if (contextName !== '_' && identifiers.some((id) => id.startIndex >= statement.endIndex && file.text(id) === contextName)) return undefined;
  const returns = ownDescendants(decl, body, 'return_statement');
  if (returns.length === 0) return undefined;
  const returned = new Set<number>();
  for (const ret of returns) {
    const values = expressionsOf(ret.namedChild(0));
    const value = values[spanIndex];
    if (values.length !== types.length || value?.type !== 'identifier' || file.text(value) !== spanName) return undefined;
    returned.add(value.id);
  }
  // Besides being declared and returned, the span is only used through its own methods.
  for (const id of identifiers) {
    if (file.text(id) !== spanName || id.id === spanTarget.id || returned.has(id.id)) continue;
    if (!isOwnMethodCall(file, id)) return undefined;
  }

  const name = file.text(nameNode);
  const receiverType = decl.type === 'method_declaration' ? decl.childForFieldName('receiver')?.descendantsOfType('type_identifier')[0] : undefined;
  return {
    key: receiverType ? `${file.text(receiverType)}.${name}` : name,
    contextIndex: ctx.index, spanIndex, results: types.length, family: found.family,
  };
}

/** Records the file's span-only helpers into `into` (key → encoded helper). */
export function collectSpanOnlyHelpers(file: GoFile, topLevel: readonly SyntaxNode[], into: Map<string, string>): void {
  if (!importsTracing(file)) return;
  for (const decl of topLevel) {
    const helper = spanOnlyHelperOf(file, decl);
    if (helper) into.set(helper.key, `${helper.contextIndex}:${helper.spanIndex}:${helper.results}:${helper.family}`);
  }
}

/** The span-only helper the file's facts know under `key` (`startSpan`, `Tracer.startSpan`). */
export function spanOnlyHelper(file: GoFile, key: string): SpanOnlyHelper | undefined {
  const value = file.facts.spanOnlyHelpers.get(key);
  if (value === undefined) return undefined;
  const [contextIndex, spanIndex, results, family] = value.split(':');
  return { contextIndex: Number(contextIndex), spanIndex: Number(spanIndex), results: Number(results), family: family as SpanOnlyHelper['family'] };
}
