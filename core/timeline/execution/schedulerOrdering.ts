// The scheduler model that turns per-thread event streams into one valid global order. Each thread's
// events are in order, but threads' clocks may disagree, so an event is only taken when the state it
// needs exists: a GoStart waits until its goroutine is runnable with the previous sequence number, a
// ProcStart until its P is idle, a GoSyscallEndBlocked until its P was taken away. An event that can
// never be valid (a goroutine event with no goroutine, a status that contradicts the known one) makes
// the trace inconsistent. These are the rules of Go's own reader (internal/trace), so a trace we accept
// is one `go tool trace` accepts, ordered the same way.

import { TraceError } from '../traceError';
import { toSigned as signed } from './byteCursor';
import type { Generation } from './generationReader';
import { EvGoBlock, EvGoCreateBlocked, EvGoDestroy, EvGoStart, EvGoStop, EvGoSwitch, EvProcSteal, EvSTWBegin, EvSTWEnd, GO_STATUS_NAMES, GoStatusRunnable, GoStatusRunning, GoStatusSyscall, GoStatusWaiting, PROC_STATUS_NAMES, ProcStatusIdle, ProcStatusRunning, ProcStatusSyscall, ProcStatusSyscallAbandoned, anyEventSpec, eventTypeName } from './wireFormat';
import * as ev from './wireFormat';

export const NONE = -1;
/** Go's NoTask (2^64-1), as the reader reports it. */
export const NO_TASK = -1;

/** The event a batch cursor holds: its type, time in nanoseconds, and arguments after the time delta. */
export interface PendingEvent {
  type: number;
  time: number;
  /** Up to five arguments; slots past the spec's arguments carry what the ordering infers. */
  readonly args: Float64Array;
}

/** Receives events in their final order, with the thread/proc/goroutine they happened on. */
export interface OrderedEventSink {
  emit(type: number, time: number, g: number, p: number, m: number, args: ArrayLike<number>, text?: string): void;
}

interface Seq {
  gen: number;
  seq: number;
}

interface RangeKey {
  readonly type: number;
  readonly desc: string;
}

interface GoroutineState {
  status: number;
  seq: Seq;
  regions: { task: number; name: string }[];
  ranges: RangeKey[];
}

interface ProcState {
  status: number;
  seq: Seq;
  ranges: RangeKey[];
}

interface ThreadState {
  g: number;
  p: number;
}

const enum GC {
  Undetermined,
  NotRunning,
  Running,
}

const enum Need {
  MustNotHave,
  MayHave,
  MustHave,
}

interface Context {
  g: number;
  p: number;
  m: number;
}

function succeeds(next: Seq, previous: Seq): boolean {
  return next.gen === previous.gen && next.seq === previous.seq + 1;
}

/** Go's ctx checks; returns the reason a context does not fit, in Go's words. */
function contextProblem(ctx: Context, thread: Need, proc: Need, goroutine: Need): string | undefined {
  if (thread === Need.MustHave && ctx.m === NONE) return "expected a thread but didn't have one";
  if (thread === Need.MustNotHave && ctx.m !== NONE) return 'expected no thread but had one';
  if (proc === Need.MustHave && ctx.p === NONE) return "expected a proc but didn't have one";
  if (proc === Need.MustNotHave && ctx.p !== NONE) return 'expected no proc but had one';
  if (goroutine === Need.MustHave && ctx.g === NONE) return "expected a goroutine but didn't have one";
  if (goroutine === Need.MustNotHave && ctx.g !== NONE) return 'expected no goroutine but had one';
  return undefined;
}

/** The begin type a range event belongs to (Go's makeRangeType). */
function rangeBeginType(type: number): number {
  return anyEventSpec(type)?.startType || type;
}

function hasRange(ranges: RangeKey[], key: RangeKey): boolean {
  return ranges.some((r) => r.type === key.type && r.desc === key.desc);
}

export class SchedulerOrdering {
  private readonly goroutines = new Map<number, GoroutineState>();
  private readonly procs = new Map<number, ProcState>();
  private readonly threads = new Map<number, ThreadState>();
  private readonly activeTasks = new Map<number, { name: string; parent: number }>();
  private gcSeq = 0;
  private gcState = GC.Undetermined;
  private initialGen = 0;
  private gen = 0;
  private table!: Generation;
  private current!: PendingEvent;
  private thread = NONE;

