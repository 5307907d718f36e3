// The broken chains of a trace a "Search Traces…" listed: the client sends the trace's span file (from
// the search's answer or fetched by ID), the server parses it with the timeline core, as the timeline's
// worker does, and answers how many problems that trace has and the first ones' titles. The extension
// host never parses a trace.

import type { Connection } from 'vscode-languageserver';
import { CountSpanProblemsRequest, type CountSpanProblemsParams, type CountSpanProblemsResult } from '../../../common/backendProtocol';
import { TraceError, parseSpanTrace, type SpanTraceModel } from '../../../core/timeline';
import { onRequest } from '../lsp/handlers';

/** Titles sent back per trace (the quick pick shows the first). */
const MAX_TITLES = 3;

/** Trace IDs compare without their leading zeros: backends pad 64-bit IDs to 16 or 32 digits, or not at all. */
function sameTraceId(a: string, b: string): boolean {
  return a.toLowerCase().replace(/^0+/, '') === b.toLowerCase().replace(/^0+/, '');
}

/** The count; a text that is no span trace is answered with the core's reason (`ok: false`), not thrown. */
export function countSpanProblems(params: CountSpanProblemsParams): CountSpanProblemsResult {
  let model: SpanTraceModel;
  try {
    model = parseSpanTrace(params.text, { clockSkewToleranceNs: params.clockSkewToleranceNs });
  } catch (error) {
    if (error instanceof TraceError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
  let trace = -1;
  for (let t = 0; t < model.traces.count && trace < 0; t++) if (sameTraceId(model.traces.traceId[t]!, params.traceId)) trace = t;
  if (trace < 0) {
    const held = model.traces.traceId.slice(0, 3).join(', ');
    return { ok: false, code: 'no-such-trace', message: `The answer holds no trace ${params.traceId} (it holds ${model.traces.count === 0 ? 'no spans' : `${held}${model.traces.count > 3 ? ', …' : ''}`}).` };
  }
  const traceId = model.traces.traceId[trace]!;
  const problems = model.problems.filter((p) => p.traceId === traceId);
  return { ok: true, count: problems.length, titles: problems.slice(0, MAX_TITLES).map((p) => p.title), spanCount: model.traces.spanCount[trace]! };
}

export function registerSpanProblemCounts(connection: Connection): void {
  onRequest(connection, CountSpanProblemsRequest, countSpanProblems, {
    what: (params) => `Counting the broken chains of trace ${params.traceId}`,
    answer: (error): CountSpanProblemsResult => ({ ok: false, code: 'failed', message: error instanceof Error ? error.message : String(error) }),
  });
}
