// sampler-not-parent-based: samplers that ignore the sampling decision already made upstream. An OpenTelemetry
// `TraceIDRatioBased` sampler not wrapped in `ParentBased` makes every service decide on its own, so a trace
// sampled by the caller loses this service's spans ("holes"); `NeverSample()` drops them all; the Jaeger
// client's `const` sampler with param 0 (or `NewConstSampler(false)`) samples nothing.
//
// Only the sampler a program installs is the question: a sampler is reported when it reaches the tracer
// unwrapped — as the argument of `WithSampler(…)` (OpenTelemetry), of `jaeger.NewTracer(…)` or
// `jaegercfg.Sampler(…)`, or as the `Sampler` of a Jaeger `Configuration` — directly or through local
// variables of the function that installs it, or held in a package-level variable (a program's sampler
// setting). A sampler that goes anywhere else is not installed here, and stays unreported: one a function
// returns (its caller may wrap it in ParentBased), one handed to another sampler or option
// (`jaegerremote.WithInitialSampler`, a custom parent-based sampler), one stored in a sampler's own fields
// (the building blocks of a sampler implementation), or one picked by a switch over configured sampler names
// (a library mapping the user's declarative choice to SDK samplers). A tracer set up in a test (a file that
// imports package testing) is no program's either: a test drops every span on purpose to test that path.
//
// A sampler the file writes itself (customSamplers.ts: a type whose ShouldSample decides from the trace ID, at
// random or always drops, without reading the parent's decision) is reported where it is installed unwrapped:
// `WithSampler(&ratioSampler{…})`, `WithSampler(newRatioSampler(r))`, or a local variable holding one. Unlike
// the SDK's samplers, a custom one held in a package-level variable is not reported by itself: it may be the
// building block of another sampler.

import type { SyntaxNode } from '../syntaxTree';
import type { GoFile } from '../goFile';
import type { Rule, RuleContext } from '../rule';
import type { Binding, FunctionFrame } from '../scope';
import { JAEGER_CONFIG_PKG, JAEGER_PKG, OTEL_SDK_TRACE_PKG } from '../goPackages';
import { childrenForField, expressionsOf, namedChildren, rangeOf } from '../syntax';
import { callInfo } from '../callInfo';
import { ensureImport, replaceNode } from '../fixEdits';
import { lineRef, type Fix, type RelatedLocation } from '../findings';
import { customSamplerOf, type CustomSampler } from './customSamplers';

const OTEL_SAMPLERS: ReadonlySet<string> = new Set(['TraceIDRatioBased', 'NeverSample']);
/** Constructors of the SDK's samplers, to recognise a switch that picks between them. */
const ANY_OTEL_SAMPLER = /^(TraceIDRatioBased|NeverSample|AlwaysSample|ParentBased)$/;

/** A sampler that would be reported if the program installs it, with what the report says. */
interface Candidate {
  readonly node: SyntaxNode;
  readonly report: (context: RuleContext, installedAt: SyntaxNode | undefined) => void;
}

const owner = {};

/** Per function: the candidates each local variable may hold. */
function heldBy(frame: FunctionFrame): Map<Binding, Candidate[]> {
  return frame.stateFor(owner, () => new Map<Binding, Candidate[]>());
}

/** Candidates assigned in a statement, waiting for its names to be bound (statement → target index → candidates). */
const pendingOwner = {};
function pendingOf(frame: FunctionFrame): Map<SyntaxNode['id'], Map<number, Candidate[]>> {
  return frame.stateFor(pendingOwner, () => new Map<number, Map<number, Candidate[]>>());
}

/** True when the sampler is (an argument somewhere inside) a ParentBased(...) call. */
function insideParentBased(context: RuleContext, node: SyntaxNode): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'call_expression') {
      const callee = current.childForFieldName('function');
      const name = callee?.type === 'selector_expression' ? callee.childForFieldName('field') : callee;
      if (name && context.file.text(name) === 'ParentBased') return true;
    }
    if (current.type.endsWith('_statement') || current.type.endsWith('_declaration') || current.type === 'block') return false;
  }
  return false;
}

