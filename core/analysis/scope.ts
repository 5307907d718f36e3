// Lexical scopes and bindings, tracked during the analyzer's single walk: which names are declared where,
// in Go's statement order (a `:=` name is visible after its statement, not in its own right-hand side), with
// shadowing in inner blocks, and what each binding holds (a context continuing the caller's chain, a root
// context, a request, a span…). At any point of the walk, `inherited()` answers "which context should code
// here use?", naming the exact expression: `ctx`, `r.Context()`, or the latest context derived from them.

import type { SyntaxNode } from './syntaxTree';
import type { GoFile } from './goFile';
import { lineRef, type CalleeRef, type Range } from './findings';
import type { SpanStart } from './tracing';
import type { ValueInfo, ValueLookup } from './valueFlow';
import { kindOfType, type ValueKind } from './valueKinds';
import { namedTypeOf, type NamedType } from './namedTypes';
import { childrenForField, rangeOf } from './syntax';

export interface Binding {
  readonly name: string;
  kind: ValueKind;
  /** Contexts: the chain comes from an incoming request. */
  fromRequest: boolean;
  /** Contexts: a new context value made in this function (With*, a span's context…). */
  derivedNew: boolean;
  /** Contexts and requests: how the value was obtained, for messages. */
  origin: string;
  /** Spans: the call that started it. */
  start?: SpanStart;
  /** The named type the value has, when its declaration or construction spells it. */
  namedType?: NamedType;
  /** A function value: the function it names (`fill := f.Fill`), for calls through it. */
  functionRef?: CalleeRef;
  /** Spans: the name the returned context was assigned to (`_` when discarded), if the API returns one. */
  spanContextName?: string;
  /** The declaring identifier. */
  readonly declRange: Range;
  /** Where the current value was put: the declaring identifier, or the target of the latest assignment. */
  valueRange: Range;
  /** Source index from which the binding is visible (the end of its declaring statement). */
  readonly declaredAt: number;
  /** Source index of the end of the last statement that assigned it. */
  updatedAt: number;
  /** Order of the latest declaration or assignment; the most recent context wins. */
  seq: number;
  readonly scope: Scope;
  /** A function parameter (or receiver). */
  readonly parameter: boolean;
}

export class Scope {
  readonly bindings = new Map<string, Binding>();

  constructor(
    readonly parent: Scope | null,
    readonly frame: FunctionFrame,
    readonly startIndex: number,
    readonly endIndex: number,
  ) {}
}

/** A function declaration, method or function literal being walked, with per-rule state. */
export class FunctionFrame {
  readonly rootScope: Scope;
  private readonly ruleState = new Map<object, unknown>();

  constructor(
    readonly node: SyntaxNode,
    /** For messages: `handle`, `Server.handle`, or "the function literal on line 12". */
    readonly name: string,
    readonly parent: FunctionFrame | null,
    parentScope: Scope | null,
    /** Where the body block starts (it shares the parameters' scope). */
    readonly bodyStart: number,
    /** The receiver's type name (`Server` for `func (s *Server) …`), for methods. */
    readonly receiverType: string | undefined,
    readonly receiverName: string | undefined,
  ) {
    this.rootScope = new Scope(parentScope, this, node.startIndex, node.endIndex);
  }

  get startIndex(): number {
    return this.node.startIndex;
  }

  get endIndex(): number {
    return this.node.endIndex;
  }

  /** State a rule keeps for this function, created on first use. */
  stateFor<T>(owner: object, create: () => T): T {
    let state = this.ruleState.get(owner) as T | undefined;
    if (state === undefined) {
      state = create();
      this.ruleState.set(owner, state);
    }
    return state;
  }
}

export interface InheritedContext {
  /** The Go expression to use, e.g. `ctx` or `r.Context()`. */
  readonly expression: string;
  /** Where it comes from, for messages: "the context passed to handle", "the context of the incoming request r". */
  readonly origin: string;
  /** Where it got its current value (the parameter, the derivation, the latest assignment). */
  readonly declRange: Range;
  /** True when it is (derived from) an incoming request's context: the function is an HTTP handler. */
  readonly fromRequest: boolean;
  readonly binding: Binding;
}

