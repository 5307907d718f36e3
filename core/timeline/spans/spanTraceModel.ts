// What a decoded distributed trace file is: spans as columns in waterfall order (trace by trace, each
// span followed by its subtree, children by start time), the traces and services they belong to, the
// details shown for a selected span, and the broken-chain problems found in them. Plain data, so it can
// be built in a web worker and posted to the UI thread.

export type SpanFormat = 'otlp-json' | 'jaeger-json' | 'zipkin-json';

/** OpenTelemetry's span kinds (the OTLP numbering). */
export const SpanKind = {
  Unspecified: 0,
  Internal: 1,
  Server: 2,
  Client: 3,
  Producer: 4,
  Consumer: 5,
} as const;

export const SPAN_KIND_NAMES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

export const SpanStatus = {
  Unset: 0,
  Ok: 1,
  Error: 2,
} as const;

export type AttributeValue = string | number | boolean | null | readonly AttributeValue[] | { readonly [key: string]: AttributeValue };

export interface SpanAttribute {
  readonly key: string;
  readonly value: AttributeValue;
}

export interface SpanEvent {
  /** Nanoseconds relative to the model's epoch. */
  readonly time: number;
  readonly name: string;
  readonly attributes: readonly SpanAttribute[];
}

export interface SpanLink {
  readonly traceId: string;
  readonly spanId: string;
  /** Why the spans are linked, e.g. "follows-from" (Jaeger's FOLLOWS_FROM reference). */
  readonly relation: string;
  readonly attributes: readonly SpanAttribute[];
}

export interface SourceLocation {
  readonly function?: string;
  readonly file?: string;
  readonly line?: number;
}

/** What the detail panel shows for a span. */
export interface SpanDetails {
  readonly attributes: readonly SpanAttribute[];
  readonly resource: readonly SpanAttribute[];
  /** Instrumentation scope (library) name and version, when the format records it. */
  readonly scope: string;
  readonly events: readonly SpanEvent[];
  readonly links: readonly SpanLink[];
  readonly statusMessage: string;
  /** Where the span's code is, from code.* attributes (undefined when the span has none). */
  readonly source: SourceLocation | undefined;
}

export interface SpanTable {
  readonly count: number;
  /** Row of the span's trace. */
  readonly trace: Int32Array;
  /** Hex span IDs (lowercase). */
  readonly spanId: readonly string[];
  /** The parent span ID the span names ('' for a root). */
  readonly parentSpanId: readonly string[];
  /** Row of the parent span, -1 for a root or when the parent is not in the file. */
  readonly parent: Int32Array;
  /** Name and service as string indices. */
  readonly name: Uint32Array;
  readonly service: Uint32Array;
  /** SpanKind. */
  readonly kind: Uint8Array;
  /** SpanStatus. */
  readonly status: Uint8Array;
  /** Nanoseconds relative to the model's epoch. */
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Depth in the waterfall (roots and orphans are 0). */
  readonly depth: Uint16Array;
  /** Row after the span's last descendant: its subtree is [row, subtreeEnd). */
  readonly subtreeEnd: Uint32Array;
  readonly details: readonly SpanDetails[];
}

export interface TraceTable {
  readonly count: number;
  readonly traceId: readonly string[];
  /** The trace's spans are rows [firstSpan, firstSpan + spanCount). */
  readonly firstSpan: Uint32Array;
  readonly spanCount: Uint32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Services (string indices) with spans in the trace, in order of appearance. */
  readonly services: readonly (readonly number[])[];
}

export type SpanProblemType = 'orphan' | 'multiple-roots' | 'disconnected-service' | 'clock-skew' | 'partial-sampling' | 'duplicate-span-id';

export interface SpanProblem {
  readonly type: SpanProblemType;
  readonly traceId: string;
  /** The span the problem is about (for a service or a trace: its first span). */
  readonly spanId: string;
  /** Span rows to highlight. */
  readonly spans: readonly number[];
  /** One line: what is wrong. */
  readonly title: string;
  /** The likely cause and what to change. */
  readonly explanation: string;
}

export interface SpanTraceModel {
  readonly kind: 'spans';
  readonly format: SpanFormat;
  /** Unix time (nanoseconds, decimal) that span times are relative to: the earliest span start. */
  readonly epochUnixNano: string;
  readonly strings: readonly string[];
  readonly spans: SpanTable;
  readonly traces: TraceTable;
  /** Every service (string index), in order of appearance. */
  readonly services: readonly number[];
  readonly problems: readonly SpanProblem[];
}
