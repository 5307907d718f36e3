// What a declaring statement adds to the scope: `:=`, `var`, `=`, `range` and `case x := <-ch`. The values are
// worked out when the walk enters the statement (its right-hand side sees only earlier bindings) and the names
// become visible when it leaves it, as in Go.

import type { SyntaxNode } from './syntaxTree';
import type { GoFile } from './goFile';
import type { Binding, ScopeTracker } from './scope';
import { assignmentOperator, childrenForField, expressionsOf } from './syntax';
import { contextOf, isContextName, valuesAssigned, type ValueInfo } from './valueFlow';
import { lineRef } from './findings';
import { namedTypeBuiltBy, namedTypeOf } from './namedTypes';
import { functionRefOf } from './functionRefs';
import { kindOfType } from './valueKinds';

export interface DeclarationPlan {
  apply(tracker: ScopeTracker): void;
}

const OTHER: ValueInfo = { kind: 'other' };

/** For a span's binding: the name its companion context was assigned to. */
function linkSpanContext(file: GoFile, binding: Binding | undefined, value: ValueInfo | undefined, names: readonly SyntaxNode[]): void {
  if (!binding || !value?.start || value.start.contextResult < 0) return;
  const ctxName = names[value.start.contextResult];
  binding.spanContextName = ctxName ? file.text(ctxName) : undefined;
}

function declareAll(file: GoFile, names: readonly SyntaxNode[], values: readonly ValueInfo[], visibleFrom: number): DeclarationPlan {
  return {
    apply(tracker) {
      names.forEach((name, i) => {
        if (name.type !== 'identifier') return;
        const binding = tracker.declare(name, values[i] ?? OTHER, visibleFrom);
        linkSpanContext(file, binding, values[i], names);
      });
    },
  };
}

/**
 * Contexts the value flow does not know by the callee: `ctx = tracing.Extract(ctx, h)`,
 * `ctx, x = helper(ctx, …)`. A call handed a context, whose result goes to a variable that already holds a
 * context (Go's static typing keeps it one) or that is named as one, returns a context derived from it: the
 * helper's result still continues the chain, and the rules keep watching the function after it.
 */
function helperContexts(
  file: GoFile, names: readonly SyntaxNode[], rhs: readonly SyntaxNode[], values: ValueInfo[], tracker: ScopeTracker, line: number,
): ValueInfo[] {
  return values.map((value, i) => {
    if (value.kind !== 'other') return value;
    const name = names[i];
    if (name?.type !== 'identifier') return value;
    const call = rhs.length === 1 ? rhs[0] : rhs[i];
    if (call?.type !== 'call_expression') return value;
    const text = file.text(name);
    const held = tracker.resolve(text)?.kind;
    if (held !== 'context' && !(held === undefined && isContextName(text))) return value;
    const args = call.childForFieldName('arguments')?.namedChildren ?? [];
    for (const arg of args) {
      if (!arg) continue;
      const parent = contextOf(file, arg, tracker.lookup, line);
      if (parent?.kind !== 'context') continue;
      const callee = call.childForFieldName('function');
      // Not `derivedNew`: what the helper added (a logger, a value, a span) is unknown, so rules that need a
      // new context to have been made here (context-not-propagated) do not count it.
      return {
        kind: 'context', fromRequest: parent.fromRequest, derivedNew: false,
        origin: `the context ${callee ? file.text(callee) : 'a call'} returned on line ${lineRef(line)}`,
      };
    }
    return value;
  });
}

/**
 * Values built as `&Cache{}`, `Cache{}` or by `NewCache()` carry their type, and function values (`f.Fill`,
 * `loadConfig`) the function they name (one value per name only).
 */
function withNamedTypes(file: GoFile, rhs: readonly SyntaxNode[], values: ValueInfo[], tracker?: ScopeTracker): ValueInfo[] {
  if (rhs.length !== values.length) return values;
  return values.map((value, i) => {
    if (value.kind !== 'other') return value;
    const expr = rhs[i]!;
    if (tracker && (expr.type === 'identifier' || expr.type === 'selector_expression')) {
      const functionRef = functionRefOf(file, tracker, expr);
      if (functionRef) return { ...value, functionRef };
    }
    const namedType = namedTypeBuiltBy(file, expr);
    return namedType ? { ...value, namedType } : value;
  });
}

/** The plan for a declaring statement, or undefined when it declares nothing the scope tracks. */
export function planDeclaration(file: GoFile, node: SyntaxNode, tracker: ScopeTracker): DeclarationPlan | undefined {
  const line = node.startPosition.row;
  switch (node.type) {
    case 'short_var_declaration': {
      const names = expressionsOf(node.childForFieldName('left'));
      const rhs = expressionsOf(node.childForFieldName('right'));
      const values = withNamedTypes(file, rhs, helperContexts(file, names, rhs, valuesAssigned(file, rhs, names.length, tracker.lookup, line), tracker, line), tracker);
      return declareAll(file, names, values, node.endIndex);
    }
    case 'assignment_statement': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right || assignmentOperator(file.source, left, right) !== '=') return undefined;
      const targets = expressionsOf(left);
      const rhs = expressionsOf(right);
      const values = helperContexts(file, targets, rhs, valuesAssigned(file, rhs, targets.length, tracker.lookup, line), tracker, line);
      const at = node.endIndex;
      return {
        apply(t) {
          targets.forEach((target, i) => {
            if (target.type !== 'identifier') return;
            const binding = t.assign(file.text(target), values[i] ?? OTHER, at, target);
            linkSpanContext(file, binding, values[i], targets);
          });
        },
      };
    }
    case 'var_spec': {
      const names = childrenForField(node, 'name');
      const value = node.childForFieldName('value');
      const declared = kindOfType(file, node.childForFieldName('type'));
      const rhs = expressionsOf(value);
      const values = value ? helperContexts(file, names, rhs, valuesAssigned(file, rhs, names.length, tracker.lookup, line), tracker, line) : [];
      const merged = names.map((_, i) => {
        const v = values[i];
        if (v && v.kind !== 'other') return v;
        // A typed variable holds that kind of value; a context or request variable is nil until assigned.
        return declared && declared !== 'context' && declared !== 'request' ? { kind: declared } : OTHER;
      });
      const typeNode = node.childForFieldName('type');
      const namedType = typeNode ? namedTypeOf(file, file.text(typeNode)) : undefined;
      const typed = namedType ? merged.map((v) => (v.kind === 'other' ? { ...v, namedType } : v)) : withNamedTypes(file, rhs, merged);
      return declareAll(file, names, typed, node.endIndex);
    }
    case 'range_clause':
    case 'receive_statement': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right || !file.source.slice(left.endIndex, right.startIndex).includes(':=')) return undefined;
      return declareAll(file, expressionsOf(left), [], node.endIndex);
    }
    default:
      return undefined;
  }
}
