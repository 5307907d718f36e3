// Entry point of the span-trace core: JSON text in (OTLP/JSON as one object or the file exporter's JSON
// lines, Jaeger JSON, Zipkin v2 JSON, recognized from the content), the span model with its broken-chain
// problems out. Pure: no Node, no DOM.

import { TraceError } from '../traceError';
import { readJaegerDocument } from './jaegerJson';
import { readOtlpExport } from './otlpJson';
import { buildSpanModel } from './spanModelBuilder';
import { type SpanProblemOptions, findSpanProblems } from './spanProblems';
import type { SpanRecord } from './spanRecord';
import type { SpanFormat, SpanTraceModel } from './spanTraceModel';
import { readZipkinDocument } from './zipkinJson';

const FORMAT_NAMES: Record<SpanFormat, string> = { 'otlp-json': 'OTLP/JSON', 'jaeger-json': 'Jaeger JSON', 'zipkin-json': 'Zipkin v2 JSON' };

/** The span format JSON text is in, judged from its beginning; undefined when it is none of them. */
export function detectSpanFormat(prefix: string): SpanFormat | undefined {
  const text = prefix.replace(/^\uFEFF/, '').trimStart();
  if (text[0] !== '{' && text[0] !== '[') return undefined;
  if (/"resource_?[sS]pans"\s*:/.test(text)) return 'otlp-json';
  if (/"traceID"\s*:/.test(text) && /"(spanID|operationName|processes)"\s*:/.test(text)) return 'jaeger-json';
  if (/"traceId"\s*:/.test(text) && /"id"\s*:/.test(text) && text[0] === '[') return 'zipkin-json';
  return undefined;
}

function jsonError(error: unknown, where: string): TraceError {
  const detail = error instanceof Error ? error.message : String(error);
  return new TraceError('invalid-json', `The file is not valid JSON${where} (${detail}). If it was cut off, export or download the trace again.`);
}

function parseDocuments(text: string, format: SpanFormat): unknown[] {
  try {
    return [JSON.parse(text)];
  } catch (error) {
    if (format !== 'otlp-json') throw jsonError(error, '');
    // The collector's file exporter writes one export request per line.
    const documents: unknown[] = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '') continue;
      try {
        documents.push(JSON.parse(line));
      } catch (lineError) {
        throw jsonError(lineError, lines.length > 1 ? ` on line ${i + 1}` : '');
      }
    }
    return documents;
  }
}

function unknownFormat(text: string): TraceError {
  let shape = 'It is not JSON.';
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) shape = `It is a JSON list${value.length ? ' whose first item has ' + describeKeys(value[0]) : ''}.`;
    else shape = `It is a JSON object with ${describeKeys(value)}.`;
  } catch {
    // Keep "It is not JSON."
  }
  return new TraceError(
    'unknown-span-format',
    `This is not a trace format Go Trace Lens reads. ${shape} Open an OTLP/JSON export (with "resourceSpans"), a Jaeger JSON download (with "data" and "traceID") or a Zipkin v2 JSON list of spans (with "traceId" and "id").`,
  );
}

function describeKeys(value: unknown): string {
  if (typeof value !== 'object' || value === null) return 'no keys';
  const keys = Object.keys(value).slice(0, 6);
  return keys.length ? `the keys ${keys.map((k) => JSON.stringify(k)).join(', ')}` : 'no keys';
}

/** Parses a span trace file; throws a TraceError saying what is wrong when it cannot. */
export function parseSpanTrace(text: string, options: SpanProblemOptions = {}): SpanTraceModel {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new TraceError('invalid-json', 'The file is empty. Export or download the trace again.');
  const format = detectSpanFormat(body.slice(0, 65536));
  if (!format) throw unknownFormat(body);
  const documents = parseDocuments(body, format);
  const records: SpanRecord[] = [];
  documents.forEach((document, i) => {
    if (format === 'otlp-json') readOtlpExport(document, documents.length > 1 ? `line ${i + 1}: ` : '', records);
    else if (format === 'jaeger-json') readJaegerDocument(document, records);
    else readZipkinDocument(document, records);
  });
  const { model, facts } = buildSpanModel(records, format);
  return { ...model, problems: findSpanProblems(model, facts, options) };
}

export function spanFormatName(format: SpanFormat): string {
  return FORMAT_NAMES[format];
}
