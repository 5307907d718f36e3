// What the right-hand side of a declaration or assignment puts into each name on the left: which contexts
// continue the caller's chain (`ctx, cancel := context.WithTimeout(ctx, …)`, `ctx := r.Context()`,
// `ctx, span := tracer.Start(ctx, …)`), which are roots, which values are spans, requests, database handles,
// HTTP clients or tracers.

import type { SyntaxNode } from './syntaxTree';
import { lineRef, type CalleeRef } from './findings';
import type { GoFile } from './goFile';
import { isRootContext } from './contextScope';
import { callInfo } from './callInfo';
import {
  CONTEXT_PKG, ERRGROUP_PKG, GRPC_METADATA_PKG, HTTP_PKG, JAEGER_CONFIG_PKG, JAEGER_PKG, OPENTRACING_PKG,
  OTEL_BAGGAGE_PKG, OTEL_PKG, OTEL_TRACE_PKG, SQL_PKG,
} from './goPackages';
import { isSpanFromContext, recognizeSpanStart, type SpanStart } from './tracing';
import type { ValueKind } from './valueKinds';
import type { NamedType } from './namedTypes';

export interface ValueInfo {
  readonly kind: ValueKind;
  /** Contexts: the chain comes from an incoming *http.Request. */
  readonly fromRequest?: boolean;
  /** Contexts: a new context value (With*, a span's context…), not just another name for the same one. */
  readonly derivedNew?: boolean;
  /** Contexts and requests: how the value was obtained, for messages ("derived from r.Context() on line 12"). */
  readonly origin?: string;
  /** Spans: the call that started it (undefined for spans taken from a context, which are not ours to end). */
  readonly start?: SpanStart;
  /** The named type the value has, when its declaration or construction spells it (call-chain-break's methods). */
  readonly namedType?: NamedType;
  /** A function value (`f.Fill`, `loadConfig`, `store.Open`): the function it names. */
  readonly functionRef?: CalleeRef;
}

/** Names Go code gives contexts: `ctx`, `reqCtx`, `spanCtx`… */
export function isContextName(name: string): boolean {
  return /^(ctx|[a-z][A-Za-z0-9]*Ctx)$/.test(name);
}

/** What is known about a name at this point (its binding), or undefined. */
export type ValueLookup = (name: string) => ValueInfo | undefined;

const OTHER: ValueInfo = { kind: 'other' };

const DERIVING_CONTEXT_FUNCTIONS: ReadonlySet<string> = new Set([
  'WithCancel', 'WithCancelCause', 'WithTimeout', 'WithTimeoutCause', 'WithDeadline', 'WithDeadlineCause', 'WithValue',
  'WithoutCancel',
]);
const SQL_HANDLE_METHODS: ReadonlySet<string> = new Set(['Begin', 'BeginTx', 'Prepare', 'PrepareContext', 'Conn']);


/** The context an expression evaluates to, when it is one the analysis knows. */
export function contextOf(file: GoFile, expr: SyntaxNode, lookup: ValueLookup, line: number): ValueInfo | undefined {
  if (expr.type === 'identifier') {
    const known = lookup(file.text(expr));
    return known && (known.kind === 'context' || known.kind === 'rootContext') ? known : undefined;
  }
  if (expr.type === 'parenthesized_expression') {
    const inner = expr.namedChild(0);
    return inner ? contextOf(file, inner, lookup, line) : undefined;
  }
  if (expr.type !== 'call_expression') return undefined;
  const first = valuesOfCall(file, expr, lookup, line)[0];
  return first && (first.kind === 'context' || first.kind === 'rootContext') ? first : undefined;
}

/** A context derived from `base` (the first argument of a With*, a span start…). */
function derivedFrom(file: GoFile, base: SyntaxNode | undefined, lookup: ValueLookup, line: number, what: string): ValueInfo {
  const parent = base ? contextOf(file, base, lookup, line) : undefined;
  if (!parent || !base) return OTHER;
  if (parent.kind === 'rootContext') return { kind: 'rootContext', derivedNew: true };
  return {
    kind: 'context', fromRequest: parent.fromRequest, derivedNew: true,
    origin: `${what} from ${file.text(base)} on line ${lineRef(line)}`,
  };
}

