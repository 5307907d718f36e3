// Recognises the calls that start spans, tasks and regions in the tracing APIs Go programs use:
// OpenTelemetry (`tracer.Start(ctx, name)`, `otel.Tracer(..).Start`), OpenTracing and the Jaeger client
// (`tracer.StartSpan(name)`, `opentracing.StartSpanFromContext(ctx, name)`), Datadog's tracer package, and
// the standard library's runtime/trace (`trace.NewTask`, `trace.StartRegion`).

import type { SyntaxNode } from './syntaxTree';
import type { GoFile } from './goFile';
import { DATADOG_TRACER_PKGS, OPENTRACING_PKG, OTEL_PKG, OTEL_TRACE_PKG, RUNTIME_TRACE_PKG } from './goPackages';
import type { ValueKind } from './valueKinds';
import { callInfo } from './callInfo';

export type TracerFamily = 'otel' | 'opentracing' | 'datadog' | 'runtime-trace';

export interface SpanStart {
  readonly family: TracerFamily;
  /** The method or function called: Start, StartSpan, StartSpanFromContext, StartSpanFromContextWithTracer, NewTask, StartRegion. */
  readonly method: string;
  /** The parent context argument, or null when the API takes none (StartSpan). */
  readonly contextArg: SyntaxNode | null;
  /** Position of the returned context among the results, or -1 when none is returned. */
  readonly contextResult: number;
  /** Position of the span (task, region) among the results. */
  readonly spanResult: number;
  /** How the span is ended: `End` (OpenTelemetry, runtime/trace) or `Finish` (OpenTracing, Jaeger, Datadog). */
  readonly endMethod: 'End' | 'Finish';
  /** The callee's receiver (`tracer` in tracer.StartSpan), for rewriting the call. */
  readonly receiver: SyntaxNode;
  readonly args: readonly SyntaxNode[];
}

/** What the caller knows about a name (its binding's kind), for recognising tracer variables. */
export type KindLookup = (name: string) => ValueKind | undefined;

const TRACER_NAME = /tracer/i;
const START_METHODS: ReadonlySet<string> = new Set([
  'Start', 'StartSpan', 'StartSpanFromContext', 'StartSpanFromContextWithTracer', 'NewTask', 'StartRegion',
]);

function isPackage(file: GoFile, node: SyntaxNode, paths: readonly string[]): boolean {
  if (node.type !== 'identifier') return false;
  const name = file.text(node);
  return paths.some((p) => file.imports.refersTo(name, p));
}

/** The kind of tracer an expression denotes: by its binding, a struct field's declared type, its constructor, or its name. */
export function tracerKind(file: GoFile, expr: SyntaxNode, lookup: KindLookup): ValueKind | undefined {
  if (expr.type === 'identifier') {
    const known = lookup(file.text(expr));
    if (known === 'otelTracer' || known === 'otTracer') return known;
    if (known && known !== 'other') return undefined;
    return TRACER_NAME.test(file.text(expr)) ? 'otelTracer' : undefined;
  }
  if (expr.type === 'selector_expression') {
    const field = expr.childForFieldName('field');
    if (!field) return undefined;
    const fieldName = file.text(field);
    const known = file.facts.fieldKinds.get(fieldName);
    if (known === 'otelTracer' || known === 'otTracer') return known;
    return TRACER_NAME.test(fieldName) ? 'otelTracer' : undefined;
  }
  if (expr.type === 'call_expression') {
    const callee = expr.childForFieldName('function');
    if (callee?.type !== 'selector_expression') return undefined;
    const operand = callee.childForFieldName('operand');
    const method = file.text(callee.childForFieldName('field')!);
    if (method === 'Tracer') return 'otelTracer';
    if (method === 'GlobalTracer' && operand && isPackage(file, operand, [OPENTRACING_PKG])) return 'otTracer';
  }
  return undefined;
}

