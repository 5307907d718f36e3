// The rules that judge a program's trace propagation, where the trace context crosses the wire:
// - propagator-not-set: `otel.SetTracerProvider` in a program whose instrumentation injects and extracts
//   through the global propagator, which stays a no-op because nothing calls `otel.SetTextMapPropagator`;
// - mixed-propagators: an `otel.SetTextMapPropagator` that installs no format another service of the
//   workspace sends, so the two cannot read each other's headers;
// - client-not-instrumented: a gRPC client connection without OpenTelemetry's client handler, or an
//   `http.Client` without an instrumented transport sending traced requests, in a program that instruments
//   the rest.
// Whether a finding holds depends on the whole program (the main package and what it imports): the walk
// reports candidates with a ProgramCondition, and resolveProgramFindings keeps those the workspace index
// confirms, writing their messages (naming the programs) and the fixes that depend on the other services.

import type { Finding, Fix, ProgramCondition, Range, TextEdit } from '../findings';
import type { GoFile } from '../goFile';
import { GRPC_PKG, HTTP_PKG } from '../goPackages';
import type { SyntaxNode } from '../syntaxTree';
import type { Rule, RuleContext } from '../rule';
import { callInfo } from '../callInfo';
import { enclosingFunction, namedChildren, rangeOf } from '../syntax';
import { ensureImport, insertStatementAfter, replaceNode } from '../fixEdits';
import { inTestCode } from './rootContexts';
import type { CallGraphView, Program } from '../workspace/callGraph';
import {
  FORMAT_NAMES, OTEL, OTELGRPC, OTELHTTP, OTEL_PROPAGATION, TRACE_FORMATS, type PropagationFormat,
} from '../workspace/propagation';

const SET_TRACER_PROVIDER: ReadonlySet<string> = new Set(['SetTracerProvider']);
const SET_PROPAGATOR: ReadonlySet<string> = new Set(['SetTextMapPropagator']);
const GRPC_DIALS: ReadonlySet<string> = new Set(['NewClient', 'Dial', 'DialContext']);
const COMPOSITE: ReadonlySet<string> = new Set(['NewCompositeTextMapPropagator']);
/** Dial options that may instrument the connection (a stats handler or interceptors of any kind). */
const INSTRUMENTING_OPTIONS = /^With(StatsHandler|UnaryInterceptor|StreamInterceptor|ChainUnaryInterceptor|ChainStreamInterceptor)$/;
const SENDING_METHODS: ReadonlySet<string> = new Set(['Do', 'Get', 'Head', 'Post', 'PostForm']);
/** Packages whose clients carry telemetry itself (exporters): instrumenting them would trace the tracing. */
const TELEMETRY_EXPORT_PREFIXES = ['go.opentelemetry.io/otel/exporters/', 'go.opentelemetry.io/collector/'];

/** Each format's constructor, the package it needs, and that package's usual name. */
const FORMAT_CONSTRUCTORS: Readonly<Record<PropagationFormat, { readonly path: string; readonly name: string; readonly expression: (prefix: string) => string }>> = {
  tracecontext: { path: OTEL_PROPAGATION, name: 'propagation', expression: (p) => `${p}TraceContext{}` },
  baggage: { path: OTEL_PROPAGATION, name: 'propagation', expression: (p) => `${p}Baggage{}` },
  b3: { path: 'go.opentelemetry.io/contrib/propagators/b3', name: 'b3', expression: (p) => `${p}New()` },
  jaeger: { path: 'go.opentelemetry.io/contrib/propagators/jaeger', name: 'jaeger', expression: (p) => `${p}Jaeger{}` },
  ot: { path: 'go.opentelemetry.io/contrib/propagators/ot', name: 'ot', expression: (p) => `${p}OT{}` },
  xray: { path: 'go.opentelemetry.io/contrib/propagators/aws/xray', name: 'xray', expression: (p) => `${p}Propagator{}` },
};

/**
 * Test code for these rules: a _test.go file, a test function, or a test helper file (one that imports
 * `testing`: an integration harness dials and sends on no request's behalf).
 */
function inTests(file: GoFile, node: SyntaxNode): boolean {
  return inTestCode(file, node) || file.imports.has('testing');
}

function statementOf(call: SyntaxNode): SyntaxNode | null {
  return call.parent?.type === 'expression_statement' ? call.parent : null;
}

// --- propagator-not-set -------------------------------------------------------------------------------

