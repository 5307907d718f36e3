// span-not-ended: a span (or runtime/trace task or region) that some path of its function leaves open. An
// unended span is never exported: the trace shows a hole where it should be, and its children become orphans.
//
// During the walk the rule records, for every span a function starts (`ctx, span := tracer.Start(…)`,
// `span = …`, `var ctx, span = …`, `ctx, _ := …`), what happens to it and where: ended (`span.End()`,
// `trace.SpanFromContext(ctx).End()`), ended at exit by a deferred closure, or escaping (returned, stored in a
// field, map, slice, package variable, composite literal or channel, handed to a call, captured by a closure
// that is stored, passed or run as a goroutine). The span's context, and contexts or requests derived from it,
// carry the span: returning or storing them lets someone else end it (`SpanFromContext(ctx).End()`), so they
// settle it too; passing them to an ordinary call (`doWork(ctx)`) does not. When the function is left, the
// structured statements after each start are followed path by path (if/else, switch and select cases, loops
// to a fixed point, break/continue with labels, returns; panic, os.Exit and log.Fatal end a path; goto gives
// up) and a span still open on a return, at the end of the function, when its variable goes out of scope, or
// when a second start overwrites it, is reported at the start that leaks. A `tracer.Start(…)` whose results
// are dropped is reported on the spot.

import type { SyntaxNode } from '../syntaxTree';
import type { Fix } from '../findings';
import type { Rule, RuleContext } from '../rule';
import type { Binding, FunctionFrame } from '../scope';
import { childrenForField, expressionsOf, namedChildren, rangeOf } from '../syntax';
import { callInfo } from '../callInfo';
import { ensureImport, freshName, insertStatementAfter, insertStatementBefore, replaceNode } from '../fixEdits';
import { recognizeSpanStart, spanTypeFor, type SpanStart } from '../tracing';
import { lineRef, type TextEdit } from '../findings';
import { kindOfType } from '../valueKinds';
import { spanStatementOf, type SpanStatement } from './spanStatements';

interface StartRecord {
  readonly stmt: SpanStatement;
  /** The span variable's name, or `_` when the span is discarded. */
  readonly name: string;
  /** For a discarded span: the name the fix gives it (chosen where the start is, so it shadows nothing). */
  readonly freshName: string;
  /** Position of the start in the path walk: the last character of its statement (after its right-hand side). */
  readonly at: number;
  readonly line: number;
}

type EventKind = 'end' | 'escape' | 'defer';

interface PathEvent {
  readonly at: number;
  readonly kind: EventKind | 'start';
  readonly start?: StartRecord;
}

/** The spans one variable holds (or one discarded span, known only through its context). */
interface Track {
  readonly binding: Binding | undefined;
  /** The function that owns the variable and whose paths are followed. */
  readonly frame: FunctionFrame;
  readonly starts: StartRecord[];
  readonly events: PathEvent[];
  /** Set when the span escapes in a way the path walk cannot place: nothing is reported. */
  silent: boolean;
}

interface DeclarationState {
  readonly tracks: Track[];
  readonly bySpan: Map<Binding, Track>;
  /** Variables holding the span's context, a context or request derived from it, or the span under another name. */
  readonly byCarrier: Map<Binding, Track[]>;
  /** `x := value` statements whose value carries a span: the names become carriers when the statement is left. */
  readonly pending: Map<number, { names: SyntaxNode[]; tracks: Track[] }>;
}

const owner = {};

function stateOf(frame: FunctionFrame): DeclarationState {
  let root = frame;
  while (root.parent) root = root.parent;
  return root.stateFor(owner, () => ({ tracks: [], bySpan: new Map(), byCarrier: new Map(), pending: new Map() }) as DeclarationState);
}

function declarationState(context: RuleContext): DeclarationState | undefined {
  const frame = context.scope.currentFrame;
  return frame ? stateOf(frame) : undefined;
}

/** Whether the declaration being walked tracks a span (otherwise there is nothing to record). */
function tracking(context: RuleContext): DeclarationState | undefined {
  const state = declarationState(context);
  return state && state.tracks.length > 0 ? state : undefined;
}

function what(start: SpanStart): string {
  return start.method === 'NewTask' ? 'task' : start.method === 'StartRegion' ? 'region' : 'span';
}

const NOOP = /\bnoop\.|Noop/;

/**
 * Spans from a no-op tracer are never exported: there is nothing to end. The tracer is spelled
 * `noop.NewTracerProvider().Tracer("x")`, or comes from a variable this declaration sets to a no-op provider
 * or tracer (`provider := noop.NewTracerProvider()` … `provider.Tracer("x").Start(…)`).
 */
function isNoopTracer(context: RuleContext, start: SpanStart): boolean {
  const { file, scope } = context;
  if (NOOP.test(file.text(start.receiver))) return true;
  let root: SyntaxNode | null = start.receiver;
  while (root && (root.type === 'call_expression' || root.type === 'selector_expression')) {
    root = root.type === 'call_expression' ? root.childForFieldName('function') : root.childForFieldName('operand');
  }
  if (root?.type !== 'identifier') return false;
  const binding = scope.resolve(file.text(root));
  if (!binding) return false;
  let outer = binding.scope.frame;
  while (outer.parent) outer = outer.parent;
  const assigned = new RegExp(`(^|[^.\\w])${binding.name}\\s*:?=\\s*[\\w.]*(noop\\.|Noop)`);
  return assigned.test(file.text(outer.node));
}

