// http-without-context: an outgoing request made without the context in scope (`http.NewRequest`,
// `http.Get/Head/Post/PostForm`, `client.Get/Head/Post/PostForm`). The request carries no trace headers, so the
// downstream service starts a new trace, and it is not cancelled with the incoming request. The fix builds the
// request with `http.NewRequestWithContext(ctx, …)` (and sends it with the client's Do).

import type { SyntaxNode } from '../syntaxTree';
import type { Fix, TextEdit } from '../findings';
import type { Rule, RuleContext } from '../rule';
import type { InheritedContext } from '../scope';
import { HTTP_PKG, STRINGS_PKG } from '../goPackages';
import { argumentsOf, enclosingFunction, expressionsOf, indentationAt, rangeOf } from '../syntax';
import { ensureImport, freshName, replaceNode } from '../fixEdits';
import { callInfo } from '../callInfo';
import { contextOf } from '../valueFlow';
import { detachedOnPurpose } from './rootContexts';

const CLIENT_METHODS: Readonly<Record<string, number>> = { Get: 1, Head: 1, Post: 3, PostForm: 2 };

interface OutgoingCall {
  readonly method: string;
  /** The client expression to send with: `client`, `s.client` or `http.DefaultClient`. */
  readonly client: string;
  readonly args: readonly SyntaxNode[];
}

function recognize(context: RuleContext, call: SyntaxNode): OutgoingCall | 'newRequest' | undefined {
  const { file, scope } = context;
  const info = callInfo(file, call);
  const method = info.name;
  const operand = info.operand;
  if (!operand || (method !== 'NewRequest' && CLIENT_METHODS[method] === undefined)) return undefined;
  const args = info.args;
  const isHttpPackage = operand.type === 'identifier' && !scope.resolve(file.text(operand)) && file.packageOfOperand(operand) === HTTP_PKG;
  if (isHttpPackage && method === 'NewRequest' && args.length === 3) return 'newRequest';
  const arity = CLIENT_METHODS[method];
  if (arity === undefined || args.length !== arity) return undefined;
  if (isHttpPackage) return { method, client: `${file.text(operand)}.DefaultClient`, args };
  let kind;
  if (operand.type === 'identifier') kind = scope.kindOf(file.text(operand));
  else if (operand.type === 'selector_expression') {
    const inner = operand.childForFieldName('operand');
    const field = file.text(operand.childForFieldName('field')!);
    kind = inner && file.packageOfOperand(inner) === HTTP_PKG && field === 'DefaultClient' ? 'httpClient' : file.facts.fieldKinds.get(field);
  }
  return kind === 'httpClient' ? { method, client: file.text(operand), args } : undefined;
}

/** Rewrites `resp, err := client.Get(url)` + `if err != nil {…}` into NewRequestWithContext + the same check + Do. */
function rewriteFix(context: RuleContext, call: SyntaxNode, outgoing: OutgoingCall, inherited: InheritedContext): Fix | undefined {
  const { file, scope } = context;
  const list = call.parent;
  const stmt = list?.type === 'expression_list' ? list.parent : null;
  if (stmt?.type !== 'short_var_declaration' || list!.namedChildCount !== 1) return undefined;
  const targets = expressionsOf(stmt.childForFieldName('left'));
  if (targets.length !== 2 || targets.some((t) => t.type !== 'identifier')) return undefined;
  const [resp, err] = targets.map((t) => file.text(t)) as [string, string];
  let next = stmt.nextNamedSibling;
  while (next?.type === 'comment') next = next.nextNamedSibling;
  const condition = next?.type === 'if_statement' ? next.childForFieldName('condition') : null;
  if (!next || !condition || file.text(condition).replace(/\s+/g, '') !== `${err}!=nil` || next.childForFieldName('initializer')) return undefined;
  const http = ensureImport(file, HTTP_PKG, 'http', 'http');
  const indent = indentationAt(file.source, stmt.startIndex);
  const req = freshName((n) => !!scope.resolve(n) || n === resp || n === err, ['req', 'outReq', 'httpReq']);
  const [url, second, third] = outgoing.args.map((a) => file.text(a));
  const edits: TextEdit[] = [...http.edits];
  let body = 'nil';
  let header = '';
  if (outgoing.method === 'Post') {
    body = third!;
    header = `${req}.Header.Set("Content-Type", ${second})\n${indent}`;
  } else if (outgoing.method === 'PostForm') {
    const strings = ensureImport(file, STRINGS_PKG, 'strings', 'strings');
    edits.push(...strings.edits);
    body = `${strings.prefix}NewReader(${second}.Encode())`;
    header = `${req}.Header.Set("Content-Type", "application/x-www-form-urlencoded")\n${indent}`;
  }
  const httpMethod = outgoing.method === 'PostForm' ? 'Post' : outgoing.method;
  const text =
    `${req}, ${err} := ${http.prefix}NewRequestWithContext(${inherited.expression}, ${http.prefix}Method${httpMethod}, ${url}, ${body})\n` +
    `${indent}${file.text(next)}\n` +
    `${indent}${header}${resp}, ${err} := ${outgoing.client}.Do(${req})`;
  edits.unshift(replaceNode(stmt, text));
  return { title: `Build the request with NewRequestWithContext(${inherited.expression}, …) and send it with Do`, edits };
}

