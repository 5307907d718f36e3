// Facts about a file's package-level declarations that rules need inside function bodies: the kinds of struct
// fields (`db *sql.DB`, `tracer trace.Tracer`, `client *http.Client`), of package-level variables
// (`var tracer = otel.Tracer("svc")`), the struct types that carry a context or a span, and the functions that
// ignore their context. Collected once per file from its top-level declarations, before the function bodies
// are walked. `readGoFile` makes the GoFile the analyzer works on, with these facts collected.

import type { SyntaxNode } from './syntaxTree';
import { GoFile, type FileFacts } from './goFile';
import { childrenForField, expressionsOf, namedChildren } from './syntax';
import { kindOfType } from './valueKinds';
import { OTEL_SDK_TRACE_PKG } from './goPackages';
import { valuesAssigned } from './valueFlow';
import { collectCustomSamplers } from './rules/customSamplers';
import { collectSpanOnlyHelpers } from './rules/spanOnlyHelpers';

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

/** The file, with the facts of every top-level type, var and function declaration collected. */
export function readGoFile(source: string, root: SyntaxNode, testFile = false): GoFile {
  const file = new GoFile(source, root, testFile);
  for (const decl of file.topLevel) {
    if (decl.type === 'type_declaration') collectTypeDeclaration(file, decl, file.facts);
    else if (decl.type === 'var_declaration') collectVarDeclaration(file, decl, file.facts);
    else if (decl.type === 'function_declaration' || decl.type === 'method_declaration') collectFunction(file, decl, file.facts);
  }
  collectCustomSamplers(file, file.topLevel, file.facts.customSamplers);
  collectSpanOnlyHelpers(file, file.topLevel, file.facts.spanOnlyHelpers);
  return file;
}
