// Messages between the extension host and the timeline webview (media/timeline), and the language
// server's function search the timeline uses to offer code for spans without code attributes.
//
// The host never decodes a trace: it reads the file's bytes and posts them (`open`); the webview hands
// them to its worker, which decodes them and transfers the model's columns to the UI thread. Clicks come
// back as `{file, line}` for the host to resolve and open.

import { request } from './protocol';

/** What kind of trace a file holds, as the host judges from its first bytes. */
export type TimelineTraceKind = 'go-execution-trace' | 'spans';

export interface TraceFileInfo {
  /** The file's base name, for titles. */
  readonly name: string;
  /** Its path (or URI for files not on disk), for messages. */
  readonly path: string;
  readonly sizeBytes: number;
}

/** The goTraceLens.timeline.* settings the webview needs. */
export interface TimelineViewSettings {
  /** How far (ns) a child span may start before / end after its parent before it counts as clock skew. */
  readonly clockSkewToleranceNs: number;
  /** How far apart (ns) a span and a runtime/trace task of the same name may start and still be matched. */
  readonly matchToleranceNs: number;
}

/** A function of the workspace whose name matches a span's name. */
export interface FunctionMatch {
  /** As the index names it: `load`, or `Server.load` for a method. */
  readonly name: string;
  readonly packageName: string;
  /** Absolute local path. */
  readonly path: string;
  /** 1-based line of the function's name. */
  readonly line: number;
  /** Higher is better: 100 exact, 90 receiver or package and name, 60 name, lower for partial matches. */
  readonly score: number;
  /** Why it matched, for the list ("method checkout of gateway"). */
  readonly reason: string;
}

export interface FunctionSearchResult {
  readonly matches: readonly FunctionMatch[];
  /** True while the workspace index is still being built (the result may be incomplete). */
  readonly indexing: boolean;
}

export type HostToTimeline =
  /** A trace file's bytes, to decode in the webview's worker. */
  | { readonly type: 'open'; readonly file: TraceFileInfo; readonly bytes: Uint8Array; readonly settings: TimelineViewSettings }
  /** Nothing to show: why, as text (not a trace, unreadable, too large). */
  | { readonly type: 'message'; readonly message: string; readonly offerOpenAsText: boolean }
  /** For a span trace: an execution trace open at the same time, possibly of the same run. */
  | { readonly type: 'companion'; readonly file: TraceFileInfo; readonly bytes: Uint8Array }
  /** The companion execution trace was closed. */
  | { readonly type: 'companionClosed' }
  /** The answer to `findFunctions`. */
  | { readonly type: 'functions'; readonly requestId: number; readonly result: FunctionSearchResult }
  /** For an execution trace: select and show the task a span of the same run recorded. */
  | { readonly type: 'revealTask'; readonly taskId: number; readonly spanName: string }
  | { readonly type: 'settings'; readonly settings: TimelineViewSettings };

export type TimelineToHost =
  | { readonly type: 'ready' }
  /** The trace decoded (what the title and the companion pairing need). */
  | { readonly type: 'loaded'; readonly kind: TimelineTraceKind; readonly description: string }
  /** The trace could not be decoded: the core's message. */
  | { readonly type: 'failed'; readonly code: string; readonly message: string }
  /** Open a frame's or a span's source: the file name as the trace has it (build machine path) and line. */
  | { readonly type: 'openSource'; readonly file: string; readonly line: number; readonly functionName: string }
  /** Open a workspace function found by `findFunctions` (a local path). */
  | { readonly type: 'openFunction'; readonly path: string; readonly line: number }
  /** Find workspace functions whose names match a span's name (or its code.function attribute). */
  | { readonly type: 'findFunctions'; readonly requestId: number; readonly name: string }
  /** Show this task in the open execution trace of the same run. */
  | { readonly type: 'revealTask'; readonly taskId: number; readonly spanName: string }
  | { readonly type: 'openAsText' }
  /** A line for the output channel. */
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string }
  /** Timing figures for `npm run bench:timeline`. */
  | { readonly type: 'metrics'; readonly name: string; readonly value: number }
  /** Derive a `go tool trace -pprof` profile of this execution trace (or of a scope of it) and open it on the code. */
  | { readonly type: 'traceProfile'; readonly profile: TraceProfileType; readonly scope?: TraceProfileScope; readonly scopeLabel?: string }
  /** Show the CPU profile of a span: the samples of it and the spans below it in the loaded profiles. */
  | { readonly type: 'spanProfile'; readonly request: SpanProfileRequest };

/** "CPU profile of this span": the span's ID first, then the IDs of the spans below it (hex). */
export interface SpanProfileRequest {
  readonly spanIds: readonly string[];
  readonly spanName: string;
  readonly service: string;
  readonly traceId: string;
}

/** What the webview keeps across hide/show through setState. */
export interface TimelineState {
  /** Visible time range (ns on the trace's clock, or relative to the span file's epoch). */
  readonly viewStart?: number;
  readonly viewEnd?: number;
  readonly scrollTop?: number;
  /** Execution traces: collapsed goroutine groups (by start function) and the sort order. */
  readonly collapsedGroups?: readonly string[];
  readonly sortBy?: 'busy' | 'id';
  /** Execution traces: the Analysis view (goroutines and latency) is open. */
  readonly analysisOpen?: boolean;
  /** Span traces: collapsed subtrees (span ids) and collapsed traces (trace ids). */
  readonly collapsedSpans?: readonly string[];
  readonly collapsedTraces?: readonly string[];
  readonly groupByService?: boolean;
  readonly problemsOpen?: boolean;
}

export interface FindFunctionsParams {
  readonly name: string;
  /** At most this many matches (default 8). */
  readonly limit?: number;
}
/** Language server request: workspace functions matching a name (span name → code). */
export const FindFunctionsRequest = request<FindFunctionsParams, FunctionSearchResult>('goTraceLens/findFunctions');

/** The profiles `go tool trace -pprof=TYPE` derives from an execution trace. */
export type TraceProfileType = 'net' | 'sync' | 'syscall' | 'sched';

/** What part of the trace a derived profile covers (all given must hold); nothing given is the whole trace. */
export interface TraceProfileScope {
  /** Goroutines that start in this function (a goroutine group of the timeline and go tool trace). */
  readonly goroutineName?: string;
  /** Time inside regions of this type (the outermost ones). */
  readonly regionType?: string;
  /** Time inside the regions of the task with this ID. */
  readonly taskId?: number;
  /** Time within [fromNs, toNs] of the trace clock. */
  readonly fromNs?: number;
  readonly toNs?: number;
}

export interface DeriveTraceProfileParams {
  /** The execution trace (a local path). */
  readonly trace: string;
  readonly type: TraceProfileType;
  readonly scope?: TraceProfileScope;
  /** Where to write the gzipped pprof profile (whole or not at all). */
  readonly out: string;
}

export type DeriveTraceProfileResult =
  | {
      readonly ok: true;
      readonly path: string;
      readonly stacks: number;
      readonly contentions: number;
      readonly delayNs: number;
      /** Set when the profile is empty (then no file was written): why (nothing waited that way within the scope). */
      readonly empty?: string;
    }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** Language server request: derive a `go tool trace -pprof` profile from an execution trace into a file. */
export const DeriveTraceProfileRequest = request<DeriveTraceProfileParams, DeriveTraceProfileResult>('goTraceLens/deriveTraceProfile');
