// A trace search's rows as the quick pick shows them: the root span's service and name, its duration,
// span count, start and services; the trace ID to open. Pure: no vscode import.

import type { TraceSummary } from '../../../core/backends';

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

export function traceRows(traces: readonly TraceSummary[]): TraceRow[] {
  return traces.map((t) => {
    const start = new Date(Number(BigInt(t.startUnixNano) / 1_000_000n));
    return {
      label: `${t.rootService}: ${t.rootName}`,
      description: [formatSpanDuration(t.durationNs), t.spanCount === undefined ? undefined : plural(t.spanCount, 'span'), start.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')].filter((p) => p !== undefined).join(' · '),
      detail: `${t.traceId}${t.services.length > 0 ? ` · ${plural(t.services.length, 'service')}: ${t.services.join(', ')}` : ''}`,
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
