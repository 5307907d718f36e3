// context-not-propagated for web frameworks whose handlers take the framework's own context instead of
// (w, r): a gin, echo or fiber middleware that starts a span from the request's context and then runs the
// next handler (`c.Next()`, `next(c)`) without putting the span's context back where those handlers read
// theirs (`c.Request = c.Request.WithContext(ctx)`, `c.SetRequest(c.Request().WithContext(ctx))`,
// `c.SetUserContext(ctx)`). The handlers below read the request's context, which still holds the parent: the
// spans they start attach to the parent instead of the middleware's span.
//
// Silent when the span's context may have been put back some other way after the span started: any
// assignment to `c.Request`, any call of the framework's setter (SetRequest, SetUserContext, SetContext), a
// call that is handed both `c` and the span or its context (a helper that stores it, `c.Set("span", span)`),
// or when the span was ended (not deferred) before the next handler runs. A handler that never calls the next
// one (`c.Next()`) is an endpoint, not a middleware, and is not looked at.

import type { SyntaxNode } from '../syntaxTree';
import type { Fix } from '../findings';
import type { RuleContext } from '../rule';
import type { Binding } from '../scope';
import type { NamedType } from '../namedTypes';
import { expressionsOf, rangeOf } from '../syntax';
import { callInfo } from '../callInfo';
import { insertStatementAfter, replaceNode } from '../fixEdits';
import { CONTEXT_PKG } from '../goPackages';
import { insideDefer, spanStatementOf } from './spanStatements';

interface Framework {
  readonly name: string;
  readonly importPaths: readonly string[];
  /** The type of the handlers' context parameter (`*gin.Context`, `echo.Context`, `*fiber.Ctx`). */
  readonly contextType: string;
  /** `c.Next()` (gin, fiber), or `next(c)` on a parameter of this type (echo's HandlerFunc). */
  readonly nextHandlerType?: string;
  /** Methods of c that return the request's context (`UserContext` for fiber), besides c.<request>.Context(). */
  readonly contextMethods: readonly string[];
  /** How c exposes the request: the field `Request` (gin), the method `Request()` (echo). */
  readonly request?: { readonly name: string; readonly method: boolean };
  /** c itself is a context.Context whose values reach the request's (gin's fallback, fiber v3). */
  readonly contextItself: boolean;
  /** Setters that store a context (or a request carrying one) on c. */
  readonly setters: readonly string[];
  /** The statement that puts `ctx` back on `c`. */
  putBack(c: string, ctx: string): string;
  /** Where the handlers below read their context, for messages. */
  readonly readBy: (c: string) => string;
}

const FRAMEWORKS: readonly Framework[] = [
  {
    name: 'gin', importPaths: ['github.com/gin-gonic/gin'], contextType: 'Context', contextMethods: [],
    request: { name: 'Request', method: false }, contextItself: true, setters: [],
    putBack: (c, ctx) => `${c}.Request = ${c}.Request.WithContext(${ctx})`,
    readBy: (c) => `${c}.Request.Context()`,
  },
  {
    name: 'echo', importPaths: ['github.com/labstack/echo/v4', 'github.com/labstack/echo', 'github.com/labstack/echo/v5'],
    contextType: 'Context', nextHandlerType: 'HandlerFunc', contextMethods: [],
    request: { name: 'Request', method: true }, contextItself: false, setters: ['SetRequest'],
    putBack: (c, ctx) => `${c}.SetRequest(${c}.Request().WithContext(${ctx}))`,
    readBy: (c) => `${c}.Request().Context()`,
  },
  {
    name: 'fiber', importPaths: ['github.com/gofiber/fiber/v2'], contextType: 'Ctx', contextMethods: ['UserContext', 'Context'],
    contextItself: false, setters: ['SetUserContext'],
    putBack: (c, ctx) => `${c}.SetUserContext(${ctx})`,
    readBy: (c) => `${c}.UserContext()`,
  },
  {
    name: 'fiber', importPaths: ['github.com/gofiber/fiber/v3'], contextType: 'Ctx', contextMethods: ['Context', 'UserContext'],
    contextItself: true, setters: ['SetContext', 'SetUserContext'],
    putBack: (c, ctx) => `${c}.SetContext(${ctx})`,
    readBy: (c) => `${c}.Context()`,
  },
];

const FRAMEWORK_PATHS: ReadonlySet<string> = new Set(FRAMEWORKS.flatMap((f) => f.importPaths));
const DERIVING_CONTEXT_FUNCTIONS = /^With(Cancel|CancelCause|Timeout|TimeoutCause|Deadline|DeadlineCause|Value|outCancel)$/;

