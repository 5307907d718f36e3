// The backends feature's message to the language server: how many broken chains the timeline would show
// for one trace a search listed. The extension host has the trace's text (from the search's answer, or
// fetched by ID) but never parses a trace; the server parses it with the timeline core and counts.

import { request } from './protocol';

export interface CountSpanProblemsParams {
  /** The trace as a span file: OTLP/JSON, Jaeger JSON or Zipkin v2 JSON, as the backend answered it. */
  readonly text: string;
  /** The trace to count (lowercase hex); the file may hold others, whose problems do not count. */
  readonly traceId: string;
  /** The timeline's clock-skew tolerance (goTraceLens.timeline.clockSkewToleranceMs), in nanoseconds. */
  readonly clockSkewToleranceNs: number;
}

export type CountSpanProblemsResult =
  | {
      readonly ok: true;
      /** The trace's broken-chain problems, as the timeline's Problems tab counts them. */
      readonly count: number;
      /** The first few problems' one-line titles, in the timeline's order. */
      readonly titles: readonly string[];
      readonly spanCount: number;
    }
  /** The text could not be read as a span trace, or holds no trace of that ID: what is wrong. */
  | { readonly ok: false; readonly code: string; readonly message: string };

/** Language server request: the broken-chain problems of one trace of a span file. */
export const CountSpanProblemsRequest = request<CountSpanProblemsParams, CountSpanProblemsResult>('goTraceLens/countSpanProblems');