/** The expression around `node` once parentheses, `&` and slices of options are looked through. */
function valuePosition(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (current.parent && (current.parent.type === 'parenthesized_expression' || current.parent.type === 'unary_expression')) current = current.parent;
  return current;
}

/** The name of a call's callee (`WithSampler` in sdktrace.WithSampler). */
function calleeName(file: GoFile, call: SyntaxNode): string {
  return callInfo(file, call).name;
}

/** Where a sampler value goes: installed, assigned to a name, or elsewhere (not installed here). */
type Destination =
  | { readonly kind: 'installed'; readonly at: SyntaxNode }
  | { readonly kind: 'assigned'; readonly statement: SyntaxNode; readonly index: number; readonly packageLevel: boolean }
  | { readonly kind: 'elsewhere' };

/** Calls that install their argument as the tracer's sampler, and which argument. */
function installingArgument(file: GoFile, call: SyntaxNode, jaeger: boolean): number {
  const info = callInfo(file, call);
  if (!jaeger) return info.name === 'WithSampler' ? 0 : -1;
  // jaeger.NewTracer(serviceName, sampler, reporter, …); jaegercfg.Sampler(sampler) (an option of cfg.NewTracer).
  if (info.name === 'NewTracer' && info.operandName !== undefined && file.imports.refersTo(info.operandName, JAEGER_PKG)) return 1;
  if (info.name === 'Sampler' && info.operandName !== undefined && file.imports.refersTo(info.operandName, JAEGER_CONFIG_PKG)) return 0;
  return -1;
}

/** A `Sampler:` element of a jaegercfg.Configuration literal: the configuration's installed sampler. */
function isConfigurationSampler(file: GoFile, element: SyntaxNode): boolean {
  const key = element.namedChild(0);
  if (!key || file.text(key) !== 'Sampler') return false;
  const literal = element.parent?.parent;
  const type = literal?.type === 'composite_literal' ? literal.childForFieldName('type') : null;
  return !!type && file.isPackageType(type, JAEGER_CONFIG_PKG, 'Configuration');
}

function destinationOf(context: RuleContext, value: SyntaxNode, jaeger: boolean): Destination {
  const { file } = context;
  const at = valuePosition(value);
  const parent = at.parent;
  if (!parent) return { kind: 'elsewhere' };
  if (parent.type === 'argument_list') {
    const call = parent.parent!;
    const index = namedChildren(parent).findIndex((a) => a.id === at.id);
    return installingArgument(file, call, jaeger) === index && index >= 0 ? { kind: 'installed', at: call } : { kind: 'elsewhere' };
  }
  if (jaeger && (parent.type === 'keyed_element' || parent.type === 'literal_element')) {
    const element = parent.type === 'literal_element' ? parent.parent : parent;
    if (element?.type === 'keyed_element' && isConfigurationSampler(file, element)) return { kind: 'installed', at: element };
    return { kind: 'elsewhere' };
  }
  if (parent.type === 'expression_list') {
    const statement = parent.parent;
    if (!statement) return { kind: 'elsewhere' };
    const index = namedChildren(parent).findIndex((v) => v.id === at.id);
    if (statement.type === 'short_var_declaration' || statement.type === 'assignment_statement') {
      if (statement.childForFieldName('right')?.id !== parent.id) return { kind: 'elsewhere' };
      const targets = expressionsOf(statement.childForFieldName('left'));
      const target = targets[index];
      // `cfg.Sampler = &jaegercfg.SamplerConfig{…}`: the configuration's sampler.
      if (jaeger && target?.type === 'selector_expression' && file.text(target.childForFieldName('field')!) === 'Sampler') {
        return { kind: 'installed', at: target };
      }
      return target?.type === 'identifier' ? { kind: 'assigned', statement, index, packageLevel: false } : { kind: 'elsewhere' };
    }
    if (statement.type === 'var_spec') {
      const packageLevel = statement.parent?.type === 'var_declaration' && statement.parent.parent?.type === 'source_file' ||
        statement.parent?.type === 'var_spec_list' && statement.parent.parent?.parent?.type === 'source_file';
      return { kind: 'assigned', statement, index, packageLevel };
    }
  }
  return { kind: 'elsewhere' };
}