// ---- what an expression carries ------------------------------------------------------------------------

const START_NAMES: ReadonlySet<string> = new Set(['Start', 'StartSpan', 'StartSpanFromContext', 'StartSpanFromContextWithTracer', 'NewTask', 'StartRegion']);

const DERIVING_NAMES: ReadonlySet<string> = new Set(['AppendToOutgoingContext', 'ToContext', 'Clone']);

/**
 * A call whose result carries what its arguments carry: `context.WithValue(ctx, …)`, `r.WithContext(ctx)`,
 * `trace.ContextWithSpan(ctx, span)`, a constructor or wrapper keeping them (`newTracedBody(ctx, body)`).
 */
function isDerivingCall(name: string): boolean {
  return (/^(With|ContextWith|New|new|Wrap|wrap)/.test(name) || DERIVING_NAMES.has(name)) && !START_NAMES.has(name);
}

/**
 * A call that keeps or finishes what it is given (`c.Set("ctx", ctx)`, `pending.Store(id, ctx)`,
 * `spans = append(spans, …)`, `endSpan(ctx, err)`): a span's context handed to it may be ended there or later.
 */
function isKeepingCall(name: string): boolean {
  return name === 'append' ||
    /^(Set|Store|Put|Push|Add|Register|Save|Insert|Append|Enqueue|Attach|Swap|LoadOrStore|CompareAndSwap|Track)/.test(name) ||
    /^(end|finish|close|stop|complete)|(End|Finish|Close|Stop|Complete)/.test(name);
}

function addTracks(out: Track[], tracks: readonly Track[] | undefined): void {
  if (tracks) for (const t of tracks) if (!out.includes(t)) out.push(t);
}

/**
 * The spans an expression's value carries. `spanOnly`: the span itself (`span`, `&span`, the method value
 * `span.End`); otherwise also a context, request or struct holding it.
 */
function carried(context: RuleContext, state: DeclarationState, expr: SyntaxNode, spanOnly: boolean, out: Track[] = []): Track[] {
  const { file, scope } = context;
  switch (expr.type) {
    case 'identifier': {
      const binding = scope.resolve(file.text(expr));
      if (!binding) break;
      const track = state.bySpan.get(binding);
      if (track) addTracks(out, [track]);
      if (!spanOnly) addTracks(out, state.byCarrier.get(binding));
      break;
    }
    case 'unary_expression':
    case 'parenthesized_expression': {
      const inner = expr.type === 'unary_expression' ? expr.childForFieldName('operand') : expr.namedChild(0);
      if (inner) carried(context, state, inner, spanOnly, out);
      break;
    }
    case 'selector_expression': {
      // `span.End` as a value (`t.Cleanup(span.End)`, `return ctx, span.End`): whoever calls it ends the span.
      const field = expr.childForFieldName('field');
      const operand = expr.childForFieldName('operand');
      if (field && operand && /^(End|Finish)$/.test(file.text(field)) && expr.parent?.type !== 'call_expression') {
        carried(context, state, operand, false, out);
      }
      break;
    }
    case 'composite_literal': {
      if (spanOnly) break;
      const body = expr.childForFieldName('body');
      for (const element of body ? namedChildren(body) : []) {
        const value = element.type === 'keyed_element' ? element.namedChild(1) : element;
        const inner = value?.type === 'literal_element' ? value.namedChild(0) : value;
        if (inner) carried(context, state, inner, false, out);
      }
      break;
    }
    case 'call_expression': {
      if (spanOnly) break;
      const info = callInfo(file, expr);
      if (info.name === 'SpanFromContext' || isDerivingCall(info.name)) {
        for (const arg of info.args) carried(context, state, arg, false, out);
      }
      break;
    }
  }
  return out;
}

// ---- recording what happens to a span ------------------------------------------------------------------

type Disposition = 'deferred' | 'go' | 'invoked' | 'other';

function dispositionOf(literal: SyntaxNode): Disposition {
  const call = literal.parent;
  if (call?.type !== 'call_expression' || call.childForFieldName('function')?.startIndex !== literal.startIndex) return 'other';
  if (call.parent?.type === 'defer_statement') return 'deferred';
  if (call.parent?.type === 'go_statement') return 'go';
  return 'invoked';
}

/**
 * Records that `node` ends, lets escape, or (`use`) merely uses a tracked span. Inside a closure of the span's
 * function, what it means depends on the closure: a deferred one ends it at exit, a goroutine or a stored or
 * passed closure takes it over (a stored closure even by merely using it), one called on the spot acts there.
 */
function record(context: RuleContext, track: Track, kind: EventKind | 'use', node: SyntaxNode): void {
  if (context.scope.currentFrame === track.frame) {
    if (kind !== 'use') track.events.push({ at: node.startIndex, kind });
    return;
  }
  const stop = track.frame.node;
  let outermost: SyntaxNode | undefined;
  let other = false;
  let go = false;
  let deferred = false;
  for (let current = node.parent; current && current.startIndex >= stop.startIndex; current = current.parent) {
    if (current.id === stop.id) break;
    if (current.type !== 'func_literal') continue;
    outermost = current;
    const disposition = dispositionOf(current);
    if (disposition === 'other') other = true;
    else if (disposition === 'go') go = true;
    else if (disposition === 'deferred') deferred = true;
  }
  if (!outermost) {
    if (kind !== 'use') track.events.push({ at: node.startIndex, kind });
    return;
  }
  const at = outermost.startIndex;
  if (other) track.events.push({ at, kind: 'escape' });
  else if (kind === 'use') return;
  else if (go) track.events.push({ at, kind: 'escape' });
  else if (deferred) track.events.push({ at, kind: 'defer' });
  else track.events.push({ at, kind });
}

