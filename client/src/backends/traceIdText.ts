// Trace IDs in text: the 32-hex IDs a log line, a terminal or a Go string literal carries (links and
// hovers offer "Open Trace in <backend>" on them), and the ID a command takes from the selection or the
// word under the cursor (16 or 32 hex digits there). An ID is a whole token: 32 hex digits with no letter,
// digit or underscore on either side (a 64-digit hash or a longer word is not a trace ID), and not all
// zeros (W3C's "no trace"). Pure: no vscode import.

export interface TraceIdMatch {
  /** Offsets in the text. */
  readonly start: number;
  readonly end: number;
  /** Lowercase hex. */
  readonly traceId: string;
}

const TRACE_ID_32 = /(?<![A-Za-z0-9_])[0-9a-fA-F]{32}(?![A-Za-z0-9_])/g;
const TRACE_ID_WORD = /^(?:[0-9a-fA-F]{16}|[0-9a-fA-F]{32})$/;

/** Most IDs reported for one text (a log file full of IDs stays responsive). */
export const MAX_TRACE_ID_MATCHES = 2000;

function usable(hex: string): boolean {
  return !/^0+$/.test(hex);
}

/** The 32-hex trace IDs in `text`, in order. */
export function findTraceIds(text: string, limit = MAX_TRACE_ID_MATCHES): TraceIdMatch[] {
  const matches: TraceIdMatch[] = [];
  TRACE_ID_32.lastIndex = 0;
  for (let m = TRACE_ID_32.exec(text); m && matches.length < limit; m = TRACE_ID_32.exec(text)) {
    if (usable(m[0])) matches.push({ start: m.index, end: m.index + 32, traceId: m[0].toLowerCase() });
  }
  return matches;
}

/** The 32-hex trace ID covering `offset` in `line`, if any. */
export function traceIdAt(line: string, offset: number): TraceIdMatch | undefined {
  return findTraceIds(line).find((m) => m.start <= offset && offset <= m.end);
}

/** A selection or word that is a trace ID (16 or 32 hex digits, surrounding quotes and space trimmed), lowercased. */
export function traceIdInWord(text: string): string | undefined {
  const word = text.trim().replace(/^["'`]+|["'`]+$/g, '');
  return TRACE_ID_WORD.test(word) && usable(word) ? word.toLowerCase() : undefined;
}

/**
 * The offsets of Go string literals ("…" and `…`) in a line, for Go files, where only IDs inside a
 * literal are linked (a hex constant in code is not a trace). A line comment ends the search.
 */
export function goStringLiterals(line: string): { start: number; end: number }[] {
  const literals: { start: number; end: number }[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '/' && line[i + 1] === '/') break;
    if (c === '"' || c === '`') {
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += c === '"' && line[j] === '\\' ? 2 : 1;
      literals.push({ start: i + 1, end: Math.min(j, line.length) });
      i = j + 1;
    } else if (c === "'") {
      const close = line.indexOf("'", i + 2);
      i = close < 0 ? line.length : close + 1;
    } else {
      i++;
    }
  }
  return literals;
}

/** The trace IDs inside the Go string literals of a line. */
export function findTraceIdsInGoLine(line: string): TraceIdMatch[] {
  const literals = goStringLiterals(line);
  return findTraceIds(line).filter((m) => literals.some((l) => l.start <= m.start && m.end <= l.end));
}
