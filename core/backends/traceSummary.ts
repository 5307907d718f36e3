// One row per trace of a search: root service and name, start, duration, span count and services. Tempo
// answers with these rows itself; Jaeger and Zipkin answer a search with whole traces, which are reduced
// here from a minimal view of each span. The root is the earliest span whose parent is not in the trace
// (a trace whose root was never received still gets a row, named after its earliest orphan). Those whole
// traces are kept too, one span file per listed trace, so a host can judge each one (broken chains)
// without fetching it again.

export interface TraceSummary {
  /** Lowercase hex, 32 digits (16 for a 64-bit ID), as `fetchTrace` takes it. */
  readonly traceId: string;
  readonly rootService: string;
  readonly rootName: string;
  /** Unix nanoseconds as a decimal string (too large for a JSON number). */
  readonly startUnixNano: string;
  readonly durationNs: number;
  /** Undefined when the backend does not say (older Tempo). */
  readonly spanCount: number | undefined;
  readonly services: readonly string[];
}

/** The little a summary needs of a span. */
export interface SpanSketch {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for none. */
  readonly parentId: string;
  readonly service: string;
  readonly name: string;
  readonly startNs: bigint;
  readonly endNs: bigint;
}

/** Summaries of the traces the spans belong to, newest first. */
export function summarizeSketches(spans: readonly SpanSketch[]): TraceSummary[] {
  const byTrace = new Map<string, SpanSketch[]>();
  for (const span of spans) {
    const list = byTrace.get(span.traceId);
    if (list) list.push(span);
    else byTrace.set(span.traceId, [span]);
  }
  const summaries: { summary: TraceSummary; start: bigint }[] = [];
  for (const [traceId, list] of byTrace) {
    const ids = new Set(list.map((s) => s.spanId));
    let start = list[0]!.startNs;
    let end = list[0]!.endNs;
    let root: SpanSketch | undefined;
    for (const span of list) {
      if (span.startNs < start) start = span.startNs;
      if (span.endNs > end) end = span.endNs;
      const isRoot = span.parentId === '' || !ids.has(span.parentId);
      if (isRoot && (!root || span.startNs < root.startNs)) root = span;
    }
    root ??= list[0]!;
    summaries.push({
      start,
      summary: {
        traceId,
        rootService: root.service,
        rootName: root.name,
        startUnixNano: start.toString(),
        durationNs: Number(end - start),
        spanCount: list.length,
        services: [...new Set(list.map((s) => s.service))].sort(),
      },
    });
  }
  return summaries.sort((a, b) => (a.start === b.start ? 0 : a.start > b.start ? -1 : 1)).map((s) => s.summary);
}

/** Lowercase hex of a trace ID a backend wrote, padded as `fetchTrace` normalizes it. */
export function paddedTraceId(id: string): string {
  const hex = id.toLowerCase();
  return hex.padStart(hex.length <= 16 ? 16 : 32, '0');
}

/** One listed trace's spans as a span file `parseSpanTrace` reads, from a search that answered whole traces. */
export interface SearchedSpanFile {
  readonly format: 'otlp-json' | 'jaeger-json' | 'zipkin-json';
  readonly text: string;
}

export interface TraceSearchResult {
  /** Newest first, as `searchTraces` lists them. */
  readonly summaries: TraceSummary[];
  /**
   * By trace ID (as in `summaries`): each listed trace's spans when the backend answered the search with
   * whole traces (Jaeger, Zipkin); empty for Tempo, whose search answers summaries only.
   */
  readonly spanFiles: ReadonlyMap<string, SearchedSpanFile>;
}

/** The result of a search: its summaries (the first `limit`) and the span files of those traces. */
export function searchResult(summaries: readonly TraceSummary[], limit: number, spanFiles: ReadonlyMap<string, SearchedSpanFile>): TraceSearchResult {
  const listed = summaries.slice(0, limit);
  const kept = new Map<string, SearchedSpanFile>();
  for (const summary of listed) {
    const file = spanFiles.get(summary.traceId);
    if (file) kept.set(summary.traceId, file);
  }
  return { summaries: listed, spanFiles: kept };
}