/**
 * True when the sampler is one branch of a switch over configured names (`case "traceidratio": …`) that picks
 * between several samplers: the user chose its type, the library only maps the choice.
 */
function chosenByConfiguration(context: RuleContext, node: SyntaxNode): boolean {
  const { file } = context;
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'expression_case') {
      const values = current.childForFieldName('value');
      const switchNode = current.parent;
      if (!values || switchNode?.type !== 'expression_switch_statement' || !switchNode.childForFieldName('value')) return false;
      const constant = namedChildren(values).every((v) =>
        v.type === 'interpreted_string_literal' || v.type === 'raw_string_literal' || v.type === 'identifier' || v.type === 'selector_expression');
      if (!constant) return false;
      let branches = 0;
      for (const clause of namedChildren(switchNode)) {
        if (clause.type !== 'expression_case' && clause.type !== 'default_case') continue;
        const picks = clause.descendantsOfType('call_expression').some((c) => !!c && ANY_OTEL_SAMPLER.test(calleeName(file, c)));
        if (picks) branches++;
      }
      return branches >= 2;
    }
    if (current.type === 'function_declaration' || current.type === 'method_declaration' || current.type === 'func_literal') return false;
  }
  return false;
}

/**
 * The sampler is installed (or held by a package-level variable, when `packageLevelCounts`): report it, or hold
 * it until it is.
 */
function follow(context: RuleContext, candidate: Candidate, jaeger: boolean, packageLevelCounts = true): void {
  const destination = destinationOf(context, candidate.node, jaeger);
  if (destination.kind === 'installed') {
    candidate.report(context, destination.at);
    return;
  }
  if (destination.kind !== 'assigned') return;
  if (destination.packageLevel) {
    if (packageLevelCounts) candidate.report(context, undefined);
    return;
  }
  const frame = context.scope.currentFrame;
  if (!frame) return;
  const pending = pendingOf(frame);
  let byIndex = pending.get(destination.statement.id);
  if (!byIndex) pending.set(destination.statement.id, (byIndex = new Map()));
  byIndex.set(destination.index, [...(byIndex.get(destination.index) ?? []), candidate]);
}

function otelCandidate(context: RuleContext, node: SyntaxNode, operand: SyntaxNode, method: string): Candidate {
  const { file } = context;
  return {
    node,
    report(ctx, installedAt) {
      const wrapped = `${file.text(operand)}.ParentBased(${file.text(node)})`;
      const where = installedAt ? `, installed by ${describeInstall(file, installedAt)} on line ${lineRef(installedAt.startPosition.row)},` : '';
      ctx.report({
        range: rangeOf(node),
        message: method === 'NeverSample'
          ? `NeverSample()${where} drops every span of this service, even in traces the caller sampled: those traces arrive ` +
            `with this service missing. Wrap it in ParentBased so sampled parents keep their children: ${wrapped}.`
          : `${file.text(node)}${where} decides on its own, ignoring the caller's sampling decision: a trace sampled upstream ` +
            `loses this service's spans (and vice versa), so traces arrive with holes. Wrap it: ${wrapped}.`,
        fixes: [{ title: 'Wrap in ParentBased', edits: [replaceNode(node, wrapped)] }],
        related: installedRelated(installedAt),
      });
    },
  };
}

function describeInstall(file: GoFile, at: SyntaxNode): string {
  if (at.type === 'call_expression') return calleeName(file, at);
  return 'the Jaeger configuration';
}

