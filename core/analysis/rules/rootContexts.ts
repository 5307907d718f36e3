// Shared by the rules about root contexts: where a `context.Background()` / `context.TODO()` call sits
// (inside work handed to a goroutine? compared rather than used?) and the fix that replaces it.

import type { SyntaxNode } from '../syntaxTree';
import type { GoFile } from '../goFile';
import type { Fix } from '../findings';
import { carriesContext, type InheritedContext, type ScopeTracker } from '../scope';
import { enclosingFunction, rangeOf } from '../syntax';
import { contextOf, isContextName, type ValueLookup } from '../valueFlow';
import { isLifetimeCall, isLifetimeFunction } from '../lifetime';
import { isLogOrMetricCall as isLogOrMetricCallName, isLogOrMetricValue } from '../logsAndMetrics';
import { RUNTIME_TRACE_PKG } from '../goPackages';
import { recognizeSpanStart } from '../tracing';

const GOROUTINE_LAUNCHERS: ReadonlySet<string> = new Set(['Go', 'TryGo']);

/** The `go` statement or `x.Go(func…)` call whose work contains `node`, if any. */
export function enclosingGoroutineLaunch(file: GoFile, node: SyntaxNode): SyntaxNode | null {
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (current.type === 'go_statement') return current;
    if (current.type === 'argument_list' && child.type === 'func_literal') {
      const call = current.parent;
      const callee = call?.childForFieldName('function');
      const method = callee?.type === 'selector_expression' ? callee.childForFieldName('field') : null;
      if (call && method && GOROUTINE_LAUNCHERS.has(file.text(method))) return call;
    }
    if (current.type === 'function_declaration' || current.type === 'method_declaration') return null;
  }
  return null;
}

/**
 * True when the root context is used the way the rules mean: passed to a call (including as the base of a
 * With* context) or put into a variable. Not when it is compared, stored in a struct or returned, and not in
 * the nil-guard idiom `if ctx == nil { ctx = context.Background() }`.
 */
export function isUsedAsContext(file: GoFile, node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === 'argument_list') return true;
  if (parent.type !== 'expression_list') return false;
  const statement = parent.parent;
  if (!statement || (statement.type !== 'short_var_declaration' && statement.type !== 'assignment_statement' && statement.type !== 'var_spec')) return false;
  if (statement.type !== 'assignment_statement') return true;
  const targets = statement.childForFieldName('left');
  const name = targets ? file.text(targets) : '';
  for (let block = statement.parent; block; block = block.parent) {
    if (block.type === 'if_statement') {
      const condition = block.childForFieldName('condition');
      const text = condition ? file.text(condition).replace(/\s+/g, '') : '';
      return text !== `${name}==nil` && text !== `nil==${name}`;
    }
    if (block.type !== 'block' && block.type !== 'statement_list') return true;
  }
  return true;
}

/** The quick fix: replace the root context with the inherited one. */
export function useInheritedFix(rootCall: SyntaxNode, inherited: InheritedContext, title?: string): Fix {
  return { title: title ?? `Use ${inherited.expression}`, edits: [{ range: rangeOf(rootCall), newText: inherited.expression }] };
}

// --- Does the root context reach work that is traced or cancelled? ----------------------------------------

/** Whether a call's context argument only feeds logs or metrics, by the names in its callee. */
export function isLogOrMetricCall(file: GoFile, call: SyntaxNode): boolean {
  const callee = call.childForFieldName('function');
  if (!callee) return false;
  // runtime/trace's Log writes an event into the execution trace's task: that is the trace itself.
  const operand = callee.type === 'selector_expression' ? callee.childForFieldName('operand') : null;
  if (operand && file.packageOfOperand(operand) === RUNTIME_TRACE_PKG) return false;
  const text = file.text(callee).replace(/\[[^\]]*\]$/, '');
  const segments = text.split('.');
  const name = segments[segments.length - 1] ?? '';
  return isLogOrMetricCallName(name) || segments.slice(0, -1).some((s) => isLogOrMetricValue(s.replace(/\(.*$/, '')));
}

function isFirstArgument(list: SyntaxNode, node: SyntaxNode): boolean {
  const first = list.namedChild(0);
  return !!first && first.startIndex === node.startIndex && first.endIndex === node.endIndex;
}

/** The name a declaring statement's first target gets when `value` is its only right-hand side, if an identifier. */
function assignedVariable(file: GoFile, value: SyntaxNode): { name: string; statement: SyntaxNode } | undefined | 'stored' {
  const list = value.parent;
  if (list?.type !== 'expression_list') return undefined;
  const statement = list.parent;
  if (!statement || !['short_var_declaration', 'assignment_statement', 'var_spec'].includes(statement.type)) return undefined;
  // The value must be on the right-hand side (nodes are compared by position: the tree hands out new objects).
  const side = statement.childForFieldName(statement.type === 'var_spec' ? 'value' : 'right');
  if (side?.startIndex !== list.startIndex) return undefined;
  const targets = statement.type === 'var_spec'
    ? statement.childrenForFieldName('name').filter((n): n is SyntaxNode => !!n)
    : namedChildrenOf(statement.childForFieldName('left'));
  const index = list.namedChildren.findIndex((c) => c?.startIndex === value.startIndex);
  const target = list.namedChildCount === 1 ? targets[0] : targets[index];
  if (!target) return undefined;
  if (target.type !== 'identifier') return 'stored';
  return { name: file.text(target), statement };
}

