// span-context-discarded: the context returned with a new span is thrown away (`_, span := tracer.Start(ctx,
// …)`) and later work passes the old ctx on while the span is open, or it is assigned to a new ctx in an inner
// block (`ctx, span := …` shadowing the outer ctx) that is lost when the block ends while the span stays open.
// Either way the spans that work starts attach to the parent instead of the new span.
//
// Only a call that can start a span under the old ctx counts. Calls that cannot are not uses: a call that is
// handed the span itself as well (`setServerSpan(ctx, span, m)`), one that only attaches a span to a context
// (`trace.ContextWithSpan(ctx, span)`), a metric instrument (`counter.Add(ctx, 1)`, `hist.Record(ctx, v)`), a
// logging call (`logger.InfoContext(ctx, …)`, `Log(ctx, …)`, `LogAttrs`), a read of a value the context carries
// (`metadata.FromIncomingContext(ctx)`, `ExtractOrgID(ctx)`), and a context derivation
// (`context.WithTimeout(ctx, …)`), whose result is watched in ctx's place instead. A ctx re-bound to a context
// that carries a span (`ctx = trace.ContextWithSpan(ctx, span)`) or to an unrelated value is no longer the old
// one.
//
// A helper that starts a span and returns only the span (spanOnlyHelpers.ts) discards the span's context for
// its callers: `span := startSpan(ctx, "x")` in the same file is watched like `_, span := tracer.Start(ctx, "x")`
// (the fix puts the span into ctx: `ctx = trace.ContextWithSpan(ctx, span)`). The helper itself is not
// reported: whether a trace is lost depends on what its callers do while the span is open, and the callers in
// other files are not seen here (on the real-code corpus, the one exported helper reported that way had a
// caller whose work starts no span).

import type { SyntaxNode } from '../syntaxTree';
import type { GoFile } from '../goFile';
import { lineRef, type CalleeRef, type Finding, type Fix, type Range, type TextEdit } from '../findings';
import type { Rule, RuleContext } from '../rule';
import type { Binding, FunctionFrame, Scope } from '../scope';
import { expressionsOf, rangeOf } from '../syntax';
import { callInfo, type CallInfo } from '../callInfo';
import { functionRefOf } from '../functionRefs';
import type { CallGraphView } from '../workspace/callGraph';
import { ensureImport, insertStatementAfter, replaceNode } from '../fixEdits';
import { valuesOfCall } from '../valueFlow';
import { recognizeSpanStart, type TracerFamily } from '../tracing';
import { OPENTRACING_PKG, OTEL_TRACE_PKG, RUNTIME_TRACE_PKG } from '../goPackages';
import { spanOnlyHelper } from './spanOnlyHelpers';
import { assignToOuterEdits, insideDefer, spanStatementOf, type SpanStatement } from './spanStatements';
import { isInterceptorHandlerCall } from './contextNotPropagated';

/** What a call that receives the old ctx does with it. */
type UseKind =
  | 'callee' // an ordinary function or method: it can start spans under ctx
  | 'spanStart' // a tracer's Start: the span it starts is a sibling instead of a child
  | 'request' // builds an HTTP request carrying ctx: the client span attaches to the parent
  | 'traceApi'; // runtime/trace Log, WithRegion, StartRegion: regions and log events belong to ctx's task

interface Use {
  readonly line: number;
  readonly text: string;
  readonly kind: UseKind;
  /** The context derived from the old ctx that the call receives, when it is not ctx itself. */
  readonly via: string | undefined;
  /** The called function in the index's terms, when it resolves (an ordinary call only). */
  readonly callee: CalleeRef | undefined;
}