/** The values a call returns, by result position (empty when nothing is known). */
export function valuesOfCall(file: GoFile, call: SyntaxNode, lookup: ValueLookup, line: number): ValueInfo[] {
  const info = callInfo(file, call);
  if (isRootContext(info)) return [{ kind: 'rootContext' }];
  const args = info.args;
  const kindLookup = (name: string) => lookup(name)?.kind ?? file.facts.packageVarKinds.get(name);

  if (info.calleeType === 'identifier') {
    // Dot-imported context package: WithTimeout(ctx, …).
    const name = info.name;
    if (DERIVING_CONTEXT_FUNCTIONS.has(name) && file.imports.isDotImported(CONTEXT_PKG) && !lookup(name)) {
      return [derivedFrom(file, args[0], lookup, line, 'the context derived')];
    }
    return [];
  }
  const operand = info.operand;
  const method = info.name;
  if (!operand || !method) return [];
  const pkg = info.operandName === undefined || lookup(info.operandName) ? undefined : file.imports.pathOf(info.operandName);

  if (pkg === CONTEXT_PKG && DERIVING_CONTEXT_FUNCTIONS.has(method)) {
    return [derivedFrom(file, args[0], lookup, line, 'the context derived')];
  }
  const start = recognizeSpanStart(file, call, kindLookup);
  if (start) {
    const values: ValueInfo[] = [];
    values[start.spanResult] = { kind: 'span', start };
    if (start.contextResult >= 0) {
      const ctx = derivedFrom(file, start.contextArg ?? undefined, lookup, line, `the context of the span started`);
      values[start.contextResult] = ctx.kind === 'context'
        ? { ...ctx, origin: `the context of the span started on line ${lineRef(line)}` }
        : ctx;
    }
    for (let i = 0; i < values.length; i++) values[i] ??= OTHER;
    return values;
  }
  if (operand.type === 'identifier') {
    const receiver = lookup(file.text(operand));
    if (receiver?.kind === 'serverStream' && method === 'Context' && args.length === 0) {
      return [{ kind: 'context', fromRequest: true, derivedNew: false, origin: receiver.origin ?? `the context of stream ${file.text(operand)}` }];
    }
    if (receiver?.kind === 'request') {
      if (method === 'Context' && args.length === 0) {
        return [{ kind: 'context', fromRequest: true, derivedNew: false, origin: receiver.origin ?? `the context of request ${file.text(operand)}` }];
      }
      if ((method === 'WithContext' || method === 'Clone') && args.length === 1) {
        return [{ kind: 'request', origin: `the request carrying ${file.text(args[0]!)}` }];
      }
    }
    if (receiver?.kind === 'sql' && SQL_HANDLE_METHODS.has(method)) return [{ kind: 'sql' }, OTHER];
  }
  if (pkg === OTEL_TRACE_PKG && method === 'ContextWithSpan' || pkg === OPENTRACING_PKG && method === 'ContextWithSpan' ||
      pkg === GRPC_METADATA_PKG && (method === 'NewOutgoingContext' || method === 'AppendToOutgoingContext' || method === 'NewIncomingContext') ||
      pkg === OTEL_BAGGAGE_PKG && method === 'ContextWithBaggage' ||
      method === 'Extract' && args.length === 2 && isPropagator(file, operand)) {
    return [derivedFrom(file, args[0], lookup, line, 'the context derived')];
  }
  if (pkg === ERRGROUP_PKG && method === 'WithContext') {
    return [OTHER, derivedFrom(file, args[0], lookup, line, 'the errgroup context derived')];
  }
  if (isSpanFromContext(file, call)) return [{ kind: 'span' }];
  if (pkg === SQL_PKG && (method === 'Open' || method === 'OpenDB')) return [{ kind: 'sql' }, OTHER];
  if (pkg === OPENTRACING_PKG && method === 'GlobalTracer') return [{ kind: 'otTracer' }];
  if (method === 'NewTracer' && (pkg === JAEGER_PKG || !pkg && file.imports.has(JAEGER_CONFIG_PKG))) {
    return [{ kind: 'otTracer' }, OTHER];
  }
  if (method === 'Tracer' && (pkg === OTEL_PKG || !pkg)) return [{ kind: 'otelTracer' }];
  return [];
}

function isPropagator(file: GoFile, operand: SyntaxNode): boolean {
  if (operand.type === 'call_expression') {
    const callee = operand.childForFieldName('function');
    return callee?.type === 'selector_expression' && file.text(callee.childForFieldName('field')!) === 'GetTextMapPropagator';
  }
  return /propagat/i.test(file.text(operand));
}

/** What a single expression evaluates to. */
export function valueOf(file: GoFile, expr: SyntaxNode, lookup: ValueLookup, line: number): ValueInfo {
  switch (expr.type) {
    case 'identifier': {
      const known = lookup(file.text(expr));
      if (known) return known;
      const packageKind = file.facts.packageVarKinds.get(file.text(expr));
      return packageKind ? { kind: packageKind } : OTHER;
    }
    case 'call_expression':
      return valuesOfCall(file, expr, lookup, line)[0] ?? OTHER;
    case 'parenthesized_expression': {
      const inner = expr.namedChild(0);
      return inner ? valueOf(file, inner, lookup, line) : OTHER;
    }
    case 'unary_expression': {
      const operand = expr.childForFieldName('operand');
      return operand?.type === 'composite_literal' ? valueOf(file, operand, lookup, line) : OTHER;
    }
    case 'composite_literal': {
      const type = expr.childForFieldName('type');
      return type && file.isPackageType(type, HTTP_PKG, 'Client') ? { kind: 'httpClient' } : OTHER;
    }
    case 'selector_expression': {
      const operand = expr.childForFieldName('operand');
      const field = expr.childForFieldName('field');
      if (operand && field && file.packageOfOperand(operand) === HTTP_PKG && file.text(field) === 'DefaultClient') return { kind: 'httpClient' };
      const fieldKind = field ? file.facts.fieldKinds.get(file.text(field)) : undefined;
      return fieldKind ? { kind: fieldKind } : OTHER;
    }
    default:
      return OTHER;
  }
}

/**
 * What each of `lhsCount` names receives from `rhs`: one expression per name, or one call returning
 * several results.
 */
export function valuesAssigned(file: GoFile, rhs: readonly SyntaxNode[], lhsCount: number, lookup: ValueLookup, line: number): ValueInfo[] {
  if (rhs.length === 1 && lhsCount > 1) {
    const only = rhs[0]!;
    const values = only.type === 'call_expression' ? valuesOfCall(file, only, lookup, line) : [];
    return Array.from({ length: lhsCount }, (_, i) => values[i] ?? OTHER);
  }
  return Array.from({ length: lhsCount }, (_, i) => (rhs[i] ? valueOf(file, rhs[i]!, lookup, line) : OTHER));
}
