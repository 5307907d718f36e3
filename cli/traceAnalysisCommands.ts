// `go-trace-lens trace latency` and `go-trace-lens trace goroutines`: the state-transition table and the
// goroutine groups of an execution trace, with go tool trace's numbers and Go's way of writing durations.
// traceCommand.ts dispatches here and lends its file reading and error reporting.

import {
  compareStatNames,
  decodeExecutionTrace,
  formatGoDuration,
  nonOverlappingStats,
  stackFrames,
  summarizeGoroutines,
  transitionTable,
  type ExecutionTraceModel,
  type GoroutineAnalysis,
  type GoroutineGroup,
  type TransitionTable,
} from '../core/timeline';
import { UsageError, flag, intFlag, parseArgs, type ParsedArgs } from './args';
import type { CliIO } from './io';

export const TRACE_ANALYSIS_USAGE = `latency   the state-transition table of an execution trace: for each kind of goroutine state change
          (runnable → running is scheduler latency; running → waiting by the reason it blocked;
          waiting → runnable by the reason it waited for; syscalls; preemptions), how many there were
          and how long the goroutine had been in the state it left: exact nearest-rank p50, p90, p99
          and the maximum (docs/trace-analysis.md, "State transitions").
  --group NAME         only goroutines with this start function (as "goroutines" lists them)
  --from NS --to NS    only transitions made in [NS, NS] on the trace clock (the times "events" prints)
  --region TYPE        only transitions made inside a user region of this type
  --task ID            only transitions made inside a region of this user task
  --worst N            the N longest instances of each kind (text: printed only when asked; json: 5)
  --format text|json   json:
                         {"from","to","group","instances","kinds":[{"from","to","reason","label","count",
                          "totalNs","p50Ns","p90Ns","p99Ns","maxNs","worst":[{"goroutine","startNs","endNs",
                          "durationNs","startEvent","endEvent","stack":[{"func","file","line"}]}]}]}
                       states: runnable, running, waiting, syscall, notexist (the goroutine ended);
                       from/to are null when not given
goroutines  goroutine groups (by start function) with their count and execution time, as go tool
          trace's /goroutines page; with --group, that group's goroutines and where their time went,
          as its /goroutine page (execution, scheduler wait, block time by reason, syscall execution,
          syscall block, unknown, and time in GC ranges).
  --group NAME         one group ("" for goroutines without a stack)
  --from NS --to NS    clip every interval to [NS, NS] on the trace clock
  --format text|json   json, groups:
                         {"totalExecNs","groups":[{"name","count","execNs"}]}
                       json, --group:
                         {"name","count","execTimePercent","goroutines":[{"id","creationNs","startNs",
                          "endNs","totalNs","execNs","schedWaitNs","syscallNs","syscallBlockNs",
                          "unknownNs","blockNsByReason":{},"rangeNs":{}}]}
                       times are nanoseconds; startNs and endNs are null when it never ran / did not end`;

/** What traceCommand.ts lends: reading the file, and turning a TraceError into its message and exit 2. */
export interface TraceFileAccess {
  readTraceFile(file: string, io: CliIO): Uint8Array;
  reportTraceErrors(file: string, io: CliIO, read: () => number): number;
}

const RANGE_FLAGS = { from: { value: true }, to: { value: true }, group: { value: true }, format: { value: true, choices: ['text', 'json'] }, help: {} } as const;

function timeFlags(args: ParsedArgs): { from?: number; to?: number } {
  const from = intFlag(args, 'from');
  const to = intFlag(args, 'to');
  if (from !== undefined && to !== undefined && from > to) throw new UsageError(`--from (${from}) is after --to (${to}): give the earlier time first.`);
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

/** The arguments, the one FILE and the time range; undefined after printing the help for --help. */
function commandArgs(argv: readonly string[], io: CliIO, spec: Parameters<typeof parseArgs>[1], command: string): { args: ParsedArgs; file: string; range: { from?: number; to?: number } } | undefined {
  const args = parseArgs(argv, { ...RANGE_FLAGS, ...spec }, `trace ${command}`);
  if (flag(args, 'help')) {
    io.out(TRACE_ANALYSIS_USAGE + '\n');
    return undefined;
  }
  if (args.positionals.length !== 1) throw new UsageError(`give exactly one FILE. Example: go-trace-lens trace ${command} trace.out`);
  return { args, file: args.positionals[0]!, range: timeFlags(args) };
}

/** An aligned table: the first column left-aligned, the rest right-aligned. */
export function alignTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length)));
  const pad = (text: string, width: number, left: boolean) => {
    const fill = ' '.repeat(width - [...text].length);
    return left ? text + fill : fill + text;
  };
  return rows.map((r) => r.map((cell, c) => pad(cell, widths[c]!, c === 0)).join('  ').trimEnd()).join('\n') + '\n';
}