interface Record {
  /** The span start (discarded, shadowed); undefined for a helper's call. */
  readonly stmt: SpanStatement | undefined;
  /** `discarded` and `shadowed` as in the header; `helper`: `span := startSpan(ctx, …)`, a span-only helper's call. */
  readonly kind: 'discarded' | 'shadowed' | 'helper';
  /** The statement that starts the span (or calls the helper), and the name the span went to. */
  readonly statement: SyntaxNode;
  readonly spanTarget: SyntaxNode | undefined;
  readonly family: TracerFamily;
  /** For a helper's call: its callee (`startSpan`, `s.startSpan`). */
  readonly helperCallee?: SyntaxNode;
  readonly ctxName: string;
  /** The ctx whose later use is the mistake: the one passed to Start (discarded), or the outer one (shadowed). */
  readonly watched: Binding;
  /** Contexts derived from the watched one after the span started (`c, cancel := context.WithTimeout(ctx, …)`). */
  readonly aliases: Set<Binding>;
  /** The watched ctx was re-bound to a context with a span, or to something unrelated. */
  rebound: boolean;
  /** The span's binding, to see it ended. */
  readonly span: Binding | undefined;
  /** Uses count after this index (the statement's end, or the end of the block for a shadowed ctx). */
  readonly usesAfter: number;
  /** The ctx passed to Start lives in an outer scope (so `:=` would shadow it). */
  readonly outerContext: boolean;
  /** The scope the statement is in (a new name declared by it is visible until this scope ends). */
  readonly scope: Scope | null;
  /** Where `span.End()` closed the span (not deferred), or -1 while it is open. */
  closedAt: number;
  /** The old ctx is passed on after the span was ended: the returned context must not replace it. */
  usedAfterClose: boolean;
  readonly uses: Use[];
  /** Every argument naming the old ctx while the span is open (for the fix that renames them). */
  readonly windowArgs: SyntaxNode[];
}

const owner = {};

/** Contexts attached to a span, not derived: the result carries a span (that of the arguments). */
const ATTACH_FUNCTIONS: ReadonlySet<string> = new Set(['ContextWithSpan', 'ContextWithRemoteSpanContext', 'ContextWithSpanContext']);
/** Metric instruments (OpenTelemetry's Int64Counter.Add, Float64Histogram.Record, the older RecordBatch). */
const METRIC_METHODS: ReadonlySet<string> = new Set(['Add', 'Record', 'RecordBatch']);
const METRIC_NAME = /counter|histogram|gauge|meter|metric|instrument|measure|recorder/i;
/** slog (and slog-like) loggers: InfoContext, ErrorContext…, Log(ctx, level, msg), LogAttrs. */
const LOG_CONTEXT_METHOD = /^(Trace|Debug|Info|Notice|Warn|Warning|Error|Fatal|Panic)f?Context$/;
const LOG_METHODS: ReadonlySet<string> = new Set(['Log', 'Logf', 'LogAttrs']);
/** Reads of a value the context carries: `metadata.FromIncomingContext(ctx)`, `peer.FromContext(ctx)`. */
const CONTEXT_ACCESSOR = /(FromContext|From(Incoming|Outgoing)Context|FromContextOrDiscard)$/;
/** `user.ExtractOrgID(ctx)`, `validation.ExtractTenantID(ctx)`: only reads from the context it is given. */
const EXTRACTOR = /^Extract[A-Z]/;
const REQUEST_BUILDERS: ReadonlySet<string> = new Set(['NewRequestWithContext']);
/** Helpers that put a value into a context and return it: `NewServerContext(ctx, md)`, `WithUser(ctx, u)`. */
const CONTEXT_CONSTRUCTOR = /^(New[A-Za-z0-9]*Context|[A-Za-z0-9]+(To|Into|In)Context|ContextWith[A-Za-z0-9]*|With[A-Z][A-Za-z0-9]*)$/;
const CONTEXT_NAME = /^(ctx|[a-z][A-Za-z0-9]*Ctx)$/;
const TRACE_API_FUNCTIONS: ReadonlySet<string> = new Set(['Log', 'Logf', 'WithRegion', 'StartRegion', 'NewTask']);

function recordsOf(frame: FunctionFrame): Record[] {
  return frame.stateFor(owner, () => [] as Record[]);
}

