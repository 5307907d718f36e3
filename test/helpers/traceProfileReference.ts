// The references for the trace-derived profiles: a real trace full of network, sync, syscall and
// scheduler waits (test/go/blockgen, run with the installed Go), `go tool trace -pprof=TYPE` on a file,
// and the ways the tests compare two profiles: `go tool pprof -top` as a person reads it, the exact rows
// in nanoseconds, and each sample as its stack of function names with its values.
//
// Go's reader orders events with equal timestamps on different threads in map order, which changes from
// run to run, and nudges the later one by a nanosecond; on a trace with such ties `go tool trace` itself
// prints delays a few nanoseconds apart from one run to the next. The comparison allows exactly that:
// the same stacks and counts, each delay within 2 ns per count times the longest run of nudged events.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { decodeProfileBytes, encodeProfileGzip } from '../../core/profiles/index.node';
import type { Profile } from '../../core/profiles';
import type { ExecutionTraceModel, TraceProfileType } from '../../core/timeline';
import { buildGoProgram, goEnv } from './goToolchain';
import { goTraceToolBinary } from './traceGoHttp';
import { runPprofTool, toolTop, type ToolTopRow } from './pprofTool';
import { temporaryTraceFile } from './traceModels';

const written = new Map<number, string>();

/** Runs blockgen once per process and round count; returns the trace's path. */
export function writeBlockingTrace(rounds = 1): string {
  const existing = written.get(rounds);
  if (existing) return existing;
  const path = temporaryTraceFile(`blockgen-${rounds}.out`);
  execFileSync(buildGoProgram('blockgen'), ['-o', path, '-rounds', String(rounds)], { stdio: 'pipe' });
  assert.ok(existsSync(path), 'blockgen wrote its trace');
  written.set(rounds, path);
  return path;
}

/** `go tool trace -pprof=TYPE FILE`: the profile's bytes; throws with Go's message when it fails. */
export function goTracePprof(file: string, type: TraceProfileType): Uint8Array {
  const result = spawnSync(goTraceToolBinary(), [`-pprof=${type}`, file], { env: goEnv(), maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`go tool trace -pprof=${type} ${file}: ${result.stderr.toString()}`);
  return new Uint8Array(result.stdout);
}

/** Writes a profile (ours or Go's bytes) to a temporary file for go tool pprof. */
export function profileFile(name: string, profile: Profile | Uint8Array): string {
  const path = temporaryTraceFile(name);
  writeFileSync(path, profile instanceof Uint8Array ? profile : encodeProfileGzip(profile));
  return path;
}

export interface TopComparison {
  /** `go tool pprof -top -nodecount=100000` of each sample type, as printed. */
  readonly text: readonly string[];
  /** Every row, values exact (nanoseconds, counts), nothing trimmed. */
  readonly rows: readonly (readonly ToolTopRow[])[];
}

/** What go tool pprof says about a profile file, for both sample types (contentions, delay). */
export function pprofViews(file: string): TopComparison {
  const text = [0, 1].map((index) => runPprofTool(['-top', '-nodecount=100000', `-sample_index=${index}`, file]));
  const rows = [toolTop(file, { sampleIndex: 0, unit: 'count' }), toolTop(file, { sampleIndex: 1, unit: 'ns' })];
  return { text, rows };
}

/** Asserts that go tool pprof reads the same report out of both files; returns the reference's rows. */
export function assertSamePprofViews(ours: string, reference: string, what: string): TopComparison {
  const a = pprofViews(ours);
  const b = pprofViews(reference);
  assert.deepEqual(a.text, b.text, `${what}: go tool pprof -top prints the same`);
  assert.deepEqual(a.rows, b.rows, `${what}: the same rows in nanoseconds and counts`);
  return b;
}

/** Each sample as "contentions delay fn;fn;…" (leaf first), sorted: two profiles of the same waits compare equal. */
export function sampleLines(profile: Profile): string[] {
  const { samples, locations, functions, strings } = profile;
  const lines: string[] = [];
  for (let s = 0; s < samples.count; s++) {
    const names: string[] = [];
    for (let i = samples.locationStart[s]!; i < samples.locationStart[s + 1]!; i++) {
      const loc = samples.locations[i]!;
      for (let l = locations.lineStart[loc]!; l < locations.lineStart[loc + 1]!; l++) names.push(strings[functions.name[locations.lineFunction[l]!]!]!);
    }
    lines.push(`${samples.values[2 * s]} ${samples.values[2 * s + 1]} ${names.join(';')}`);
  }
  return lines.sort();
}

/** Go's profile bytes as sample lines (read with our decoder, which pprofConformance holds to go tool pprof). */
export function goSampleLines(bytes: Uint8Array): string[] {
  return sampleLines(decodeProfileBytes(bytes));
}

/** The longest run of events each 1 ns after the one before: how far Go's nudges can move an event. */
export function longestNudgeRun(model: ExecutionTraceModel): number {
  const time = model.events.time;
  let longest = 0;
  let run = 0;
  for (let i = 1; i < model.events.count; i++) {
    run = time[i]! - time[i - 1]! === 1 ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

function parseLine(line: string): { contentions: number; delay: number; stack: string } {
  const [, contentions, delay, stack] = /^(\S+) (\S+) (.*)$/s.exec(line)!;
  return { contentions: Number(contentions), delay: Number(delay), stack: stack! };
}

/**
 * Asserts that our profile is the one Go made of the same trace: the same samples, and (`pprof`) the same
 * `go tool pprof -top` text and exact rows. Where Go's reader broke timestamp ties its own way, the same
 * stacks and counts with delays within the nudge bound, and then the rows are not compared as text.
 */
export function assertMatchesGo(ours: Profile, goBytes: Uint8Array, model: ExecutionTraceModel, what: string, pprofName?: string): void {
  const mine = sampleLines(ours);
  const theirs = goSampleLines(goBytes);
  if (mine.length === theirs.length && mine.every((line, i) => line === theirs[i])) {
    if (pprofName && mine.length > 0) assertSamePprofViews(profileFile(`${pprofName}.ours.pb.gz`, ours), profileFile(`${pprofName}.go.pb.gz`, goBytes), what);
    return;
  }
  const bound = 2 * (longestNudgeRun(model) + 1);
  const byStack = (lines: string[]) => {
    const stacks = new Map<string, { contentions: number; delay: number }>();
    for (const { stack, contentions, delay } of lines.map(parseLine)) {
      const sum = stacks.get(stack) ?? { contentions: 0, delay: 0 };
      stacks.set(stack, { contentions: sum.contentions + contentions, delay: sum.delay + delay });
    }
    return stacks;
  };
  const a = byStack(mine);
  const b = byStack(theirs);
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort(), `${what}: the same stacks`);
  for (const [stack, sample] of b) {
    const own = a.get(stack)!;
    assert.equal(own.contentions, sample.contentions, `${what}: contentions of ${stack}`);
    assert.ok(Math.abs(own.delay - sample.delay) <= bound * sample.contentions, `${what}: delay of ${stack}: ${own.delay} ns, Go ${sample.delay} ns (more than timestamp ties explain)`);
  }
}