function recordAll(context: RuleContext, tracks: readonly Track[], kind: EventKind | 'use', node: SyntaxNode): void {
  for (const track of tracks) record(context, track, kind, node);
}

// ---- starts ---------------------------------------------------------------------------------------------

function exitStatement(node: SyntaxNode, context: RuleContext): void {
  const { file, scope } = context;
  const frame = scope.currentFrame;
  if (!frame) return;
  const state = stateOf(frame);
  const pending = state.pending.get(node.startIndex);
  if (pending) {
    state.pending.delete(node.startIndex);
    for (const name of pending.names) {
      const binding = scope.resolve(file.text(name));
      if (!binding) continue;
      const list = state.byCarrier.get(binding) ?? [];
      addTracks(list, pending.tracks);
      state.byCarrier.set(binding, list);
    }
  }
  const stmt = spanStatementOf(file, node, scope);
  // A span stored straight into a field or an element (`s.span = …`) is someone else's to end.
  if (!stmt?.spanTarget || stmt.spanTarget.type !== 'identifier') return;
  if (isNoopTracer(context, stmt.start)) return;
  const name = file.text(stmt.spanTarget);
  let carrier: Binding | undefined;
  const ctxTarget = stmt.contextTarget;
  if (ctxTarget && file.text(ctxTarget) !== '_') {
    // The span's context stored in a field, an element, a package variable or a variable of an enclosing
    // function: whoever reads it can end the span.
    if (ctxTarget.type !== 'identifier') return;
    carrier = scope.resolve(file.text(ctxTarget));
    if (!carrier || carrier.scope.frame !== frame) return;
  }
  let track: Track;
  const kind = what(stmt.start);
  if (name === '_') {
    track = { binding: undefined, frame, starts: [], events: [], silent: false };
    state.tracks.push(track);
  } else {
    const binding = scope.resolve(name);
    if (!binding || binding.kind !== 'span') return;
    // A variable of an enclosing function (or the package) holds it: it is stored, not ours to follow.
    if (binding.scope.frame !== frame) return;
    track = state.bySpan.get(binding) ?? { binding, frame, starts: [], events: [], silent: false };
    if (!state.bySpan.has(binding)) {
      state.bySpan.set(binding, track);
      state.tracks.push(track);
    }
  }
  if (carrier) {
    const list = state.byCarrier.get(carrier) ?? [];
    addTracks(list, [track]);
    state.byCarrier.set(carrier, list);
  }
  const start: StartRecord = {
    stmt, name,
    freshName: name === '_' ? freshName((n) => !!scope.resolve(n), [kind, `${kind}2`]) : name,
    at: node.endIndex - 1,
    line: node.startPosition.row,
  };
  track.starts.push(start);
  track.events.push({ at: start.at, kind: 'start', start });
}

// ---- visitors -------------------------------------------------------------------------------------------

function visitCall(node: SyntaxNode, context: RuleContext): void {
  const { file } = context;
  const info = callInfo(file, node);
  if (START_NAMES.has(info.name) && node.parent?.type === 'expression_statement' && droppedStart(node, context)) return;
  const state = tracking(context);
  if (!state) return;
  if (info.operand) {
    const operandTracks = carried(context, state, info.operand, false);
    if (operandTracks.length > 0) {
      recordAll(context, operandTracks, info.name === 'End' || info.name === 'Finish' ? 'end' : 'use', node);
    }
  }
  if (info.name === 'SpanFromContext' || info.args.length === 0) return;
  // What a deriving call is given goes into its result, which is followed where it goes.
  const deriving = isDerivingCall(info.name);
  // A deferred call given the span's context runs at exit, when it can end the span (`defer endSpan(ctx)`).
  const keeps = isKeepingCall(info.name) || node.parent?.type === 'defer_statement';
  for (const arg of info.args) {
    // The span handed to a call, which may end it (`finishSpan(span, err)`, `spans = append(spans, span)`);
    // putting it into a context (ContextWithSpan) does not end it.
    const spans = info.name === 'ContextWithSpan' ? [] : carried(context, state, arg, true);
    if (spans.length > 0) recordAll(context, spans, 'escape', arg);
    if (deriving) continue;
    const all = carried(context, state, arg, false);
    // Its context kept or finished by the call escapes; passed to an ordinary call (`doWork(ctx)`) it is just used.
    if (all.length > 0) recordAll(context, all.filter((t) => !spans.includes(t)), keeps ? 'escape' : 'use', arg);
  }
}

