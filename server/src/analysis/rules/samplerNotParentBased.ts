// sampler-not-parent-based: samplers that ignore the sampling decision already made upstream. An OpenTelemetry
// `TraceIDRatioBased` sampler not wrapped in `ParentBased` makes every service decide on its own, so a trace
// sampled by the caller loses this service's spans ("holes"); `NeverSample()` drops them all; the Jaeger
// client's `const` sampler with param 0 (or `NewConstSampler(false)`) samples nothing.

import type { SyntaxNode } from '../goParser';
import type { Rule, RuleContext } from '../rule';
import { JAEGER_CONFIG_PKG, JAEGER_PKG, OTEL_SDK_TRACE_PKG } from '../goPackages';
import { namedChildren, rangeOf } from '../syntax';
import { callInfo } from '../callInfo';
import { replaceNode } from '../fixEdits';

const OTEL_SAMPLERS: ReadonlySet<string> = new Set(['TraceIDRatioBased', 'NeverSample']);

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

function visitCall(node: SyntaxNode, context: RuleContext): void {
  const { file } = context;
  const info = callInfo(file, node);
  const method = info.name;
  if (!OTEL_SAMPLERS.has(method) && method !== 'NewConstSampler') return;
  const operand = info.operand;
  const pkg = info.operandPackage;
  if (pkg === OTEL_SDK_TRACE_PKG && OTEL_SAMPLERS.has(method)) {
    if (insideParentBased(context, node)) return;
    const wrapped = `${file.text(operand!)}.ParentBased(${file.text(node)})`;
    context.report({
      range: rangeOf(node),
      message: method === 'NeverSample'
        ? `NeverSample() drops every span of this service, even in traces the caller sampled: those traces arrive with ` +
          `this service missing. Wrap it in ParentBased so sampled parents keep their children: ${wrapped}.`
        : `${file.text(node)} decides on its own, ignoring the caller's sampling decision: a trace sampled upstream ` +
          `loses this service's spans (and vice versa), so traces arrive with holes. Wrap it: ${wrapped}.`,
      fixes: [{ title: `Wrap in ParentBased`, edits: [replaceNode(node, wrapped)] }],
    });
    return;
  }
  if (pkg === JAEGER_PKG && method === 'NewConstSampler') {
    const [arg] = info.args;
    if (arg?.type !== 'false') return;
    context.report({
      range: rangeOf(node),
      message: `A const sampler set to false samples nothing: every span of this service is dropped. Sample every trace with ${file.text(operand!)}.NewConstSampler(true), or use a probabilistic sampler.`,
      fixes: [{ title: 'Sample every trace (NewConstSampler(true))', edits: [replaceNode(arg, 'true')] }],
    });
  }
}

function isZero(text: string): boolean {
  return /^0*(\.0*)?$/.test(text.trim()) && text.trim() !== '';
}

function visitCompositeLiteral(node: SyntaxNode, context: RuleContext): void {
  const { file } = context;
  const type = node.childForFieldName('type');
  if (!type || !file.isPackageType(type, JAEGER_CONFIG_PKG, 'SamplerConfig')) return;
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
  context.report({
    range: rangeOf(at),
    message:
      `A Jaeger const sampler with param 0 samples nothing: every span of this service is dropped, and traces that ` +
      `pass through it arrive without it. Set Param: 1 to sample every trace, or use a probabilistic sampler.`,
    fixes: [{
      title: 'Sample every trace (Param: 1)',
      edits: [paramValue ? replaceNode(paramValue, '1') : { range: { start: rangeOf(typeElement).end, end: rangeOf(typeElement).end }, newText: ', Param: 1' }],
    }],
  });
}

export const samplerNotParentBased: Rule = {
  id: 'sampler-not-parent-based',
  visitors: { call_expression: visitCall, composite_literal: visitCompositeLiteral },
};
