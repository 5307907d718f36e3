// The rows of a span-trace timeline: per trace a header, then its waterfall (each span followed by its
// subtree, children by start time, as the model orders them) with collapsed subtrees left out, or,
// grouped by service, a header per service of the trace followed by that service's spans by start.

import type { SpanModelView } from './workerProtocol';
import { RowLayout } from './rowLayout';

export const SpanRowKind = {
  Trace: 0,
  Service: 1,
  Span: 2,
} as const;

export const SPAN_ROW_HEIGHT = 20;
const TRACE_ROW_HEIGHT = 22;

export interface SpanRows {
  readonly kind: Uint8Array;
  /** Trace row, trace row (service headers) or span row. */
  readonly ref: Int32Array;
  /** Service headers: the service (string index). */
  readonly service: Int32Array;
  readonly layout: RowLayout;
  /** Row of each span, -1 when hidden under a collapsed trace or subtree. */
  readonly spanRow: Int32Array;
  readonly traceRow: Int32Array;
}

export interface SpanRowOptions {
  readonly collapsedTraces: ReadonlySet<number>;
  /** 1 for spans whose subtree is collapsed. */
  readonly collapsedSpans: Uint8Array;
  readonly groupByService: boolean;
}

export function buildSpanRows(model: SpanModelView, options: SpanRowOptions): SpanRows {
  const { spans, traces } = model;
  // Room for every trace header and span; service headers grow the columns when they are needed.
  let kind = new Uint8Array(traces.count + spans.count + 16);
  let ref = new Int32Array(kind.length);
  let service = new Int32Array(kind.length);
  let heights = new Float64Array(kind.length);
  let count = 0;
  const spanRow = new Int32Array(spans.count).fill(-1);
  const traceRow = new Int32Array(traces.count).fill(-1);
  const push = (k: number, r: number, s: number, height: number) => {
    if (count === kind.length) {
      const grow = <T extends Uint8Array | Int32Array | Float64Array>(old: T, make: (n: number) => T) => {
        const next = make(old.length * 2);
        next.set(old);
        return next;
      };
      kind = grow(kind, (n) => new Uint8Array(n));
      ref = grow(ref, (n) => new Int32Array(n));
      service = grow(service, (n) => new Int32Array(n));
      heights = grow(heights, (n) => new Float64Array(n));
    }
    kind[count] = k;
    ref[count] = r;
    service[count] = s;
    heights[count] = height;
    return count++;
  };

  for (let t = 0; t < traces.count; t++) {
    traceRow[t] = push(SpanRowKind.Trace, t, -1, TRACE_ROW_HEIGHT);
    if (options.collapsedTraces.has(t)) continue;
    const first = traces.firstSpan[t]!;
    const last = first + traces.spanCount[t]!;
    if (!options.groupByService) {
      let row = first;
      while (row < last) {
        spanRow[row] = push(SpanRowKind.Span, row, -1, SPAN_ROW_HEIGHT);
        row = options.collapsedSpans[row] ? spans.subtreeEnd[row]! : row + 1;
      }
      continue;
    }
    for (const s of traces.services[t]!) {
      push(SpanRowKind.Service, t, s, SPAN_ROW_HEIGHT);
      const members: number[] = [];
      for (let row = first; row < last; row++) if (spans.service[row] === s) members.push(row);
      members.sort((a, b) => spans.start[a]! - spans.start[b]! || a - b);
      for (const row of members) spanRow[row] = push(SpanRowKind.Span, row, s, SPAN_ROW_HEIGHT);
    }
  }
  return {
    kind: kind.slice(0, count),
    ref: ref.slice(0, count),
    service: service.slice(0, count),
    layout: new RowLayout(heights.subarray(0, count)),
    spanRow,
    traceRow,
  };
}
