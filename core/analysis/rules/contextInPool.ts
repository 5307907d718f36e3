// context-in-pool: a sync.Pool whose objects carry a context.Context (or a span). A pooled object handed to the
// next request still holds the previous request's context: its spans join the wrong trace, and the old
// request's values and cancellation leak into the new one. Recognised when the pool's New returns a struct
// declared in this file with a context or span field, or sets such a field.

import type { SyntaxNode } from '../syntaxTree';
import type { Rule, RuleContext } from '../rule';
import { SYNC_PKG } from '../goPackages';
import { isRootContextCall } from '../contextScope';
import { namedChildren, rangeOf } from '../syntax';

/** The struct type a returned expression builds: `&T{}`, `T{}` or `new(T)`. */
function builtType(context: RuleContext, expr: SyntaxNode): { name: string; literal: SyntaxNode | undefined } | undefined {
  const { file } = context;
  let node = expr;
  if (node.type === 'unary_expression') node = node.childForFieldName('operand') ?? node;
  if (node.type === 'composite_literal') {
    const type = node.childForFieldName('type');
    return type?.type === 'type_identifier' ? { name: file.text(type), literal: node } : undefined;
  }
  if (node.type === 'call_expression' && file.text(node.childForFieldName('function')!) === 'new') {
    const arg = node.childForFieldName('arguments')?.namedChild(0);
    return arg?.type === 'type_identifier' ? { name: file.text(arg), literal: undefined } : undefined;
  }
  return undefined;
}

/** A field of the literal set to a context: `Ctx: context.Background()`, `ctx: ctx`. */
function contextField(context: RuleContext, literal: SyntaxNode): string | undefined {
  const body = literal.childForFieldName('body');
  if (!body) return undefined;
  for (const element of namedChildren(body)) {
    if (element.type !== 'keyed_element') continue;
    const [key, value] = namedChildren(element);
    const inner = value?.type === 'literal_element' ? value.namedChild(0) : value;
    if (!key || !inner) continue;
    const kind = inner.type === 'identifier' ? context.scope.kindOf(context.file.text(inner)) : undefined;
    if (isRootContextCall(context.file, inner) || kind === 'context' || kind === 'rootContext' || kind === 'span') return context.file.text(key);
  }
  return undefined;
}

function visitCompositeLiteral(node: SyntaxNode, context: RuleContext): void {
  const { file } = context;
  const type = node.childForFieldName('type');
  if (!type || !file.isPackageType(type, SYNC_PKG, 'Pool')) return;
  const body = node.childForFieldName('body');
  if (!body) return;
  for (const element of namedChildren(body)) {
    if (element.type !== 'keyed_element') continue;
    const [key, value] = namedChildren(element);
    if (!key || file.text(key) !== 'New') continue;
    const fn = value?.type === 'literal_element' ? value.namedChild(0) : value;
    if (fn?.type !== 'func_literal') continue;
    for (const ret of fn.descendantsOfType('return_statement')) {
      const expr = ret?.namedChild(0)?.namedChild(0) ?? ret?.namedChild(0);
      if (!expr) continue;
      const built = builtType(context, expr);
      if (!built) continue;
      const field = file.facts.contextCarriers.get(built.name) ?? (built.literal ? contextField(context, built.literal) : undefined);
      if (!field) continue;
      context.report({
        range: rangeOf(type),
        message:
          `This pool's objects (${built.name}) carry a context in ${field}: an object reused by the next request still ` +
          `holds the previous request's context, so its spans join the wrong trace and the old cancellation and values ` +
          `leak. Keep contexts out of pooled objects and pass the context as a parameter.`,
        related: [{ range: rangeOf(expr), message: `New returns ${built.name}, which carries ${field}.` }],
      });
      return;
    }
  }
}

export const contextInPool: Rule = {
  id: 'context-in-pool',
  visitors: { composite_literal: visitCompositeLiteral },
};
