// The Go execution-trace wire format, Go 1.22 and later: event type numbers, each event's arguments
// and flags, and which trace version introduced it (Go's `internal/trace/tracev2` tables, restated).
// Every integer on the wire is an unsigned LEB128 varint; a timed event is its type byte, the time
// delta since the previous event of its batch, then its arguments.

/** Versions with this format: the NN of the `go 1.NN trace` header. Go 1.24 writes 23. */
export const SUPPORTED_VERSIONS: readonly number[] = [22, 23, 25, 26];
export const NEWEST_VERSION = 26;
/** Headers Go 1.5–1.21 wrote: the older format, which this decoder does not read. */
export const FIRST_VERSION_OF_THIS_FORMAT = 22;

// Structural events.
export const EvEventBatch = 1;
export const EvStacks = 2;
export const EvStack = 3;
export const EvStrings = 4;
export const EvString = 5;
export const EvCPUSamples = 6;
export const EvCPUSample = 7;
export const EvFrequency = 8;
// Procs.
export const EvProcsChange = 9;
export const EvProcStart = 10;
export const EvProcStop = 11;
export const EvProcSteal = 12;
export const EvProcStatus = 13;
// Goroutines.
export const EvGoCreate = 14;
export const EvGoCreateSyscall = 15;
export const EvGoStart = 16;
export const EvGoDestroy = 17;
export const EvGoDestroySyscall = 18;
export const EvGoStop = 19;
export const EvGoBlock = 20;
export const EvGoUnblock = 21;
export const EvGoSyscallBegin = 22;
export const EvGoSyscallEnd = 23;
export const EvGoSyscallEndBlocked = 24;
export const EvGoStatus = 25;
// Stop-the-world.
export const EvSTWBegin = 26;
export const EvSTWEnd = 27;
// Garbage collection.
export const EvGCActive = 28;
export const EvGCBegin = 29;
export const EvGCEnd = 30;
export const EvGCSweepActive = 31;
export const EvGCSweepBegin = 32;
export const EvGCSweepEnd = 33;
export const EvGCMarkAssistActive = 34;
export const EvGCMarkAssistBegin = 35;
export const EvGCMarkAssistEnd = 36;
export const EvHeapAlloc = 37;
export const EvHeapGoal = 38;
// Annotations (runtime/trace).
export const EvGoLabel = 39;
export const EvUserTaskBegin = 40;
export const EvUserTaskEnd = 41;
export const EvUserRegionBegin = 42;
export const EvUserRegionEnd = 43;
export const EvUserLog = 44;
// Go 1.23: coroutines, goroutine status with a stack, experimental batches.
export const EvGoSwitch = 45;
export const EvGoSwitchDestroy = 46;
export const EvGoCreateBlocked = 47;
export const EvGoStatusStack = 48;
export const EvExperimentalBatch = 49;
// Go 1.25: sync batches with a clock snapshot.
export const EvSync = 50;
export const EvClockSnapshot = 51;
// Go 1.26: an explicit end-of-generation marker between generations.
export const EvEndOfGeneration = 52;
// Experimental events (Go 1.23, the AllocFree experiment).
export const EvSpan = 128;
export const EvSpanAlloc = 129;
export const EvSpanFree = 130;
export const EvHeapObject = 131;
export const EvHeapObjectAlloc = 132;
export const EvHeapObjectFree = 133;
export const EvGoroutineStack = 134;
export const EvGoroutineStackAlloc = 135;
export const EvGoroutineStackFree = 136;

/** The type the reader gives the synthetic event that closes each generation. */
export const EvSyncPoint = 255;

export const MAX_BATCH_SIZE = 64 << 10;
export const MAX_FRAMES_PER_STACK = 128;
export const MAX_STRING_SIZE = 1 << 10;

/** Goroutine statuses on the wire (GoStatus events). */
export const GoStatusBad = 0;
export const GoStatusRunnable = 1;
export const GoStatusRunning = 2;
export const GoStatusSyscall = 3;
export const GoStatusWaiting = 4;
export const GO_STATUS_NAMES = ['Bad', 'Runnable', 'Running', 'Syscall', 'Waiting'];

/** Proc statuses on the wire (ProcStatus events). */
export const ProcStatusBad = 0;
export const ProcStatusRunning = 1;
export const ProcStatusIdle = 2;
export const ProcStatusSyscall = 3;
export const ProcStatusSyscallAbandoned = 4;
export const PROC_STATUS_NAMES = ['Bad', 'Running', 'Idle', 'Syscall', 'Bad'];