/** `tracer.Start(ctx, "x")` as a statement: the span is dropped the moment it starts. */
function droppedStart(call: SyntaxNode, context: RuleContext): boolean {
  const { file, scope } = context;
  if (!scope.currentFrame) return false;
  const start = recognizeSpanStart(file, call, (name) => scope.kindOf(name));
  if (!start || isNoopTracer(context, start)) return false;
  // In a test, a span started for its side effects only is a fixture (see the thrown-away span in report).
  if (file.imports.has('testing')) return false;
  // `tracer.Start(tracer.WithService("x"))` is Datadog's package starting its tracer, not a span: a package
  // name is a tracer object only for the APIs that are package functions.
  const receiver = start.receiver;
  if (start.family === 'otel' && receiver.type === 'identifier' && !scope.resolve(file.text(receiver)) &&
    file.imports.pathOf(file.text(receiver)) !== undefined) return false;
  const kind = what(start);
  const statement = call.parent!;
  const spanName = freshName((n) => !!scope.resolve(n), [kind, `${kind}2`]);
  const callText = file.text(call);
  let fix: Fix | undefined;
  const parent = statement.parent;
  if (parent?.type === 'statement_list' || parent?.type === 'block') {
    if (start.method === 'StartRegion') {
      fix = { title: `End the region: defer ${callText}.End()`, edits: [replaceNode(statement, `defer ${callText}.End()`)] };
    } else {
      const ctxArg = start.contextArg;
      // Keep the span's context in ctx when ctx is declared in this very scope (`:=` then assigns it);
      // elsewhere a new ctx would shadow it (or go unused), so the context stays unused.
      const keepCtx = ctxArg?.type === 'identifier' && scope.resolve(file.text(ctxArg))?.scope === scope.scope;
      const ctxName = keepCtx ? file.text(ctxArg) : '_';
      const targets = start.contextResult < 0 ? [spanName] : start.spanResult === 0 ? [spanName, ctxName] : [ctxName, spanName];
      fix = {
        title: `Keep the ${kind} and defer ${spanName}.${start.endMethod}()`,
        edits: [replaceNode(statement, `${targets.join(', ')} := ${callText}`), insertStatementAfter(file, statement, `defer ${spanName}.${start.endMethod}()`)],
      };
    }
  }
  context.report({
    range: rangeOf(call),
    message:
      `The ${kind} started by ${file.text(call.childForFieldName('function')!)} is dropped with the call's results, so it ` +
      `can never be ended: ${consequenceOf(start)}. Keep it and ${start.endMethod} it.`,
    fixes: fix ? [fix] : [],
  });
  return true;
}

/** Named results of the function being walked (a bare `return` returns them). */
function namedResults(context: RuleContext): Binding[] {
  const frame = context.scope.currentFrame;
  const results = frame?.node.childForFieldName('result');
  if (results?.type !== 'parameter_list') return [];
  const out: Binding[] = [];
  for (const decl of namedChildren(results)) {
    for (const name of childrenForField(decl, 'name')) {
      const binding = context.scope.resolve(context.file.text(name));
      if (binding) out.push(binding);
    }
  }
  return out;
}

/** The kinds of a function's results, by position (undefined where unknown). */
function resultKinds(context: RuleContext): (string | undefined)[] {
  const results = context.scope.currentFrame?.node.childForFieldName('result');
  if (!results) return [];
  if (results.type !== 'parameter_list') return [kindOfType(context.file, results)];
  const out: (string | undefined)[] = [];
  for (const decl of namedChildren(results)) {
    const kind = kindOfType(context.file, decl.childForFieldName('type'));
    const names = childrenForField(decl, 'name').length;
    for (let i = 0; i < Math.max(1, names); i++) out.push(kind);
  }
  return out;
}

function visitReturn(node: SyntaxNode, context: RuleContext): void {
  const state = tracking(context);
  if (!state) return;
  const values = namedChildren(node).flatMap((c) => expressionsOf(c));
  if (values.length === 0) {
    for (const binding of namedResults(context)) {
      const tracks: Track[] = [];
      const track = state.bySpan.get(binding);
      if (track) tracks.push(track);
      addTracks(tracks, state.byCarrier.get(binding));
      recordAll(context, tracks, 'escape', node);
    }
    return;
  }
  const kinds = values.length > 1 ? resultKinds(context) : [];
  values.forEach((value, i) => {
    const tracks = carried(context, state, value, false);
    // A context result built from the span's context by any call (`return inject(ctx, …)`): the caller gets it.
    if (tracks.length === 0 && (kinds[i] === 'context' || (values.length === 1 && resultKinds(context)[0] === 'context'))) {
      for (const id of value.descendantsOfType('identifier')) if (id) carried(context, state, id, false, tracks);
    }
    recordAll(context, tracks, 'escape', node);
  });
}