function installedRelated(at: SyntaxNode | undefined): RelatedLocation[] {
  return at ? [{ range: rangeOf(at), message: 'Where the sampler is installed.' }] : [];
}

/** Test code (the file imports package testing): its tracers are test fixtures, not what the program installs. */
function isTestCode(file: GoFile): boolean {
  return file.imports.has('testing');
}

/**
 * A call to a function of this file that returns a self-deciding sampler (`ratioSampler()`): what its caller
 * installs is the question, so the call is followed like the sampler itself.
 */
function visitSamplerReturnerCall(context: RuleContext, node: SyntaxNode, name: string, returned: string): void {
  const { file } = context;
  if (isTestCode(file) || insideParentBased(context, node) || chosenByConfiguration(context, node)) return;
  const qualifier = file.imports.qualifierFor(OTEL_SDK_TRACE_PKG);
  if (qualifier === undefined) return;
  follow(context, {
    node,
    report(ctx, installedAt) {
      const wrapped = `${qualifier}.ParentBased(${file.text(node)})`;
      const where = installedAt ? `, installed by ${describeInstall(file, installedAt)} on line ${lineRef(installedAt.startPosition.row)},` : '';
      ctx.report({
        range: rangeOf(node),
        message:
          `${name} returns ${returned}, which${where} decides on its own, ignoring the caller's sampling decision: a trace ` +
          `sampled upstream loses this service's spans (and vice versa), so traces arrive with holes. Wrap it: ${wrapped}.`,
        fixes: [{ title: 'Wrap in ParentBased', edits: [replaceNode(node, wrapped)] }],
        related: installedRelated(installedAt),
      });
    },
  }, false);
}

const EVIDENCE: Readonly<Record<'traceID' | 'random', string>> = {
  traceID: 'decides from the trace ID alone',
  random: 'decides at random',
};

/**
 * A sampler the file writes itself, built here (`&ratioSampler{…}`, or `newRatioSampler(r)` for a function
 * that builds one): reported where it is installed unwrapped.
 */
function visitCustomSampler(context: RuleContext, node: SyntaxNode, sampler: CustomSampler, builtBy: string | undefined): void {
  const { file } = context;
  if (isTestCode(file) || insideParentBased(context, node) || chosenByConfiguration(context, node)) return;
  follow(context, {
    node,
    report(ctx, installedAt) {
      const use = ensureImport(file, OTEL_SDK_TRACE_PKG, 'sdktrace', 'sdktrace');
      const wrapped = `${use.prefix}ParentBased(${file.text(node)})`;
      const where = installedAt ? `, installed by ${describeInstall(file, installedAt)} on line ${lineRef(installedAt.startPosition.row)}` : '';
      const subject = `${builtBy ? `${builtBy} builds a ${sampler.type}, which` : sampler.type}${where},`;
      const never = `its ShouldSample never looks at whether the parent was sampled`;
      const message = sampler.evidence === 'drop'
        ? `${subject} drops every span of this service, even in traces the caller sampled (${never}): those traces ` +
          `arrive with this service missing. Wrap it so sampled parents keep their children: ${wrapped}.`
        : `${subject} ignores the caller's sampling decision: ${never} and ${EVIDENCE[sampler.evidence]}, so a trace ` +
          `sampled upstream loses the spans it drops here (and the children of a span it drops are decided again) and ` +
          `arrives with holes. Wrap it: ${wrapped}.`;
      ctx.report({
        range: rangeOf(node),
        message,
        fixes: [{ title: 'Wrap in ParentBased', edits: [replaceNode(node, wrapped), ...use.edits] }],
        related: installedRelated(installedAt),
      });
    },
  }, false, false);
}

