// Facts about a file's package-level declarations that rules need inside function bodies: the kinds of struct
// fields (`db *sql.DB`, `tracer trace.Tracer`, `client *http.Client`), of package-level variables
// (`var tracer = otel.Tracer("svc")`), the struct types that carry a context or a span, and the functions that
// ignore their context. Collected once per file from its top-level declarations, before the function bodies
// are walked.

import type { SyntaxNode } from './syntaxTree';
import type { GoFile } from './goFile';
import { childrenForField, expressionsOf, namedChildren } from './syntax';
import { kindOfType, type ValueKind } from './valueKinds';
import { OTEL_SDK_TRACE_PKG } from './goPackages';
import { valuesAssigned } from './valueFlow';
import { collectCustomSamplers } from './rules/customSamplers';
import { collectSpanOnlyHelpers } from './rules/spanOnlyHelpers';

export interface FileFacts {
  /** Struct field name → kind, from the struct types declared in this file. */
  readonly fieldKinds: Map<string, ValueKind>;
  /** Package-level variable → kind. */
  readonly packageVarKinds: Map<string, ValueKind>;
  /** Struct type name → the field that holds a context or span. */
  readonly contextCarriers: Map<string, string>;
  /**
   * Names of the functions and methods of this file that ignore their context (`ctx` declared `_` or left
   * unnamed): handing them a context starts nothing under it.
   */
  readonly contextIgnorers: Set<string>;
  /** `Struct.field` → the field's type as written (`*store.Redis`), for the struct types of this file. */
  readonly fieldTypes: Map<string, string>;
  /**
   * Functions of this file that return an OpenTelemetry sampler deciding on its own (`return
   * sdktrace.TraceIDRatioBased(r)`) → that expression: where a caller installs what they return is the question.
   */
  readonly samplerReturners: Map<string, string>;
  /**
   * OpenTelemetry samplers this file writes that decide without the parent (rules/customSamplers.ts): the type,
   * and the functions building one → the type and how it decides.
   */
  readonly customSamplers: Map<string, string>;
  /**
   * Functions and methods (`Type.method`) of this file that start a span from their context and return only the
   * span (rules/spanOnlyHelpers.ts) → where the context and the span are among the arguments and results.
   */
  readonly spanOnlyHelpers: Map<string, string>;
}

export function emptyFileFacts(): FileFacts {
  return { fieldKinds: new Map(), packageVarKinds: new Map(), contextCarriers: new Map(), contextIgnorers: new Set(), fieldTypes: new Map(), samplerReturners: new Map(), customSamplers: new Map(), spanOnlyHelpers: new Map() };
}

const SELF_DECIDING_SAMPLERS: ReadonlySet<string> = new Set(['TraceIDRatioBased', 'NeverSample']);

/**
 * `func ratio() sdktrace.Sampler { return sdktrace.TraceIDRatioBased(0.1) }`: records `ratio` when every value
 * it returns (besides nil) is a self-deciding sampler. A function that returns one of several samplers maps a
 * user's configuration (the user chose), and is not recorded.
 */
function collectSamplerReturner(file: GoFile, decl: SyntaxNode, name: string, facts: FileFacts): void {
  if (decl.type !== 'function_declaration' || !file.imports.has(OTEL_SDK_TRACE_PKG)) return;
  const body = decl.childForFieldName('body');
  let returned: string | undefined;
  for (const ret of body ? body.descendantsOfType('return_statement') : []) {
    const value = ret?.namedChild(0);
    const expr = value?.type === 'expression_list' ? value.namedChild(0) : value;
    if (!expr || expr.type === 'nil') continue;
    const callee = expr.type === 'call_expression' ? expr.childForFieldName('function') : null;
    const operand = callee?.type === 'selector_expression' ? callee.childForFieldName('operand') : null;
    if (!callee || !operand || !SELF_DECIDING_SAMPLERS.has(file.text(callee.childForFieldName('field')!)) ||
        file.packageOfOperand(operand) !== OTEL_SDK_TRACE_PKG) return;
    returned ??= file.text(expr);
  }
  if (returned !== undefined) facts.samplerReturners.set(name, returned);
}