/** What an assignment's left side receives: stored somewhere (escape), or a local that now carries the span. */
function visitAssignment(node: SyntaxNode, context: RuleContext): void {
  const state = tracking(context);
  if (!state) return;
  const { file, scope } = context;
  let left: SyntaxNode[];
  let right: SyntaxNode[];
  let declares: boolean;
  if (node.type === 'var_spec') {
    left = childrenForField(node, 'name');
    right = expressionsOf(node.childForFieldName('value'));
    declares = true;
  } else {
    const l = node.childForFieldName('left');
    const r = node.childForFieldName('right');
    if (!l || !r) return;
    left = expressionsOf(l);
    right = expressionsOf(r);
    declares = node.type === 'short_var_declaration';
  }
  if (right.length === 0) return;
  const pairs: [SyntaxNode, Track[]][] = [];
  if (right.length === left.length) left.forEach((target, i) => pairs.push([target, carried(context, state, right[i]!, false)]));
  else {
    const tracks = carried(context, state, right[0]!, false);
    for (const target of left) pairs.push([target, tracks]);
  }
  const pendingNames: SyntaxNode[] = [];
  const pendingTracks: Track[] = [];
  for (const [target, tracks] of pairs) {
    if (tracks.length === 0) continue;
    if (target.type === 'identifier') {
      const name = file.text(target);
      if (name === '_') continue;
      if (declares) {
        pendingNames.push(target);
        addTracks(pendingTracks, tracks);
        continue;
      }
      const binding = scope.resolve(name);
      if (binding && binding.scope.frame === scope.currentFrame) {
        const list = state.byCarrier.get(binding) ?? [];
        addTracks(list, tracks);
        state.byCarrier.set(binding, list);
        continue;
      }
    }
    // A field, an element, a package variable, a variable of an enclosing function.
    recordAll(context, tracks, 'escape', node);
  }
  if (pendingNames.length > 0) state.pending.set(node.startIndex, { names: pendingNames, tracks: pendingTracks });
}

/** `&job{span: span}`, `[]trace.Span{span}`, `Options{Ctx: ctx}`: stored. */
function visitCompositeLiteral(node: SyntaxNode, context: RuleContext): void {
  const state = tracking(context);
  if (!state) return;
  recordAll(context, carried(context, state, node, false), 'escape', node);
}

function visitSend(node: SyntaxNode, context: RuleContext): void {
  const state = tracking(context);
  if (!state) return;
  const value = node.childForFieldName('value');
  if (value) recordAll(context, carried(context, state, value, false), 'escape', node);
}

// ---- the path walk --------------------------------------------------------------------------------------

type LeakKind = 'return' | 'break' | 'continue' | 'scope' | 'falloff' | 'overwrite';

interface Leak {
  readonly kind: LeakKind;
  readonly at: number;
  readonly line: number;
  readonly by?: StartRecord;
}

interface JumpTarget {
  readonly node: SyntaxNode;
  readonly label: string | undefined;
  readonly loop: boolean;
  readonly body: SyntaxNode | null;
  readonly breaks: Set<number>;
  readonly continues: Set<number>;
}

class GiveUp extends Error {}

const TERMINATING_CALLS: ReadonlySet<string> = new Set(['panic', 'os.Exit', 'runtime.Goexit', 'syscall.Exit']);
const TEST_HANDLES = /^(t|b|tb|f)$/;

