// Messages between the timeline's UI thread and its decoding worker. The worker holds what the UI does
// not need for drawing (span attributes, events, links) and answers for one span at a time; models come
// to the UI with their typed-array columns transferred, not copied.

import type { ExecutionTraceModel, SpanDetails, SpanTraceModel } from '../../core/timeline';

/** A span model without per-span details (they stay in the worker until a span is selected). */
export type SpanModelView = Omit<SpanTraceModel, 'spans'> & {
  readonly spans: Omit<SpanTraceModel['spans'], 'details'>;
  /** 1 where the span has code.* attributes (it can open its code directly). */
  readonly hasSource: Uint8Array;
};

/** What one matched span's goroutines did while its task ran. */
export interface SpanActivity {
  readonly span: number;
  readonly taskId: number;
  readonly taskName: string;
  readonly startDifferenceNs: number;
  readonly goroutines: readonly {
    readonly id: number;
    readonly startFunction: string;
    readonly runningNs: number;
    readonly runnableNs: number;
    readonly syscallNs: number;
    readonly waitingNs: number;
    readonly waitingByReason: readonly { readonly reason: string; readonly ns: number }[];
  }[];
}

export interface SpanTaskMatchView {
  readonly fileName: string;
  readonly alignment: 'wall-clock' | 'estimated' | 'none';
  readonly matched: number;
  readonly unmatchedSpans: number;
  readonly activities: readonly SpanActivity[];
}

export type ToWorker =
  | { readonly type: 'decode'; readonly bytes: ArrayBuffer; readonly clockSkewToleranceNs: number }
  | { readonly type: 'details'; readonly requestId: number; readonly span: number }
  | { readonly type: 'match'; readonly fileName: string; readonly bytes: ArrayBuffer; readonly toleranceNs: number };

export type FromWorker =
  | { readonly type: 'execution'; readonly model: ExecutionTraceModel; readonly decodeMs: number }
  | { readonly type: 'spans'; readonly model: SpanModelView; readonly decodeMs: number }
  | { readonly type: 'failed'; readonly code: string; readonly message: string }
  | { readonly type: 'details'; readonly requestId: number; readonly details: SpanDetails | null }
  | { readonly type: 'matched'; readonly match: SpanTaskMatchView }
  | { readonly type: 'matchFailed'; readonly fileName: string; readonly message: string };