function visitTracerProvider(node: SyntaxNode, context: RuleContext): void {
  const { file } = context;
  const info = callInfo(file, node);
  if (!info.callee || !file.isPackageFunction(info.callee, OTEL, SET_TRACER_PROVIDER) || inTests(file, node)) return;
  const fixes: Fix[] = [];
  const statement = statementOf(node);
  if (statement) {
    const otel = ensureImport(file, OTEL, 'otel', 'otel');
    const propagation = ensureImport(file, OTEL_PROPAGATION, 'propagation', 'otelpropagation');
    const p = propagation.prefix;
    fixes.push({
      title: 'Install the W3C trace-context and baggage propagator after SetTracerProvider',
      edits: [
        insertStatementAfter(file, statement, `${otel.prefix}SetTextMapPropagator(${p}NewCompositeTextMapPropagator(${p}TraceContext{}, ${p}Baggage{}))`),
        ...propagation.edits,
      ],
    });
  }
  context.report({ range: rangeOf(info.callee), message: '', fixes, program: { kind: 'no-propagator' } });
}

export const propagatorNotSet: Rule = { id: 'propagator-not-set', visitors: { call_expression: visitTracerProvider } };

// --- mixed-propagators --------------------------------------------------------------------------------

function visitPropagator(node: SyntaxNode, context: RuleContext): void {
  const { file } = context;
  const info = callInfo(file, node);
  if (!info.callee || !file.isPackageFunction(info.callee, OTEL, SET_PROPAGATOR) || inTests(file, node)) return;
  const argument = info.args.length === 1 ? info.args[0]! : undefined;
  // The fix for each format the program may lack: the argument wrapped in (or added to) a composite.
  const fixes: Partial<Record<PropagationFormat, Fix>> = {};
  if (argument) {
    const propagation = ensureImport(file, OTEL_PROPAGATION, 'propagation', 'otelpropagation');
    const argInfo = argument.type === 'call_expression' ? callInfo(file, argument) : undefined;
    const composite = argInfo?.callee && file.isPackageFunction(argInfo.callee, OTEL_PROPAGATION, COMPOSITE) ? argInfo : undefined;
    for (const format of TRACE_FORMATS) {
      const constructor = FORMAT_CONSTRUCTORS[format];
      const use = ensureImport(file, constructor.path, constructor.name, `${constructor.name}prop`);
      const added = constructor.expression(use.prefix);
      let edit: TextEdit;
      if (composite && composite.args.length > 0) {
        const last = composite.args[composite.args.length - 1]!;
        const end = rangeOf(last).end;
        edit = { range: { start: end, end }, newText: `, ${added}` };
      } else {
        edit = replaceNode(argument, `${propagation.prefix}NewCompositeTextMapPropagator(${file.text(argument)}, ${added})`);
      }
      const importEdits = constructor.path === OTEL_PROPAGATION ? propagation.edits : [...(composite ? [] : propagation.edits), ...use.edits];
      fixes[format] = { title: `Also read and send ${FORMAT_NAMES[format]}: add ${added} to the composite propagator`, edits: [edit, ...importEdits] };
    }
  }
  context.report({ range: rangeOf(info.callee), message: '', fixes: [], program: { kind: 'formats', fixes } });
}

export const mixedPropagators: Rule = { id: 'mixed-propagators', visitors: { call_expression: visitPropagator } };

// --- client-not-instrumented --------------------------------------------------------------------------

function importsTelemetryExport(file: GoFile): boolean {
  return file.imports.paths().some((p) => TELEMETRY_EXPORT_PREFIXES.some((prefix) => p.startsWith(prefix)));
}

/** `grpc.NewClient(target, grpc.WithX(…)…)` whose every option is visible and none instruments. */
function visitGrpcDial(node: SyntaxNode, context: RuleContext): void {
  const { file } = context;
  const info = callInfo(file, node);
  if (!info.callee || !file.isPackageFunction(info.callee, GRPC_PKG, GRPC_DIALS) || inTests(file, node) || importsTelemetryExport(file)) return;
  const args = info.args;
  const list = node.childForFieldName('arguments');
  if (!list || args.length === 0 || list.text.includes('...')) return;
  const options = args.slice(info.name === 'DialContext' ? 2 : 1);
  for (const option of options) {
    if (option.type !== 'call_expression') return;
    const optionInfo = callInfo(file, option);
    if (!optionInfo.operand || file.packageOfOperand(optionInfo.operand) !== GRPC_PKG) return;
    if (INSTRUMENTING_OPTIONS.test(optionInfo.name)) return;
  }
  const grpc = ensureImport(file, GRPC_PKG, 'grpc', 'grpc');
  const otelgrpc = ensureImport(file, OTELGRPC, 'otelgrpc', 'otelgrpc');
  const last = args[args.length - 1]!;
  const end = rangeOf(last).end;
  context.report({
    range: rangeOf(info.callee),
    message: `${file.text(info.callee)} makes a gRPC connection without OpenTelemetry's client handler`,
    fixes: [{
      title: 'Add grpc.WithStatsHandler(otelgrpc.NewClientHandler())',
      edits: [{ range: { start: end, end }, newText: `, ${grpc.prefix}WithStatsHandler(${otelgrpc.prefix}NewClientHandler())` }, ...otelgrpc.edits],
    }],
    program: { kind: 'grpc-instrumented' },
  });
}