/** `panic(…)`, `os.Exit(1)`, `log.Fatalf(…)`, `logger.Fatal().Msg(…)`, `t.FailNow()`: the path ends here. */
function isTerminating(context: RuleContext, statement: SyntaxNode): boolean {
  const call = statement.namedChild(0);
  if (call?.type !== 'call_expression') return false;
  const callee = call.childForFieldName('function');
  if (!callee) return false;
  const text = context.file.text(callee);
  if (TERMINATING_CALLS.has(text)) return true;
  if (/(^|\.)(Fatal|Panic)\w*($|\()/.test(text)) return true;
  const info = callInfo(context.file, call);
  return /^(FailNow|SkipNow|Skip|Skipf)$/.test(info.name) && !!info.operandName && TEST_HANDLES.test(info.operandName);
}

/**
 * Follows the paths of a function body for one tracked variable. A path's state is a number: which start
 * of the variable is open (0: none; i + 1: starts[i]) times two, plus one when a deferred closure will end the
 * variable at exit. A set of such numbers is the state of all paths reaching a point.
 */
class PathWalk {
  readonly leaks = new Map<StartRecord, Leak[]>();
  /** Starts that some path ends or hands on. */
  readonly settled = new Set<StartRecord>();
  private readonly events: PathEvent[];
  private readonly targets: JumpTarget[] = [];
  private readonly scopeStart: number;
  private readonly scopeEnd: number;

  constructor(
    private readonly context: RuleContext,
    private readonly track: Track,
  ) {
    this.events = [...track.events].sort((a, b) => a.at - b.at);
    const scope = track.binding?.scope;
    const functionScope = !scope || scope === track.frame.rootScope;
    this.scopeStart = functionScope ? -1 : scope.startIndex;
    this.scopeEnd = functionScope ? -1 : scope.endIndex;
  }

  run(body: SyntaxNode, hasResults: boolean): void {
    const out = this.exec(body, new Set([0]));
    if (hasResults) return; // Go requires a terminating statement: falling off the end is not a real path.
    this.leave(out, 'falloff', Number.MAX_SAFE_INTEGER, body.endPosition.row);
  }

  private leak(code: number, leak: Leak): void {
    const start = this.track.starts[(code >> 1) - 1]!;
    const list = this.leaks.get(start) ?? [];
    if (!list.some((l) => l.kind === leak.kind && l.at === leak.at && l.by === leak.by)) list.push(leak);
    this.leaks.set(start, list);
  }

  /** Paths leaving the variable behind (a return, the end of its scope): every span still open leaks. */
  private leave(states: Set<number>, kind: LeakKind, at: number, line: number): Set<number> {
    const out = new Set<number>();
    for (const code of states) {
      if (code >> 1 && !(code & 1)) this.leak(code, { kind, at, line });
      out.add(code & 1);
    }
    return out;
  }

  private apply(states: Set<number>, from: number, to: number): Set<number> {
    let current = states;
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.events[mid]!.at < from) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < this.events.length; i++) {
      const event = this.events[i]!;
      if (event.at >= to) break;
      const next = new Set<number>();
      for (const code of current) next.add(this.step(code, event));
      current = next;
    }
    return current;
  }

  private step(code: number, event: PathEvent): number {
    const open = code >> 1;
    const deferred = code & 1;
    if (event.kind === 'start') {
      if (open) this.leak(code, { kind: 'overwrite', at: event.at, line: event.start!.line, by: event.start });
      return ((this.track.starts.indexOf(event.start!) + 1) << 1) | deferred;
    }
    if (open) this.settled.add(this.track.starts[open - 1]!);
    if (event.kind === 'defer') return code | 1;
    return deferred;
  }

  private scopeExit(node: SyntaxNode, states: Set<number>): Set<number> {
    if (node.startIndex !== this.scopeStart || node.endIndex !== this.scopeEnd) return states;
    return this.leave(states, 'scope', node.endIndex, node.endPosition.row);
  }

  private statementsOf(node: SyntaxNode): SyntaxNode[] {
    const list = namedChildren(node).find((c) => c.type === 'statement_list');
    return list ? namedChildren(list) : [];
  }

  private sequence(statements: readonly SyntaxNode[], states: Set<number>): Set<number> {
    let current = states;
    for (const statement of statements) {
      if (current.size === 0) break;
      current = this.exec(statement, current);
    }
    return current;
  }

  private exec(node: SyntaxNode, states: Set<number>, label?: string): Set<number> {
    switch (node.type) {
      case 'block':
        return this.scopeExit(node, this.sequence(this.statementsOf(node), states));
      case 'statement_list':
        return this.sequence(namedChildren(node), states);
      case 'labeled_statement': {
        const inner = namedChildren(node).find((c) => c.type !== 'label_name');
        const name = node.childForFieldName('label');
        return inner ? this.exec(inner, states, name ? this.context.file.text(name) : undefined) : states;
      }
      case 'if_statement':
        return this.ifStatement(node, states);
      case 'for_statement':
        return this.forStatement(node, states, label);
      case 'expression_switch_statement':
      case 'type_switch_statement':
      case 'select_statement':
        return this.switchStatement(node, states, label);
      case 'return_statement': {
        const after = this.apply(states, node.startIndex, node.endIndex);
        this.leave(after, 'return', node.startIndex, node.startPosition.row);
        return new Set();
      }
      case 'break_statement':
      case 'continue_statement':
        this.jump(node, states);
        return new Set();
      case 'goto_statement':
        throw new GiveUp();
      case 'expression_statement': {
        const after = this.apply(states, node.startIndex, node.endIndex);
        return isTerminating(this.context, node) ? new Set() : after;
      }
      default:
        return this.apply(states, node.startIndex, node.endIndex);
    }
  }

  private jump(node: SyntaxNode, states: Set<number>): void {
    const labelNode = namedChildren(node).find((c) => c.type === 'label_name');
    const label = labelNode ? this.context.file.text(labelNode) : undefined;
    const isContinue = node.type === 'continue_statement';
    let target: JumpTarget | undefined;
    for (let i = this.targets.length - 1; i >= 0 && !target; i--) {
      const t = this.targets[i]!;
      if (label ? t.label === label : !isContinue || t.loop) target = t;
    }
    if (!target) throw new GiveUp();
    // Leaving the variable's scope (a loop body for continue, the whole statement for break) with it open.
    const left = isContinue
      ? !!target.body && this.scopeStart >= target.body.startIndex && this.scopeEnd <= target.body.endIndex
      : this.scopeStart >= target.node.startIndex && this.scopeEnd <= target.node.endIndex;
    const out = left ? this.leave(states, isContinue ? 'continue' : 'break', node.startIndex, node.startPosition.row) : states;
    const into = isContinue ? target.continues : target.breaks;
    for (const code of out) into.add(code);
  }

  /** `span != nil` / `span == nil`: on the branch where the variable is nil, no span of it is open. */
  private nilGuard(condition: SyntaxNode | null): { whenTrue: boolean; whenFalse: boolean } {
    const none = { whenTrue: false, whenFalse: false };
    let node = condition;
    while (node?.type === 'parenthesized_expression') node = node.namedChild(0);
    if (!node || node.type !== 'binary_expression' || !this.track.binding) return none;
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const operator = node.childForFieldName('operator');
    if (!left || !right || !operator) return none;
    const { file } = this.context;
    const name = this.track.binding.name;
    const isNil = (n: SyntaxNode) => n.type === 'nil';
    const isSpan = (n: SyntaxNode) => n.type === 'identifier' && file.text(n) === name;
    if (!((isNil(right) && isSpan(left)) || (isNil(left) && isSpan(right)))) return none;
    const op = file.text(operator);
    return { whenTrue: op === '==', whenFalse: op === '!=' };
  }

  private closed(states: Set<number>): Set<number> {
    return new Set([...states].map((code) => code & 1));
  }

  private ifStatement(node: SyntaxNode, states: Set<number>): Set<number> {
    const consequence = node.childForFieldName('consequence');
    const alternative = node.childForFieldName('alternative');
    const current = this.apply(states, node.startIndex, consequence?.startIndex ?? node.endIndex);
    const guard = this.nilGuard(node.childForFieldName('condition'));
    const whenTrue = guard.whenTrue ? this.closed(current) : current;
    const whenFalse = guard.whenFalse ? this.closed(current) : current;
    const out = new Set(consequence ? this.exec(consequence, whenTrue) : whenTrue);
    for (const code of alternative ? this.exec(alternative, whenFalse) : whenFalse) out.add(code);
    return this.scopeExit(node, out);
  }

  private forStatement(node: SyntaxNode, states: Set<number>, label: string | undefined): Set<number> {
    const body = node.childForFieldName('body');
    const clause = namedChildren(node).find((c) => c.startIndex !== body?.startIndex && c.type !== 'comment');
    const mayEnd = !!clause && (clause.type !== 'for_clause' || !!clause.childForFieldName('condition'));
    const entry = this.apply(states, node.startIndex, body?.startIndex ?? node.endIndex);
    const target: JumpTarget = { node, label, loop: true, body, breaks: new Set(), continues: new Set() };
    this.targets.push(target);
    let head = entry;
    for (let round = 0; round < 8; round++) {
      const next = new Set(entry);
      for (const code of body ? this.exec(body, head) : head) next.add(code);
      for (const code of target.continues) next.add(code);
      if (next.size === head.size && [...next].every((c) => head.has(c))) break;
      head = next;
    }
    this.targets.pop();
    const out = new Set(mayEnd ? head : []);
    for (const code of target.breaks) out.add(code);
    return this.scopeExit(node, out);
  }

  private switchStatement(node: SyntaxNode, states: Set<number>, label: string | undefined): Set<number> {
    const cases = namedChildren(node).filter((c) => /_case$/.test(c.type));
    const current = this.apply(states, node.startIndex, cases[0]?.startIndex ?? node.endIndex);
    const target: JumpTarget = { node, label, loop: false, body: null, breaks: new Set(), continues: new Set() };
    this.targets.push(target);
    const out = new Set<number>();
    let carry = new Set<number>();
    for (const clause of cases) {
      const list = namedChildren(clause).find((c) => c.type === 'statement_list');
      const statements = list ? namedChildren(list) : [];
      const entry = new Set([...current, ...carry]);
      const started = this.apply(entry, clause.startIndex, list?.startIndex ?? clause.endIndex);
      const result = this.scopeExit(clause, this.sequence(statements, started));
      if (statements[statements.length - 1]?.type === 'fallthrough_statement') {
        carry = result;
      } else {
        for (const code of result) out.add(code);
        carry = new Set();
      }
    }
    this.targets.pop();
    // Without a default a switch may run no case; a select without one waits for a case (none: forever).
    const hasDefault = cases.some((c) => c.type === 'default_case');
    if (!hasDefault && node.type !== 'select_statement') for (const code of current) out.add(code);
    for (const code of target.breaks) out.add(code);
    return this.scopeExit(node, out);
  }
}

