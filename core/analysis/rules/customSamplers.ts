// sampler-not-parent-based's knowledge of the OpenTelemetry samplers a file writes itself: a type whose
// `ShouldSample(p sdktrace.SamplingParameters) sdktrace.SamplingResult` decides without the parent's decision
// in a way that drops spans of sampled traces (from the trace ID, at random, or always), and the functions of
// the file that build one (`newRatioSampler(r)`). Collected with the file's facts (fileFacts.ts), so the
// finding at a `WithSampler(&ratioSampler{…})` in one declaration follows edits to the sampler's method in
// another.
//
// Only a decision that is clearly the sampler's own counts:
// - it reads the parent: `p.ParentContext` used for anything but carrying the parent's trace state on
//   (`trace.SpanContextFromContext(p.ParentContext).TraceState()`, as the SDK's own samplers do), a
//   delegate's `ShouldSample` (which may be parent-based), or `ParentBased` anywhere in it: not recorded;
// - `p` handed on whole (to a helper, a delegate, a variable): not recorded, the reader may look at the parent;
// - it decides from `p.Name`, `p.Kind`, `p.Attributes` or `p.Links` only (a filter dropping health checks):
//   not recorded, such drops are the sampler's purpose and sampled parents lose no other spans to it.

import type { SyntaxNode } from '../syntaxTree';
import type { GoFile } from '../goFile';
import { OTEL_SDK_TRACE_PKG } from '../goPackages';
import { childrenForField, namedChildren } from '../syntax';
import { callInfo } from '../callInfo';

/** What a custom sampler does instead of following the parent, for messages. */
export type SamplerEvidence = 'traceID' | 'random' | 'drop';

export interface CustomSampler {
  /** The sampler type (`ratioSampler`). */
  readonly type: string;
  readonly evidence: SamplerEvidence;
}

/** Fields of SamplingParameters that say nothing about the parent. */
const OWN_FIELDS: ReadonlySet<string> = new Set(['TraceID', 'Name', 'Kind', 'Attributes', 'Links']);
const RANDOM_PKGS: readonly string[] = ['math/rand', 'math/rand/v2', 'crypto/rand'];
const RANDOM_METHODS = /^(Float64|Float32|Int|Intn|IntN|Int31|Int31n|Int32|Int32N|Int63|Int63n|Int64|Int64N|Uint32|Uint64|Uint64N|UintN|Read)$/;
const RANDOM_SOURCE = /rand|rng|rnd|random/i;
/** The body reads the parent another way, or hands the decision to a sampler that may. */
const DEFERS_DECISION = /\b(ShouldSample|ParentBased)\b/;

/** Encodes a custom sampler for FileFacts (a map of strings: part of the cache key). */
export function encodeCustomSampler(sampler: CustomSampler): string {
  return `${sampler.type}\u0000${sampler.evidence}`;
}

/** The custom sampler a name of this file denotes (the type, or a function building one), from the file's facts. */
export function customSamplerOf(file: GoFile, name: string): CustomSampler | undefined {
  const value = file.facts.customSamplers.get(name);
  if (value === undefined) return undefined;
  const [type, evidence] = value.split('\u0000');
  return { type: type!, evidence: evidence as SamplerEvidence };
}

/** The receiver's type name of a method (`ratioSampler` for `func (s *ratioSampler) …`). */
function receiverTypeName(file: GoFile, method: SyntaxNode): string | undefined {
  const receiver = method.childForFieldName('receiver');
  const type = receiver?.descendantsOfType('type_identifier')[0];
  return type ? file.text(type) : undefined;
}

/** `trace.SpanContextFromContext(p.ParentContext).TraceState()`: the parent's trace state carried on, no decision read. */
function onlyCarriesTraceState(file: GoFile, parentContext: SyntaxNode): boolean {
  const args = parentContext.parent;
  const call = args?.type === 'argument_list' ? args.parent : null;
  if (call?.type !== 'call_expression' || callInfo(file, call).name !== 'SpanContextFromContext') return false;
  const selector = call.parent;
  if (selector?.type !== 'selector_expression') return false;
  const field = selector.childForFieldName('field');
  return !!field && file.text(field) === 'TraceState' && selector.parent?.type === 'call_expression';
}

/** How the parameter is used: undefined when the parent may be read (or p goes somewhere it might be). */
function ownUseOf(file: GoFile, body: SyntaxNode, param: string): { readsTraceID: boolean } | undefined {
  let readsTraceID = false;
  for (const id of body.descendantsOfType('identifier')) {
    if (!id || file.text(id) !== param) continue;
    const parent = id.parent;
    if (parent?.type !== 'selector_expression' || parent.childForFieldName('operand')?.id !== id.id) return undefined;
    const field = file.text(parent.childForFieldName('field')!);
    if (field === 'ParentContext') {
      if (!onlyCarriesTraceState(file, parent)) return undefined;
      continue;
    }
    if (!OWN_FIELDS.has(field)) return undefined;
    if (field === 'TraceID') readsTraceID = true;
  }
  return { readsTraceID };
}

/** A call drawing a random number: a function of math/rand or crypto/rand, or a method of a random source. */
function drawsRandom(file: GoFile, body: SyntaxNode): boolean {
  return body.descendantsOfType('call_expression').some((call) => {
    if (!call) return false;
    const info = callInfo(file, call);
    if (info.calleeType !== 'selector_expression' || !info.operand) return false;
    if (info.operandName !== undefined && RANDOM_PKGS.some((p) => file.imports.refersTo(info.operandName!, p))) return true;
    const source = info.operand.type === 'selector_expression' ? info.operand.childForFieldName('field') : info.operand;
    return !!source && RANDOM_METHODS.test(info.name) && RANDOM_SOURCE.test(file.text(source));
  });
}

