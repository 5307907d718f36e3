// The timeline's decoding worker (dist/webview/timeline.worker.js): trace bytes in, a model out with its
// typed-array columns transferred to the UI thread, so neither the extension host nor the UI thread ever
// parses a million events. It keeps the span details the UI asks for one span at a time, and matches
// spans with the runtime/trace tasks of an execution trace of the same run.

import { TraceError, decodeExecutionTrace, detectTraceFormat, matchSpansToTasks, parseSpanTrace, readExecutionTraceHeader, transferables, type ExecutionTraceModel, type SpanDetails, type SpanTraceModel } from '../../core/timeline';
import type { FromWorker, SpanModelView, SpanTaskMatchView, ToWorker } from './workerProtocol';

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

/** What the worker keeps of the span model after its columns went to the UI thread. */
let spanDetails: readonly SpanDetails[] = [];
let spansForMatching: Pick<SpanTraceModel, 'kind' | 'epochUnixNano' | 'strings'> & { spans: { count: number; name: Uint32Array; start: Float64Array } } | null = null;

function failure(error: unknown): FromWorker {
  if (error instanceof TraceError) return { type: 'failed', code: error.code, message: error.message };
  const detail = error instanceof Error ? error.message : String(error);
  return {
    type: 'failed',
    code: 'internal-error',
    message: `Go Trace Lens could not read this trace because of an error in its decoder (${detail}). Please report it with the file; "go tool trace" may still open it.`,
  };
}

function startsLikeJson(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length && i < 1024; i++) {
    const c = bytes[i]!;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (c === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) {
      i += 2;
      continue;
    }
    return c === 0x7b || c === 0x5b;
  }
  return false;
}

function postExecution(model: ExecutionTraceModel, decodeMs: number): void {
  spanDetails = [];
  spansForMatching = null;
  scope.postMessage({ type: 'execution', model, decodeMs }, transferables(model));
}

function postSpans(model: SpanTraceModel, decodeMs: number): void {
  const { details, ...columns } = model.spans;
  spanDetails = details;
  const hasSource = new Uint8Array(model.spans.count);
  for (let i = 0; i < details.length; i++) if (details[i]!.source) hasSource[i] = 1;
  // The matcher needs names and starts after the UI has the columns: keep copies.
  spansForMatching = {
    kind: 'spans',
    epochUnixNano: model.epochUnixNano,
    strings: model.strings,
    spans: { count: model.spans.count, name: model.spans.name.slice(), start: model.spans.start.slice() },
  };
  const view: SpanModelView = { ...model, spans: columns, hasSource };
  // hasSource is one of the view's columns, so it is among the transferables too.
  scope.postMessage({ type: 'spans', model: view, decodeMs }, transferables(view as unknown as SpanTraceModel));
}

function decode(bytes: Uint8Array, clockSkewToleranceNs: number): void {
  const started = performance.now();
  try {
    const format = detectTraceFormat(bytes);
    if (format === 'go-execution-trace') {
      const model = decodeExecutionTrace(bytes);
      postExecution(model, performance.now() - started);
      return;
    }
    if (format !== undefined || startsLikeJson(bytes)) {
      const model = parseSpanTrace(new TextDecoder('utf-8').decode(bytes), { clockSkewToleranceNs });
      postSpans(model, performance.now() - started);
      return;
    }
    // Neither: the execution-trace header check says what the bytes look like instead.
    readExecutionTraceHeader(bytes);
    throw new TraceError('not-an-execution-trace', 'This is neither a Go execution trace nor a span trace in JSON (OTLP, Jaeger or Zipkin).');
  } catch (error) {
    scope.postMessage(failure(error));
  }
}

function match(fileName: string, bytes: Uint8Array, toleranceNs: number): void {
  if (!spansForMatching) return;
  let exec: ExecutionTraceModel;
  try {
    if (detectTraceFormat(bytes) !== 'go-execution-trace') throw new TraceError('not-an-execution-trace', `${fileName} is not a Go execution trace.`);
    exec = decodeExecutionTrace(bytes);
  } catch (error) {
    scope.postMessage({ type: 'matchFailed', fileName, message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const matching = matchSpansToTasks(spansForMatching as unknown as SpanTraceModel, exec, { toleranceNs });
  const functionOf = (goroutine: number) => exec.strings[exec.goroutines.startFunction[goroutine]!] || exec.strings[exec.goroutines.label[goroutine]!] || '';
  const view: SpanTaskMatchView = {
    fileName,
    alignment: matching.alignment,
    matched: matching.matches.length,
    unmatchedSpans: matching.unmatchedSpans,
    activities: matching.matches.map((m) => ({
      span: m.span,
      taskId: exec.tasks.id[m.task]!,
      taskName: exec.strings[exec.tasks.name[m.task]!]!,
      startDifferenceNs: m.startDifferenceNs,
      goroutines: m.goroutines.map((g) => ({
        id: exec.goroutines.id[g.goroutine]!,
        startFunction: functionOf(g.goroutine),
        runningNs: g.runningNs,
        runnableNs: g.runnableNs,
        syscallNs: g.syscallNs,
        waitingNs: g.waitingNs,
        waitingByReason: g.waitingByReason,
      })),
    })),
  };
  scope.postMessage({ type: 'matched', match: view });
}

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case 'decode':
      decode(new Uint8Array(message.bytes), message.clockSkewToleranceNs);
      break;
    case 'details':
      scope.postMessage({ type: 'details', requestId: message.requestId, details: spanDetails[message.span] ?? null });
      break;
    case 'match':
      match(message.fileName, new Uint8Array(message.bytes), message.toleranceNs);
      break;
  }
};