function isWatched(record: Record, binding: Binding | undefined): boolean {
  return !!binding && (binding === record.watched ? !record.rebound : record.aliases.has(binding));
}

function importsMetrics(file: GoFile): boolean {
  return file.imports.paths().some((p) => p.startsWith('go.opentelemetry.io/otel/metric'));
}

/** True when the call only logs: an slog-style `…Context(ctx, …)`, `Log(ctx, …)`, `LogAttrs(ctx, …)`. */
function isLoggingCall(file: GoFile, info: CallInfo): boolean {
  if (info.operandName !== undefined && file.imports.refersTo(info.operandName, RUNTIME_TRACE_PKG)) return false;
  if (LOG_CONTEXT_METHOD.test(info.name)) return true;
  if (LOG_METHODS.has(info.name)) return info.args.length >= 2;
  // logrus, zerolog: log.WithContext(ctx).Info(…), logger.Ctx(ctx)
  return (info.name === 'WithContext' || info.name === 'Ctx') && !!info.operand && /log/i.test(file.text(info.operand));
}

function isMetricCall(file: GoFile, info: CallInfo): boolean {
  if (!METRIC_METHODS.has(info.name) || !info.operand || info.args.length < 2) return false;
  const operand = info.operand.type === 'selector_expression' ? info.operand.childForFieldName('field') : info.operand;
  return importsMetrics(file) || (!!operand && METRIC_NAME.test(file.text(operand)));
}

/**
 * How the call uses the old ctx, or undefined when it cannot start a span under it (see the header). `spanArg`
 * tells whether one of the arguments is the started span itself.
 */
function useKind(context: RuleContext, node: SyntaxNode, info: CallInfo, record: Record, spanArg: boolean): UseKind | undefined {
  const { file, scope } = context;
  const name = info.name;
  const taskRecord = record.family === 'runtime-trace';
  if (spanArg || ATTACH_FUNCTIONS.has(name)) return undefined;
  if (info.operandName !== undefined && file.imports.refersTo(info.operandName, RUNTIME_TRACE_PKG)) {
    // Regions and log events belong to the task in ctx; they mean nothing to another tracer's spans.
    return taskRecord && TRACE_API_FUNCTIONS.has(name) ? 'traceApi' : undefined;
  }
  if (recognizeSpanStart(file, node, (n) => scope.kindOf(n))) return taskRecord ? undefined : 'spanStart';
  if (isLoggingCall(file, info) || isMetricCall(file, info)) return undefined;
  if (CONTEXT_ACCESSOR.test(name) || (EXTRACTOR.test(name) && info.args.length === 1)) return undefined;
  if (isDerivation(context, node, info)) return undefined;
  // A function of this file that declares its context `_` starts nothing under it.
  if (file.facts.contextIgnorers.has(name)) return undefined;
  if (REQUEST_BUILDERS.has(name)) return 'request';
  if (name === 'WithContext' && info.args.length === 1) return 'request';
  return 'callee';
}

/**
 * A context derived from the old one (context.WithTimeout, metadata.NewOutgoingContext, a propagator's
 * Extract, errgroup.WithContext), or a helper that puts a value into it and returns it (`ctx =
 * transport.NewServerContext(ctx, tr)`): not a use by itself; the variable it is assigned to is watched instead.
 */
function isDerivation(context: RuleContext, node: SyntaxNode, info: CallInfo): boolean {
  const { file, scope } = context;
  const values = valuesOfCall(file, node, scope.lookup, node.startPosition.row);
  if (values.some((v) => v.kind === 'context' || v.kind === 'rootContext')) return true;
  if (!CONTEXT_CONSTRUCTOR.test(info.name)) return false;
  // Only when its result goes into a context variable.
  const list = node.parent;
  const stmt = list?.type === 'expression_list' ? list.parent : null;
  if (!stmt || (stmt.type !== 'short_var_declaration' && stmt.type !== 'assignment_statement') || list!.namedChildCount !== 1) return false;
  const [target] = expressionsOf(stmt.childForFieldName('left'));
  if (target?.type !== 'identifier') return false;
  const name = file.text(target);
  const kind = scope.resolve(name)?.kind;
  return kind === 'context' || kind === 'rootContext' || CONTEXT_NAME.test(name);
}