  constructor(private readonly sink: OrderedEventSink) {}

  /**
   * Tries to take `event`, which thread `m` recorded in generation `gen`. Returns false when it cannot
   * be taken yet (another thread's event must come first); throws a TraceError when it never can.
   */
  advance(event: PendingEvent, table: Generation, m: number, gen: number): boolean {
    if (this.initialGen === 0) this.initialGen = gen;
    this.gen = gen;
    this.table = table;
    this.current = event;
    this.thread = m;
    let threadState: ThreadState | undefined;
    const ctx: Context = { g: NONE, p: NONE, m };
    if (m !== NONE) {
      threadState = this.threads.get(m);
      if (!threadState) {
        threadState = { g: NONE, p: NONE };
        this.threads.set(m, threadState);
      }
      ctx.g = threadState.g;
      ctx.p = threadState.p;
    }
    const next = this.dispatch(event, ctx);
    if (next === undefined) return false;
    if (threadState) {
      threadState.g = next.g;
      threadState.p = next.p;
    }
    return true;
  }

  private fail(problem: string): never {
    throw new TraceError(
      'inconsistent-trace',
      `The trace is inconsistent: ${problem} (at a ${eventTypeName(this.current.type)} event on thread ${this.thread}, generation ${this.gen}). Go's own reader rejects this trace too; it is probably damaged or was edited: capture it again.`,
    );
  }

  private require(ctx: Context, thread: Need, proc: Need, goroutine: Need): void {
    const problem = contextProblem(ctx, thread, proc, goroutine);
    if (problem) this.fail(problem);
  }

  private push(type: number, time: number, ctx: Context, args: ArrayLike<number>, text?: string): void {
    this.sink.emit(type, time, ctx.g, ctx.p, ctx.m, args, text);
  }

  private pushCurrent(ctx: Context, text?: string): void {
    this.push(this.current.type, this.current.time, ctx, this.current.args, text);
  }

  private stringAt(id: number): string | undefined {
    return id === 0 ? '' : this.table.strings.get(id);
  }

  /** Returns the thread's context after the event, or undefined when the event cannot be taken yet. */
  private dispatch(e: PendingEvent, ctx: Context): Context | undefined {
    switch (e.type) {
      case ev.EvProcsChange:
      case ev.EvGoLabel:
      case ev.EvUserLog:
        return this.annotation(ctx);
      case ev.EvProcStart:
        return this.procStart(e, ctx);
      case ev.EvProcStop:
        return this.procStop(ctx);
      case ev.EvProcSteal:
        return this.procSteal(e, ctx);
      case ev.EvProcStatus:
        return this.procStatus(e, ctx);
      case ev.EvGoCreate:
      case ev.EvGoCreateBlocked:
        return this.goCreate(e, ctx);
      case ev.EvGoCreateSyscall:
        return this.goCreateSyscall(e, ctx);
      case ev.EvGoStart:
        return this.goStart(e, ctx);
      case ev.EvGoDestroy:
      case ev.EvGoStop:
      case ev.EvGoBlock:
        return this.goStopExecuting(e, ctx);
      case ev.EvGoDestroySyscall:
        return this.goDestroySyscall(ctx);
      case ev.EvGoUnblock:
        return this.goUnblock(e, ctx);
      case ev.EvGoSyscallBegin:
        return this.goSyscallBegin(e, ctx);
      case ev.EvGoSyscallEnd:
        return this.goSyscallEnd(ctx);
      case ev.EvGoSyscallEndBlocked:
        return this.goSyscallEndBlocked(ctx);
      case ev.EvGoStatus:
      case ev.EvGoStatusStack:
        return this.goStatus(e, ctx);
      case ev.EvSTWBegin:
      case ev.EvGCMarkAssistBegin:
        return this.goRangeBegin(e, ctx);
      case ev.EvSTWEnd:
      case ev.EvGCMarkAssistEnd:
        return this.goRangeEnd(e, ctx);
      case ev.EvGCMarkAssistActive:
        return this.goRangeActive(e, ctx);
      case ev.EvGCActive:
        return this.gcActive(e, ctx);
      case ev.EvGCBegin:
        return this.gcBegin(e, ctx);
      case ev.EvGCEnd:
        return this.gcEnd(e, ctx);
      case ev.EvGCSweepActive:
        return this.sweepActive(e, ctx);
      case ev.EvGCSweepBegin:
        return this.sweepBegin(e, ctx);
      case ev.EvGCSweepEnd:
        return this.sweepEnd(e, ctx);
      case ev.EvHeapAlloc:
      case ev.EvHeapGoal:
        this.require(ctx, Need.MustHave, Need.MustHave, Need.MayHave);
        this.pushCurrent(ctx);
        return ctx;
      case ev.EvUserTaskBegin:
        return this.taskBegin(e, ctx);
      case ev.EvUserTaskEnd:
        return this.taskEnd(e, ctx);
      case ev.EvUserRegionBegin:
      case ev.EvUserRegionEnd:
        return this.region(e, ctx);
      case ev.EvGoSwitch:
      case ev.EvGoSwitchDestroy:
        return this.goSwitch(e, ctx);
      case ev.EvSpan:
      case ev.EvSpanAlloc:
      case ev.EvSpanFree:
      case ev.EvHeapObject:
      case ev.EvHeapObjectAlloc:
      case ev.EvHeapObjectFree:
      case ev.EvGoroutineStack:
      case ev.EvGoroutineStackAlloc:
      case ev.EvGoroutineStackFree:
        this.require(ctx, Need.MustHave, Need.MayHave, Need.MayHave);
        this.pushCurrent(ctx);
        return ctx;
      default:
        return this.fail(`bad event type found while ordering: ${e.type}`);
    }
  }

