// Which context a piece of code could use: the request's context as seen from any node.
//
// A function has an inherited context when it takes a `context.Context` parameter (any name, any import
// alias) or an `*http.Request` (whose `r.Context()` carries the incoming trace). A function literal
// inherits the context of the function it is written in, unless it declares its own.

import type { SyntaxNode } from './goParser';
import { CONTEXT_PKG, HTTP_PKG, type GoFile } from './goFile';
import { FUNCTION_TYPES, childrenForField } from './syntax';

export interface InheritedContext {
  /** The Go expression to use, e.g. `ctx` or `r.Context()`. */
  readonly expression: string;
  /** Where it comes from, for messages: "the context passed to handle", "the context of request r". */
  readonly origin: string;
  /** The declaring parameter. */
  readonly declaration: SyntaxNode;
}

/** The context in scope at `node`, searching the enclosing functions from the innermost outwards. */
export function inheritedContextAt(file: GoFile, node: SyntaxNode): InheritedContext | undefined {
  for (let fn = node.parent; fn; fn = fn.parent) {
    if (!FUNCTION_TYPES.has(fn.type)) continue;
    const found = contextParameterOf(file, fn);
    if (found) return found;
  }
  return undefined;
}

/** A function's own context parameter; a `context.Context` wins over an `*http.Request`. */
export function contextParameterOf(file: GoFile, fn: SyntaxNode): InheritedContext | undefined {
  const params = fn.childForFieldName('parameters');
  if (!params) return undefined;
  let request: InheritedContext | undefined;
  for (let i = 0; i < params.namedChildCount; i++) {
    const decl = params.namedChild(i);
    if (!decl || decl.type !== 'parameter_declaration') continue;
    const type = decl.childForFieldName('type');
    if (!type) continue;
    const names = childrenForField(decl, 'name').map((n) => file.text(n)).filter((n) => n !== '_');
    if (names.length === 0) continue;
    if (file.isPackageType(type, CONTEXT_PKG, 'Context')) {
      return { expression: names[0]!, origin: `the context passed to ${functionName(file, fn)}`, declaration: decl };
    }
    if (!request && type.type === 'pointer_type') {
      const pointee = type.namedChild(0);
      if (pointee && file.isPackageType(pointee, HTTP_PKG, 'Request')) {
        request = { expression: `${names[0]}.Context()`, origin: `the context of the incoming request ${names[0]}`, declaration: decl };
      }
    }
  }
  return request;
}

/** `handle`, `(*Server).handle`, or "the enclosing function literal". */
export function functionName(file: GoFile, fn: SyntaxNode): string {
  const name = fn.childForFieldName('name');
  if (!name) return 'the enclosing function literal';
  if (fn.type !== 'method_declaration') return file.text(name);
  const receiverType = fn.childForFieldName('receiver')?.descendantsOfType(['type_identifier'])[0];
  return receiverType ? `${file.text(receiverType)}.${file.text(name)}` : file.text(name);
}

const ROOT_CONTEXT_FUNCTIONS: ReadonlySet<string> = new Set(['Background', 'TODO']);

/** True for `context.Background()` / `context.TODO()` (under any alias, or dot-imported). */
export function isRootContextCall(file: GoFile, node: SyntaxNode): boolean {
  if (node.type !== 'call_expression') return false;
  const callee = node.childForFieldName('function');
  const args = node.childForFieldName('arguments');
  return !!callee && !!args && args.namedChildCount === 0 && file.isPackageFunction(callee, CONTEXT_PKG, ROOT_CONTEXT_FUNCTIONS);
}

/** How the file spells a member of package context at this call: `stdctx.WithoutCancel` or `WithoutCancel`. */
export function contextMember(file: GoFile, rootCall: SyntaxNode, member: string): string {
  const callee = rootCall.childForFieldName('function');
  const operand = callee?.type === 'selector_expression' ? callee.childForFieldName('operand') : null;
  return operand ? `${file.text(operand)}.${member}` : member;
}