function exitStatement(node: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  const frame = scope.currentFrame;
  if (!frame) return;
  followAssignment(node, context);
  const stmt = spanStatementOf(file, node, scope);
  if (!stmt) {
    recordHelperCall(node, context);
    return;
  }
  if (!stmt.contextTarget || stmt.start.contextArg?.type !== 'identifier') return;
  const ctxName = file.text(stmt.start.contextArg);
  const target = file.text(stmt.contextTarget);
  const spanName = stmt.spanTarget ? file.text(stmt.spanTarget) : '_';
  const span = spanName !== '_' ? scope.resolve(spanName) : undefined;
  const base = {
    stmt, statement: stmt.statement, spanTarget: stmt.spanTarget, family: stmt.start.family,
    span, aliases: new Set<Binding>(), rebound: false, closedAt: -1, usedAfterClose: false, uses: [], windowArgs: [], scope: scope.scope,
  };
  if (target === '_') {
    const watched = scope.resolve(ctxName);
    if (!watched) return;
    recordsOf(frame).push({
      ...base, kind: 'discarded', ctxName, watched, usesAfter: node.endIndex,
      outerContext: stmt.operator === ':=' && watched.scope !== scope.scope,
    });
    return;
  }
  if (target !== ctxName || stmt.operator !== ':=' || !scope.scope || scope.scope === frame.rootScope) return;
  const declared = scope.resolve(ctxName);
  const outer = scope.resolveOuter(ctxName);
  if (!declared || !outer || declared.scope !== scope.scope) return;
  recordsOf(frame).push({ ...base, kind: 'shadowed', ctxName, watched: outer, usesAfter: scope.scope.endIndex, outerContext: true });
}

/**
 * `span := startSpan(ctx, "x")` (or `span, err := s.startSpan(ctx, "x")`), a call of a span-only helper of this
 * file: ctx is watched as after `_, span := tracer.Start(ctx, "x")`.
 */
function recordHelperCall(node: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  const frame = scope.currentFrame;
  if (!frame || file.facts.spanOnlyHelpers.size === 0) return;
  const right = expressionsOf(node.childForFieldName('right'));
  const call = right.length === 1 && right[0]!.type === 'call_expression' ? right[0]! : undefined;
  const callee = call?.childForFieldName('function');
  if (!call || !callee) return;
  const ref = functionRefOf(file, scope, callee);
  const key = ref?.kind === 'local' ? ref.name : ref?.kind === 'method' && ref.importPath === undefined ? `${ref.receiverType}.${ref.name}` : undefined;
  const helper = key !== undefined ? spanOnlyHelper(file, key) : undefined;
  if (!helper) return;
  const targets = expressionsOf(node.childForFieldName('left'));
  const spanTarget = targets[helper.spanIndex];
  const ctxArg = callInfo(file, call).args[helper.contextIndex];
  if (targets.length !== helper.results || spanTarget?.type !== 'identifier' || ctxArg?.type !== 'identifier') return;
  const ctxName = file.text(ctxArg);
  const spanName = file.text(spanTarget);
  if (spanName === '_' || targets.some((t) => file.text(t) === ctxName)) return;
  const watched = scope.resolve(ctxName);
  if (!watched || (watched.kind !== 'context' && watched.kind !== 'rootContext')) return;
  recordsOf(frame).push({
    stmt: undefined, kind: 'helper', statement: node, spanTarget, family: helper.family, helperCallee: callee,
    ctxName, watched, span: scope.resolve(spanName), aliases: new Set<Binding>(), rebound: false, closedAt: -1,
    usedAfterClose: false, uses: [], windowArgs: [], scope: scope.scope, usesAfter: node.endIndex, outerContext: false,
  });
}