const nullable = (ns: number) => (Number.isFinite(ns) ? ns : null);

function latencyJson(model: ExecutionTraceModel, table: TransitionTable, group: string | undefined): unknown {
  return {
    from: nullable(table.from),
    to: nullable(table.to),
    group: group ?? null,
    instances: table.instances,
    kinds: table.kinds.map((k) => ({
      ...k,
      worst: k.worst.map((w) => ({ goroutine: w.goroutineId, startNs: w.startNs, endNs: w.endNs, durationNs: w.durationNs, startEvent: w.startEvent, endEvent: w.endEvent, stack: stackFrames(model, w.stack) })),
    })),
  };
}

function latencyText(model: ExecutionTraceModel, table: TransitionTable, showWorst: boolean): string {
  const ranged = Number.isFinite(table.from) || Number.isFinite(table.to);
  const scope = ranged ? ` from ${Number.isFinite(table.from) ? table.from : 'the start'} to ${Number.isFinite(table.to) ? table.to : 'the end'}` : '';
  let out = `${table.instances} state transitions${scope}; time spent in the state each one left:\n\n`;
  if (table.kinds.length === 0) return out + 'No transitions match.\n';
  out += alignTable([
    ['Transition', 'Count', 'p50', 'p90', 'p99', 'Max', 'Total'],
    ...table.kinds.map((k) => [k.label, String(k.count), formatGoDuration(k.p50Ns), formatGoDuration(k.p90Ns), formatGoDuration(k.p99Ns), formatGoDuration(k.maxNs), formatGoDuration(k.totalNs)]),
  ]);
  if (!showWorst) return out;
  for (const k of table.kinds) {
    out += `\n${k.label}, longest:\n`;
    for (const w of k.worst) {
      const top = stackFrames(model, w.stack)[0];
      out += `  ${formatGoDuration(w.durationNs).padStart(14)}  goroutine ${w.goroutineId}  at ${formatGoDuration(w.startNs - model.startNs)} (events ${w.startEvent}–${w.endEvent})${top ? `  ${top.func} ${top.file}:${top.line}` : ''}\n`;
    }
  }
  return out;
}

export function latencyCommand(argv: readonly string[], io: CliIO, files: TraceFileAccess): number {
  const parsed = commandArgs(argv, io, { region: { value: true }, task: { value: true }, worst: { value: true } }, 'latency');
  if (!parsed) return 0;
  const { args, file, range } = parsed;
  const task = intFlag(args, 'task');
  const worst = intFlag(args, 'worst');
  const group = flag(args, 'group');
  const region = flag(args, 'region');
  const bytes = files.readTraceFile(file, io);
  return files.reportTraceErrors(file, io, () => {
    const model = decodeExecutionTrace(bytes);
    const table = transitionTable(model, { ...range, group, region, task, worst: worst ?? 5 });
    if (flag(args, 'format') === 'json') io.out(JSON.stringify(latencyJson(model, table, group), null, 2) + '\n');
    else io.out(latencyText(model, table, worst !== undefined));
    return 0;
  });
}

