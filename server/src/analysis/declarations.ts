// What a declaring statement adds to the scope: `:=`, `var`, `=`, `range` and `case x := <-ch`. The values are
// worked out when the walk enters the statement (its right-hand side sees only earlier bindings) and the names
// become visible when it leaves it, as in Go.

import type { SyntaxNode } from './goParser';
import type { GoFile } from './goFile';
import type { Binding, ScopeTracker } from './scope';
import { assignmentOperator, childrenForField, expressionsOf } from './syntax';
import { valuesAssigned, type ValueInfo } from './valueFlow';
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

/** The plan for a declaring statement, or undefined when it declares nothing the scope tracks. */
export function planDeclaration(file: GoFile, node: SyntaxNode, tracker: ScopeTracker): DeclarationPlan | undefined {
  const line = node.startPosition.row;
  switch (node.type) {
    case 'short_var_declaration': {
      const names = expressionsOf(node.childForFieldName('left'));
      const values = valuesAssigned(file, expressionsOf(node.childForFieldName('right')), names.length, tracker.lookup, line);
      return declareAll(file, names, values, node.endIndex);
    }
    case 'assignment_statement': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right || assignmentOperator(file.source, left, right) !== '=') return undefined;
      const targets = expressionsOf(left);
      const values = valuesAssigned(file, expressionsOf(right), targets.length, tracker.lookup, line);
      const at = node.endIndex;
      return {
        apply(t) {
          targets.forEach((target, i) => {
            if (target.type !== 'identifier') return;
            const binding = t.assign(file.text(target), values[i] ?? OTHER, at);
            linkSpanContext(file, binding, values[i], targets);
          });
        },
      };
    }
    case 'var_spec': {
      const names = childrenForField(node, 'name');
      const value = node.childForFieldName('value');
      const declared = kindOfType(file, node.childForFieldName('type'));
      const values = value ? valuesAssigned(file, expressionsOf(value), names.length, tracker.lookup, line) : [];
      const merged = names.map((_, i) => {
        const v = values[i];
        if (v && v.kind !== 'other') return v;
        // A typed variable holds that kind of value; a context or request variable is nil until assigned.
        return declared && declared !== 'context' && declared !== 'request' ? { kind: declared } : OTHER;
      });
      return declareAll(file, names, merged, node.endIndex);
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
