// The reference for goroutine, region and task statistics: `go tool trace -http` serving a trace, and
// parsers for the pages the tests compare with (/goroutines, /goroutine?name=, /userregions,
// /userregion?type=&pc=, /usertasks, /usertask?type=), read from the HTML cmd/trace's templates print
// (Go 1.23, cmd/trace/goroutines.go, regions.go, tasks.go). Durations on those pages are
// time.Duration.String(), exact to the nanosecond; parseGoDuration reads them back exactly.
//
// Also the real trace those tests read: test/go/traceanalysis run once per process.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { buildGoProgram } from './goToolchain';
import type { ExecutionTraceModel } from '../../core/timeline';
import { temporaryTraceFile } from './traceModels';

let analysisTrace: string | undefined;

/** test/go/traceanalysis's trace (goroutine groups that block every way, tasks, regions, GC), written once per process. */
export function writeAnalysisTrace(): string {
  if (analysisTrace) return analysisTrace;
  const path = temporaryTraceFile('traceanalysis.out');
  execFileSync(buildGoProgram('traceanalysis'), ['-o', path], { stdio: 'pipe' });
  assert.ok(existsSync(path), 'traceanalysis wrote its trace');
  analysisTrace = path;
  return path;
}

/** Go's server for these pages: the one traceGoHttp.ts starts (with `get` for pages, `stop` to end it). */
export { startGoTraceServer, type GoTraceServer } from './traceGoHttp';

const UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

/** Reads Go's time.Duration.String() back, exactly ("1h2m3.5s", "51.361856ms", "768ns", "0s"). */
export function parseGoDuration(text: string): number {
  const trimmed = text.trim();
  const negative = trimmed.startsWith('-');
  const body = negative ? trimmed.slice(1) : trimmed;
  if (body === '0') return 0;
  let ns = 0n;
  let rest = body;
  while (rest !== '') {
    const m = /^(\d+)(?:\.(\d+))?(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!m) throw new Error(`not a Go duration: "${text}"`);
    const unit = UNITS[m[3]!]!;
    ns += BigInt(m[1]!) * unit;
    if (m[2]) ns += (BigInt(m[2]) * unit) / 10n ** BigInt(m[2].length);
    rest = rest.slice(m[0].length);
  }
  return Number(negative ? -ns : ns);
}

/** Text of an HTML fragment: tags dropped, entities decoded, whitespace trimmed. */
export function htmlText(fragment: string): string {
  return fragment
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&nbsp;/g, ' ')
    .trim();
}

