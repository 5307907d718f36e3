// `go-trace-lens trace`: the trace cores from the terminal. `summary` prints what a trace file holds
// (execution trace or span trace, recognized from the content) and, for span traces, its broken
// chains; `events` lists an execution trace's events as `go tool trace -d=1` does. `get` and `search`
// (trace backends: Jaeger, Tempo, Zipkin) live in backendCommands.ts.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { TraceError, decodeExecutionTrace, describeExecutionTrace, describeEvent, describeSpanTrace, detectTraceFormat, parseSpanTrace, readExecutionTraceHeader, summarizeExecutionTrace, summarizeSpanTrace } from '../core/timeline';
import { UsageError, flag, parseArgs } from './args';
import { TRACE_BACKEND_USAGE, TRACE_BACKEND_USAGE_LINES, traceGet, traceSearch } from './backendCommands';
import type { CliCommand, CliIO } from './io';
import { TRACE_ANALYSIS_USAGE, goroutinesCommand, latencyCommand } from './traceAnalysisCommands';
import { TRACE_PPROF_HELP, TRACE_PPROF_USAGE_LINE, tracePprof } from './tracePprofCommand';

const USAGE = `usage: go-trace-lens trace summary [--format text|json] FILE
       go-trace-lens trace events FILE
       go-trace-lens trace latency [--format text|json] [--group NAME] [--from NS --to NS] [--region TYPE] [--task ID] [--worst N] FILE
       go-trace-lens trace goroutines [--format text|json] [--group NAME] [--from NS --to NS] FILE
       ${TRACE_PPROF_USAGE_LINE}
${TRACE_BACKEND_USAGE_LINES}

FILE is a Go execution trace (Go 1.22 or later: runtime/trace, /debug/pprof/trace, go test -trace)
or a span trace: OTLP/JSON (one export or the file exporter's JSON lines), Jaeger JSON (the UI's
download) or Zipkin v2 JSON. The kind is recognized from the content, not the file name.

summary   what the file holds; for span traces, the broken chains ("ghost requests") found.
  --format text|json   json, execution trace:
                         {"kind":"go-execution-trace","goVersion","durationNs","events","goroutines",
                          "procs","tasks","regions","logs"}
                       json, span trace:
                         {"kind":"spans","format","traces","spans","services",
                          "problems":[{"type","traceId","spanId"}]}
                       problem types: orphan, multiple-roots, disconnected-service, clock-skew,
                       partial-sampling, duplicate-span-id
events    every event of an execution trace, one per line as \`go tool trace -d=1\` prints them.
${TRACE_ANALYSIS_USAGE}
${TRACE_PPROF_HELP}
${TRACE_BACKEND_USAGE}

Exit status: 0 done, 1 the span trace has problems, 2 usage error or a file that cannot be read
(or, for pprof, a group that names no goroutine or a FILE that cannot be written).`;

function readTraceFile(file: string, io: CliIO): Uint8Array {
  const full = path.resolve(io.cwd, file);
  try {
    return fs.readFileSync(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: no such file.` : code === 'EISDIR' ? `${file} is a directory, not a trace file.` : `cannot read ${file} (${code ?? String(error)}).`);
  }
}

/** Runs `read` on the trace; a TraceError becomes its message (what is wrong, what to do) and exit code 2. */
function reportTraceErrors(file: string, io: CliIO, read: () => number): number {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof TraceError)) throw error;
    io.err(`go-trace-lens trace: ${file}: ${error.message}\n`);
    return 2;
  }
}

function summary(argv: readonly string[], io: CliIO): number {
  const args = parseArgs(argv, { format: { value: true, choices: ['text', 'json'] }, help: {} }, 'trace summary');
  if (flag(args, 'help')) {
    io.out(USAGE + '\n');
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError(`give exactly one FILE. Example: go-trace-lens trace summary trace.out`);
  const file = args.positionals[0]!;
  const bytes = readTraceFile(file, io);
  const json = flag(args, 'format') === 'json';
  return reportTraceErrors(file, io, () => {
    const format = detectTraceFormat(bytes);
    if (format === 'go-execution-trace') {
      const model = decodeExecutionTrace(bytes);
      io.out(json ? JSON.stringify(summarizeExecutionTrace(model), null, 2) + '\n' : describeExecutionTrace(model));
      return 0;
    }
    // Neither kind: the execution-trace header reader says what the bytes look like and what to do.
    if (format === undefined && !/^\s*[[{]/.test(new TextDecoder().decode(bytes.subarray(0, 64)))) readExecutionTraceHeader(bytes);
    const model = parseSpanTrace(new TextDecoder('utf-8').decode(bytes));
    io.out(json ? JSON.stringify(summarizeSpanTrace(model), null, 2) + '\n' : describeSpanTrace(model));
    return model.problems.length > 0 ? 1 : 0;
  });
}

function events(argv: readonly string[], io: CliIO): number {
  const args = parseArgs(argv, { help: {} }, 'trace events');
  if (flag(args, 'help')) {
    io.out(USAGE + '\n');
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError('give exactly one FILE. Example: go-trace-lens trace events trace.out');
  const file = args.positionals[0]!;
  const bytes = readTraceFile(file, io);
  return reportTraceErrors(file, io, () => {
    const model = decodeExecutionTrace(bytes);
    let chunk = '';
    for (let i = 0; i < model.events.count; i++) {
      chunk += describeEvent(model, i) + '\n';
      if (chunk.length > 1 << 20) {
        io.out(chunk);
        chunk = '';
      }
    }
    io.out(chunk);
    return 0;
  });
}

export const traceCommand: CliCommand = {
  name: 'trace',
  summary: 'summarize a Go execution trace or a span trace, and find broken chains; get and search traces in Jaeger, Tempo, Zipkin',
  usage: USAGE,

  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const [sub, ...rest] = argv;
    if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
      io.out(USAGE + '\n');
      return sub ? 0 : 2;
    }
    if (sub === 'summary') return summary(rest, io);
    if (sub === 'events') return events(rest, io);
    if (sub === 'latency') return latencyCommand(rest, io, { readTraceFile, reportTraceErrors });
    if (sub === 'goroutines') return goroutinesCommand(rest, io, { readTraceFile, reportTraceErrors });
    if (sub === 'pprof') return tracePprof(rest, io);
    if (sub === 'get') return traceGet(rest, io, USAGE);
    if (sub === 'search') return traceSearch(rest, io, USAGE);
    throw new UsageError(`unknown subcommand "${sub}". Use "summary", "events", "latency", "goroutines", "pprof", "get" or "search".`);
  },
};
