// The kinds of capture /debug/pprof serves: which handler path, which query, whether the capture lasts a
// duration (and its default), the file extension of the saved capture and which decoder validates it.
// Pure data: no Node, vscode or DOM imports, so the extension's pickers and the CLI read the same table.

/** Ids are also the `<kind>` part of capture file names; none is a dash-separated suffix of another. */
export type CaptureKindId =
  | 'cpu'
  | 'heap'
  | 'allocs'
  | 'goroutine'
  | 'mutex'
  | 'block'
  | 'threadcreate'
  | 'trace'
  | 'heap-delta'
  | 'allocs-delta'
  | 'mutex-delta'
  | 'block-delta';

/** Which core checks the body before it is kept: the pprof decoder or the execution-trace reader. */
export type CaptureValidator = 'pprof' | 'trace';

export interface CaptureKind {
  readonly id: CaptureKindId;
  /** Short human name, e.g. "CPU" or "delta heap". */
  readonly label: string;
  /** One line for a quick pick. */
  readonly description: string;
  /** Handler path below the pprof base URL (`/debug/pprof/<path>`). */
  readonly path: string;
  /** A timed capture lasts `seconds` (sent as `?seconds=N`); the others are snapshots. */
  readonly timed: boolean;
  /** Default duration of a timed capture, in seconds. */
  readonly defaultSeconds?: number;
  /** Extension of the saved file (without the dot). Profiles arrive gzipped from Go. */
  readonly extension: 'pb.gz' | 'trace';
  readonly validator: CaptureValidator;
}

export const CAPTURE_KINDS: readonly CaptureKind[] = [
  { id: 'cpu', label: 'CPU', description: 'where CPU time goes, sampled over a duration', path: 'profile', timed: true, defaultSeconds: 30, extension: 'pb.gz', validator: 'pprof' },
  { id: 'heap', label: 'heap', description: 'live and allocated memory, by allocation site', path: 'heap', timed: false, extension: 'pb.gz', validator: 'pprof' },
  { id: 'allocs', label: 'allocs', description: 'all past allocations, by allocation site', path: 'allocs', timed: false, extension: 'pb.gz', validator: 'pprof' },
  { id: 'goroutine', label: 'goroutine', description: 'stacks of all current goroutines', path: 'goroutine', timed: false, extension: 'pb.gz', validator: 'pprof' },
  { id: 'mutex', label: 'mutex', description: 'holders of contended mutexes', path: 'mutex', timed: false, extension: 'pb.gz', validator: 'pprof' },
  { id: 'block', label: 'block', description: 'where goroutines blocked on synchronization', path: 'block', timed: false, extension: 'pb.gz', validator: 'pprof' },
  { id: 'threadcreate', label: 'threadcreate', description: 'stacks that created OS threads', path: 'threadcreate', timed: false, extension: 'pb.gz', validator: 'pprof' },
  { id: 'trace', label: 'execution trace', description: 'every scheduling, GC and syscall event over a duration', path: 'trace', timed: true, defaultSeconds: 5, extension: 'trace', validator: 'trace' },
  { id: 'heap-delta', label: 'delta heap', description: 'heap change over a duration', path: 'heap', timed: true, defaultSeconds: 30, extension: 'pb.gz', validator: 'pprof' },
  { id: 'allocs-delta', label: 'delta allocs', description: 'allocations made during a duration', path: 'allocs', timed: true, defaultSeconds: 30, extension: 'pb.gz', validator: 'pprof' },
  { id: 'mutex-delta', label: 'delta mutex', description: 'mutex contention during a duration', path: 'mutex', timed: true, defaultSeconds: 30, extension: 'pb.gz', validator: 'pprof' },
  { id: 'block-delta', label: 'delta block', description: 'blocking during a duration', path: 'block', timed: true, defaultSeconds: 30, extension: 'pb.gz', validator: 'pprof' },
];

export const CAPTURE_KIND_IDS: readonly CaptureKindId[] = CAPTURE_KINDS.map((k) => k.id);

/** Longest accepted duration: a day. Longer requests are almost certainly a typo (ms for s). */
export const MAX_CAPTURE_SECONDS = 86_400;

export function findCaptureKind(id: string): CaptureKind | undefined {
  return CAPTURE_KINDS.find((k) => k.id === id);
}

/**
 * Profiles saved beside captures but made from one: the four `go tool trace -pprof=TYPE` profiles of an
 * execution trace. Their ids are the `<kind>` part of their file names too (`shop-trace-sched-…pb.gz`).
 */