function visitCall(node: SyntaxNode, context: RuleContext): void {
  const { file } = context;
  const info = callInfo(file, node);
  const method = info.name;
  if (info.calleeType === 'identifier' && !context.scope.resolve(method)) {
    const returned = file.facts.samplerReturners.get(method);
    if (returned !== undefined) visitSamplerReturnerCall(context, node, method, returned);
    const custom = file.facts.customSamplers.size > 0 ? customSamplerOf(file, method) : undefined;
    if (custom && custom.type !== method) visitCustomSampler(context, node, custom, method);
    return;
  }
  if (!OTEL_SAMPLERS.has(method) && method !== 'NewConstSampler') return;
  if (isTestCode(file)) return;
  const operand = info.operand;
  const pkg = info.operandPackage;
  if (pkg === OTEL_SDK_TRACE_PKG && OTEL_SAMPLERS.has(method)) {
    if (insideParentBased(context, node) || chosenByConfiguration(context, node)) return;
    follow(context, otelCandidate(context, node, operand!, method), false);
    return;
  }
  if (pkg === JAEGER_PKG && method === 'NewConstSampler') {
    const [arg] = info.args;
    if (arg?.type !== 'false') return;
    follow(context, {
      node,
      report(ctx, installedAt) {
        ctx.report({
          range: rangeOf(node),
          message: `A const sampler set to false samples nothing: every span of this service is dropped. Sample every trace with ${file.text(operand!)}.NewConstSampler(true), or use a probabilistic sampler.`,
          fixes: [{ title: 'Sample every trace (NewConstSampler(true))', edits: [replaceNode(arg, 'true')] }],
          related: installedRelated(installedAt),
        });
      },
    }, true);
  }
}

/** A local variable passed where samplers are installed: report what it holds. */
function visitInstallingCall(node: SyntaxNode, context: RuleContext): void {
  const frame = context.scope.currentFrame;
  if (!frame) return;
  const held = heldBy(frame);
  if (held.size === 0) return;
  const { file } = context;
  for (const jaeger of [false, true]) {
    const index = installingArgument(file, node, jaeger);
    if (index < 0) continue;
    const arg = node.childForFieldName('arguments')?.namedChild(index);
    if (arg) installHeld(context, arg, node);
  }
}

function installHeld(context: RuleContext, expr: SyntaxNode, at: SyntaxNode): void {
  let value = expr;
  while (value.type === 'parenthesized_expression' || value.type === 'unary_expression') value = value.namedChild(0) ?? value;
  if (value.type !== 'identifier') return;
  const binding = context.scope.resolve(context.file.text(value));
  const frame = context.scope.currentFrame;
  if (!binding || !frame) return;
  for (const candidate of heldBy(frame).get(binding) ?? []) candidate.report(context, at);
}

function isZero(text: string): boolean {
  return /^0*(\.0*)?$/.test(text.trim()) && text.trim() !== '';
}

function visitCompositeLiteral(node: SyntaxNode, context: RuleContext): void {
  const { file } = context;
  const type = node.childForFieldName('type');
  if (!type || isTestCode(file)) return;
  if (type.type === 'type_identifier' && file.facts.customSamplers.size > 0) {
    const name = file.text(type);
    const custom = customSamplerOf(file, name);
    if (custom?.type === name) {
      const parent = node.parent;
      visitCustomSampler(context, parent?.type === 'unary_expression' ? parent : node, custom, undefined);
    }
    return;
  }
  if (file.isPackageType(type, JAEGER_CONFIG_PKG, 'Configuration')) {
    visitConfiguration(node, context);
    return;
  }
  if (!file.isPackageType(type, JAEGER_CONFIG_PKG, 'SamplerConfig')) return;
  const body = node.childForFieldName('body');
  if (!body) return;
  let typeElement: SyntaxNode | undefined;
  let typeIsConst = false;
  let paramValue: SyntaxNode | undefined;
  for (const element of namedChildren(body)) {
    if (element.type !== 'keyed_element') continue;
    const [key, value] = namedChildren(element);
    if (!key || !value) continue;
    const keyText = file.text(key);
    const valueText = file.text(value);
    if (keyText === 'Type') {
      typeElement = element;
      typeIsConst = valueText === '"const"' || valueText === '`const`' || /(^|\.)SamplerTypeConst$/.test(valueText);
    } else if (keyText === 'Param') {
      paramValue = value;
    }
  }
  if (!typeElement || !typeIsConst) return;
  if (paramValue && !isZero(file.text(paramValue))) return;
  const at = paramValue ?? typeElement;
  const element = typeElement;
  follow(context, {
    node,
    report(ctx, installedAt) {
      const fix: Fix = {
        title: 'Sample every trace (Param: 1)',
        edits: [paramValue ? replaceNode(paramValue, '1') : { range: { start: rangeOf(element).end, end: rangeOf(element).end }, newText: ', Param: 1' }],
      };
      ctx.report({
        range: rangeOf(at),
        message:
          `A Jaeger const sampler with param 0 samples nothing: every span of this service is dropped, and traces that ` +
          `pass through it arrive without it. Set Param: 1 to sample every trace, or use a probabilistic sampler.`,
        fixes: [fix],
        related: installedRelated(installedAt),
      });
    },
  }, true);
}