/** What a value holds, as far as this check follows it: c's request, or the request's context. */
type Held = { readonly kind: 'request' | 'context'; readonly c: Binding; readonly framework: Framework };

interface StartedSpan {
  readonly statement: SyntaxNode;
  readonly c: Binding;
  readonly framework: Framework;
  /** The name the span's context went to (`_` when discarded). */
  readonly contextName: string;
  readonly contextTarget: SyntaxNode;
  readonly spanName: string;
  readonly span: Binding | undefined;
  readonly origin: string;
  reported: boolean;
}

interface FrameState {
  readonly held: Map<Binding, Held>;
  /** Per statement (by node id): what each target receives, worked out before the names are bound. */
  readonly pending: Map<number, { targets: (Held | undefined)[]; span?: Omit<StartedSpan, 'span' | 'reported'> }>;
  readonly spans: StartedSpan[];
  /** Where c's context may have been put back (source index), per c. */
  readonly putBacks: { readonly c: Binding; readonly at: number }[];
  /** Spans ended (not deferred), and where. */
  readonly ended: { readonly span: Binding; readonly at: number }[];
}

const owner = {};

function stateOf(context: RuleContext): FrameState | undefined {
  return context.scope.currentFrame?.stateFor(owner, () => ({ held: new Map(), pending: new Map(), spans: [], putBacks: [], ended: [] }));
}

const ALL_FRAMEWORK_PATHS: readonly string[] = [...FRAMEWORK_PATHS];

function usesFrameworks(context: RuleContext): boolean {
  const imports = context.file.imports;
  return ALL_FRAMEWORK_PATHS.some((p) => imports.has(p));
}

function frameworkOf(type: NamedType | undefined, name: (f: Framework) => string | undefined): Framework | undefined {
  if (!type?.importPath) return undefined;
  return FRAMEWORKS.find((f) => f.importPaths.includes(type.importPath!) && name(f) === type.name);
}

/** The framework context `c` an identifier names (a handler's parameter typed `*gin.Context`, `echo.Context`…). */
function frameworkContext(context: RuleContext, node: SyntaxNode | null): { c: Binding; framework: Framework } | undefined {
  if (node?.type !== 'identifier') return undefined;
  const c = context.scope.resolve(context.file.text(node));
  const framework = frameworkOf(c?.namedType, (f) => f.contextType);
  return c && framework ? { c, framework } : undefined;
}

/** `c.Request` on a gin context (a field holding the request): the framework context it belongs to. */
function requestField(context: RuleContext, expr: SyntaxNode): { c: Binding; framework: Framework } | undefined {
  if (expr.type !== 'selector_expression') return undefined;
  const own = frameworkContext(context, expr.childForFieldName('operand'));
  const field = expr.childForFieldName('field');
  const request = own?.framework.request;
  return own && field && request && !request.method && context.file.text(field) === request.name ? own : undefined;
}

/** What an expression holds: the request of a framework context, its context, or neither. */
function heldBy(context: RuleContext, expr: SyntaxNode, state: FrameState): Held | undefined {
  const { file, scope } = context;
  if (expr.type === 'parenthesized_expression') {
    const inner = expr.namedChild(0);
    return inner ? heldBy(context, inner, state) : undefined;
  }
  if (expr.type === 'identifier') {
    const binding = scope.resolve(file.text(expr));
    const known = binding ? state.held.get(binding) : undefined;
    if (known) return known;
    const own = frameworkContext(context, expr);
    return own?.framework.contextItself ? { kind: 'context', ...own } : undefined;
  }
  if (expr.type === 'selector_expression') {
    const own = requestField(context, expr);
    return own ? { kind: 'request', ...own } : undefined;
  }
  if (expr.type !== 'call_expression') return undefined;
  const info = callInfo(file, expr);
  if (info.calleeType !== 'selector_expression' || !info.operand) return undefined;
  if (info.args.length === 0) {
    const own = frameworkContext(context, info.operand);
    if (own?.framework.contextMethods.includes(info.name)) return { kind: 'context', ...own };
    if (own?.framework.request?.method && info.name === own.framework.request.name) return { kind: 'request', ...own };
    if (info.name === 'Context') {
      const request = heldBy(context, info.operand, state);
      return request?.kind === 'request' ? { ...request, kind: 'context' } : undefined;
    }
    return undefined;
  }
  // context.WithTimeout(c.Request.Context(), …), or a propagator's Extract(c.Request.Context(), carrier):
  // still the request's context underneath.
  const derives = DERIVING_CONTEXT_FUNCTIONS.test(info.name) && info.operandName !== undefined && file.imports.refersTo(info.operandName, CONTEXT_PKG) ||
    info.name === 'Extract' && info.args.length === 2;
  if (!derives) return undefined;
  const base = heldBy(context, info.args[0]!, state);
  return base?.kind === 'context' ? base : undefined;
}