export type DerivedKindId = 'trace-net' | 'trace-sync' | 'trace-syscall' | 'trace-sched';

/**
 * Files fetched from a backend (the backends feature): a span trace from Jaeger, Tempo or Zipkin (OTLP,
 * Jaeger or Zipkin JSON, opened in the timeline), or a merged profile from Pyroscope or Parca whose type is
 * none of the capture kinds (a CPU or heap profile from them is saved under `cpu`, `heap`…). The ids are
 * the backend kinds, so a file reads `<backend name>-tempo-<timestamp>.json`.
 */
export type BackendSavedKindId = 'jaeger' | 'tempo' | 'zipkin' | 'pyroscope' | 'parca';

/** The kind of any file in the captures folder: captured, derived from a capture, or fetched from a backend. */
export type SavedKindId = CaptureKindId | DerivedKindId | BackendSavedKindId;

export interface DerivedKind {
  readonly id: DerivedKindId;
  readonly label: string;
  readonly description: string;
  /** The `go tool trace -pprof=` type it holds. */
  readonly traceProfile: 'net' | 'sync' | 'syscall' | 'sched';
  readonly extension: 'pb.gz';
  readonly validator: 'pprof';
}

export const DERIVED_KINDS: readonly DerivedKind[] = [
  { id: 'trace-net', label: 'network wait', description: 'where goroutines waited on the network, from an execution trace', traceProfile: 'net', extension: 'pb.gz', validator: 'pprof' },
  { id: 'trace-sync', label: 'sync block', description: 'where goroutines blocked on channels, mutexes and select, from an execution trace', traceProfile: 'sync', extension: 'pb.gz', validator: 'pprof' },
  { id: 'trace-syscall', label: 'syscall', description: 'where goroutines were in system calls, from an execution trace', traceProfile: 'syscall', extension: 'pb.gz', validator: 'pprof' },
  { id: 'trace-sched', label: 'scheduler latency', description: 'where goroutines waited to run once runnable, from an execution trace', traceProfile: 'sched', extension: 'pb.gz', validator: 'pprof' },
];

export interface BackendSavedKind {
  readonly id: BackendSavedKindId;
  readonly label: string;
  readonly description: string;
  /** Span traces are JSON; profiles are saved gzipped. */
  readonly extension: 'json' | 'pb.gz';
  /** 'trace': opened in the timeline (a span trace); 'pprof': opened as a profile. */
  readonly validator: CaptureValidator;
}

export const BACKEND_SAVED_KINDS: readonly BackendSavedKind[] = [
  { id: 'jaeger', label: 'Jaeger trace', description: 'a trace fetched from Jaeger', extension: 'json', validator: 'trace' },
  { id: 'tempo', label: 'Tempo trace', description: 'a trace fetched from Grafana Tempo', extension: 'json', validator: 'trace' },
  { id: 'zipkin', label: 'Zipkin trace', description: 'a trace fetched from Zipkin', extension: 'json', validator: 'trace' },
  { id: 'pyroscope', label: 'Pyroscope', description: 'a merged profile fetched from Grafana Pyroscope', extension: 'pb.gz', validator: 'pprof' },
  { id: 'parca', label: 'Parca', description: 'a merged profile fetched from Parca', extension: 'pb.gz', validator: 'pprof' },
];

export const SAVED_KIND_IDS: readonly SavedKindId[] = [...CAPTURE_KIND_IDS, ...DERIVED_KINDS.map((k) => k.id), ...BACKEND_SAVED_KINDS.map((k) => k.id)];

/** A captured, derived or fetched kind: what the Captures view and the file names need of any. */
export function findSavedKind(id: string): CaptureKind | DerivedKind | BackendSavedKind | undefined {
  return findCaptureKind(id) ?? DERIVED_KINDS.find((k) => k.id === id) ?? BACKEND_SAVED_KINDS.find((k) => k.id === id);
}

/** The derived kind that holds the trace profile `type`. */
export function derivedKindOf(type: DerivedKind['traceProfile']): DerivedKind {
  return DERIVED_KINDS.find((k) => k.traceProfile === type)!;
}

/** The query a kind sends for a duration (already validated): `seconds=N` for timed kinds, nothing otherwise. */
export function captureQuery(kind: CaptureKind, seconds: number | undefined): Record<string, string> {
  return kind.timed && seconds !== undefined ? { seconds: String(seconds) } : {};
}
