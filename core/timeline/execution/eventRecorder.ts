// Receives events in their final order and writes them into the event table: checks that every stack
// and string they name exists in their generation (as Go's reader does), makes timestamps strictly
// increasing (the same +1 nudge Go applies, see `after`), maps IDs to rows of the goroutine / proc /
// thread tables, and stores each type's fields as eventFields.ts describes.

import { TraceError } from '../traceError';
import { toSigned as signed } from './byteCursor';
import { EventKind, EventTableBuilder } from './eventTable';
import { METRIC_GOMAXPROCS, METRIC_HEAP_ALLOC, METRIC_HEAP_GOAL, RANGE_GC_MARK, RANGE_MARK_ASSIST, RANGE_SWEEP, kindOfType } from './eventFields';
import type { Generation, RawCPUSample } from './generationReader';
import {
  type OrderedEventSink,
  GO_NOT_EXIST, GO_RUNNABLE, GO_RUNNING, GO_SYSCALL, GO_WAITING, NONE, PROC_IDLE, PROC_RUNNING, goStateOfStatus, procStateOfStatus } from './schedulerOrdering';
import { StringTable } from '../../../common/stringTable';
import { StackInterner } from './symbolTables';
import * as ev from './wireFormat';
import { anyEventSpec, eventTypeName } from './wireFormat';

const bits = new Float64Array(1);
const bitsAsInteger = new BigUint64Array(bits.buffer);

/**
 * Go's nudge for an event not later than the one before: one nanosecond after it. Above 2^53 ns (a clock
 * that has run for 104 days) one more nanosecond is not a distinct float, so the next float is taken: a
 * few nanoseconds at most for a real clock, less than one tick of it; only damaged files go further.
 */
function after(time: number): number {
  const next = time + 1;
  if (next > time) return next;
  bits[0] = time;
  bitsAsInteger[0] += 1n;
  return bits[0];
}

/** Maps IDs (goroutine, proc, thread) to dense rows in order of first appearance. */
export class RowIndex {
  readonly ids: number[] = [];
  private readonly rows = new Map<number, number>();

  row(id: number): number {
    if (id === NONE) return -1;
    let row = this.rows.get(id);
    if (row === undefined) {
      row = this.ids.length;
      this.ids.push(id);
      this.rows.set(id, row);
    }
    return row;
  }
}

export class EventRecorder implements OrderedEventSink {
  readonly events: EventTableBuilder;
  readonly strings = new StringTable();
  readonly stacks = new StackInterner(this.strings);
  readonly goroutines = new RowIndex();
  readonly procs = new RowIndex();
  readonly threads = new RowIndex();
  generations = 0;
  cpuSamples = 0;
  private lastTime = 0;
  private gen!: Generation;
  private stackOf = new Map<number, number>();
  private stringOf = new Map<number, number>();
  private readonly names: Record<string, number>;

  /** `expectedEvents` sizes the table up front (a trace averages about five bytes per event). */
  constructor(expectedEvents = 4096) {
    this.events = new EventTableBuilder(expectedEvents);
    const intern = (s: string) => this.strings.intern(s);
    this.names = {
      gomaxprocs: intern(METRIC_GOMAXPROCS),
      heapAlloc: intern(METRIC_HEAP_ALLOC),
      heapGoal: intern(METRIC_HEAP_GOAL),
      gcMark: intern(RANGE_GC_MARK),
      sweep: intern(RANGE_SWEEP),
      markAssist: intern(RANGE_MARK_ASSIST),
    };
  }

  beginGeneration(g: Generation): void {
    this.gen = g;
    this.generations++;
    this.stackOf = this.stacks.internGeneration(g);
    this.stringOf = new Map();
  }

  private string(id: number): number {
    if (id === 0) return 0;
    let i = this.stringOf.get(id);
    if (i === undefined) {
      i = this.strings.intern(this.gen.strings.get(id) ?? '');
      this.stringOf.set(id, i);
    }
    return i;
  }

  private stack(id: number): number {
    return id === 0 ? 0 : this.stackOf.get(id) ?? 0;
  }