function namedChildrenOf(node: SyntaxNode | null): SyntaxNode[] {
  if (!node) return [];
  return node.type === 'expression_list' ? node.namedChildren.filter((c): c is SyntaxNode => !!c) : [node];
}

/** The name a call calls: `Listen` for `(&net.ListenConfig{}).Listen(…)`, `NewRunner` for `NewRunner[T](…)`. */
function calledName(file: GoFile, call: SyntaxNode): string {
  const callee = call.childForFieldName('function');
  if (!callee) return '';
  return callee.type === 'selector_expression' ? file.text(callee.childForFieldName('field')!) : file.text(callee).replace(/\[.*$/, '');
}

/**
 * Whether a call that takes a root context as its first argument does work with it: not a log or metric call,
 * not a lifetime call, and not a call that also takes another context (`CopyContextValues(context.TODO(),
 * ctx)` keeps ctx's values: a hand-made WithoutCancel).
 */
function consumesAsWork(file: GoFile, call: SyntaxNode, lookup: ValueLookup): boolean {
  if (isLogOrMetricCall(file, call) || isLifetimeCall(calledName(file, call))) return false;
  // A span started from a root is the start of a new trace: work, whatever happens to its context next.
  if (recognizeSpanStart(file, call, (name) => lookup(name)?.kind ?? file.facts.packageVarKinds.get(name))) return true;
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  for (const arg of args.slice(1)) {
    if (arg && contextOf(file, arg, lookup, arg.startPosition.row)?.kind === 'context') return false;
  }
  return true;
}

/**
 * Whether the root context `root` reaches work that is traced or cancelled: it is the first argument of a
 * call doing work (directly, through context wrappers such as With*, metadata.NewOutgoingContext or a helper
 * whose result is a context, or through a local variable holding it). Not when it is returned, stored in a
 * field or a struct, compared, or only handed to logs and metrics: then no trace is cut short here.
 */
export function reachesWork(file: GoFile, root: SyntaxNode, scope: ScopeTracker): boolean {
  let node = root;
  for (let steps = 0; steps < 8; steps++) {
    const parent = node.parent;
    if (!parent) return false;
    if (parent.type === 'parenthesized_expression') {
      node = parent;
      continue;
    }
    if (parent.type === 'argument_list') {
      const call = parent.parent;
      if (call?.type !== 'call_expression' || !isFirstArgument(parent, node)) return false;
      if (recognizeSpanStart(file, call, (name) => scope.kindOf(name))) return true;
      if (isContextWrapper(file, call, scope)) {
        node = call;
        continue;
      }
      return consumesAsWork(file, call, scope.lookup);
    }
    const assigned = assignedVariable(file, node);
    if (assigned === 'stored' || !assigned) return false;
    return variableReachesWork(file, assigned.name, assigned.statement, scope);
  }
  return false;
}

/** A call that returns a context derived from its first argument: With*, NewOutgoingContext, a ctx helper. */
function isContextWrapper(file: GoFile, call: SyntaxNode, scope: ScopeTracker): boolean {
  if (contextOf(file, call, scope.lookup, call.startPosition.row)?.kind === 'rootContext') return true;
  if (isLogOrMetricCall(file, call)) return false;
  const assigned = assignedVariable(file, call);
  return !!assigned && assigned !== 'stored' && isContextName(assigned.name);
}

/** Whether a later call of the same function takes the variable first and does work with it. */
function variableReachesWork(file: GoFile, name: string, statement: SyntaxNode, scope: ScopeTracker): boolean {
  const fn = enclosingFunction(statement);
  const body = fn?.childForFieldName('body');
  if (!body) return false;
  for (const call of body.descendantsOfType('call_expression')) {
    if (!call || call.startIndex < statement.endIndex) continue;
    const list = call.childForFieldName('arguments');
    const first = list?.namedChild(0);
    if (first?.type !== 'identifier' || file.text(first) !== name) continue;
    if (consumesAsWork(file, call, scope.lookup)) return true;
  }
  return false;
}

// --- Code that must not take the request's context --------------------------------------------------------

/** The name of the top-level function or method a node is in (`Stop` for `func (s *S) Stop()`). */
export function topLevelFunctionName(file: GoFile, node: SyntaxNode): string | undefined {
  let top: SyntaxNode | null = null;
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_declaration' || current.type === 'method_declaration') top = current;
  }
  const name = top?.childForFieldName('name');
  return name ? file.text(name) : undefined;
}