/** `handle`, `Server.handle`, or "the function literal on line N". */
export function describeFunction(file: GoFile, fn: SyntaxNode): { name: string; receiverType?: string; receiverName?: string } {
  const name = fn.childForFieldName('name');
  if (!name) return { name: `the function literal on line ${lineRef(fn.startPosition.row)}` };
  if (fn.type !== 'method_declaration') return { name: file.text(name) };
  const receiver = fn.childForFieldName('receiver');
  const param = receiver?.namedChildren.find((c) => c?.type === 'parameter_declaration') ?? null;
  const receiverType = receiver?.descendantsOfType('type_identifier')[0];
  const receiverName = param?.childForFieldName('name');
  const typeName = receiverType ? file.text(receiverType) : undefined;
  return {
    name: typeName ? `${typeName}.${file.text(name)}` : file.text(name),
    receiverType: typeName,
    receiverName: receiverName ? file.text(receiverName) : undefined,
  };
}

/** Kinds of value code can take its context from: a context, an incoming request or a server stream. */
export function carriesContext(kind: ValueKind): boolean {
  return kind === 'context' || kind === 'request' || kind === 'serverStream';
}

export class ScopeTracker {
  private current: Scope | null = null;
  private frame: FunctionFrame | null = null;
  private seq = 0;

  constructor(private readonly file: GoFile) {}

  get scope(): Scope | null {
    return this.current;
  }

  get currentFrame(): FunctionFrame | null {
    return this.frame;
  }

  /** The binding a name refers to here, or undefined for package-level names, imports and unknown names. */
  resolve(name: string): Binding | undefined {
    for (let scope = this.current; scope; scope = scope.parent) {
      const binding = scope.bindings.get(name);
      if (binding) return binding;
    }
    return undefined;
  }

  /** The binding a name refers to from the scope enclosing the current one (what an inner declaration shadows). */
  resolveOuter(name: string): Binding | undefined {
    for (let scope = this.current?.parent ?? null; scope; scope = scope.parent) {
      const binding = scope.bindings.get(name);
      if (binding) return binding;
    }
    return undefined;
  }

  /** Lookup for valueFlow: what a name holds here. */
  readonly lookup: ValueLookup = (name) => {
    const binding = this.resolve(name);
    if (!binding) return undefined;
    return { kind: binding.kind, fromRequest: binding.fromRequest, derivedNew: binding.derivedNew, origin: binding.origin, start: binding.start };
  };

  /** The kind a name holds here: its binding, else a package-level variable of this file. */
  kindOf(name: string): ValueKind | undefined {
    return this.resolve(name)?.kind ?? (this.current ? this.file.facts.packageVarKinds.get(name) : undefined);
  }

  /** The context code at this point should use: the most recent visible context continuing the caller's chain. */
  inherited(): InheritedContext | undefined {
    let best: Binding | undefined;
    const hidden = new Set<string>();
    for (let scope = this.current; scope; scope = scope.parent) {
      for (const binding of scope.bindings.values()) {
        if (hidden.has(binding.name)) continue;
        if (carriesContext(binding.kind) && (!best || binding.seq > best.seq)) best = binding;
      }
      for (const name of scope.bindings.keys()) hidden.add(name);
    }
    if (!best) return undefined;
    return {
      expression: best.kind === 'context' ? best.name : `${best.name}.Context()`,
      origin: best.origin,
      declRange: best.valueRange,
      fromRequest: best.kind !== 'context' || best.fromRequest,
      binding: best,
    };
  }

  enterFunction(fn: SyntaxNode): FunctionFrame {
    const described = describeFunction(this.file, fn);
    const body = fn.childForFieldName('body');
    const frame = new FunctionFrame(fn, described.name, this.frame, this.current, body ? body.startIndex : -1, described.receiverType, described.receiverName);
    this.frame = frame;
    this.current = frame.rootScope;
    const receiver = fn.type === 'method_declaration' ? fn.childForFieldName('receiver') : null;
    if (receiver) this.declareParameters(receiver, frame);
    const params = fn.childForFieldName('parameters');
    if (params) this.declareParameters(params, frame);
    const results = fn.childForFieldName('result');
    if (results?.type === 'parameter_list') this.declareParameters(results, frame, true);
    return frame;
  }

  exitFunction(): void {
    const frame = this.frame;
    if (!frame) return;
    this.current = frame.rootScope.parent;
    this.frame = frame.parent;
  }

  /** A block; the function body shares the parameters' scope. Returns false when no scope was opened. */
  enterBlock(block: SyntaxNode): boolean {
    if (this.frame && this.current === this.frame.rootScope && block.startIndex === this.frame.bodyStart) return false;
    this.enterScope(block);
    return true;
  }

