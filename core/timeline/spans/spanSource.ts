// Where a span's code is, from OpenTelemetry's code.* attributes: the current names
// (code.function.name, code.file.path, code.line.number) and the older ones (code.function with
// code.namespace, code.filepath, code.lineno).

import { findAttribute } from './spanRecord';
import type { AttributeValue, SourceLocation, SpanAttribute } from './spanTraceModel';

function text(value: AttributeValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function lineNumber(value: AttributeValue | undefined): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

export function spanSourceLocation(attributes: readonly SpanAttribute[]): SourceLocation | undefined {
  let fn = text(findAttribute(attributes, 'code.function.name'));
  if (!fn) {
    const old = text(findAttribute(attributes, 'code.function'));
    const namespace = text(findAttribute(attributes, 'code.namespace'));
    fn = old && namespace && !old.startsWith(namespace) ? `${namespace}.${old}` : old;
  }
  const file = text(findAttribute(attributes, 'code.file.path')) ?? text(findAttribute(attributes, 'code.filepath'));
  const line = lineNumber(findAttribute(attributes, 'code.line.number')) ?? lineNumber(findAttribute(attributes, 'code.lineno'));
  if (fn === undefined && file === undefined) return undefined;
  return { ...(fn !== undefined && { function: fn }), ...(file !== undefined && { file }), ...(line !== undefined && { line }) };
}
