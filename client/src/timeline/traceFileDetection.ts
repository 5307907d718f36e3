// Which files the timeline opens, judged by name first (cheap) and content second (file names lie: a
// `.json` file is usually not a trace). Pure: the first bytes in, a trace kind out.

import type { TimelineTraceKind } from '../../../common/timelineProtocol';
import { detectTraceFormat } from '../../../core/timeline';

/** How much of a file content detection looks at. */
export const DETECTION_BYTES = 65536;

/** Names Go gives execution traces: `trace.out` (go test -trace) and anything ending in `.trace`. */
export function isExecutionTraceName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'trace.out' || lower.endsWith('.trace') || lower.endsWith('.trace.out');
}

/** Names span exports have: JSON or JSON lines. */
export function isSpanTraceName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.json') || lower.endsWith('.jsonl');
}

/** The kind of trace the first bytes of a file start, or undefined when they start none. */
export function traceKindOf(head: Uint8Array): TimelineTraceKind | undefined {
  const format = detectTraceFormat(head.subarray(0, DETECTION_BYTES));
  if (format === undefined) return undefined;
  return format === 'go-execution-trace' ? 'go-execution-trace' : 'spans';
}

export function baseNameOf(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return slash >= 0 ? path.slice(slash + 1) : path;
}