/** Every record of this function and the functions around it (a closure sees its parent's ctx). */
function* openRecords(context: RuleContext): Generator<Record> {
  for (let frame = context.scope.currentFrame; frame; frame = frame.parent) yield* recordsOf(frame);
}

/**
 * After a declaration or assignment (its names already bound): a context derived from a watched one is
 * watched too; a watched ctx re-bound to a context with a span, or to a value not made from it, is no longer
 * the old context.
 */
function followAssignment(node: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  let any = false;
  for (const _ of openRecords(context)) { any = true; break; }
  if (!any) return;
  const targets = expressionsOf(node.childForFieldName('left'));
  const values = expressionsOf(node.childForFieldName('right'));
  if (targets.length === 0 || values.length === 0) return;
  for (const record of openRecords(context)) {
    if (record.rebound || node.startIndex < record.usesAfter || record.closedAt >= 0) continue;
    targets.forEach((target, i) => {
      if (target.type !== 'identifier') return;
      const binding = scope.resolve(file.text(target));
      if (!binding) return;
      const value = values.length === targets.length ? values[i]! : values[0]!;
      const fromOld = mentionsWatched(context, record, value);
      const attaches = value.type === 'call_expression' && (ATTACH_FUNCTIONS.has(callInfo(file, value).name) ||
        !!recognizeSpanStart(file, value, (n) => scope.kindOf(n)));
      if (isWatched(record, binding)) {
        if (attaches || !fromOld) {
          if (binding === record.watched) record.rebound = true;
          else record.aliases.delete(binding);
        }
      } else if (fromOld && !attaches && (binding.kind === 'context' || binding.kind === 'rootContext' || CONTEXT_NAME.test(binding.name)) &&
        value.type === 'call_expression') {
        record.aliases.add(binding);
      }
    });
  }
}

/** True when the expression names the watched ctx (or a context derived from it) somewhere inside. */
function mentionsWatched(context: RuleContext, record: Record, expr: SyntaxNode): boolean {
  const { file, scope } = context;
  const ids = expr.type === 'identifier' ? [expr] : expr.descendantsOfType('identifier');
  return ids.some((id) => !!id && isWatched(record, scope.resolve(file.text(id))));
}

function visitCall(node: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  let anyRecords = false;
  for (const _ of openRecords(context)) { anyRecords = true; break; }
  if (!anyRecords) return;
  const info = callInfo(file, node);
  const callee = info.callee;
  // span.End() / span.Finish() outside a defer closes the span for the code after it.
  if (info.operandName !== undefined) {
    const method = info.name;
    if ((method === 'End' || method === 'Finish') && !insideDefer(node)) {
      const binding = scope.resolve(info.operandName);
      for (const record of openRecords(context)) {
        if (record.span && record.span === binding && record.closedAt < 0) record.closedAt = node.startIndex;
      }
    }
  }
  const args = info.args.filter((a) => a.type === 'identifier');
  if (args.length === 0) return;
  const bindings = args.map((a) => scope.resolve(file.text(a)));
  for (const record of openRecords(context)) {
    if (node.startIndex < record.usesAfter) continue;
    const passed = args.filter((_, i) => isWatched(record, bindings[i]));
    if (passed.length === 0) continue;
    if (record.closedAt >= 0) {
      if (node.startIndex > record.closedAt) record.usedAfterClose = true;
      continue;
    }
    record.windowArgs.push(...passed);
    if (isInterceptorHandlerCall(context, node)) continue;
    const spanArg = !!record.span && bindings.some((b) => b === record.span);
    const kind = useKind(context, node, info, record, spanArg);
    if (!kind) continue;
    const text = callee ? file.text(callee) : 'a call';
    if (record.uses.some((u) => u.text === text)) continue;
    const direct = passed.some((a) => scope.resolve(file.text(a)) === record.watched);
    const ref = kind === 'callee' && callee ? functionRefOf(file, scope, callee) : undefined;
    record.uses.push({ line: node.startPosition.row, text, kind, via: direct ? undefined : file.text(passed[0]!), callee: ref });
  }
}

const MAX_NAMED_USES = 3;

