// sql-without-context: Query, QueryRow, Exec, Prepare, Begin or Ping on a database/sql value while a context
// is in scope. The call carries no trace (an instrumented driver cannot attach its span to the request) and
// is not cancelled with the request. The fix uses the Context variant: `db.QueryContext(ctx, …)`.

import type { SyntaxNode } from '../syntaxTree';
import type { Rule, RuleContext } from '../rule';
import { SQL_PKG } from '../goPackages';
import { rangeOf } from '../syntax';
import { callInfo } from '../callInfo';
import { replaceNode } from '../fixEdits';
import type { TextEdit } from '../findings';

const CONTEXT_VARIANTS: Readonly<Record<string, string>> = {
  Query: 'QueryContext', QueryRow: 'QueryRowContext', Exec: 'ExecContext', Prepare: 'PrepareContext',
  Begin: 'BeginTx', Ping: 'PingContext',
};
/** Names that, without a declaration in sight, still say "database handle": db, userDB, tx, insertStmt… */
const HANDLE_NAME = /^(db|tx|stmt)$|[a-z0-9_](DB|Db|Tx|Stmt)$/;
const TAKES_SQL_TEXT: ReadonlySet<string> = new Set(['Query', 'QueryRow', 'Exec', 'Prepare']);

function isSqlHandle(context: RuleContext, receiver: SyntaxNode, method: string, args: readonly SyntaxNode[]): boolean {
  const { file, scope } = context;
  let name: string;
  let kind;
  if (receiver.type === 'identifier') {
    name = file.text(receiver);
    kind = scope.kindOf(name);
  } else if (receiver.type === 'selector_expression') {
    name = file.text(receiver.childForFieldName('field')!);
    kind = file.facts.fieldKinds.get(name);
  } else {
    return false;
  }
  if (kind === 'sql') return true;
  if (kind && kind !== 'other') return false;
  if (!HANDLE_NAME.test(name)) return false;
  // A handle by its name only: require database/sql in the file, or SQL text as the first argument.
  const first = args[0];
  const sqlText = TAKES_SQL_TEXT.has(method) && !!first && (first.type === 'interpreted_string_literal' || first.type === 'raw_string_literal');
  return file.imports.has(SQL_PKG) || sqlText;
}

function visitCall(node: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  const info = callInfo(file, node);
  const method = info.name;
  const variant = CONTEXT_VARIANTS[method];
  const receiver = info.operand;
  const field = info.field;
  const callee = info.callee;
  if (!variant || !receiver || !field || !callee) return;
  const args = info.args;
  if ((method === 'Begin' || method === 'Ping') && args.length !== 0) return;
  if (!isSqlHandle(context, receiver, method, args)) return;
  const inherited = scope.inherited();
  if (!inherited) return;
  const argList = info.argumentListNode!;
  const ctx = inherited.expression;
  const edits: TextEdit[] = [replaceNode(field, variant)];
  if (method === 'Begin') edits.push(replaceNode(argList, `(${ctx}, nil)`));
  else if (args.length === 0) edits.push(replaceNode(argList, `(${ctx})`));
  else edits.push({ range: { start: rangeOf(args[0]!).start, end: rangeOf(args[0]!).start }, newText: `${ctx}, ` });
  const shown = `${file.text(receiver)}.${variant}(${ctx}${method === 'Begin' ? ', nil' : args.length ? ', …' : ''})`;
  context.report({
    range: rangeOf(callee),
    message:
      `${file.text(callee)} runs without ${ctx}: the database call carries no trace (an instrumented driver cannot ` +
      `attach its span to the request) and is not cancelled with the request. Use ${shown}, ${inherited.origin}.`,
    fixes: [{ title: `Use ${variant}(${ctx}, …)`, edits }],
    related: [{ range: inherited.declRange, message: `The context in scope: ${inherited.origin}` }],
  });
}

export const sqlWithoutContext: Rule = {
  id: 'sql-without-context',
  visitors: { call_expression: visitCall },
};