export interface EventSpec {
  readonly name: string;
  /** Argument names as in Go's tables; for timed events the first is the time delta `dt`. */
  readonly args: readonly string[];
  /** Appears in the per-thread event stream with a timestamp. */
  readonly timed: boolean;
  /** Indices into `args` of stack-table references; the first is the event's own stack. */
  readonly stackArgs: readonly number[];
  /** Indices into `args` of string-table references. */
  readonly stringArgs: readonly number[];
  /** For the end of a range, the type of the event that began it. */
  readonly startType: number;
  /** The first trace version (header NN) whose streams may contain this event. */
  readonly since: number;
  readonly experimental: boolean;
}

function spec(name: string, args: string[], options: Partial<Omit<EventSpec, 'name' | 'args'>> = {}): EventSpec {
  return {
    name,
    args,
    timed: options.timed ?? false,
    stackArgs: options.stackArgs ?? [],
    stringArgs: options.stringArgs ?? [],
    startType: options.startType ?? 0,
    since: options.since ?? 22,
    experimental: options.experimental ?? false,
  };
}

function timed(name: string, args: string[], options: Partial<Omit<EventSpec, 'name' | 'args' | 'timed'>> = {}): EventSpec {
  return spec(name, ['dt', ...args], { ...options, timed: true });
}

