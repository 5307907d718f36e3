// Profiles whose samples carry the ids of the span that ran them: Pyroscope's otel-profiling-go and the
// example shop label goroutines with `span_id` (16 hex digits, as trace files write span IDs), Datadog's
// profiler with `span id` (the same 64-bit ID in decimal). Given the spans a user asks about, this finds
// the label the profile uses, the samples of those spans, and the label filter (pprof's -tagfocus) that
// keeps exactly them.

import { exactLabelFilter, labelValueTotals } from './labelTotals';
import type { ProfileQuery } from './query';

interface SpanIdLabel {
  readonly key: string;
  /** The label's value for a span ID in trace-file hex, or undefined when it cannot be written so. */
  encode(spanIdHex: string): string | undefined;
}

const SPAN_ID_LABELS: readonly SpanIdLabel[] = [
  { key: 'span_id', encode: (hex) => hex.toLowerCase() },
  { key: 'span id', encode: (hex) => (/^[0-9a-fA-F]{1,16}$/.test(hex) ? BigInt(`0x${hex}`).toString() : undefined) },
];

/** The label keys that name a span's ID, for messages. */
export const SPAN_ID_LABEL_KEYS: readonly string[] = SPAN_ID_LABELS.map((l) => l.key);

export interface SpanSamples {
  /** The label key the profile uses for span IDs. */
  readonly key: string;
  /** Over the samples of the spans asked about. */
  readonly total: number;
  readonly samples: number;
  /** Over every sample that carries the key (the part of the profile that ran under some span). */
  readonly labelledTotal: number;
  /** How many of the spans asked about have samples. */
  readonly spansWithSamples: number;
  /** The -tagfocus filter that keeps the samples of exactly these spans. */
  readonly filter: string;
}

/**
 * The samples of `spanIds` (hex) in the query's profile, or undefined when the profile's samples carry no
 * span ID label at all. A profile with both keys is read by the first that has any of the spans.
 */
export function spanSamples(query: ProfileQuery, spanIds: readonly string[]): SpanSamples | undefined {
  let labelled: SpanSamples | undefined;
  for (const label of SPAN_ID_LABELS) {
    const totals = labelValueTotals(query, label.key);
    if (totals.samples === 0) continue;
    const wanted = new Set(spanIds.map((id) => label.encode(id)).filter((v): v is string => v !== undefined));
    let total = 0;
    let samples = 0;
    let spansWithSamples = 0;
    for (const v of totals.values) {
      if (!wanted.has(v.value)) continue;
      total += v.total;
      samples += v.samples;
      spansWithSamples++;
    }
    const result: SpanSamples = {
      key: label.key,
      total,
      samples,
      labelledTotal: totals.total,
      spansWithSamples,
      filter: exactLabelFilter(label.key, [...wanted]),
    };
    if (samples > 0) return result;
    labelled ??= result;
  }
  return labelled;
}