// ---- reports --------------------------------------------------------------------------------------------

function statementFix(context: RuleContext, start: StartRecord, renameDiscarded: boolean): Fix | undefined {
  const { file } = context;
  const { stmt } = start;
  const spanName = renameDiscarded ? start.freshName : start.name;
  // `var ctx, span = …` (alone or in a `var (…)` group): the defer goes after the whole declaration.
  const anchor = stmt.statement.type === 'var_spec'
    ? (stmt.statement.parent?.type === 'var_spec_list' ? stmt.statement.parent.parent : stmt.statement.parent)
    : stmt.statement;
  const parent = anchor?.parent;
  if (!anchor || (parent?.type !== 'statement_list' && parent?.type !== 'block')) return undefined;
  const call = `${stmt.start.endMethod}()`;
  const edits: TextEdit[] = [insertStatementAfter(file, anchor, `defer ${spanName}.${call}`)];
  if (renameDiscarded && stmt.spanTarget) {
    edits.unshift(replaceNode(stmt.spanTarget, spanName));
    // `ctx, _ = tracer.Start(…)` assigns: the new name needs a declaration of its own.
    if (stmt.operator === '=') {
      if (stmt.start.family === 'datadog') return undefined;
      const type = spanTypeFor(stmt.start.family);
      const use = ensureImport(file, type.importPath, type.preferredName, stmt.start.family === 'otel' ? 'oteltrace' : type.preferredName);
      const spelled = type.typeName.startsWith('*') ? `*${use.prefix}${type.typeName.slice(1)}` : `${use.prefix}${type.typeName}`;
      edits.push(insertStatementBefore(file, stmt.statement, `var ${spanName} ${spelled}`), ...use.edits);
    }
  }
  return { title: `Insert defer ${spanName}.${call}`, edits };
}

