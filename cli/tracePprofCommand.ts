// `go-trace-lens trace pprof`: the profiles `go tool trace -pprof=TYPE` derives from an execution trace
// (network, synchronization, syscall and scheduler waits), with Go's numbers, as a gzipped pprof file;
// plus go tool trace's goroutine-group and region filters, a task filter and a time range. The file is
// written whole or not at all (a temporary file renamed into place); binary is never sent to a terminal.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileWriteError, encodeProfileGzip, writeFileWhole } from '../core/profiles/index.node';
import { formatValue } from '../core/profiles';
import { TRACE_PROFILE_TYPES, TraceError, TraceProfileError, decodeExecutionTrace, explainEmptyTraceProfile, traceProfile, type TraceProfileOptions, type TraceProfileType } from '../core/timeline';
import { UsageError, flag, intFlag, parseArgs } from './args';
import type { CliIO } from './io';

/** The synopsis, for a line that starts with "usage: " or as many spaces. */
export const TRACE_PPROF_USAGE_LINE = `go-trace-lens trace pprof --type net|sync|syscall|sched [--out FILE] [--group NAME]
${' '.repeat(33)}[--region NAME] [--task ID] [--from NS] [--to NS] TRACE`;

export const TRACE_PPROF_HELP = `pprof     the profile \`go tool trace -pprof=TYPE TRACE\` writes, with the same numbers: a gzipped
          pprof file of stacks with contentions (count) and delay (nanoseconds). TRACE is a Go execution
          trace. What each type measures (Go's rules: docs/trace-analysis.md):
${TRACE_PROFILE_TYPES.map((t) => `            ${t.type.padEnd(8)} ${t.description}`).join('\n')}
  --out FILE       write FILE (whole or not at all); without it the profile goes to stdout, which must
                   not be a terminal
  --group NAME     only goroutines that start in function NAME (go tool trace's goroutine groups)
  --region NAME    only time inside regions of type NAME (the outermost ones, as go tool trace)
  --task ID        only time inside the regions of the task with this ID
  --from NS, --to NS   only time within this range of the trace clock (as \`trace events\` prints it)`;

const TYPES = TRACE_PROFILE_TYPES.map((t) => t.type);

function readTrace(file: string, io: CliIO): Uint8Array {
  try {
    return fs.readFileSync(path.resolve(io.cwd, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${file}: no such file.`);
    if (code === 'EISDIR') throw new UsageError(`${file} is a directory, not a trace file.`);
    throw new UsageError(`cannot read ${file} (${code ?? String(error)}).`);
  }
}

function options(args: ReturnType<typeof parseArgs>): TraceProfileOptions {
  const group = flag(args, 'group');
  const region = flag(args, 'region');
  const task = intFlag(args, 'task');
  const from = intFlag(args, 'from');
  const to = intFlag(args, 'to');
  if (from !== undefined && to !== undefined && from > to) throw new UsageError(`--from (${from}) is after --to (${to}): give the earlier time first.`);
  const regions = region !== undefined || task !== undefined ? { type: region, taskId: task } : undefined;
  return { goroutineName: group, regions, fromNs: from, toNs: to };
}

export async function tracePprof(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(
    argv,
    { type: { value: true, choices: TYPES }, out: { value: true }, group: { value: true }, region: { value: true }, task: { value: true }, from: { value: true }, to: { value: true }, help: {} },
    'trace pprof',
  );
  if (flag(args, 'help')) {
    io.out(`usage: ${TRACE_PPROF_USAGE_LINE}\n\n${TRACE_PPROF_HELP}\n`);
    return 0;
  }
  const type = flag(args, 'type') as TraceProfileType | undefined;
  if (!type) throw new UsageError(`give the profile type: --type ${TYPES.join('|')}. Example: go-trace-lens trace pprof --type sync --out sync.pb.gz trace.out`);
  if (args.positionals.length !== 1) throw new UsageError('give exactly one TRACE file. Example: go-trace-lens trace pprof --type sync --out sync.pb.gz trace.out');
  const file = args.positionals[0]!;
  const out = flag(args, 'out');
  const wanted = options(args);
  if (out === undefined && (io.stdoutIsTTY || !io.outBytes)) {
    throw new UsageError(`a profile is binary and stdout is a terminal: give --out FILE, or redirect stdout (go-trace-lens trace pprof --type ${type} ${file} > ${type}.pb.gz).`);
  }
  const bytes = readTrace(file, io);
  let profile;
  let model;
  try {
    model = decodeExecutionTrace(bytes);
    profile = traceProfile(model, type, wanted);
  } catch (error) {
    if (!(error instanceof TraceError) && !(error instanceof TraceProfileError)) throw error;
    io.err(`go-trace-lens trace: ${file}: ${error.message}\n`);
    return 2;
  }
  const gz = encodeProfileGzip(profile);
  let contentions = 0;
  let delay = 0;
  for (let s = 0; s < profile.samples.count; s++) {
    contentions += profile.samples.values[2 * s]!;
    delay += profile.samples.values[2 * s + 1]!;
  }
  if (profile.samples.count === 0) io.err(`go-trace-lens trace pprof: the ${type} profile is empty: ${explainEmptyTraceProfile(model, type, wanted)}.\n`);
  if (out === undefined) {
    io.outBytes!(gz);
    return 0;
  }
  try {
    writeFileWhole(path.resolve(io.cwd, out), gz);
  } catch (error) {
    if (!(error instanceof FileWriteError)) throw error;
    throw new UsageError(`${error.message.replace(path.resolve(io.cwd, out), out)} Give --out a file in a folder you can write to.`);
  }
  io.out(`${out}: ${type} profile, ${profile.samples.count} stacks, ${contentions} contentions, ${formatValue(delay, 'nanoseconds')} delay\n`);
  return 0;
}