/** "work on line 12 passes ctx on", "a on line 3 and b on line 5 pass ctx on". */
function describeUses(uses: readonly Use[], ctxName: string): string {
  const named = uses.slice(0, MAX_NAMED_USES).map((u) => `${u.text} on line ${lineRef(u.line)}${u.via ? ` (through ${u.via}, derived from ${ctxName})` : ''}`);
  const more = uses.length > MAX_NAMED_USES ? ` (and ${uses.length - MAX_NAMED_USES} more)` : '';
  if (named.length === 1) return `${named[0]} passes ${ctxName} on`;
  return `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}${more} pass ${ctxName} on`;
}

/** What goes wrong in the trace, for the kinds of use seen. */
function consequence(record: Record, spanName: string): string {
  const { ctxName, uses } = record;
  if (record.family === 'runtime-trace') {
    return `${uses.length === 1 ? 'its' : 'their'} regions and log events belong to ${ctxName}'s task instead of ${spanName}`;
  }
  const kinds = new Set(uses.map((u) => u.kind));
  const one = uses.length === 1;
  if (kinds.size === 1) {
    switch (uses[0]!.kind) {
      case 'callee':
        return `${one ? 'its' : 'their'} spans attach to ${ctxName}'s span instead of ${spanName}`;
      case 'spanStart':
        return `the span${one ? ' it starts is a sibling' : 's they start are siblings'} of ${spanName} instead of ${one ? 'its child' : 'its children'}`;
      case 'request':
        return `the request carries ${ctxName}, so its client span attaches to ${ctxName}'s span instead of ${spanName}`;
      case 'traceApi':
        return `${one ? 'its' : 'their'} regions and log events belong to ${ctxName}'s task instead of ${spanName}'s`;
    }
  }
  return `the spans started there attach to ${ctxName}'s span instead of ${spanName}`;
}

/**
 * When ctx is passed on again after the span ended, keeping the span's context in ctx would make that later
 * work children of an ended span. The fix then gives the span's context a name of its own for the work while
 * the span is open: `spanCtx, span := tracer.Start(ctx, …)`, and passes it there.
 */
function ownNameFix(file: GoFile, record: Record, spanName: string): Fix | undefined {
  const { stmt } = record;
  if (!stmt || stmt.operator !== ':=' || record.kind !== 'discarded') return undefined;
  const renamed = renameWindowArgs(file, record, spanName, (name) => [replaceNode(stmt.contextTarget!, name)]);
  return renamed && { title: `Keep the span's context in ${renamed.name} while ${spanName} is open`, edits: renamed.edits };
}

/**
 * The edits that give the span's context a name of its own (`declare(name)` introduces it, in the statement's
 * scope) and pass it, instead of the old ctx, to every call made while the span is open.
 */
function renameWindowArgs(
  file: GoFile, record: Record, spanName: string, declare: (name: string) => TextEdit[],
): { name: string; edits: TextEdit[] } | undefined {
  if (!/^[A-Za-z_]\w*$/.test(spanName) || spanName === '_') return undefined;
  const scopeEnd = record.scope?.endIndex ?? -1;
  if (record.windowArgs.some((a) => a.startIndex > scopeEnd)) return undefined;
  const fn = enclosingFunctionNode(record.statement);
  const fnText = fn ? file.text(fn) : file.source;
  const taken = (name: string) => new RegExp(`\\b${name}\\b`).test(fnText);
  const name = [`${spanName}Ctx`, 'spanCtx'].find((n) => !taken(n));
  if (!name) return undefined;
  const seen = new Set<number>();
  const edits: TextEdit[] = declare(name);
  for (const arg of record.windowArgs) {
    if (seen.has(arg.startIndex)) continue;
    seen.add(arg.startIndex);
    edits.push(replaceNode(arg, name));
  }
  return { name, edits };
}

function enclosingFunctionNode(node: SyntaxNode): SyntaxNode | null {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_declaration' || current.type === 'method_declaration' || current.type === 'func_literal') return current;
  }
  return null;
}