/** The value of a keyed element `Transport: …` of an http.Client literal, null when absent. */
function transportOf(file: GoFile, literal: SyntaxNode): { element: SyntaxNode; value: SyntaxNode } | null | undefined {
  const body = literal.childForFieldName('body');
  if (!body) return undefined;
  for (const element of namedChildren(body)) {
    if (element.type !== 'keyed_element') return undefined; // positional fields: not worth reading
    const [key, wrapped] = namedChildren(element);
    // (key and value are literal_element nodes around the expressions)
    const value = wrapped?.type === 'literal_element' ? namedChildren(wrapped)[0] : wrapped;
    if (!key || !value) return undefined;
    if (file.text(key) === 'Transport') return { element, value };
  }
  return null;
}

/** Whether a transport expression is a plain, uninstrumented one: `http.DefaultTransport` or an `http.Transport` literal. */
function plainTransport(file: GoFile, value: SyntaxNode): boolean {
  let node = value;
  if (node.type === 'unary_expression') node = node.childForFieldName('operand') ?? node;
  if (node.type === 'composite_literal') {
    const type = node.childForFieldName('type');
    return !!type && file.isPackageType(type, HTTP_PKG, 'Transport');
  }
  if (node.type === 'selector_expression') {
    const operand = node.childForFieldName('operand');
    const field = node.childForFieldName('field');
    return !!operand && !!field && file.packageOfOperand(operand) === HTTP_PKG && file.text(field) === 'DefaultTransport';
  }
  return false;
}

/** Where an http.Client literal goes: a local variable or a field, by name. */
function clientName(literal: SyntaxNode): { kind: 'local' | 'field'; name: string } | undefined {
  let node = literal;
  if (node.parent?.type === 'unary_expression') node = node.parent;
  if (node.parent?.type === 'literal_element') node = node.parent;
  const parent = node.parent;
  if (parent?.type === 'keyed_element') {
    const key = namedChildren(parent)[0];
    return key && key.id !== node.id ? { kind: 'field', name: key.text } : undefined;
  }
  if (parent?.type === 'expression_list') {
    const statement = parent.parent;
    if (!statement || !['short_var_declaration', 'assignment_statement', 'var_spec'].includes(statement.type)) return undefined;
    const left = statement.type === 'var_spec' ? statement.childForFieldName('name') : statement.childForFieldName('left');
    const values = namedChildren(parent);
    const index = values.findIndex((v) => v.id === node.id);
    const targets = left?.type === 'expression_list' ? namedChildren(left) : left ? [left] : [];
    const target = targets[index];
    if (!target) return undefined;
    if (target.type === 'identifier') return { kind: 'local', name: target.text };
    if (target.type === 'selector_expression') {
      const field = target.childForFieldName('field');
      return field ? { kind: 'field', name: field.text } : undefined;
    }
  }
  return undefined;
}

/** Whether a function's parameters include a context.Context or an *http.Request (it serves a request). */
function takesContext(file: GoFile, fn: SyntaxNode): boolean {
  const parameters = fn.childForFieldName('parameters');
  if (!parameters) return false;
  for (const declaration of namedChildren(parameters)) {
    const type = declaration.childForFieldName('type');
    if (!type) continue;
    const inner = type.type === 'pointer_type' ? namedChildren(type)[0] : type;
    if (inner && (file.isPackageType(inner, 'context', 'Context') || (type.type === 'pointer_type' && file.isPackageType(inner, HTTP_PKG, 'Request')))) return true;
  }
  return false;
}

/**
 * The sends through the client (`client.Do(req)`, `s.http.Get(url)`) made in functions that serve a request
 * (a context or request parameter), in none of which headers are injected by hand. Undefined when some send
 * injects, or the client's transport is replaced later in the file.
 */
