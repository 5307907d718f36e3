// Which function an expression names, in the terms the workspace index resolves: `load` (this package),
// `config.Load` (an imported package), `s.load` on a value whose type is known (the method's receiver, a
// parameter `r *store.Redis`, a struct field, a value built as `&Cache{}`), and a variable holding a function
// value (`fill := f.Fill; fill(key)`). Used for calls (call-chain-break, span-context-discarded's uses) and for
// function values put into variables.

import type { SyntaxNode } from './syntaxTree';
import type { GoFile } from './goFile';
import type { CalleeRef } from './findings';
import type { ScopeTracker } from './scope';
import { namedTypeOf, type NamedType } from './namedTypes';

/** Built-in functions and conversions to predeclared types: never workspace functions. */
const BUILTINS: ReadonlySet<string> = new Set([
  'append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new', 'panic',
  'print', 'println', 'real', 'recover', 'bool', 'byte', 'complex64', 'complex128', 'error', 'float32', 'float64', 'int',
  'int8', 'int16', 'int32', 'int64', 'rune', 'string', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'any',
]);

/** The receiver's type when `name` is the receiver of an enclosing method (closures see it too). */
function receiverTypeOf(scope: ScopeTracker, name: string): string | undefined {
  const binding = scope.resolve(name);
  if (!binding?.parameter) return undefined;
  for (let frame = scope.currentFrame; frame; frame = frame.parent) {
    if (frame.receiverName === name && binding.scope === frame.rootScope) return frame.receiverType;
  }
  return undefined;
}

/** The function `expr` (a call's callee, or a function value) names, when syntax and scope tell. */
export function functionRefOf(file: GoFile, scope: ScopeTracker, expr: SyntaxNode): CalleeRef | undefined {
  if (expr.type === 'identifier') {
    const name = file.text(expr);
    if (BUILTINS.has(name) || name === '_') return undefined;
    const binding = scope.resolve(name);
    // A variable holding a function value names that function; any other variable names none we know.
    if (binding) return binding.functionRef;
    return { kind: 'local', name };
  }
  if (expr.type !== 'selector_expression') return undefined;
  const operand = expr.childForFieldName('operand');
  const fieldNode = expr.childForFieldName('field');
  if (!operand || !fieldNode) return undefined;
  const name = file.text(fieldNode);
  // A method on a struct field: `a.store.Get(…)`, the field's type read from the struct declared in this file.
  if (operand.type === 'selector_expression') {
    const holder = operand.childForFieldName('operand');
    const field = operand.childForFieldName('field');
    if (holder?.type !== 'identifier' || !field) return undefined;
    const holderType = typeOfValue(scope, file.text(holder));
    if (!holderType || holderType.importPath !== undefined) return undefined;
    const fieldType = file.facts.fieldTypes.get(`${holderType.name}.${file.text(field)}`);
    const named = fieldType ? namedTypeOf(file, fieldType) : undefined;
    return named ? methodRef(named, name) : undefined;
  }
  if (operand.type !== 'identifier') return undefined;
  const qualifier = file.text(operand);
  const valueType = typeOfValue(scope, qualifier);
  if (valueType) return methodRef(valueType, name);
  if (scope.resolve(qualifier)) return undefined;
  const importPath = file.imports.pathOf(qualifier);
  return importPath ? { kind: 'package', importPath, name } : undefined;
}

/** The named type of a value in scope: the method's receiver, or a binding whose type is known. */
function typeOfValue(scope: ScopeTracker, name: string): NamedType | undefined {
  const receiverType = receiverTypeOf(scope, name);
  if (receiverType) return { name: receiverType };
  return scope.resolve(name)?.namedType;
}

function methodRef(type: NamedType, name: string): CalleeRef {
  return type.importPath !== undefined
    ? { kind: 'method', receiverType: type.name, name, importPath: type.importPath }
    : { kind: 'method', receiverType: type.name, name };
}
