// Shared pieces of the trace tests: real execution traces written by test/go/tracegen with the installed
// Go, and the structural checks every decoded execution-trace model must pass (the timeline relies on
// them: sorted lanes, intervals that do not overlap, strictly increasing event times).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EventKind, GoroutineState, type ExecutionTraceModel } from '../../core/timeline';
import { CACHE_DIR, buildGoProgram } from './goToolchain';

export interface RealTrace {
  readonly tracePath: string;
  readonly spansPath: string;
}

const written = new Map<string, RealTrace>();
const temporary: string[] = [];
process.on('exit', () => {
  for (const file of temporary) rmSync(file, { force: true });
});

/** A path under test/.cache/traces for this process, removed when it exits. */
export function temporaryTraceFile(name: string): string {
  const dir = join(CACHE_DIR, 'traces');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}-${name}`);
  temporary.push(file);
  return file;
}

/** Runs tracegen once per process and options; returns the files it wrote. */
export function writeRealTrace(options: { rounds?: number; workers?: number } = {}): RealTrace {
  const rounds = options.rounds ?? 2;
  const workers = options.workers ?? 4;
  const key = `${rounds}-${workers}`;
  const existing = written.get(key);
  if (existing) return existing;
  const tracePath = temporaryTraceFile(`tracegen-${key}.out`);
  const spansPath = temporaryTraceFile(`tracegen-${key}.spans.json`);
  execFileSync(buildGoProgram('tracegen'), ['-o', tracePath, '-spans', spansPath, '-rounds', String(rounds), '-workers', String(workers)], { stdio: 'pipe' });
  assert.ok(existsSync(tracePath) && existsSync(spansPath), 'tracegen wrote its files');
  const result = { tracePath, spansPath };
  written.set(key, result);
  return result;
}

function assertLanes(name: string, count: number, lanes: number, laneOffsets: Uint32Array, lane: Int32Array, start: Float64Array, end: Float64Array, disjoint: boolean): void {
  assert.equal(laneOffsets.length, lanes + 1, `${name}: one offset per lane and one more`);
  assert.equal(laneOffsets[0], 0, `${name}: lanes start at 0`);
  assert.equal(laneOffsets[lanes], count, `${name}: lanes cover every row`);
  for (let r = 0; r < lanes; r++) {
    for (let i = laneOffsets[r]!; i < laneOffsets[r + 1]!; i++) {
      assert.equal(lane[i], r, `${name}: row ${i} is in lane ${r}`);
      assert.ok(start[i]! <= end[i]!, `${name}: row ${i} starts before it ends`);
      if (i > laneOffsets[r]!) {
        assert.ok(start[i - 1]! <= start[i]!, `${name}: lane ${r} is sorted by start`);
        if (disjoint) assert.ok(end[i - 1]! <= start[i]!, `${name}: lane ${r} rows ${i - 1} and ${i} do not overlap`);
      }
    }
  }
}

/** Checks the invariants the timeline relies on. */
export function assertConsistentModel(model: ExecutionTraceModel): void {
  const e = model.events;
  let syncs = 0;
  for (let i = 0; i < e.count; i++) {
    if (i > 0) assert.ok(e.time[i]! > e.time[i - 1]!, `event ${i} comes strictly after event ${i - 1}`);
    if (e.kind[i] === EventKind.Sync) syncs++;
    assert.ok(e.stack[i]! < model.stacks.count, `event ${i} names an existing stack`);
    assert.ok(e.g[i]! < model.goroutines.count && e.p[i]! < model.procs.count && e.m[i]! < model.threads.count, `event ${i} names existing resources`);
  }
  assert.equal(syncs, model.generations, 'one Sync point per generation');
  assert.equal(model.startNs, e.time[0]);
  assert.equal(model.endNs, e.time[e.count - 1]);
  const s = model.goroutineStates;
  assertLanes('goroutine states', s.count, model.goroutines.count, s.laneOffsets, s.goroutine, s.start, s.end, true);
  for (let i = 0; i < s.count; i++) {
    const onProc = s.state[i] === GoroutineState.Running || s.state[i] === GoroutineState.Syscall;
    assert.ok(onProc ? s.proc[i]! < model.procs.count : s.proc[i] === -1, `interval ${i} names a P only while on one`);
    assert.ok(s.start[i]! >= model.startNs && s.end[i]! <= model.endNs, `interval ${i} lies within the trace`);
  }
  const p = model.procSlices;
  assertLanes('proc slices', p.count, model.procs.count, p.laneOffsets, p.proc, p.start, p.end, true);
  const r = model.regions;
  assertLanes('regions', r.count, model.goroutines.count, r.laneOffsets, r.goroutine, r.start, r.end, false);
  for (let i = 0; i < model.ranges.count; i++) assert.ok(model.ranges.start[i]! <= model.ranges.end[i]!, `range ${i} starts before it ends`);
  for (let t = 0; t < model.tasks.count; t++) {
    const parent = model.tasks.parent[t]!;
    assert.ok(parent < model.tasks.count, `task ${t}'s parent exists`);
  }
  for (let g = 0; g < model.goroutines.count; g++) {
    const total = model.goroutines.runningNs[g]! + model.goroutines.runnableNs[g]! + model.goroutines.waitingNs[g]! + model.goroutines.syscallNs[g]!;
    assert.ok(total <= model.endNs - model.startNs + 1, `goroutine ${g}'s state times fit in the trace`);
  }
}