function tracedSends(file: GoFile, literal: SyntaxNode, client: { kind: 'local' | 'field'; name: string }): SyntaxNode[] | undefined {
  const body = client.kind === 'local' ? enclosingFunction(literal)?.childForFieldName('body') : undefined;
  const roots = client.kind === 'local' ? (body ? [body] : []) : file.topLevel;
  if (roots.length === 0) return undefined;
  const refersToClient = (operand: SyntaxNode | null): boolean => {
    if (!operand) return false;
    if (client.kind === 'local') return operand.type === 'identifier' && operand.text === client.name;
    return operand.type === 'selector_expression' && operand.childForFieldName('field')?.text === client.name;
  };
  const all = (type: string) => roots.flatMap((r) => r.descendantsOfType(type)).filter((n): n is SyntaxNode => !!n);
  // `client.Transport = otelhttp.NewTransport(…)` later: instrumented after all.
  for (const assignment of all('assignment_statement')) {
    const left = assignment.childForFieldName('left');
    const target = left ? namedChildren(left)[0] : undefined;
    if (target?.type === 'selector_expression' && target.childForFieldName('field')?.text === 'Transport' && refersToClient(target.childForFieldName('operand'))) return undefined;
  }
  const sends: SyntaxNode[] = [];
  for (const call of all('call_expression')) {
    const info = callInfo(file, call);
    if (!SENDING_METHODS.has(info.name) || !refersToClient(info.operand)) continue;
    const fn = enclosingFunction(call);
    if (!fn || inTests(file, call)) continue;
    // The declaration the send is in (a closure's enclosing function; a package-level func literal is its own).
    let top: SyntaxNode = fn;
    for (let outer = enclosingFunction(top); outer; outer = enclosingFunction(outer)) top = outer;
    if (!takesContext(file, fn) && !takesContext(file, top)) continue;
    const body = top.childForFieldName('body');
    if (body?.descendantsOfType('call_expression').some((c) => !!c && callInfo(file, c).name === 'Inject')) return undefined;
    sends.push(call);
  }
  return sends;
}

function visitHttpClient(node: SyntaxNode, context: RuleContext): void {
  const { file } = context;
  const type = node.childForFieldName('type');
  if (!type || !file.isPackageType(type, HTTP_PKG, 'Client') || inTests(file, node) || importsTelemetryExport(file)) return;
  const transport = transportOf(file, node);
  if (transport === undefined || (transport && !plainTransport(file, transport.value))) return;
  const client = clientName(node);
  if (!client) return;
  const sends = tracedSends(file, node, client);
  if (!sends || sends.length === 0) return;
  const otelhttp = ensureImport(file, OTELHTTP, 'otelhttp', 'otelhttp');
  const http = ensureImport(file, HTTP_PKG, 'http', 'http');
  let edit: TextEdit;
  if (transport) {
    edit = replaceNode(transport.value, `${otelhttp.prefix}NewTransport(${file.text(transport.value)})`);
  } else {
    const body = node.childForFieldName('body')!;
    const open = rangeOf(body).start;
    const at = { line: open.line, character: open.character + 1 };
    const multiline = body.startPosition.row !== body.endPosition.row;
    edit = { range: { start: at, end: at }, newText: `Transport: ${otelhttp.prefix}NewTransport(${http.prefix}DefaultTransport)${multiline || namedChildren(body).length > 0 ? ', ' : ''}` };
  }
  const first = sends[0]!;
  context.report({
    range: rangeOf(type),
    message: `this http.Client ${transport ? 'has a plain transport' : 'has no transport of its own (http.DefaultTransport)'}: requests sent with it (${file.text(first.childForFieldName('function')!)} on line ${first.startPosition.row + 1}) carry no trace headers`,
    fixes: [{ title: 'Wrap the transport with otelhttp.NewTransport', edits: [edit, ...otelhttp.edits] }],
    related: sends.slice(0, 3).map((s) => ({ range: rangeOf(s), message: 'A request sent on behalf of a traced request, without trace headers.' })),
    program: { kind: 'http-instrumented' },
  });
}

export const clientNotInstrumented: Rule = {
  id: 'client-not-instrumented',
  visitors: { call_expression: visitGrpcDial, composite_literal: visitHttpClient },
};

// --- resolution against the workspace -----------------------------------------------------------------