/** On entering a declaration or assignment: what its targets will hold, and the span it starts from c's context. */
export function enterFrameworkStatement(node: SyntaxNode, context: RuleContext): void {
  if (!usesFrameworks(context)) return;
  const state = stateOf(context);
  if (!state) return;
  const { file, scope } = context;
  const left = expressionsOf(node.childForFieldName('left'));
  const right = expressionsOf(node.childForFieldName('right'));
  if (left.length === 0 || right.length === 0) return;
  // gin: `c.Request = …` puts a (possibly new) request on c.
  for (const target of left) {
    const own = requestField(context, target);
    if (own) state.putBacks.push({ c: own.c, at: node.startIndex });
  }
  const targets = left.map((_, i) => (right.length === left.length ? heldBy(context, right[i]!, state) : i === 0 ? heldBy(context, right[0]!, state) : undefined));
  const entry: { targets: (Held | undefined)[]; span?: Omit<StartedSpan, 'span' | 'reported'> } = { targets };
  const stmt = spanStatementOf(file, node, scope);
  const arg = stmt?.start.contextArg;
  const from = arg ? heldBy(context, arg, state) : undefined;
  if (stmt && arg && from?.kind === 'context' && stmt.contextTarget && stmt.spanTarget) {
    entry.span = {
      statement: node, c: from.c, framework: from.framework,
      contextName: file.text(stmt.contextTarget), contextTarget: stmt.contextTarget, spanName: file.text(stmt.spanTarget),
      origin: file.text(arg),
    };
    entry.targets = targets.map(() => undefined);
  }
  state.pending.set(node.id, entry);
}

/** On leaving it: the names are bound; they now hold what was worked out on entry. */
export function exitFrameworkStatement(node: SyntaxNode, context: RuleContext): void {
  const state = context.scope.currentFrame ? stateOf(context) : undefined;
  const entry = state?.pending.get(node.id);
  if (!state || !entry) return;
  state.pending.delete(node.id);
  const { file, scope } = context;
  expressionsOf(node.childForFieldName('left')).forEach((target, i) => {
    if (target.type !== 'identifier') return;
    const binding = scope.resolve(file.text(target));
    if (!binding) return;
    const held = entry.targets[i];
    if (held) state.held.set(binding, held);
    else state.held.delete(binding);
  });
  if (entry.span) {
    const span = entry.span.spanName === '_' ? undefined : scope.resolve(entry.span.spanName);
    state.spans.push({ ...entry.span, span, reported: false });
  }
}

/**
 * True when the argument is one of the spans (or their contexts) started in this function, as a value: not a
 * value read from it (`span.SpanContext().TraceID().String()` hands on an ID, from which no child can start).
 */
function isSpanValue(context: RuleContext, state: FrameState, arg: SyntaxNode): boolean {
  let expr = arg;
  while ((expr.type === 'parenthesized_expression' || expr.type === 'unary_expression') && expr.namedChild(expr.namedChildCount - 1)) {
    expr = expr.namedChild(expr.namedChildCount - 1)!;
  }
  if (expr.type !== 'identifier') return false;
  const name = context.file.text(expr);
  return name !== '_' && state.spans.some((s) => s.spanName === name || s.contextName === name);
}

/**
 * A call in a framework handler: a setter or a helper that may put the span's context back, a span ended
 * before the next handler, or the next handler itself (where a span whose context never reached c is reported).
 */
export function visitFrameworkCall(node: SyntaxNode, context: RuleContext): void {
  if (!usesFrameworks(context)) return;
  const state = stateOf(context);
  if (!state) return;
  const { file, scope } = context;
  const info = callInfo(file, node);
  const receiver = frameworkContext(context, info.operand);
  if (receiver && receiver.framework.setters.includes(info.name)) {
    state.putBacks.push({ c: receiver.c, at: node.startIndex });
    return;
  }
  if (state.spans.length === 0) return;
  if ((info.name === 'End' || info.name === 'Finish') && info.operandName !== undefined && !insideDefer(node)) {
    const span = scope.resolve(info.operandName);
    if (span) state.ended.push({ span, at: node.startIndex });
    return;
  }
  // A helper handed c and the span (or its context), or c.Set("span", span): it may store them for the handlers.
  const args = info.args;
  const handedC = receiver ?? args.map((a) => frameworkContext(context, a)).find((x) => x);
  if (handedC && args.some((a) => isSpanValue(context, state, a))) {
    state.putBacks.push({ c: handedC.c, at: node.startIndex });
    return;
  }
  const next = nextHandlerCall(context, node);
  if (next) checkNext(context, state, node, next);
}