/** The next statement after `node` in its list, comments skipped. */
function nextStatement(node: SyntaxNode): SyntaxNode | null {
  let next = node.nextNamedSibling;
  while (next?.type === 'comment') next = next.nextNamedSibling;
  return next;
}

/**
 * A span that times one statement: `_, sp := tracer.Start(ctx, "newAppender")`, then the one statement it
 * measures, then `sp.End()`. The context is dropped on purpose: the span marks how long the call took, and the
 * call's work is the parent's, as the code says by ending the span right after it.
 */
function timesOneStatement(context: RuleContext, record: Record): boolean {
  const { file } = context;
  const spanName = record.spanTarget ? file.text(record.spanTarget) : undefined;
  if (!spanName || spanName === '_') return false;
  const statement = record.statement.type === 'var_spec' ? record.statement.parent : record.statement;
  const timed = statement ? nextStatement(statement) : null;
  const end = timed ? nextStatement(timed) : null;
  if (!timed || !end || end.type !== 'expression_statement') return false;
  if (file.text(end).replace(/\s+/g, '') !== `${spanName}.End()`) return false;
  return record.uses.every((use) => use.line >= timed.startPosition.row && use.line <= timed.endPosition.row);
}

function exitFunction(_node: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  const frame = scope.currentFrame;
  if (!frame) return;
  for (const record of recordsOf(frame)) {
    if (record.uses.length === 0) continue;
    if (record.kind !== 'shadowed' && timesOneStatement(context, record)) continue;
    if (record.kind === 'helper') {
      reportHelperCall(context, record);
      continue;
    }
    const { stmt, ctxName } = record;
    if (!stmt) continue;
    const spanName = stmt.spanTarget ? file.text(stmt.spanTarget) : 'the span';
    const target = stmt.contextTarget!;
    const fixes: Fix[] = [];
    const range: Range = rangeOf(target);
    let message: string;
    const children = consequence(record, spanName);
    const uses = describeUses(record.uses, ctxName);
    if (record.kind === 'discarded') {
      if (record.usedAfterClose) {
        message =
          `The context returned with ${spanName} is discarded, and ${uses} while ${spanName} is open: ${children}. ` +
          `Give the span's context a name of its own and pass that until ${spanName} ends (${ctxName} itself is ` +
          `used again after the span ended, so it should stay as it is).`;
        const fix = ownNameFix(file, record, spanName);
        if (fix) fixes.push(fix);
      } else {
        message = `The context returned with ${spanName} is discarded, and ${uses}: ${children}. Keep the returned context in ${ctxName}.`;
        const outerFix = record.outerContext ? assignToOuterEdits(file, stmt) : undefined;
        if (!record.outerContext) fixes.push({ title: `Keep the span's context in ${ctxName}`, edits: [replaceNode(target, ctxName)] });
        else if (outerFix) fixes.push({ title: `Keep the span's context in the outer ${ctxName}`, edits: [replaceNode(target, ctxName), ...outerFix] });
      }
    } else {
      message =
        `This ${ctxName} is a new variable that only lives in this block: after the block, ${uses} (the outer ` +
        `${ctxName}) while ${spanName} is still open: ${children}. ` +
        (record.usedAfterClose
          ? `Keep the span's context in a variable declared before the block and pass it to that work until ${spanName} ends.`
          : `Assign the span's context to the outer ${ctxName}.`);
      const outerFix = assignToOuterEdits(file, stmt);
      if (outerFix && !record.usedAfterClose) fixes.push({ title: `Assign to the outer ${ctxName}`, edits: outerFix });
    }
    reportRecord(context, record, range, message, fixes);
  }
}

function reportRecord(context: RuleContext, record: Record, range: Range, message: string, fixes: Fix[]): void {
  // When every use is an ordinary call the index can resolve, it may find that each ignores its context.
  const refs = record.uses.map((u) => u.callee);
  const contextUses = refs.every((r): r is CalleeRef => r !== undefined) ? refs : undefined;
  context.report({
    range, message, fixes,
    related: [{ range: record.watched.declRange, message: `The ${record.ctxName} that is passed on instead.` }],
    ...(contextUses ? { contextUses } : {}),
  });
}