function groupJson(analysis: GoroutineAnalysis, group: GoroutineGroup): unknown {
  return {
    name: group.name,
    count: group.count,
    execTimePercent: executionShare(analysis, group),
    goroutines: group.goroutines.map((k) => {
      const g = analysis.goroutines[k]!;
      const s = g.stats;
      return {
        id: g.id,
        creationNs: g.creationNs,
        startNs: nullable(g.startNs),
        endNs: nullable(g.endNs),
        totalNs: s.totalNs,
        execNs: s.execNs,
        schedWaitNs: s.schedWaitNs,
        syscallNs: s.syscallNs,
        syscallBlockNs: s.syscallBlockNs,
        unknownNs: g.unknownNs,
        blockNsByReason: s.blockNsByReason,
        rangeNs: s.rangeNs,
      };
    }),
  };
}

/** go tool trace's "52.17%" of total program execution time ("" when nothing ran). */
function executionShare(analysis: GoroutineAnalysis, group: GoroutineGroup): string {
  return analysis.totalExecNs > 0 ? `${((group.stats.execNs / analysis.totalExecNs) * 100).toFixed(2)}%` : '';
}

const displayName = (name: string) => name || '(Inactive, no stack trace sampled)';

function groupText(analysis: GoroutineAnalysis, group: GoroutineGroup): string {
  const members = group.goroutines.map((k) => analysis.goroutines[k]!);
  let out = `Goroutine start location: ${displayName(group.name)}\nCount: ${group.count}\nExecution time: ${executionShare(analysis, group) || '0%'} of total program execution time\n\n`;
  const columns = [...new Set(members.flatMap((g) => Object.keys(nonOverlappingStats(g.stats))))].sort(compareStatNames);
  out += alignTable([
    ['Goroutine', 'Total', ...columns],
    ...members.map((g) => {
      const values = nonOverlappingStats(g.stats);
      return [String(g.id), formatGoDuration(g.stats.totalNs), ...columns.map((c) => formatGoDuration(values[c] ?? 0))];
    }),
  ]);
  const ranges = [...new Set(members.flatMap((g) => Object.keys(g.stats.rangeNs)))].sort();
  const inRanges = members.filter((g) => Object.values(g.stats.rangeNs).some((ns) => ns !== 0));
  if (inRanges.length === 0) return out;
  out += '\nTime in special ranges (overlaps the columns above):\n\n';
  out += alignTable([['Goroutine', 'Total', ...ranges], ...inRanges.map((g) => [String(g.id), formatGoDuration(g.stats.totalNs), ...ranges.map((r) => formatGoDuration(g.stats.rangeNs[r] ?? 0))])]);
  return out;
}

function groupsText(analysis: GoroutineAnalysis): string {
  return alignTable([['Start location', 'Count', 'Total execution time'], ...analysis.groups.map((g) => [displayName(g.name), String(g.count), formatGoDuration(g.stats.execNs)])]);
}

export function goroutinesCommand(argv: readonly string[], io: CliIO, files: TraceFileAccess): number {
  const parsed = commandArgs(argv, io, {}, 'goroutines');
  if (!parsed) return 0;
  const { args, file, range } = parsed;
  const name = flag(args, 'group');
  const json = flag(args, 'format') === 'json';
  const bytes = files.readTraceFile(file, io);
  return files.reportTraceErrors(file, io, () => {
    const analysis = summarizeGoroutines(decodeExecutionTrace(bytes), range);
    if (name === undefined) {
      io.out(json ? JSON.stringify({ totalExecNs: analysis.totalExecNs, groups: analysis.groups.map((g) => ({ name: g.name, count: g.count, execNs: g.stats.execNs })) }, null, 2) + '\n' : groupsText(analysis));
      return 0;
    }
    const group = analysis.groups.find((g) => g.name === name);
    if (!group) {
      const near = name === '' ? [] : analysis.groups.map((g) => g.name).filter((n) => n.toLowerCase().includes(name.toLowerCase()));
      throw new UsageError(`${file} has no goroutines that start in ${JSON.stringify(name)}.${near.length > 0 ? ` Did you mean ${near.slice(0, 3).map((n) => JSON.stringify(n)).join(' or ')}?` : ''} Run "go-trace-lens trace goroutines ${file}" for the groups.`);
    }
    io.out(json ? JSON.stringify(groupJson(analysis, group), null, 2) + '\n' : groupText(analysis, group));
    return 0;
  });
}
