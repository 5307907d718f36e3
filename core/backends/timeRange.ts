// Durations and time ranges as a person types them: `100ms`, `1.5s`, `1h30m` (Go's duration syntax, which
// Jaeger and Tempo also speak), and a range as `--since 1h` or `--from`/`--to` in RFC 3339 or Unix time.
// Each backend then writes the range in its own unit (microseconds, milliseconds, seconds, RFC 3339).

import { BackendError } from './backendError';

export interface TimeRange {
  /** Unix milliseconds, inclusive. */
  readonly startMs: number;
  /** Unix milliseconds. */
  readonly endMs: number;
}

const UNIT_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9, d: 86400e9 };

/** A duration in nanoseconds from Go syntax (`300ms`, `1.5h`, `2h45m`; `d` for days too); throws `bad-query`. */
export function parseDuration(text: string, what = 'duration'): number {
  const trimmed = text.trim();
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(trimmed); match; match = part.exec(trimmed)) {
    total += Number(match[1]) * UNIT_NS[match[2]!]!;
    consumed = part.lastIndex;
  }
  if (trimmed === '' || consumed !== trimmed.length) {
    throw new BackendError('bad-query', `The ${what} "${text.slice(0, 40)}" is not a duration: write a number and a unit, e.g. 100ms, 1.5s, 15m, 2h or 1h30m (units: ns, us, ms, s, m, h, d).`);
  }
  return Math.round(total);
}

/** `2026-08-21T10:00:00Z` (RFC 3339) or Unix time in seconds (milliseconds when it has 13 digits or more). */
export function parseInstant(text: string, what: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const value = Number(trimmed);
    return trimmed.split('.')[0]!.length >= 13 ? Math.round(value) : Math.round(value * 1000);
  }
  const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$/;
  const ms = rfc3339.test(trimmed) ? Date.parse(trimmed.replace(' ', 'T')) : NaN;
  if (Number.isNaN(ms)) {
    throw new BackendError('bad-query', `The ${what} time "${text.slice(0, 40)}" is not a time: use RFC 3339 with a time zone (2026-08-21T10:00:00Z, 2026-08-21T12:00:00+02:00) or Unix seconds (1787306400).`);
  }
  return ms;
}

export interface TimeRangeInput {
  /** A duration back from `to` (or now): `1h`. */
  readonly since?: string;
  readonly from?: string;
  readonly to?: string;
  /** The clock (tests). */
  readonly now?: number;
}

/** The range from `--since`/`--from`/`--to`; `defaultSince` when none is given. Throws `bad-query`. */
export function parseTimeRange(input: TimeRangeInput, defaultSince = '1h'): TimeRange {
  if (input.since !== undefined && input.from !== undefined) throw new BackendError('bad-query', 'Give either a duration to look back (since) or a start time (from), not both.');
  const endMs = input.to !== undefined ? parseInstant(input.to, 'end') : input.now ?? Date.now();
  const startMs = input.from !== undefined ? parseInstant(input.from, 'start') : endMs - parseDuration(input.since ?? defaultSince, 'look-back duration') / 1e6;
  if (!(startMs < endMs)) {
    throw new BackendError('bad-query', `The time range is empty: it starts at ${new Date(startMs).toISOString()} and ends at ${new Date(endMs).toISOString()}. The start must come before the end.`);
  }
  return { startMs: Math.floor(startMs), endMs: Math.ceil(endMs) };
}

/** Nanoseconds in Go's duration syntax, exact: `1500000ns` becomes `1500us`. */
export function formatGoDuration(ns: number): string {
  for (const [unit, size] of [['h', 3600e9], ['m', 60e9], ['s', 1e9], ['ms', 1e6], ['us', 1e3]] as const) {
    if (ns >= size && ns % size === 0) return `${ns / size}${unit}`;
  }
  return `${ns}ns`;
}