/**
 * Whether the request `http.NewRequest` builds here gets a context before it is sent: later in the function
 * it is re-bound (`req = req.WithContext(ctx)`, `client.Do(req.WithContext(ctx))`, `req.Clone(ctx)`), handed
 * on together with a context (`s.do(ctx, req)`), returned, or stored for later sends (`s.req = req`).
 */
function boundLater(context: RuleContext, newRequest: SyntaxNode): boolean {
  const { file, scope } = context;
  const list = newRequest.parent;
  const statement = list?.type === 'expression_list' ? list.parent : null;
  if (!statement || (statement.type !== 'short_var_declaration' && statement.type !== 'assignment_statement')) {
    // Not put into a variable: `client.Do(http.NewRequest(…))` cannot compile; a request built for a return
    // (`return http.NewRequest(…)`) is the caller's to bind.
    return list?.type === 'expression_list' && list.parent?.type === 'return_statement';
  }
  const target = expressionsOf(statement.childForFieldName('left'))[0];
  if (!target) return false;
  if (target.type !== 'identifier') return true; // stored in a field: sent elsewhere
  const name = file.text(target);
  const body = enclosingFunction(statement)?.childForFieldName('body');
  if (!body) return false;
  const isName = (n: SyntaxNode | null | undefined) => n?.type === 'identifier' && file.text(n) === name;
  for (const call of body.descendantsOfType('call_expression')) {
    if (!call || call.startIndex < statement.endIndex) continue;
    const info = callInfo(file, call);
    if ((info.name === 'WithContext' || info.name === 'Clone') && isName(info.operand)) return true;
    const args = info.args;
    if (args.some(isName) && args.some((a) => contextOf(file, a, scope.lookup, a.startPosition.row)?.kind === 'context')) return true;
  }
  for (const ret of body.descendantsOfType('return_statement')) {
    if (ret && ret.startIndex > statement.endIndex && ret.namedChildren.some((c) => !!c && expressionsOf(c).some(isName))) return true;
  }
  for (const assignment of body.descendantsOfType('assignment_statement')) {
    if (!assignment || assignment.startIndex < statement.endIndex) continue;
    const left = expressionsOf(assignment.childForFieldName('left'));
    const right = expressionsOf(assignment.childForFieldName('right'));
    if (right.some(isName) && left.some((l) => l.type !== 'identifier')) return true;
  }
  return false;
}

function visitCall(node: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  const outgoing = recognize(context, node);
  if (!outgoing) return;
  const inherited = scope.inherited();
  if (!inherited) return;
  if (outgoing === 'newRequest' && boundLater(context, node)) return;
  // A component's lifetime code (a discovery loop, a constructor) and a command's own context are not a
  // request's: nothing is traced through them, and only shutdown would wait on the call.
  if (detachedOnPurpose(file, node, scope) || (!inherited.fromRequest && file.packageName === 'main')) return;
  const callee = node.childForFieldName('function')!;
  const fixes: Fix[] = [];
  if (outgoing === 'newRequest') {
    const field = callee.childForFieldName('field')!;
    const first = argumentsOf(node)[0]!;
    fixes.push({
      title: `Use NewRequestWithContext(${inherited.expression}, …)`,
      edits: [replaceNode(field, 'NewRequestWithContext'), { range: { start: rangeOf(first).start, end: rangeOf(first).start }, newText: `${inherited.expression}, ` }],
    });
  } else {
    const fix = rewriteFix(context, node, outgoing, inherited);
    if (fix) fixes.push(fix);
  }
  const qualifier = file.imports.qualifierFor(HTTP_PKG);
  const prefix = qualifier ? `${qualifier}.` : '';
  context.report({
    range: rangeOf(callee),
    message:
      `${file.text(callee)} sends a request without ${inherited.expression}: it carries no trace headers, so the ` +
      `service it calls starts a new trace, and it is not cancelled with the incoming request. Build it with ` +
      `${prefix}NewRequestWithContext(${inherited.expression}, …), ${inherited.origin}.`,
    fixes,
    related: [{ range: inherited.declRange, message: `The context in scope: ${inherited.origin}` }],
  });
}

export const httpWithoutContext: Rule = {
  id: 'http-without-context',
  visitors: { call_expression: visitCall },
};
