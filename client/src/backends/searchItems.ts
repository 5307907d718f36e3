// A trace search's rows as the quick pick shows them: the root span's service and name, its duration,
// span count, start and services, the trace's broken chains as they are counted; the trace ID to open.
// Pure: no vscode import.

import type { TraceSummary } from '../../../core/backends';
import type { ProblemCount } from './searchProblems';

export interface TraceRow {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly traceId: string;
}

/** `850 µs`, `12.3 ms`, `1.25 s`. */
export function formatSpanDuration(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(ns >= 1e7 ? 1 : 2)} ms`;
  return `${Math.round(ns / 1e3)} µs`;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** `⚠ 2 broken chains: <the first one's title>`, `no broken chains`, or why they are not known (yet). */
export function problemText(count: ProblemCount | undefined): string {
  if (count === undefined || count.state === 'counting') return 'counting broken chains…';
  if (count.state === 'failed') return `broken chains not counted: ${count.message}`;
  if (count.count === 0) return 'no broken chains';
  return `⚠ ${plural(count.count, 'broken chain')}: ${count.titles[0] ?? ''}`;
}

/**
 * The rows of a search; with `problems` (by trace ID, filled in as the counts come), each row's detail
 * starts with its broken chains.
 */
export function traceRows(traces: readonly TraceSummary[], problems?: ReadonlyMap<string, ProblemCount>): TraceRow[] {
  return traces.map((t) => {
    const start = new Date(Number(BigInt(t.startUnixNano) / 1_000_000n));
    // Older Tempo does not say how many spans a trace has; once it is counted, that is known.
    const counted = problems?.get(t.traceId);
    const spanCount = t.spanCount ?? (counted?.state === 'counted' ? counted.spanCount : undefined);
    return {
      label: `${t.rootService}: ${t.rootName}`,
      description: [formatSpanDuration(t.durationNs), spanCount === undefined ? undefined : plural(spanCount, 'span'), start.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')].filter((p) => p !== undefined).join(' · '),
      detail: [problems ? problemText(problems.get(t.traceId)) : undefined, t.traceId, t.services.length > 0 ? `${plural(t.services.length, 'service')}: ${t.services.join(', ')}` : undefined].filter((p) => p !== undefined).join(' · '),
      traceId: t.traceId,
    };
  });
}

/** `key=value` pairs separated by spaces or commas, as typed into the tags box; or why they cannot be read. */
export function parseTagText(text: string): Record<string, string> | string {
  const tags: Record<string, string> = {};
  for (const part of text.split(/[\s,]+/).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return `"${part}" is not key=value; e.g. http.status_code=500 error=true.`;
    tags[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return tags;
}