const SPECS: (EventSpec | undefined)[] = [];
SPECS[EvEventBatch] = spec('EventBatch', ['gen', 'm', 'time', 'size']);
SPECS[EvStacks] = spec('Stacks', []);
SPECS[EvStack] = spec('Stack', ['id', 'nframes']);
SPECS[EvStrings] = spec('Strings', []);
SPECS[EvString] = spec('String', ['id']);
SPECS[EvCPUSamples] = spec('CPUSamples', []);
SPECS[EvCPUSample] = spec('CPUSample', ['time', 'm', 'p', 'g', 'stack'], { stackArgs: [4] });
SPECS[EvFrequency] = spec('Frequency', ['freq']);
SPECS[EvProcsChange] = timed('ProcsChange', ['procs_value', 'stack'], { stackArgs: [2] });
SPECS[EvProcStart] = timed('ProcStart', ['p', 'p_seq']);
SPECS[EvProcStop] = timed('ProcStop', []);
SPECS[EvProcSteal] = timed('ProcSteal', ['p', 'p_seq', 'm']);
SPECS[EvProcStatus] = timed('ProcStatus', ['p', 'pstatus']);
SPECS[EvGoCreate] = timed('GoCreate', ['new_g', 'new_stack', 'stack'], { stackArgs: [3, 2] });
SPECS[EvGoCreateSyscall] = timed('GoCreateSyscall', ['new_g']);
SPECS[EvGoStart] = timed('GoStart', ['g', 'g_seq']);
SPECS[EvGoDestroy] = timed('GoDestroy', []);
SPECS[EvGoDestroySyscall] = timed('GoDestroySyscall', []);
SPECS[EvGoStop] = timed('GoStop', ['reason_string', 'stack'], { stackArgs: [2], stringArgs: [1] });
SPECS[EvGoBlock] = timed('GoBlock', ['reason_string', 'stack'], { stackArgs: [2], stringArgs: [1] });
SPECS[EvGoUnblock] = timed('GoUnblock', ['g', 'g_seq', 'stack'], { stackArgs: [3] });
SPECS[EvGoSyscallBegin] = timed('GoSyscallBegin', ['p_seq', 'stack'], { stackArgs: [2] });
SPECS[EvGoSyscallEnd] = timed('GoSyscallEnd', [], { startType: EvGoSyscallBegin });
SPECS[EvGoSyscallEndBlocked] = timed('GoSyscallEndBlocked', [], { startType: EvGoSyscallBegin });
SPECS[EvGoStatus] = timed('GoStatus', ['g', 'm', 'gstatus']);
SPECS[EvSTWBegin] = timed('STWBegin', ['kind_string', 'stack'], { stackArgs: [2], stringArgs: [1] });
SPECS[EvSTWEnd] = timed('STWEnd', [], { startType: EvSTWBegin });
SPECS[EvGCActive] = timed('GCActive', ['gc_seq'], { startType: EvGCBegin });
SPECS[EvGCBegin] = timed('GCBegin', ['gc_seq', 'stack'], { stackArgs: [2] });
SPECS[EvGCEnd] = timed('GCEnd', ['gc_seq'], { startType: EvGCBegin });
SPECS[EvGCSweepActive] = timed('GCSweepActive', ['p'], { startType: EvGCSweepBegin });
SPECS[EvGCSweepBegin] = timed('GCSweepBegin', ['stack'], { stackArgs: [1] });
SPECS[EvGCSweepEnd] = timed('GCSweepEnd', ['swept_value', 'reclaimed_value'], { startType: EvGCSweepBegin });
SPECS[EvGCMarkAssistActive] = timed('GCMarkAssistActive', ['g'], { startType: EvGCMarkAssistBegin });
SPECS[EvGCMarkAssistBegin] = timed('GCMarkAssistBegin', ['stack'], { stackArgs: [1] });
SPECS[EvGCMarkAssistEnd] = timed('GCMarkAssistEnd', [], { startType: EvGCMarkAssistBegin });
SPECS[EvHeapAlloc] = timed('HeapAlloc', ['heapalloc_value']);
SPECS[EvHeapGoal] = timed('HeapGoal', ['heapgoal_value']);
SPECS[EvGoLabel] = timed('GoLabel', ['label_string'], { stringArgs: [1] });
SPECS[EvUserTaskBegin] = timed('UserTaskBegin', ['task', 'parent_task', 'name_string', 'stack'], { stackArgs: [4], stringArgs: [3] });
SPECS[EvUserTaskEnd] = timed('UserTaskEnd', ['task', 'stack'], { stackArgs: [2] });
SPECS[EvUserRegionBegin] = timed('UserRegionBegin', ['task', 'name_string', 'stack'], { stackArgs: [3], stringArgs: [2] });
SPECS[EvUserRegionEnd] = timed('UserRegionEnd', ['task', 'name_string', 'stack'], { stackArgs: [3], stringArgs: [2], startType: EvUserRegionBegin });
SPECS[EvUserLog] = timed('UserLog', ['task', 'key_string', 'value_string', 'stack'], { stackArgs: [4], stringArgs: [2, 3] });
SPECS[EvGoSwitch] = timed('GoSwitch', ['g', 'g_seq'], { since: 23 });
SPECS[EvGoSwitchDestroy] = timed('GoSwitchDestroy', ['g', 'g_seq'], { since: 23 });
SPECS[EvGoCreateBlocked] = timed('GoCreateBlocked', ['new_g', 'new_stack', 'stack'], { stackArgs: [3, 2], since: 23 });
SPECS[EvGoStatusStack] = timed('GoStatusStack', ['g', 'm', 'gstatus', 'stack'], { stackArgs: [4], since: 23 });
SPECS[EvExperimentalBatch] = spec('ExperimentalBatch', ['exp', 'gen', 'm', 'time'], { since: 23 });
SPECS[EvSync] = spec('Sync', [], { since: 25 });
SPECS[EvClockSnapshot] = timed('ClockSnapshot', ['mono', 'sec', 'nsec'], { since: 25 });
SPECS[EvEndOfGeneration] = spec('EndOfGeneration', [], { since: 26 });
const allocFree = { since: 23, experimental: true };
SPECS[EvSpan] = timed('Span', ['id', 'npages_value', 'kindclass'], allocFree);
SPECS[EvSpanAlloc] = timed('SpanAlloc', ['id', 'npages_value', 'kindclass'], allocFree);
SPECS[EvSpanFree] = timed('SpanFree', ['id'], allocFree);
SPECS[EvHeapObject] = timed('HeapObject', ['id', 'type'], allocFree);
SPECS[EvHeapObjectAlloc] = timed('HeapObjectAlloc', ['id', 'type'], allocFree);
SPECS[EvHeapObjectFree] = timed('HeapObjectFree', ['id'], allocFree);
SPECS[EvGoroutineStack] = timed('GoroutineStack', ['id', 'order'], allocFree);
SPECS[EvGoroutineStackAlloc] = timed('GoroutineStackAlloc', ['id', 'order'], allocFree);
SPECS[EvGoroutineStackFree] = timed('GoroutineStackFree', ['id'], allocFree);

/** The spec of `type` if a trace of `version` may contain it. */
export function eventSpec(type: number, version: number): EventSpec | undefined {
  const found = SPECS[type];
  return found && found.since <= version ? found : undefined;
}

/** The spec of `type` regardless of version (for naming events in messages and listings). */
export function anyEventSpec(type: number): EventSpec | undefined {
  return SPECS[type];
}

export function eventTypeName(type: number): string {
  if (type === EvSyncPoint) return 'Sync';
  return SPECS[type]?.name ?? `Invalid(${type})`;
}

/** Timed event types that a trace of `version` may contain, by name (for the text form). */
export function eventTypesByName(version: number): Map<string, number> {
  const names = new Map<string, number>();
  SPECS.forEach((s, type) => {
    if (s && s.since <= version) names.set(s.name, type);
  });
  return names;
}