/** `c.Next()` (gin, fiber) or `next(c)` on an echo HandlerFunc: the c whose handlers run next. */
function nextHandlerCall(context: RuleContext, node: SyntaxNode): Binding | undefined {
  const { file, scope } = context;
  const info = callInfo(file, node);
  if (info.calleeType === 'selector_expression' && info.name === 'Next' && info.args.length === 0) {
    const own = frameworkContext(context, info.operand);
    return own && !own.framework.nextHandlerType ? own.c : undefined;
  }
  if (info.calleeType === 'identifier' && info.args.length === 1) {
    const handler = scope.resolve(info.name);
    const framework = frameworkOf(handler?.namedType, (f) => f.nextHandlerType);
    const own = frameworkContext(context, info.args[0]!);
    return framework && own && own.framework === framework ? own.c : undefined;
  }
  return undefined;
}

function checkNext(context: RuleContext, state: FrameState, call: SyntaxNode, c: Binding): void {
  const { file } = context;
  for (const span of state.spans) {
    if (span.reported || span.c !== c || span.statement.endIndex > call.startIndex) continue;
    const after = span.statement.startIndex;
    if (state.putBacks.some((p) => p.c === c && p.at > after && p.at < call.startIndex)) continue;
    if (span.span && state.ended.some((e) => e.span === span.span && e.at > after && e.at < call.startIndex)) continue;
    span.reported = true;
    const cName = c.name;
    const ctxName = span.contextName === '_' ? undefined : span.contextName;
    const statement = ctxName ? span.framework.putBack(cName, ctxName) : span.framework.putBack(cName, 'ctx');
    const fixes: Fix[] = [];
    const fix = putBackFix(context, state, span, cName);
    if (fix) fixes.push(fix);
    const nextText = file.text(call);
    context.report({
      range: rangeOf(call),
      message:
        `The ${span.framework.name} middleware started ${span.spanName} from the request's context (${span.origin}) but runs the next handler ` +
        `(${nextText}) without putting the span's context back on the request: the handlers after it read ` +
        `${span.framework.readBy(cName)}, which still holds the parent, so their spans attach to the parent instead of ` +
        `${span.spanName}, and ${span.spanName} looks empty. ` +
        (ctxName ? `Put it back first: ${statement}.` : `Keep the span's context and put it back first (${statement}).`),
      fixes,
      related: [{ range: rangeOf(span.contextTarget), message: `The span's context${ctxName ? `, ${ctxName}` : ' (discarded)'}.` }],
    });
  }
}

/** Inserts the framework's put-back after the span's start (naming the span's context first when it was discarded). */
function putBackFix(context: RuleContext, state: FrameState, span: StartedSpan, cName: string): Fix | undefined {
  const { file, scope } = context;
  const parent = span.statement.parent;
  if (parent?.type !== 'statement_list' && parent?.type !== 'block') return undefined;
  if (span.contextName !== '_') {
    const statement = span.framework.putBack(cName, span.contextName);
    return { title: `Put ${span.contextName} back on the request (${statement})`, edits: [insertStatementAfter(file, span.statement, statement)] };
  }
  // `_, span := …` declares span, so naming the context with `:=` is valid: a new name, or one that already
  // holds a context (assigned, or shadowed in an inner block). With `=`, the name would have to exist.
  const left = span.statement.childForFieldName('left');
  const right = span.statement.childForFieldName('right');
  if (!left || !right || file.source.slice(left.endIndex, right.startIndex).trim() !== ':=') return undefined;
  const holdsContext = (b: Binding) => b.kind === 'context' || b.kind === 'rootContext' || state.held.get(b)?.kind === 'context';
  const name = ['ctx', 'spanCtx'].find((n) => {
    const bound = scope.resolve(n);
    return n !== cName && (!bound || holdsContext(bound));
  });
  if (!name) return undefined;
  const statement = span.framework.putBack(cName, name);
  return {
    title: `Keep the span's context in ${name} and put it back on the request`,
    edits: [replaceNode(span.contextTarget, name), insertStatementAfter(file, span.statement, statement)],
  };
}