/** The span start made by `call`, or undefined when it is not one. */
export function recognizeSpanStart(file: GoFile, call: SyntaxNode, lookup: KindLookup): SpanStart | undefined {
  const info = callInfo(file, call);
  const method = info.name;
  const receiver = info.operand;
  if (!START_METHODS.has(method) || !receiver) return undefined;
  const args = info.args;
  const base = { method, receiver, args };

  if (method === 'NewTask' || method === 'StartRegion') {
    if (args.length !== 2 || !isPackage(file, receiver, [RUNTIME_TRACE_PKG])) return undefined;
    return method === 'NewTask'
      ? { ...base, family: 'runtime-trace', contextArg: args[0]!, contextResult: 0, spanResult: 1, endMethod: 'End' }
      : { ...base, family: 'runtime-trace', contextArg: args[0]!, contextResult: -1, spanResult: 0, endMethod: 'End' };
  }
  const opentracing = isPackage(file, receiver, [OPENTRACING_PKG]);
  const datadog = isPackage(file, receiver, DATADOG_TRACER_PKGS);
  if (method === 'StartSpanFromContext' || method === 'StartSpanFromContextWithTracer') {
    const minArgs = method === 'StartSpanFromContext' ? 2 : 3;
    if (args.length < minArgs) return undefined;
    if (!opentracing && !datadog && !tracerKind(file, receiver, lookup)) return undefined;
    return { ...base, family: datadog ? 'datadog' : 'opentracing', contextArg: args[0]!, contextResult: 1, spanResult: 0, endMethod: 'Finish' };
  }
  if (method === 'StartSpan') {
    if (args.length < 1) return undefined;
    if (!opentracing && !datadog && !tracerKind(file, receiver, lookup)) return undefined;
    return { ...base, family: datadog ? 'datadog' : 'opentracing', contextArg: null, contextResult: -1, spanResult: 0, endMethod: 'Finish' };
  }
  // Start(ctx, name, opts...): OpenTelemetry's Tracer.
  if (args.length < 2 || args[1]!.type === 'func_literal') return undefined;
  const kind = tracerKind(file, receiver, lookup);
  if (kind !== 'otelTracer' && !(receiver.type === 'call_expression' && isOtelTracerCall(file, receiver))) return undefined;
  return { ...base, family: 'otel', contextArg: args[0]!, contextResult: 0, spanResult: 1, endMethod: 'End' };
}

function isOtelTracerCall(file: GoFile, call: SyntaxNode): boolean {
  const callee = call.childForFieldName('function');
  const operand = callee?.type === 'selector_expression' ? callee.childForFieldName('operand') : null;
  return !!operand && isPackage(file, operand, [OTEL_PKG]);
}

/** `trace.SpanFromContext(ctx)` (OpenTelemetry) or `opentracing.SpanFromContext(ctx)`: a span owned by someone else. */
export function isSpanFromContext(file: GoFile, call: SyntaxNode): boolean {
  const info = callInfo(file, call);
  return info.name === 'SpanFromContext' && !!info.operand &&
    isPackage(file, info.operand, [OTEL_TRACE_PKG, OPENTRACING_PKG, ...DATADOG_TRACER_PKGS]);
}

/** The Go type of a span of this family, spelled for this file, and the import it needs (if not imported yet). */
export function spanTypeFor(family: TracerFamily): { importPath: string; preferredName: string; typeName: string } {
  switch (family) {
    case 'otel': return { importPath: OTEL_TRACE_PKG, preferredName: 'trace', typeName: 'Span' };
    case 'opentracing': return { importPath: OPENTRACING_PKG, preferredName: 'opentracing', typeName: 'Span' };
    case 'datadog': return { importPath: DATADOG_TRACER_PKGS[0]!, preferredName: 'tracer', typeName: 'Span' };
    case 'runtime-trace': return { importPath: RUNTIME_TRACE_PKG, preferredName: 'trace', typeName: '*Task' };
  }
}