/** Reads a Go %q string literal back. */
export function unquoteGo(quoted: string): string {
  return JSON.parse(quoted.replace(/\\x([0-9a-f]{2})/gi, '\\u00$1').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b')) as string;
}

function cells(row: string, tag: 'td' | 'th'): string[] {
  return [...row.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);
}

function rows(table: string): string[] {
  return [...table.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!);
}

export interface GroupRow {
  readonly name: string;
  readonly count: number;
  readonly execNs: number;
}

/** /goroutines: one row per start function ("" for goroutines without a stack). */
export function parseGoroutineGroups(html: string): GroupRow[] {
  const table = /<table>([\s\S]*?)<\/table>/.exec(html);
  assert.ok(table, '/goroutines has a table');
  return rows(table[1]!)
    .slice(1)
    .map((row) => {
      const [name, count, exec] = cells(row, 'td').map(htmlText);
      return { name: name === '(Inactive, no stack trace sampled)' ? '' : name!, count: Number(count), execNs: parseGoDuration(exec!) };
    });
}

export interface BreakdownRow {
  readonly goroutine: number;
  /** Region pages only: the task column ("" for the background task). */
  readonly task: string;
  readonly totalNs: number;
  /** Column name → nanoseconds. */
  readonly columns: Record<string, number>;
}

export interface BreakdownPage {
  /** Summary table of /goroutine: "52.17%" or "" . */
  readonly execTimePercent: string | undefined;
  readonly statColumns: string[];
  readonly stats: BreakdownRow[];
  readonly rangeColumns: string[];
  readonly ranges: BreakdownRow[];
}

function breakdownTable(table: string, firstStat: number): { columns: string[]; rows: BreakdownRow[] } {
  const [head, ...body] = rows(table);
  const headers = cells(head!, 'th').map(htmlText);
  const hasTask = headers[1] === 'Task';
  const columns = headers.slice(firstStat + (hasTask ? 1 : 0));
  return {
    columns,
    rows: body.map((row) => {
      const values = cells(row, 'td').map(htmlText);
      const offset = hasTask ? 1 : 0;
      // Breakdown rows have a bar-graph cell after the total; range rows do not.
      const stats = values.slice(firstStat + offset);
      assert.equal(stats.length, columns.length, `a value in each column: ${row}`);
      return {
        goroutine: Number(values[0]),
        task: hasTask ? values[1]! : '',
        totalNs: parseGoDuration(values[1 + offset]!),
        columns: Object.fromEntries(columns.map((c, k) => [c, parseGoDuration(stats[k]!)])),
      };
    }),
  };
}

/** /goroutine?name= and /userregion?…: the breakdown and the special-ranges tables. */
export function parseBreakdownPage(html: string): BreakdownPage {
  const tables = [...html.matchAll(/<table class="details">([\s\S]*?)<\/table>/g)].map((m) => m[1]!);
  assert.equal(tables.length, 2, 'a breakdown table and a special-ranges table');
  const percent = /<td>Execution Time:<\/td>\s*<td>([^<]*) of total program execution time/.exec(html);
  const stats = breakdownTable(tables[0]!, 3);
  const ranges = breakdownTable(tables[1]!, 2);
  return { execTimePercent: percent ? percent[1]!.trim() : undefined, statColumns: stats.columns, stats: stats.rows, rangeColumns: ranges.columns, ranges: ranges.rows };
}

export interface HistogramBucket {
  /** The bucket's lower bound as the page prints it. */
  readonly from: string;
  readonly count: number;
}

// The histogram's own rows end in `</td></tr>`; the page's rows put a line break between the two.
function parseHistogram(html: string): HistogramBucket[] {
  return rows(html)
    .map((row) => cells(row, 'td'))
    .filter((c) => c.length === 3)
    .map((c) => ({ from: htmlText(c[0]!), count: Number(htmlText(c[2]!)) }))
    .filter((b) => b.count > 0);
}

export interface RegionTypeRow {
  readonly type: string;
  readonly func: string;
  readonly pc: number;
  readonly file: string;
  readonly line: number;
  readonly count: number;
  readonly histogram: HistogramBucket[];
}

/** /userregions: one row per region type and start location. */
export function parseRegionTypes(html: string): RegionTypeRow[] {
  const body = html.slice(html.indexOf('<th>Region type</th>'));
  return [...body.matchAll(/<tr>\s*<td><pre>([\s\S]*?)<\/pre><\/td>\s*<td><a [^>]*>(\d+)<\/a><\/td>\s*<td>([\s\S]*?)<\/td>[ \t]*\n\s*<\/tr>/g)].map((m) => {
    const [type, where, place] = m[1]!.split('<br>').map(htmlText);
    // A region whose start has no stack (it began with an event without one) has an empty function: the
    // cell then reads "@ 0x0" with nothing before it.
    const at = /(?:^|\s)@ 0x([0-9a-f]+)$/.exec(where!);
    if (!at) throw new Error(`unexpected start location on /userregions: ${JSON.stringify(where)}`);
    const colon = place!.lastIndexOf(':');
    return {
      type: unquoteGo(type!),
      func: where!.slice(0, at.index),
      pc: parseInt(at[1]!, 16),
      file: place!.slice(0, colon),
      line: Number(place!.slice(colon + 1)),
      count: Number(m[2]),
      histogram: parseHistogram(m[3]!),
    };
  });
}

export interface TaskTypeRow {
  readonly type: string;
  readonly count: number;
  /** Complete tasks only. */
  readonly histogram: HistogramBucket[];
}

/** /usertasks: one row per task type. */
export function parseTaskTypes(html: string): TaskTypeRow[] {
  const body = html.slice(html.indexOf('<th>Task type</th>'));
  return [...body.matchAll(/<tr>\s*<td>([^<]*)<\/td>\s*<td><a [^>]*>(\d+)<\/a><\/td>\s*<td>([\s\S]*?)<\/td>[ \t]*\n\s*<\/tr>/g)].map((m) => ({
    type: htmlText(m[1]!),
    count: Number(m[2]),
    histogram: parseHistogram(m[3]!),
  }));
}

export interface TaskEventRow {
  /** Seconds since the trace's first event, as printed ("%2.9f"). */
  readonly when: string;
  readonly goroutine: number;
  readonly what: string;
}

export interface TaskRow {
  readonly id: number;
  readonly when: string;
  readonly durationNs: number;
  readonly complete: boolean;
  readonly events: TaskEventRow[];
}

/** /usertask?type=: each task of the type with its events (begin, end, logs, its regions' begins and ends). */
export function parseTasks(html: string): TaskRow[] {
  const table = html.slice(html.indexOf('<table id="reqs">'));
  const tasks: TaskRow[] = [];
  for (const m of table.matchAll(/<tr( class="first")?>([\s\S]*?)<\/tr>/g)) {
    const values = cells(m[2]!, 'td');
    if (values.length !== 4) continue;
    if (m[1]) {
      const id = />Task (\d+)<\/a>/.exec(values[3]!)!;
      tasks.push({ id: Number(id[1]), when: htmlText(values[0]!), durationNs: parseGoDuration(htmlText(values[1]!)), complete: /\(complete\)/.test(values[3]!), events: [] });
    } else {
      tasks[tasks.length - 1]!.events.push({ when: htmlText(values[0]!), goroutine: Number(htmlText(values[2]!)), what: htmlText(values[3]!) });
    }
  }
  return tasks;
}

/**
 * How far go tool trace's numbers may be from ours on this trace, in nanoseconds. Go's reader orders
 * events with the same timestamp on different threads in map order, which varies from run to run, and
 * nudges the later one 1 ns past the earlier (as ours does, in an order of its own); where that happened,
 * each run of go tool trace moves the ends of some intervals by a nanosecond or a few, and its numbers
 * differ from those of the run before. Only a trace without such ties (no two events of different threads
 * 1 ns apart) has one order, and then the numbers must be equal exactly; otherwise within 1 µs, the bound
 * compareListings allows for the same reason.
 */
export function tieTolerance(model: ExecutionTraceModel): number {
  const { time, m } = model.events;
  for (let i = 1; i < model.events.count; i++) if (time[i]! - time[i - 1]! === 1 && m[i] !== m[i - 1]) return 1000;
  return 0;
}

function close(actual: unknown, expected: unknown, tolerance: number): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') return Math.abs(actual - expected) <= tolerance;
  if (Array.isArray(actual) && Array.isArray(expected)) return actual.length === expected.length && actual.every((a, k) => close(a, expected[k], tolerance));
  if (typeof actual === 'object' && typeof expected === 'object' && actual !== null && expected !== null) {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = Object.keys(a).sort();
    return keys.join('\0') === Object.keys(e).sort().join('\0') && keys.every((k) => close(a[k], e[k], tolerance));
  }
  return actual === expected;
}

/** assert.deepEqual, except that numbers may differ by up to `tolerance` (see tieTolerance). */
export function assertClose(actual: unknown, expected: unknown, tolerance: number, message: string): void {
  if (tolerance === 0 || !close(actual, expected, tolerance)) assert.deepEqual(actual, expected, tolerance === 0 ? message : `${message} (numbers within ${tolerance} ns)`);
}
