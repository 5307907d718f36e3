// Which kind of trace a file holds, from its content alone (file names lie: `trace.json` may be any of
// three span formats, and `*.trace` any bytes). Looks at the first 64 KiB only.

import { detectSpanFormat } from './spans/parseSpanTrace';
import type { SpanFormat } from './spans/spanTraceModel';

export type TraceFormat = 'go-execution-trace' | SpanFormat;

const EXECUTION_TRACE_PREFIX = /^go 1\.\d{1,4} trace\0/;

export function detectTraceFormat(bytes: Uint8Array): TraceFormat | undefined {
  const head = bytes.subarray(0, 65536);
  const start = new TextDecoder('latin1').decode(head.subarray(0, 24));
  // Any Go version, old ones included: the decoder then says what to do with them.
  if (EXECUTION_TRACE_PREFIX.test(start)) return 'go-execution-trace';
  return detectSpanFormat(new TextDecoder('utf-8').decode(head));
}