function reasonFor(start: StartRecord, leaks: readonly Leak[], settled: boolean): string {
  const overwrite = leaks.filter((l) => l.kind === 'overwrite').sort((a, b) => a.at - b.at)[0];
  const method = start.stmt.start.method;
  if (overwrite) {
    return overwrite.by === start
      ? `the ${method} on line ${lineRef(overwrite.line)} starts a new one in the next iteration while it is still open`
      : `the ${overwrite.by!.stmt.start.method} on line ${lineRef(overwrite.line)} overwrites it before it is ended`;
  }
  if (!settled) return 'it is never ended';
  const first = [...leaks].sort((a, b) => a.at - b.at)[0]!;
  switch (first.kind) {
    case 'return': return `the return on line ${lineRef(first.line)} leaves it open`;
    case 'break': return `the break on line ${lineRef(first.line)} leaves it open`;
    case 'continue': return `the continue on line ${lineRef(first.line)} leaves it open`;
    case 'scope': return `it is still open where its block ends on line ${lineRef(first.line)}`;
    default: return 'it is ended only on some paths';
  }
}

/** What an unended span, task or region breaks. */
function consequenceOf(start: SpanStart): string {
  if (start.method === 'NewTask') {
    return 'an unended task never records its end, so the execution trace shows it running until the trace stops and its latency is lost';
  }
  if (start.method === 'StartRegion') {
    return 'an unended region never records its end, so the execution trace stretches it to the end of its goroutine';
  }
  return 'an unended span is never exported, so the trace shows a hole where it should be and its children become orphans';
}

function report(context: RuleContext, start: StartRecord, leaks: readonly Leak[], settled: boolean): void {
  const { file } = context;
  const { stmt } = start;
  const kind = what(stmt.start);
  const call = `${stmt.start.endMethod}()`;
  const reason = reasonFor(start, leaks, settled);
  const consequence = consequenceOf(stmt.start);
  if (start.name === '_') {
    // A test that throws the span away wants only its context: a parent to inject into headers or to compare
    // with, never meant to be exported.
    if (!settled && file.imports.has('testing')) return;
    const fix = statementFix(context, start, true);
    const callee = file.text(stmt.call.childForFieldName('function')!);
    context.report({
      range: rangeOf(stmt.spanTarget!),
      message: !settled
        ? `The ${kind} started by ${callee} is thrown away, so it can never be ended: ${consequence}. ` +
          `Keep it and ${stmt.start.endMethod} it.`
        : `The ${kind} started by ${callee} is kept only in its context and is not ended on every path (${reason}): ` +
          `${consequence}. Keep it and defer its ${call}.`,
      fixes: fix ? [fix] : [],
    });
    return;
  }
  const fix = statementFix(context, start, false);
  context.report({
    range: rangeOf(stmt.spanTarget!),
    message: `${start.name} is not ended on every path (${reason}): ${consequence}. Add defer ${start.name}.${call} after starting it.`,
    fixes: fix ? [fix] : [],
  });
}

/** A closure written before the start that mentions the variable (or ends the span through its context) may end it later. */
function capturedEarlier(context: RuleContext, track: Track, carriers: readonly string[]): boolean {
  const { file } = context;
  const first = Math.min(...track.starts.map((s) => s.stmt.statement.startIndex));
  const from = track.binding ? track.binding.declaredAt : first;
  if (!track.binding || from >= first) return false;
  const name = track.binding.name;
  const mention = new RegExp(`(^|[^.\\w])${name}\\b`);
  const viaContext = carriers.length > 0 ? new RegExp(`SpanFromContext\\(\\s*(${carriers.join('|')})\\s*\\)`) : undefined;
  for (const literal of track.frame.node.descendantsOfType('func_literal')) {
    if (!literal || literal.startIndex < from || literal.startIndex >= first) continue;
    const params = literal.childForFieldName('parameters');
    if (params && new RegExp(`\\b${name}\\b`).test(file.text(params))) continue;
    const text = file.text(literal);
    if (mention.test(text) || viaContext?.test(text)) return true;
  }
  return false;
}

function exitFunction(node: SyntaxNode, context: RuleContext): void {
  const frame = context.scope.currentFrame;
  if (!frame) return;
  const state = stateOf(frame);
  const tracks = state.tracks.filter((t) => t.frame === frame && !t.silent && t.starts.length > 0);
  if (tracks.length === 0) return;
  const body = node.childForFieldName('body');
  if (!body) return;
  if (context.file.text(body).includes('goto') && body.descendantsOfType('goto_statement').some((g) => !!g)) return;
  const hasResults = !!node.childForFieldName('result');
  for (const track of tracks) {
    const carriers = [...state.byCarrier.entries()].filter(([, list]) => list.includes(track)).map(([b]) => b.name);
    if (capturedEarlier(context, track, carriers)) continue;
    const walk = new PathWalk(context, track);
    try {
      walk.run(body, hasResults);
    } catch (error) {
      if (error instanceof GiveUp) continue;
      throw error;
    }
    for (const start of track.starts) {
      const leaks = walk.leaks.get(start);
      if (leaks && leaks.length > 0) report(context, start, leaks, walk.settled.has(start));
    }
  }
}

export const spanNotEnded: Rule = {
  id: 'span-not-ended',
  visitors: {
    call_expression: visitCall,
    return_statement: visitReturn,
    short_var_declaration: visitAssignment,
    assignment_statement: visitAssignment,
    var_spec: visitAssignment,
    composite_literal: visitCompositeLiteral,
    send_statement: visitSend,
  },
  exits: {
    short_var_declaration: exitStatement,
    assignment_statement: exitStatement,
    var_spec: exitStatement,
    function_declaration: exitFunction,
    method_declaration: exitFunction,
    func_literal: exitFunction,
  },
};