  private checkTables(type: number, args: ArrayLike<number>): void {
    const spec = anyEventSpec(type)!;
    for (const i of spec.stackArgs) {
      const id = args[i - 1]!;
      if (id !== 0 && !this.gen.stacks.has(id)) {
        throw new TraceError('malformed-trace', `A ${spec.name} event names stack ${id}, which is not in generation ${this.gen.gen}'s stack table. The trace file is damaged: capture it again.`);
      }
    }
    for (const i of spec.stringArgs) {
      const id = args[i - 1]!;
      if (id !== 0 && !this.gen.strings.has(id)) {
        throw new TraceError('malformed-trace', `A ${spec.name} event names string ${id}, which is not in generation ${this.gen.gen}'s string table. The trace file is damaged: capture it again.`);
      }
    }
  }

  private append(type: number, time: number, g: number, p: number, m: number): number {
    if (time <= this.lastTime) time = after(this.lastTime);
    this.lastTime = time;
    const e = this.events;
    const i = e.add();
    e.time[i] = time;
    e.type[i] = type;
    e.kind[i] = kindOfType(type);
    e.g[i] = this.goroutines.row(g);
    e.p[i] = this.procs.row(p);
    e.m[i] = this.threads.row(m);
    return i;
  }

  emit(type: number, time: number, g: number, p: number, m: number, args: ArrayLike<number>, text?: string): void {
    this.checkTables(type, args);
    const i = this.append(type, time, g, p, m);
    const e = this.events;
    const spec = anyEventSpec(type)!;
    if (spec.stackArgs.length > 0) e.stack[i] = this.stack(args[spec.stackArgs[0]! - 1]!);
    switch (type) {
      case ev.EvProcsChange:
        e.a0[i] = args[0]!;
        e.str[i] = this.names.gomaxprocs!;
        break;
      case ev.EvHeapAlloc:
        e.a0[i] = args[0]!;
        e.str[i] = this.names.heapAlloc!;
        break;
      case ev.EvHeapGoal:
        e.a0[i] = args[0]!;
        e.str[i] = this.names.heapGoal!;
        break;
      case ev.EvProcStart:
        this.setTransition(i, this.procs.row(signed(args[0]!)), PROC_IDLE, PROC_RUNNING);
        break;
      case ev.EvProcStop:
        this.setTransition(i, e.p[i]!, PROC_RUNNING, PROC_IDLE);
        break;
      case ev.EvProcSteal:
        this.setTransition(i, this.procs.row(signed(args[0]!)), args[3] === ev.ProcStatusSyscallAbandoned ? PROC_IDLE : PROC_RUNNING, PROC_IDLE);
        break;
      case ev.EvProcStatus:
        this.setTransition(i, this.procs.row(signed(args[0]!)), args[2]!, procStateOfStatus(args[1]!));
        break;
      case ev.EvGoCreate:
      case ev.EvGoCreateBlocked:
        this.setTransition(i, this.goroutines.row(signed(args[0]!)), GO_NOT_EXIST, type === ev.EvGoCreate ? GO_RUNNABLE : GO_WAITING);
        e.a1[i] = this.stack(args[1]!);
        break;
      case ev.EvGoCreateSyscall:
        this.setTransition(i, this.goroutines.row(signed(args[0]!)), GO_NOT_EXIST, GO_SYSCALL);
        break;
      case ev.EvGoStart:
        this.setTransition(i, this.goroutines.row(signed(args[0]!)), GO_RUNNABLE, GO_RUNNING);
        break;
      case ev.EvGoDestroy:
        this.setTransition(i, e.g[i]!, GO_RUNNING, GO_NOT_EXIST);
        break;
      case ev.EvGoDestroySyscall:
        this.setTransition(i, e.g[i]!, GO_SYSCALL, GO_NOT_EXIST);
        break;
      case ev.EvGoStop:
        this.setTransition(i, e.g[i]!, GO_RUNNING, GO_RUNNABLE);
        e.str[i] = this.string(args[0]!);
        break;
      case ev.EvGoBlock:
        this.setTransition(i, e.g[i]!, GO_RUNNING, GO_WAITING);
        e.str[i] = this.string(args[0]!);
        break;
      case ev.EvGoUnblock:
      case ev.EvGoSwitch:
      case ev.EvGoSwitchDestroy:
        this.setTransition(i, this.goroutines.row(signed(args[0]!)), GO_WAITING, GO_RUNNABLE);
        break;
      case ev.EvGoSyscallBegin:
        this.setTransition(i, e.g[i]!, GO_RUNNING, GO_SYSCALL);
        break;
      case ev.EvGoSyscallEnd:
        this.setTransition(i, e.g[i]!, GO_SYSCALL, GO_RUNNING);
        break;
      case ev.EvGoSyscallEndBlocked:
        this.setTransition(i, e.g[i]!, GO_SYSCALL, GO_RUNNABLE);
        break;
      case ev.EvGoStatus:
        this.setTransition(i, this.goroutines.row(signed(args[0]!)), args[3]!, goStateOfStatus(args[2]!));
        break;
      case ev.EvGoStatusStack:
        this.setTransition(i, this.goroutines.row(signed(args[0]!)), args[4]!, goStateOfStatus(args[2]!));
        break;
      case ev.EvSTWBegin:
      case ev.EvSTWEnd: {
        const kind = type === ev.EvSTWBegin ? this.gen.strings.get(args[0]!) ?? '' : text ?? '';
        e.str[i] = this.strings.intern(`stop-the-world (${kind})`);
        e.state[i] = 1;
        e.a0[i] = e.g[i]!;
        break;
      }
      case ev.EvGCBegin:
      case ev.EvGCActive:
      case ev.EvGCEnd:
        e.str[i] = this.names.gcMark!;
        e.a0[i] = -1;
        break;
      case ev.EvGCSweepBegin:
      case ev.EvGCSweepActive:
        e.str[i] = this.names.sweep!;
        e.state[i] = 2;
        break;
      case ev.EvGCSweepEnd:
        e.str[i] = this.names.sweep!;
        e.state[i] = 2;
        e.a0[i] = args[0]!;
        e.a1[i] = args[1]!;
        break;
      case ev.EvGCMarkAssistBegin:
      case ev.EvGCMarkAssistEnd:
        e.str[i] = this.names.markAssist!;
        e.state[i] = 1;
        e.a0[i] = e.g[i]!;
        break;
      case ev.EvGCMarkAssistActive:
        e.str[i] = this.names.markAssist!;
        e.state[i] = 1;
        e.a0[i] = this.goroutines.row(signed(args[0]!));
        break;
      case ev.EvGoLabel:
        e.str[i] = this.string(args[0]!);
        break;
      case ev.EvUserTaskBegin:
        e.a0[i] = args[0]!;
        e.a1[i] = args[1]!;
        e.str[i] = this.string(args[2]!);
        break;
      case ev.EvUserTaskEnd:
        e.a0[i] = args[0]!;
        e.a1[i] = args[2]!;
        e.str[i] = this.strings.intern(text ?? '');
        break;
      case ev.EvUserRegionBegin:
      case ev.EvUserRegionEnd:
        e.a0[i] = args[0]!;
        e.str[i] = this.string(args[1]!);
        break;
      case ev.EvUserLog:
        e.a0[i] = args[0]!;
        e.str[i] = this.string(args[1]!);
        e.a1[i] = this.string(args[2]!);
        break;
      default:
        if (e.kind[i] === EventKind.Experimental) {
          e.a0[i] = args[0]!;
          e.a1[i] = spec.args.length > 2 ? args[1]! : 0;
          e.str[i] = spec.args.length > 3 ? args[2]! : 0;
        } else {
          throw new TraceError('malformed-trace', `Unexpected ${eventTypeName(type)} event in an event stream. The trace file is damaged: capture it again.`);
        }
    }
  }

  private setTransition(i: number, row: number, from: number, to: number): void {
    this.events.a0[i] = row;
    this.events.state[i] = (from << 4) | to;
  }

  emitCPUSample(sample: RawCPUSample): void {
    if (sample.stack !== 0 && !this.gen.stacks.has(sample.stack)) {
      throw new TraceError('malformed-trace', `A CPU sample names stack ${sample.stack}, which is not in generation ${this.gen.gen}'s stack table. The trace file is damaged: capture it again.`);
    }
    const i = this.append(ev.EvCPUSample, sample.time, sample.g, sample.p, sample.m);
    this.events.stack[i] = this.stack(sample.stack);
    this.cpuSamples++;
  }

  /** The Sync point Go's reader reports after each generation. */
  emitSync(): void {
    const i = this.append(ev.EvSyncPoint, this.lastTime, NONE, NONE, NONE);
    this.events.a0[i] = this.gen.gen;
  }
}