/** How the file spells `ContextWithSpan` for this tracer family, and the import it needs. */
function contextWithSpan(file: GoFile, family: TracerFamily): { call: string; edits: TextEdit[] } | undefined {
  if (family === 'otel') {
    const use = ensureImport(file, OTEL_TRACE_PKG, 'trace', 'oteltrace');
    return { call: `${use.prefix}ContextWithSpan`, edits: [...use.edits] };
  }
  if (family === 'opentracing') {
    const use = ensureImport(file, OPENTRACING_PKG, 'opentracing', 'opentracing');
    return { call: `${use.prefix}ContextWithSpan`, edits: [...use.edits] };
  }
  return undefined;
}

/** `span := startSpan(ctx, "x")` followed by work that passes ctx on while span is open. */
function reportHelperCall(context: RuleContext, record: Record): void {
  const { file, scope } = context;
  const { ctxName } = record;
  const spanName = record.spanTarget ? file.text(record.spanTarget) : 'the span';
  const helper = file.text(record.helperCallee!);
  const children = consequence(record, spanName);
  const uses = describeUses(record.uses, ctxName);
  const attach = contextWithSpan(file, record.family);
  const fixes: Fix[] = [];
  const inList = record.statement.parent?.type === 'statement_list' || record.statement.parent?.type === 'block';
  // Assigning ctx in a closure would change the enclosing function's ctx too: only ctx of this function.
  const own = record.watched.scope.frame === scope.currentFrame;
  let message = `${helper} starts ${spanName} from ${ctxName} but returns only the span (the context carrying it stays ` +
    `inside ${helper}), and ${uses} while ${spanName} is open: ${children}. `;
  if (record.usedAfterClose) {
    message += `Give ${spanName}'s context a name of its own (${attach?.call ?? 'ContextWithSpan'}(${ctxName}, ${spanName})) and ` +
      `pass it until ${spanName} ends (${ctxName} itself is used again after the span ended), or have ${helper} return its context too.`;
    const renamed = attach && inList ? renameWindowArgs(file, record, spanName, (name) => [
      insertStatementAfter(file, record.statement, `${name} := ${attach.call}(${ctxName}, ${spanName})`), ...attach.edits,
    ]) : undefined;
    if (renamed) fixes.push({ title: `Keep ${spanName}'s context in ${renamed.name} while ${spanName} is open`, edits: renamed.edits });
  } else {
    const statement = `${ctxName} = ${attach?.call ?? 'ContextWithSpan'}(${ctxName}, ${spanName})`;
    message += `Put the span into ${ctxName} (${statement}), or have ${helper} return its context too.`;
    if (attach && inList && own) {
      fixes.push({ title: `Put ${spanName} into ${ctxName}`, edits: [insertStatementAfter(file, record.statement, statement), ...attach.edits] });
    }
  }
  reportRecord(context, record, rangeOf(record.helperCallee!), message, fixes);
}

export const spanContextDiscarded: Rule = {
  id: 'span-context-discarded',
  visitors: { call_expression: visitCall },
  exits: {
    short_var_declaration: exitStatement,
    assignment_statement: exitStatement,
    function_declaration: exitFunction,
    method_declaration: exitFunction,
    func_literal: exitFunction,
  },
};

/**
 * After the walk, with the workspace index (as call-chain-break's call sites are resolved): drops findings
 * whose claim rests only on handing a context to functions that ignore it (each use resolves
 * to functions the index knows, all declaring their context `_`): nothing is started under that context.
 */
export function withoutIgnoredContextUses<T extends Finding>(findings: readonly T[], filePath: string, index: CallGraphView): T[] {
  return findings.filter((f) => !f.contextUses || f.contextUses.length === 0 || !f.contextUses.every((ref) => index.ignoresContext(filePath, ref)));
}