/** `jaegercfg.Configuration{Sampler: sc}`: the sampler a local variable holds is installed. */
function visitConfiguration(node: SyntaxNode, context: RuleContext): void {
  const frame = context.scope.currentFrame;
  if (!frame || heldBy(frame).size === 0) return;
  const body = node.childForFieldName('body');
  if (!body) return;
  for (const element of namedChildren(body)) {
    if (element.type !== 'keyed_element' || !isConfigurationSampler(context.file, element)) continue;
    const value = element.namedChild(1);
    const inner = value?.type === 'literal_element' ? value.namedChild(0) : value;
    if (inner) installHeld(context, inner, element);
  }
}

/** After a declaration or assignment: the variables it binds now hold the candidates assigned to them. */
function exitStatement(node: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  const frame = scope.currentFrame;
  if (!frame) return;
  const pending = pendingOf(frame).get(node.id);
  const held = heldBy(frame);
  if (!pending && held.size === 0) return;
  pendingOf(frame).delete(node.id);
  const names = node.type === 'var_spec' ? childrenForField(node, 'name') : expressionsOf(node.childForFieldName('left'));
  const values = node.type === 'var_spec' ? expressionsOf(node.childForFieldName('value')) : expressionsOf(node.childForFieldName('right'));
  const reassignment = node.type === 'assignment_statement';
  names.forEach((name, i) => {
    if (name.type !== 'identifier') return;
    const binding = scope.resolve(file.text(name));
    if (!binding) return;
    const value = values.length === names.length ? values[i] : undefined;
    let assigned = pending?.get(i) ?? [];
    // `s2 := s`: the same samplers.
    if (value?.type === 'identifier') {
      const source = scope.resolve(file.text(value));
      if (source && source !== binding) assigned = [...assigned, ...(held.get(source) ?? [])];
    }
    const before = held.get(binding) ?? [];
    // `s = sdktrace.ParentBased(s)`: the variable is wrapped; what it held is not installed as it was.
    const wraps = !!value && value.type === 'call_expression' && calleeName(file, value) === 'ParentBased';
    if (wraps) held.delete(binding);
    else if (reassignment && before.length > 0) held.set(binding, [...before, ...assigned]); // another branch may keep the earlier value
    else if (assigned.length > 0) held.set(binding, assigned);
    else held.delete(binding);
  });
}

export const samplerNotParentBased: Rule = {
  id: 'sampler-not-parent-based',
  visitors: {
    call_expression: (node, context) => {
      visitCall(node, context);
      visitInstallingCall(node, context);
    },
    composite_literal: visitCompositeLiteral,
  },
  exits: {
    short_var_declaration: exitStatement,
    assignment_statement: exitStatement,
    var_spec: exitStatement,
  },
};