  private annotation(ctx: Context): Context {
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MustHave);
    this.pushCurrent(ctx);
    return ctx;
  }

  private procStatus(e: PendingEvent, ctx: Context): Context {
    const pid = signed(e.args[0]!);
    const status = e.args[1]!;
    if (status > ProcStatusSyscallAbandoned) this.fail(`invalid status for proc ${pid}: ${status}`);
    // Old state as the API reports it: 0 undetermined, 1 not exist, 2 running, 3 idle.
    let oldState = procStateOfStatus(status);
    const known = this.procs.get(pid);
    if (known) {
      if (status === ProcStatusSyscallAbandoned && known.status === ProcStatusSyscall) {
        // Already in a syscall: nothing was lost; promote it.
        // (Go keeps checking the original status below, so the P is not bound to this thread.)
        oldState = PROC_RUNNING;
        e.args[1] = ProcStatusSyscall;
      } else if (status === ProcStatusSyscallAbandoned && known.status === ProcStatusSyscallAbandoned) {
        oldState = PROC_IDLE;
      } else if (known.status !== status) {
        this.fail(`inconsistent status for proc ${pid}: old ${PROC_STATUS_NAMES[known.status]} vs. new ${PROC_STATUS_NAMES[status]}`);
      }
      known.seq = { gen: this.gen, seq: 0 };
    } else {
      this.procs.set(pid, { status, seq: { gen: this.gen, seq: 0 }, ranges: [] });
      oldState = this.gen === this.initialGen ? PROC_UNDETERMINED : PROC_NOT_EXIST;
    }
    e.args[2] = oldState;
    const next = { ...ctx };
    if (status === ProcStatusRunning || status === ProcStatusSyscall) next.p = pid;
    let emitCtx = ctx;
    if (status === ProcStatusSyscallAbandoned && oldState === PROC_RUNNING) {
      let found: Context | undefined;
      for (const [mid, state] of this.threads) {
        if (state.p === pid) found = { m: mid, p: pid, g: state.g };
      }
      if (!found) this.fail(`failed to find sched context for proc ${pid} that's about to be stolen`);
      emitCtx = found;
    }
    this.pushCurrent(emitCtx);
    return next;
  }

  private procStart(e: PendingEvent, ctx: Context): Context | undefined {
    const pid = signed(e.args[0]!);
    const seq = { gen: this.gen, seq: e.args[1]! };
    const state = this.procs.get(pid);
    if (!state || state.status !== ProcStatusIdle || !succeeds(seq, state.seq) || ctx.p !== NONE) return undefined;
    this.require(ctx, Need.MustHave, Need.MustNotHave, Need.MayHave);
    state.status = ProcStatusRunning;
    state.seq = seq;
    this.pushCurrent(ctx);
    return { ...ctx, p: pid };
  }

  private procStop(ctx: Context): Context {
    const state = this.procs.get(ctx.p);
    if (!state) this.fail(`event ProcStop for proc (${ctx.p}) that doesn't exist`);
    if (state.status !== ProcStatusRunning && state.status !== ProcStatusSyscall) this.fail('ProcStop event for proc that\'s not Running or Syscall');
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MayHave);
    state.status = ProcStatusIdle;
    this.pushCurrent(ctx);
    return { ...ctx, p: NONE };
  }

  private procSteal(e: PendingEvent, ctx: Context): Context | undefined {
    const pid = signed(e.args[0]!);
    const seq = { gen: this.gen, seq: e.args[1]! };
    const state = this.procs.get(pid);
    if (!state || (state.status !== ProcStatusSyscall && state.status !== ProcStatusSyscallAbandoned) || !succeeds(seq, state.seq)) return undefined;
    this.require(ctx, Need.MustHave, Need.MayHave, Need.MayHave);
    const oldStatus = state.status;
    e.args[3] = oldStatus;
    state.status = ProcStatusIdle;
    state.seq = seq;
    if (oldStatus === ProcStatusSyscallAbandoned) {
      this.pushCurrent(ctx);
      return ctx;
    }
    const mid = signed(e.args[2]!);
    if (mid === ctx.m) {
      if (ctx.p !== pid) this.fail(`tried to self-steal proc ${pid} (thread ${mid}), but got proc ${ctx.p} instead`);
      this.pushCurrent(ctx);
      return { ...ctx, p: NONE };
    }
    const victim = this.threads.get(mid);
    if (!victim) this.fail(`stole proc from non-existent thread ${mid}`);
    if (victim.p !== pid) this.fail(`tried to steal proc ${pid} from thread ${mid}, but got proc ${victim.p} instead`);
    victim.p = NONE;
    this.pushCurrent(ctx);
    return ctx;
  }

  private goStatus(e: PendingEvent, ctx: Context): Context {
    const gid = signed(e.args[0]!);
    const mid = signed(e.args[1]!);
    const status = e.args[2]!;
    const statusIndex = e.type === ev.EvGoStatusStack ? 4 : 3;
    if (status > GoStatusWaiting) this.fail(`invalid status for goroutine ${gid}: ${status}`);
    let oldState = goStateOfStatus(status);
    const known = this.goroutines.get(gid);
    if (known) {
      if (known.status !== status) this.fail(`inconsistent status for goroutine ${gid}: old ${GO_STATUS_NAMES[known.status]} vs. new ${GO_STATUS_NAMES[status]}`);
      known.seq = { gen: this.gen, seq: 0 };
    } else if (this.gen === this.initialGen) {
      this.goroutines.set(gid, { status, seq: { gen: this.gen, seq: 0 }, regions: [], ranges: [] });
      oldState = GO_UNDETERMINED;
    } else {
      this.fail(`found goroutine status for new goroutine after the first generation: id=${gid} status=${GO_STATUS_NAMES[status]}`);
    }
    e.args[statusIndex] = oldState;
    const next = { ...ctx };
    const emitCtx = { ...ctx };
    if (status === GoStatusRunning) {
      next.g = gid;
    } else if (status === GoStatusSyscall) {
      if (mid === NONE) this.fail(`found goroutine ${gid} in syscall without a thread`);
      if (mid === ctx.m) {
        if (this.gen !== this.initialGen && ctx.g !== gid) this.fail(`inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${ctx.g}`);
        next.g = gid;
      } else {
        const other = this.threads.get(mid);
        if (other) {
          if (other.g !== gid) this.fail(`inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${other.g}`);
          emitCtx.g = other.g;
        } else {
          this.threads.set(mid, { g: gid, p: NONE });
        }
        emitCtx.m = mid;
      }
    }
    this.pushCurrent(emitCtx);
    return next;
  }

  private goCreate(e: PendingEvent, ctx: Context): Context {
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MayHave);
    const creator = this.goroutines.get(ctx.g);
    if (creator && creator.status !== GoStatusRunning) this.fail(`${eventTypeName(e.type)} event for goroutine that's not Running`);
    const gid = signed(e.args[0]!);
    if (this.goroutines.has(gid)) this.fail(`tried to create goroutine (${gid}) that already exists`);
    const status = e.type === EvGoCreateBlocked ? GoStatusWaiting : GoStatusRunnable;
    this.goroutines.set(gid, { status, seq: { gen: this.gen, seq: 0 }, regions: [], ranges: [] });
    this.pushCurrent(ctx);
    return ctx;
  }

  private goStopExecuting(e: PendingEvent, ctx: Context): Context {
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MustHave);
    const state = this.goroutines.get(ctx.g);
    if (!state) this.fail(`event ${eventTypeName(e.type)} for goroutine (${ctx.g}) that doesn't exist`);
    if (state.status !== GoStatusRunning) this.fail(`${eventTypeName(e.type)} event for goroutine that's not Running`);
    if (e.type === EvGoDestroy) this.goroutines.delete(ctx.g);
    else if (e.type === EvGoStop) state.status = GoStatusRunnable;
    else if (e.type === EvGoBlock) state.status = GoStatusWaiting;
    this.pushCurrent(ctx);
    return { ...ctx, g: NONE };
  }

  private goStart(e: PendingEvent, ctx: Context): Context | undefined {
    const gid = signed(e.args[0]!);
    const seq = { gen: this.gen, seq: e.args[1]! };
    const state = this.goroutines.get(gid);
    if (!state || state.status !== GoStatusRunnable || !succeeds(seq, state.seq)) return undefined;
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MustNotHave);
    state.status = GoStatusRunning;
    state.seq = seq;
    this.pushCurrent(ctx);
    return { ...ctx, g: gid };
  }

  private goUnblock(e: PendingEvent, ctx: Context): Context | undefined {
    const gid = signed(e.args[0]!);
    const seq = { gen: this.gen, seq: e.args[1]! };
    const state = this.goroutines.get(gid);
    if (!state || state.status !== GoStatusWaiting || !succeeds(seq, state.seq)) return undefined;
    state.status = GoStatusRunnable;
    state.seq = seq;
    this.pushCurrent(ctx);
    return ctx;
  }

  private goSwitch(e: PendingEvent, ctx: Context): Context | undefined {
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MustHave);
    const current = this.goroutines.get(ctx.g);
    if (!current) this.fail(`event ${eventTypeName(e.type)} for goroutine (${ctx.g}) that doesn't exist`);
    if (current.status !== GoStatusRunning) this.fail(`${eventTypeName(e.type)} event for goroutine that's not Running`);
    const nextG = signed(e.args[0]!);
    const seq = { gen: this.gen, seq: e.args[1]! };
    const target = this.goroutines.get(nextG);
    if (!target || target.status !== GoStatusWaiting || !succeeds(seq, target.seq)) return undefined;
    this.pushCurrent(ctx);
    if (e.type === EvGoSwitch) {
      current.status = GoStatusWaiting;
      this.push(EvGoBlock, e.time, ctx, [0, 0]);
    } else {
      this.goroutines.delete(ctx.g);
      this.push(EvGoDestroy, e.time, ctx, []);
    }
    target.status = GoStatusRunning;
    target.seq = seq;
    this.push(EvGoStart, e.time, { ...ctx, g: NONE }, [nextG, e.args[1]!]);
    return { ...ctx, g: nextG };
  }

  private goSyscallBegin(e: PendingEvent, ctx: Context): Context {
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MustHave);
    const state = this.goroutines.get(ctx.g);
    if (!state) this.fail(`event GoSyscallBegin for goroutine (${ctx.g}) that doesn't exist`);
    if (state.status !== GoStatusRunning) this.fail("GoSyscallBegin event for goroutine that's not Running");
    state.status = GoStatusSyscall;
    const proc = this.procs.get(ctx.p);
    if (!proc) this.fail(`uninitialized proc ${ctx.p} found during GoSyscallBegin`);
    proc.status = ProcStatusSyscall;
    const pSeq = { gen: this.gen, seq: e.args[0]! };
    if (!succeeds(pSeq, proc.seq)) {
      this.fail(`failed to advance GoSyscallBegin: can't make sequence: ${proc.seq.seq} (gen=${proc.seq.gen}) -> ${pSeq.seq} (gen=${pSeq.gen})`);
    }
    proc.seq = pSeq;
    this.pushCurrent(ctx);
    return ctx;
  }

  private goSyscallEnd(ctx: Context): Context {
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MustHave);
    const state = this.goroutines.get(ctx.g);
    if (!state) this.fail(`event GoSyscallEnd for goroutine (${ctx.g}) that doesn't exist`);
    if (state.status !== GoStatusSyscall) this.fail("GoSyscallEnd event for goroutine that's not Syscall");
    state.status = GoStatusRunning;
    const proc = this.procs.get(ctx.p);
    if (!proc) this.fail(`uninitialized proc ${ctx.p} found during GoSyscallEnd`);
    if (proc.status !== ProcStatusSyscall) this.fail(`expected proc ${ctx.p} in state Syscall, but got ${PROC_STATUS_NAMES[proc.status]} instead`);
    proc.status = ProcStatusRunning;
    this.pushCurrent(ctx);
    return ctx;
  }

  private goSyscallEndBlocked(ctx: Context): Context | undefined {
    if (ctx.p !== NONE) {
      const proc = this.procs.get(ctx.p);
      if (!proc) this.fail(`uninitialized proc ${ctx.p} found during GoSyscallEndBlocked`);
      // While this thread still holds its P in a syscall, the steal that ends it has not been seen yet.
      if (proc.status === ProcStatusSyscall) return undefined;
    }
    this.require(ctx, Need.MustHave, Need.MayHave, Need.MustHave);
    const state = this.goroutines.get(ctx.g);
    if (!state) this.fail(`event GoSyscallEndBlocked for goroutine (${ctx.g}) that doesn't exist`);
    if (state.status !== GoStatusSyscall) this.fail("GoSyscallEndBlocked event for goroutine that's not Syscall");
    state.status = GoStatusRunnable;
    this.pushCurrent(ctx);
    return { ...ctx, g: NONE };
  }

  private goCreateSyscall(e: PendingEvent, ctx: Context): Context {
    this.require(ctx, Need.MustHave, Need.MayHave, Need.MustNotHave);
    const gid = signed(e.args[0]!);
    if (this.goroutines.has(gid)) this.fail(`tried to create goroutine (${gid}) in syscall that already exists`);
    this.goroutines.set(gid, { status: GoStatusSyscall, seq: { gen: this.gen, seq: 0 }, regions: [], ranges: [] });
    this.pushCurrent(ctx);
    return { ...ctx, g: gid };
  }

  private goDestroySyscall(ctx: Context): Context {
    this.require(ctx, Need.MustHave, Need.MayHave, Need.MustHave);
    const state = this.goroutines.get(ctx.g);
    if (!state) this.fail(`event GoDestroySyscall for goroutine (${ctx.g}) that doesn't exist`);
    if (state.status !== GoStatusSyscall) this.fail("GoDestroySyscall event for goroutine that's not Syscall");
    this.goroutines.delete(ctx.g);
    const next = { ...ctx, g: NONE };
    if (ctx.p !== NONE) {
      const proc = this.procs.get(ctx.p);
      if (!proc) this.fail(`found invalid proc ${ctx.p} during GoDestroySyscall`);
      if (proc.status !== ProcStatusSyscall) this.fail(`proc ${ctx.p} in unexpected state ${PROC_STATUS_NAMES[proc.status]} during GoDestroySyscall`);
      // The thread ID may be reused for a new thread: the P is treated as stolen from it right here.
      proc.status = ProcStatusSyscallAbandoned;
      next.p = NONE;
      this.push(EvProcSteal, this.current.time, ctx, [ctx.p, 0, 0, ProcStatusSyscall]);
    }
    this.pushCurrent(ctx);
    return next;
  }

  private taskBegin(e: PendingEvent, ctx: Context): Context {
    const id = e.args[0]!;
    if (this.activeTasks.has(id)) this.fail(`task ID conflict: ${id}`);
    let parent = e.args[1]!;
    // A parent of 0 means "no parent" here, not the background task.
    if (parent === 0) {
      parent = 2 ** 64;
      e.args[1] = parent;
    }
    const name = this.stringAt(e.args[2]!);
    if (name === undefined) this.fail(`invalid string ID ${e.args[2]} for UserTaskBegin event`);
    this.activeTasks.set(id, { name, parent });
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MustHave);
    this.pushCurrent(ctx);
    return ctx;
  }

  private taskEnd(e: PendingEvent, ctx: Context): Context {
    const id = e.args[0]!;
    const active = this.activeTasks.get(id);
    let name = '';
    if (active) {
      e.args[2] = active.parent;
      name = active.name;
      this.activeTasks.delete(id);
    } else {
      e.args[2] = 2 ** 64;
    }
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MustHave);
    this.pushCurrent(ctx, name);
    return ctx;
  }

  private region(e: PendingEvent, ctx: Context): Context {
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MustHave);
    const task = e.args[0]!;
    const name = this.stringAt(e.args[1]!);
    if (name === undefined) this.fail(`invalid string ID ${e.args[1]} for ${eventTypeName(e.type)} event`);
    const state = this.goroutines.get(ctx.g);
    if (!state) this.fail(`encountered Ev${eventTypeName(e.type)} without known state for current goroutine ${ctx.g}`);
    if (e.type === ev.EvUserRegionBegin) {
      state.regions.push({ task, name });
    } else if (state.regions.length > 0) {
      // Regions that began before tracing started are not known; ending one is fine.
      const inner = state.regions[state.regions.length - 1]!;
      if (inner.task !== task || inner.name !== name) {
        this.fail(`misuse of region in goroutine ${ctx.g}: region end {${task} ${name}} when the inner-most active region start event is {${inner.task} ${inner.name}}`);
      }
      state.regions.pop();
    }
    this.pushCurrent(ctx);
    return ctx;
  }

  private gcActive(e: PendingEvent, ctx: Context): Context | undefined {
    const seq = e.args[0]!;
    if (this.gen === this.initialGen) {
      if (this.gcState !== GC.Undetermined) this.fail("GCActive in the first generation isn't first GC event");
      this.gcSeq = seq;
      this.gcState = GC.Running;
      this.pushCurrent(ctx);
      return ctx;
    }
    if (seq !== this.gcSeq + 1) return undefined;
    if (this.gcState !== GC.Running) this.fail('encountered GCActive while GC was not in progress');
    this.gcSeq = seq;
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MustHave);
    this.pushCurrent(ctx);
    return ctx;
  }

  private gcBegin(e: PendingEvent, ctx: Context): Context | undefined {
    const seq = e.args[0]!;
    if (this.gcState === GC.Undetermined) {
      this.gcSeq = seq;
      this.gcState = GC.Running;
      this.pushCurrent(ctx);
      return ctx;
    }
    if (seq !== this.gcSeq + 1) return undefined;
    if (this.gcState === GC.Running) this.fail('encountered GCBegin while GC was already in progress');
    this.gcSeq = seq;
    this.gcState = GC.Running;
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MustHave);
    this.pushCurrent(ctx);
    return ctx;
  }

  private gcEnd(e: PendingEvent, ctx: Context): Context | undefined {
    const seq = e.args[0]!;
    if (seq !== this.gcSeq + 1) return undefined;
    if (this.gcState === GC.NotRunning) this.fail('encountered GCEnd when GC was not in progress');
    if (this.gcState === GC.Undetermined) this.fail('encountered GCEnd when GC was in an undetermined state');
    this.gcSeq = seq;
    this.gcState = GC.NotRunning;
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MustHave);
    this.pushCurrent(ctx);
    return ctx;
  }

  private sweepBegin(e: PendingEvent, ctx: Context): Context {
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MayHave);
    this.beginRange(this.procs.get(ctx.p)!.ranges, { type: rangeBeginType(e.type), desc: '' });
    this.pushCurrent(ctx);
    return ctx;
  }

  private sweepActive(e: PendingEvent, ctx: Context): Context {
    const pid = signed(e.args[0]!);
    const proc = this.procs.get(pid);
    if (!proc) this.fail(`encountered GCSweepActive for unknown proc ${pid}`);
    this.activeRange(proc.ranges, { type: rangeBeginType(e.type), desc: '' });
    this.pushCurrent(ctx);
    return ctx;
  }

  private sweepEnd(e: PendingEvent, ctx: Context): Context {
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MayHave);
    this.endRange(this.procs.get(ctx.p)!.ranges, e.type);
    this.pushCurrent(ctx);
    return ctx;
  }

  private goRangeBegin(e: PendingEvent, ctx: Context): Context {
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MustHave);
    let desc = '';
    if (e.type === EvSTWBegin) {
      const kind = this.stringAt(e.args[0]!);
      if (kind === undefined) this.fail(`found invalid string ID ${e.args[0]} for event STWBegin`);
      desc = kind;
    }
    const state = this.goroutines.get(ctx.g);
    if (!state) this.fail(`encountered event of type ${e.type} without known state for current goroutine ${ctx.g}`);
    this.beginRange(state.ranges, { type: rangeBeginType(e.type), desc });
    this.pushCurrent(ctx);
    return ctx;
  }

  private goRangeActive(e: PendingEvent, ctx: Context): Context {
    const gid = signed(e.args[0]!);
    const state = this.goroutines.get(gid);
    if (!state) this.fail(`uninitialized goroutine ${gid} found during ${eventTypeName(e.type)}`);
    this.activeRange(state.ranges, { type: rangeBeginType(e.type), desc: '' });
    this.pushCurrent(ctx);
    return ctx;
  }

  private goRangeEnd(e: PendingEvent, ctx: Context): Context {
    this.require(ctx, Need.MustHave, Need.MustHave, Need.MustHave);
    const state = this.goroutines.get(ctx.g);
    if (!state) this.fail(`encountered event of type ${e.type} without known state for current goroutine ${ctx.g}`);
    const desc = this.endRange(state.ranges, e.type);
    // STWEnd carries the kind its STWBegin named, for the description of the range.
    this.pushCurrent(ctx, e.type === EvSTWEnd ? desc : undefined);
    return ctx;
  }

  private beginRange(ranges: RangeKey[], key: RangeKey): void {
    if (hasRange(ranges, key)) this.fail(`discovered event already in-flight for when starting event ${eventTypeName(key.type)}`);
    ranges.push(key);
  }

  private activeRange(ranges: RangeKey[], key: RangeKey): void {
    if (this.gen === this.initialGen) {
      if (hasRange(ranges, key)) this.fail(`found named active range already in first gen: ${eventTypeName(key.type)}`);
      ranges.push(key);
    } else if (!hasRange(ranges, key)) {
      this.fail(`resource is missing active range: ${eventTypeName(key.type)}`);
    }
  }

  private endRange(ranges: RangeKey[], endType: number): string {
    const beginType = rangeBeginType(endType);
    const index = ranges.findIndex((r) => r.type === beginType);
    if (index < 0) this.fail(`tried to end event ${eventTypeName(beginType)}, but not in-flight`);
    const desc = ranges[index]!.desc;
    ranges[index] = ranges[ranges.length - 1]!;
    ranges.pop();
    return desc;
  }
}