/**
 * Whether a root context here is detached on purpose, where the context in scope must not be used: in a
 * component's lifetime function, in deferred cleanup, after the context in scope is done (`<-ctx.Done()`, or
 * under `if ctx.Err() != nil`), when a deriving from it would be cancelled already.
 */
export function detachedOnPurpose(file: GoFile, root: SyntaxNode, scope: ScopeTracker): boolean {
  if (inLifetimeFunction(file, root, scope) || inTestCode(file, root)) return true;
  const top = topLevelFunction(root);
  for (let current = root.parent; current && current !== top; current = current.parent) {
    if (current.type === 'defer_statement') return true;
    if (current.type === 'if_statement') {
      const condition = current.childForFieldName('condition');
      if (condition && /\.Err\(\)\s*!=\s*nil|\.Done\(\)/.test(file.text(condition))) return true;
    }
    if (current.type === 'func_literal') {
      const call = current.parent?.type === 'call_expression' ? current.parent : null;
      if (call?.parent?.type === 'defer_statement') return true;
    }
  }
  // The function watches the end of a context in scope itself (`<-ctx.Done()`, `case <-ctx.Done():`, a
  // goroutine that cancels on it): the root is the start of a lifetime it manages, or cleanup that runs
  // after that context is cancelled.
  const body = top?.childForFieldName('body');
  if (body) {
    for (const call of body.descendantsOfType('call_expression')) {
      const callee = call?.childForFieldName('function');
      if (callee?.type !== 'selector_expression' || file.text(callee.childForFieldName('field')!) !== 'Done') continue;
      const operand = callee.childForFieldName('operand');
      if (operand?.type !== 'identifier' || !carriesContext(scope.resolve(file.text(operand))?.kind ?? 'other')) continue;
      if (!isEarlyExit(call!)) return true;
    }
  }
  return explainedByComment(file, root);
}

/** `case <-ctx.Done(): return …`: giving up when the caller does, not managing a lifetime. */
function isEarlyExit(doneCall: SyntaxNode): boolean {
  let current: SyntaxNode | null = doneCall.parent;
  while (current && current.type !== 'communication_case' && current.type !== 'block' && current.type !== 'statement_list') current = current.parent;
  if (current?.type !== 'communication_case') return false;
  const body = current.namedChildren.find((c) => c?.type === 'statement_list');
  return !!body?.namedChildren.some((statement) => statement?.type === 'return_statement');
}

/**
 * Whether the node is in a component's lifetime function (by its name: `NewClient`, `Start`, `Close`…). A
 * handler is a request's code whatever its name (`StartOrder(w, r)`).
 */
export function inLifetimeFunction(file: GoFile, node: SyntaxNode, scope: ScopeTracker): boolean {
  const name = topLevelFunction(node)?.childForFieldName('name');
  return !!name && isLifetimeFunction(file.text(name)) && !scope.inherited()?.fromRequest;
}

/** Whether the node is in test code: a `_test.go` file, or a test helper (see isTestCode). */
export function inTestCode(file: GoFile, node: SyntaxNode): boolean {
  if (file.testFile) return true;
  const top = topLevelFunction(node);
  return !!top && isTestCode(file, top);
}

function topLevelFunction(node: SyntaxNode): SyntaxNode | null {
  let top: SyntaxNode | null = null;
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_declaration' || current.type === 'method_declaration') top = current;
  }
  return top;
}

/**
 * Test code: a function taking a *testing.T (B, F, TB) or a method of a test suite. Tests build their
 * contexts from Background() deliberately; there is no request whose trace they could cut.
 */
function isTestCode(file: GoFile, fn: SyntaxNode): boolean {
  const params = fn.childForFieldName('parameters');
  if (params && /\*\s*testing\.(T|B|F)\b|\btesting\.TB\b/.test(file.text(params))) return true;
  const receiver = fn.type === 'method_declaration' ? fn.childForFieldName('receiver') : null;
  return !!receiver && /Suite\b/.test(file.text(receiver));
}

/** A comment just above the statement says why the context is detached ("a detached context", "stream is canceled already"). */
const DETACHED_COMMENT = /detach|background context|outlive|not be cancel|cancell?ed already|already (been )?cancell?ed|shutdown|fire.and.forget/i;

function explainedByComment(file: GoFile, root: SyntaxNode): boolean {
  const lines = file.source.split('\n', root.startPosition.row + 1);
  for (let row = root.startPosition.row - 1, seen = 0; row >= 0 && seen < 8; row--, seen++) {
    const line = lines[row]!.trim();
    if (!line.startsWith('//')) break;
    if (DETACHED_COMMENT.test(line)) return true;
  }
  const own = lines[root.startPosition.row] ?? '';
  const comment = own.indexOf('//', root.endPosition.column);
  return comment !== -1 && DETACHED_COMMENT.test(own.slice(comment));
}