/** `func (p *P) next(_ context.Context) …`: records `next` when its context parameter is blank or unnamed. */
function collectFunction(file: GoFile, decl: SyntaxNode, facts: FileFacts): void {
  const name = decl.childForFieldName('name');
  const params = decl.childForFieldName('parameters');
  if (!name || !params) return;
  collectSamplerReturner(file, decl, file.text(name), facts);
  for (const param of namedChildren(params)) {
    if (param.type !== 'parameter_declaration' || kindOfType(file, param.childForFieldName('type')) !== 'context') continue;
    const names = childrenForField(param, 'name').map((n) => file.text(n));
    if (names.length === 0 || names.every((n) => n === '_')) facts.contextIgnorers.add(file.text(name));
    return;
  }
}

function collectStruct(file: GoFile, typeName: string, struct: SyntaxNode, facts: FileFacts): void {
  const list = struct.namedChildren.find((c) => c?.type === 'field_declaration_list');
  if (!list) return;
  for (const field of namedChildren(list)) {
    if (field.type !== 'field_declaration') continue;
    const typeNode = field.childForFieldName('type');
    if (typeNode && typeNode.endIndex - typeNode.startIndex <= 80) {
      for (const name of childrenForField(field, 'name')) facts.fieldTypes.set(`${typeName}.${file.text(name)}`, file.text(typeNode));
    }
    const kind = kindOfType(file, typeNode);
    if (!kind) continue;
    const names = childrenForField(field, 'name').map((n) => file.text(n));
    for (const name of names) facts.fieldKinds.set(name, kind);
    if ((kind === 'context' || kind === 'span') && !facts.contextCarriers.has(typeName)) {
      facts.contextCarriers.set(typeName, names[0] ?? file.text(field.childForFieldName('type')!));
    }
  }
}

function collectTypeDeclaration(file: GoFile, decl: SyntaxNode, facts: FileFacts): void {
  for (const spec of namedChildren(decl)) {
    if (spec.type !== 'type_spec') continue;
    const name = spec.childForFieldName('name');
    const type = spec.childForFieldName('type');
    if (name && type?.type === 'struct_type') collectStruct(file, file.text(name), type, facts);
  }
}

function collectVarDeclaration(file: GoFile, decl: SyntaxNode, facts: FileFacts): void {
  const specs = namedChildren(decl).flatMap((c) => (c.type === 'var_spec_list' ? namedChildren(c) : [c]));
  for (const spec of specs) {
    if (spec.type !== 'var_spec') continue;
    const names = childrenForField(spec, 'name').map((n) => file.text(n));
    const declared = kindOfType(file, spec.childForFieldName('type'));
    const values = declared ? [] : valuesAssigned(file, expressionsOf(spec.childForFieldName('value')), names.length, () => undefined, spec.startPosition.row);
    names.forEach((name, i) => {
      const kind = declared ?? values[i]?.kind;
      if (kind && kind !== 'other' && kind !== 'rootContext') facts.packageVarKinds.set(name, kind);
    });
  }
}

/** Collects the facts of every top-level type and var declaration of the file. */
export function collectFileFacts(file: GoFile, topLevel: readonly SyntaxNode[], facts: FileFacts): void {
  for (const decl of topLevel) {
    if (decl.type === 'type_declaration') collectTypeDeclaration(file, decl, facts);
    else if (decl.type === 'var_declaration') collectVarDeclaration(file, decl, facts);
    else if (decl.type === 'function_declaration' || decl.type === 'method_declaration') collectFunction(file, decl, facts);
  }
  collectCustomSamplers(file, topLevel, facts.customSamplers);
  collectSpanOnlyHelpers(file, topLevel, facts.spanOnlyHelpers);
}

/** A string that changes whenever facts or imports that rules read change (a cache key for per-declaration results). */
export function factsFingerprint(facts: FileFacts, importsKey: string): string {
  const entries = (m: Map<string, string>) => [...m].sort().map(([k, v]) => `${k}=${v}`).join(',');
  return `${importsKey}|${entries(facts.fieldKinds)}|${entries(facts.packageVarKinds)}|${entries(facts.contextCarriers)}|${[...facts.contextIgnorers].sort().join(',')}|${entries(facts.fieldTypes)}|${entries(facts.samplerReturners)}|${entries(facts.customSamplers)}|${entries(facts.spanOnlyHelpers)}`;
}