// Goroutine and proc states as the reader reports them (Go's GoState and ProcState).
export const GO_UNDETERMINED = 0;
export const GO_NOT_EXIST = 1;
export const GO_RUNNABLE = 2;
export const GO_RUNNING = 3;
export const GO_WAITING = 4;
export const GO_SYSCALL = 5;
export const GO_STATE_NAMES = ['Undetermined', 'NotExist', 'Runnable', 'Running', 'Waiting', 'Syscall'];
export const PROC_UNDETERMINED = 0;
export const PROC_NOT_EXIST = 1;
export const PROC_RUNNING = 2;
export const PROC_IDLE = 3;
export const PROC_STATE_NAMES = ['Undetermined', 'NotExist', 'Running', 'Idle'];

/** The goroutine state a wire status means. */
export function goStateOfStatus(status: number): number {
  switch (status) {
    case GoStatusRunnable:
      return GO_RUNNABLE;
    case GoStatusRunning:
      return GO_RUNNING;
    case GoStatusSyscall:
      return GO_SYSCALL;
    case GoStatusWaiting:
      return GO_WAITING;
    default:
      return GO_UNDETERMINED;
  }
}

/** The proc state a wire status means (a P in a syscall still counts as running). */
export function procStateOfStatus(status: number): number {
  switch (status) {
    case ProcStatusRunning:
    case ProcStatusSyscall:
      return PROC_RUNNING;
    case ProcStatusIdle:
    case ProcStatusSyscallAbandoned:
      return PROC_IDLE;
    default:
      return PROC_UNDETERMINED;
  }
}