function formatList(formats: readonly PropagationFormat[]): string {
  const names = formats.map((f) => FORMAT_NAMES[f]);
  return names.length <= 1 ? (names[0] ?? 'nothing') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function formatNames(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function traceFormats(formats: readonly PropagationFormat[]): PropagationFormat[] {
  return formats.filter((f) => f !== 'baggage');
}

function sameFile(a: string, b: string): boolean {
  return a.replace(/\\/g, '/') === b.replace(/\\/g, '/');
}

/**
 * The propagation findings of a file that its programs confirm, with messages that name them. Findings
 * without a program condition pass through.
 */
export function resolveProgramFindings<T extends Finding>(findings: readonly T[], filePath: string, index: CallGraphView): T[] {
  if (!findings.some((f) => f.program)) return [...findings];
  const programs = index.programsReaching(filePath);
  const out: T[] = [];
  for (const finding of findings) {
    const condition = finding.program;
    if (!condition) {
      out.push(finding);
      continue;
    }
    const { program: _condition, ...plain } = finding;
    const resolved = resolveOne(plain, condition, filePath, programs, index);
    if (resolved) out.push(resolved as T);
  }
  return out;
}

function resolveOne(finding: Finding, condition: ProgramCondition, filePath: string, programs: readonly Program[], index: CallGraphView): Finding | undefined {
  switch (condition.kind) {
    case 'no-propagator': {
      const unset = programs.filter((p) => p.usesGlobalPropagator && !p.configuresPropagation && p.propagators.length === 0);
      if (unset.length === 0) return undefined;
      const names = unset.map((p) => p.name).join(', ');
      return {
        ...finding,
        message:
          `The tracer provider set here serves ${names}, which never set${unset.length === 1 ? 's' : ''} a propagator (otel.SetTextMapPropagator): ` +
          `OpenTelemetry's global propagator stays a no-op, so its instrumentation (${unset[0]!.instrumentation.join(', ')}) ` +
          'injects no traceparent into outgoing requests and extracts none from incoming ones. Every service starts ' +
          'new traces: "ghost requests". Install the W3C trace-context and baggage propagator after SetTracerProvider.',
      };
    }
    case 'formats': {
      const here = index.propagatorAt(filePath, finding.range.start.line, finding.range.start.character);
      if (!here?.formats) return undefined;
      const own = here.formats;
      const ownTrace = traceFormats(own);
      const missing = new Set<PropagationFormat>();
      const related: Finding['related'][number][] = [];
      const others: string[] = [];
      for (const program of programs) {
        if (!program.formats) continue;
        for (const other of index.programs()) {
          if (other.dir === program.dir || !other.formats) continue;
          const sent = traceFormats(other.formats);
          if (sent.length === 0 || sent.some((f) => traceFormats(program.formats!).includes(f))) continue;
          for (const f of sent) if (!ownTrace.includes(f)) missing.add(f);
          if (!others.includes(other.name)) {
            others.push(other.name);
            for (const site of other.propagatorSites.slice(0, 2)) {
              related.push({
                ...(sameFile(site.file, filePath) ? {} : { file: site.file }),
                range: siteRange(site),
                message: `${other.name} installs ${formatList(sent)} here.`,
              });
            }
          }
        }
      }
      if (missing.size === 0) return undefined;
      const missingList = [...missing];
      const fix = missingList.length === 1 ? condition.fixes[missingList[0]!] : undefined;
      return {
        ...finding,
        message:
          `This propagator reads and sends only ${formatList(ownTrace)}, while ${formatNames(others)} ` +
          `send${others.length === 1 ? 's' : ''} only ${formatList(missingList)}: the services cannot read each other's trace headers, ` +
          'so each request between them starts a new trace. Install a composite propagator that reads both.',
        fixes: fix ? [fix] : [],
        related,
      };
    }
    case 'grpc-instrumented': {
      const instrumented = programs.filter((p) => p.instrumentsGrpc && (p.tracerProviders.length > 0 || p.usesGlobalPropagator));
      if (instrumented.length === 0) return undefined;
      return {
        ...finding,
        message:
          `${finding.message}, while ${instrumented[0]!.name} instruments its other gRPC servers or clients with otelgrpc: ` +
          'calls on this connection carry no trace context, so the server they reach starts a new trace. ' +
          'Add grpc.WithStatsHandler(otelgrpc.NewClientHandler()).',
      };
    }
    case 'http-instrumented': {
      const instrumented = programs.filter((p) => p.instrumentsHttp && !p.replacesDefaultTransport && p.tracerProviders.length > 0);
      if (instrumented.length === 0) return undefined;
      return {
        ...finding,
        message:
          `In ${instrumented[0]!.name}, which traces with OpenTelemetry, ${finding.message}: the service they reach starts a new trace. ` +
          'Wrap the transport with otelhttp.NewTransport.',
      };
    }
  }
}

/** The range of a summary site. */
function siteRange(site: { line: number; character: number; endCharacter: number }): Range {
  return { start: { line: site.line, character: site.character }, end: { line: site.line, character: site.endCharacter } };
}