/** Every return is `SamplingResult{Decision: sdktrace.Drop, …}`. */
function alwaysDrops(file: GoFile, body: SyntaxNode): boolean {
  const returns = body.descendantsOfType('return_statement');
  return returns.length > 0 && returns.every((ret) => {
    const value = ret?.namedChild(0);
    const literal = value?.type === 'expression_list' ? value.namedChild(0) : value;
    if (literal?.type !== 'composite_literal') return false;
    const type = literal.childForFieldName('type');
    if (!type || !file.isPackageType(type, OTEL_SDK_TRACE_PKG, 'SamplingResult')) return false;
    const elements = namedChildren(literal.childForFieldName('body')!).filter((e) => e.type === 'keyed_element');
    return elements.some((element) => {
      const [key, decision] = namedChildren(element);
      if (!key || !decision || file.text(key) !== 'Decision') return false;
      const inner = decision.type === 'literal_element' ? decision.namedChild(0) : decision;
      const field = inner?.type === 'selector_expression' ? inner.childForFieldName('field') : null;
      return !!field && file.text(field) === 'Drop' && file.packageOfOperand(inner!.childForFieldName('operand')) === OTEL_SDK_TRACE_PKG;
    });
  });
}

/** The custom sampler a `ShouldSample` method declares, when it decides on its own in a way that drops sampled spans. */
function samplerOfMethod(file: GoFile, method: SyntaxNode): CustomSampler | undefined {
  const params = method.childForFieldName('parameters');
  const result = method.childForFieldName('result');
  const body = method.childForFieldName('body');
  const type = receiverTypeName(file, method);
  if (!params || !result || !body || !type) return undefined;
  if (!file.isPackageType(result, OTEL_SDK_TRACE_PKG, 'SamplingResult')) return undefined;
  const declared = namedChildren(params).filter((p) => p.type === 'parameter_declaration');
  const paramType = declared.length === 1 ? declared[0]!.childForFieldName('type') : null;
  if (!paramType || !file.isPackageType(paramType, OTEL_SDK_TRACE_PKG, 'SamplingParameters')) return undefined;
  if (DEFERS_DECISION.test(file.text(body))) return undefined;
  const names = childrenForField(declared[0]!, 'name').map((n) => file.text(n));
  const param = names.length === 1 && names[0] !== '_' ? names[0] : undefined;
  const use = param ? ownUseOf(file, body, param) : { readsTraceID: false };
  if (!use) return undefined;
  if (use.readsTraceID) return { type, evidence: 'traceID' };
  if (drawsRandom(file, body)) return { type, evidence: 'random' };
  if (alwaysDrops(file, body)) return { type, evidence: 'drop' };
  return undefined;
}

/** `*ratioSampler`, `ratioSampler`, `&ratioSampler{…}`, `ratioSampler{…}`: the type named, or undefined. */
function namedTypeIn(file: GoFile, node: SyntaxNode | null): string | undefined {
  let current = node;
  if (current?.type === 'pointer_type' || current?.type === 'unary_expression') current = current.namedChild(current.namedChildCount - 1);
  if (current?.type === 'composite_literal') current = current.childForFieldName('type');
  return current?.type === 'type_identifier' ? file.text(current) : undefined;
}

/**
 * `func newRatioSampler(r float64) *ratioSampler`, or `… sdktrace.Sampler { return &ratioSampler{…} }`: a
 * function whose single result is one of the custom samplers.
 */
function constructedSampler(file: GoFile, fn: SyntaxNode, samplers: ReadonlyMap<string, CustomSampler>): CustomSampler | undefined {
  const result = fn.childForFieldName('result');
  if (!result || result.type === 'parameter_list') return undefined;
  const declared = namedTypeIn(file, result);
  if (declared !== undefined) return samplers.get(declared);
  const body = fn.childForFieldName('body');
  const returns = body ? body.descendantsOfType('return_statement') : [];
  let built: CustomSampler | undefined;
  for (const ret of returns) {
    const type = namedTypeIn(file, ret?.namedChild(0) ?? null);
    const sampler = type !== undefined ? samplers.get(type) : undefined;
    if (!sampler || (built && built !== sampler)) return undefined;
    built = sampler;
  }
  return built;
}

/** Records the file's parent-ignoring samplers, and the functions that build them, into `into` (name → encoded). */
export function collectCustomSamplers(file: GoFile, topLevel: readonly SyntaxNode[], into: Map<string, string>): void {
  if (!file.imports.has(OTEL_SDK_TRACE_PKG)) return;
  const samplers = new Map<string, CustomSampler>();
  for (const decl of topLevel) {
    if (decl.type !== 'method_declaration') continue;
    const name = decl.childForFieldName('name');
    if (!name || file.text(name) !== 'ShouldSample') continue;
    const sampler = samplerOfMethod(file, decl);
    if (sampler) samplers.set(sampler.type, sampler);
  }
  if (samplers.size === 0) return;
  for (const sampler of samplers.values()) into.set(sampler.type, encodeCustomSampler(sampler));
  for (const decl of topLevel) {
    if (decl.type !== 'function_declaration') continue;
    const name = decl.childForFieldName('name');
    const sampler = name ? constructedSampler(file, decl, samplers) : undefined;
    if (sampler && !samplers.has(file.text(name!))) into.set(file.text(name!), encodeCustomSampler(sampler));
  }
}