  /** if/for/switch/select statements and case clauses open an implicit scope. */
  enterScope(node: SyntaxNode): void {
    if (!this.frame) return;
    this.current = new Scope(this.current, this.frame, node.startIndex, node.endIndex);
  }

  exitScope(): void {
    if (this.current && this.frame && this.current !== this.frame.rootScope) this.current = this.current.parent;
  }

  /** Declares a name in the current scope; a name already declared in this very scope is assigned instead (Go's `:=` rule). */
  declare(nameNode: SyntaxNode, value: ValueInfo, visibleFrom: number, parameter = false): Binding | undefined {
    const scope = this.current;
    if (!scope) return undefined;
    const name = this.file.text(nameNode);
    if (name === '_') return undefined;
    const existing = scope.bindings.get(name);
    if (existing && !parameter) {
      this.update(existing, value, visibleFrom, rangeOf(nameNode));
      return existing;
    }
    const binding: Binding = {
      name,
      kind: value.kind,
      fromRequest: !!value.fromRequest,
      derivedNew: !!value.derivedNew,
      origin: value.origin ?? '',
      start: value.start,
      namedType: value.namedType,
      functionRef: value.functionRef,
      declRange: rangeOf(nameNode),
      valueRange: rangeOf(nameNode),
      declaredAt: visibleFrom,
      updatedAt: visibleFrom,
      seq: ++this.seq,
      scope,
      parameter,
    };
    scope.bindings.set(name, binding);
    return binding;
  }

  /** `name = value`: the variable now holds what the right-hand side made. */
  assign(name: string, value: ValueInfo, at: number, target?: SyntaxNode): Binding | undefined {
    const binding = this.resolve(name);
    if (binding) this.update(binding, value, at, target ? rangeOf(target) : undefined);
    return binding;
  }

  private update(binding: Binding, value: ValueInfo, at: number, range?: Range): void {
    if (range) binding.valueRange = range;
    binding.kind = value.kind;
    binding.fromRequest = !!value.fromRequest;
    binding.derivedNew = !!value.derivedNew;
    binding.origin = value.origin ?? binding.origin;
    binding.start = value.start;
    binding.namedType = value.namedType ?? binding.namedType;
    binding.functionRef = value.functionRef;
    binding.updatedAt = at;
    binding.seq = ++this.seq;
  }

  private declareParameters(list: SyntaxNode, frame: FunctionFrame, results = false): void {
    const declared: { name: SyntaxNode; kind: ValueKind; namedType: NamedType | undefined }[] = [];
    for (let i = 0; i < list.namedChildCount; i++) {
      const decl = list.namedChild(i);
      if (!decl || (decl.type !== 'parameter_declaration' && decl.type !== 'variadic_parameter_declaration')) continue;
      const typeNode = decl.childForFieldName('type');
      const kind = (!results && kindOfType(this.file, typeNode)) || 'other';
      const namedType = kind === 'other' && typeNode && decl.type === 'parameter_declaration' ? namedTypeOf(this.file, this.file.text(typeNode)) : undefined;
      for (const name of childrenForField(decl, 'name')) declared.push({ name, kind, namedType });
    }
    // A *http.Request is the incoming request only beside an http.ResponseWriter (a handler's or a
    // middleware's parameters). Elsewhere it is an outgoing request being built or sent (a RoundTripper, a
    // client helper), whose context is not the one the function runs for.
    if (!results && !declared.some((d) => d.kind === 'responseWriter')) {
      for (const d of declared) if (d.kind === 'request') d.kind = 'other';
    }
    // Requests first: when a function takes both, its context.Context parameter is the one to use.
    const incoming = (kind: ValueKind) => kind === 'request' || kind === 'serverStream';
    declared.sort((a, b) => Number(incoming(b.kind)) - Number(incoming(a.kind)));
    for (const { name, kind, namedType } of declared) {
      const text = this.file.text(name);
      const origin = kind === 'request'
        ? `the context of the incoming request ${text}`
        : kind === 'serverStream' ? `the context of the incoming stream ${text}`
          : kind === 'context' ? `the context passed to ${frame.name}` : '';
      this.declare(name, { kind, fromRequest: incoming(kind), origin, ...(namedType ? { namedType } : {}) }, frame.startIndex, true);
    }
  }
}
