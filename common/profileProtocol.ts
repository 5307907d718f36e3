// Custom LSP messages for profiles: the language server loads and aggregates profiles (large ones must
// not block the extension host; it is the only side that decodes them); the client asks for what it
// draws. Each method is one typed descriptor (common/protocol.ts). The client takes the profile state from
// one place only, ProfileStateChanged, which the server sends after every change (before it answers the
// request that made it).

import type { FlameGraphData, ProfileSummaryView, ValueTypeView } from './flameGraphProtocol';
import { notification, request } from './protocol';

export interface LoadedProfile {
  readonly id: string;
  /** Absolute path of the profile file. */
  readonly path: string;
  /** "cpu profile · shop-cpu-20261125T101010Z.pb.gz" */
  readonly label: string;
  readonly kind: string;
  readonly sampleTypes: readonly ValueTypeView[];
  readonly defaultSampleIndex: number;
  readonly durationNanos: number;
  readonly timeMs: number | null;
  /** Label keys and (some of) their values, for the label filter. */
  readonly labels: readonly { readonly key: string; readonly values: readonly string[] }[];
  /** Frames carry no source information (addresses only). */
  readonly noSourceInfo: boolean;
}

export interface ProfileState {
  readonly profiles: readonly LoadedProfile[];
  readonly activeId: string | null;
  /** Index into the active profile's sample types. */
  readonly sampleIndex: number;
  readonly baseId: string | null;
  /** `key=value` label filter, or null. */
  readonly labelFilter: string | null;
  /** Total of the active view, in the sample type's unit (of the base when diffing, as pprof does). */
  readonly total: number;
}

/** A profile file, and its kind when the caller knows it. */
export interface ProfileFile {
  readonly path: string;
  /**
   * The profile kind (cpu, heap, allocs, goroutine, mutex, block, threadcreate) when known, e.g. from the
   * endpoint a capture came from; absent, the server infers it from the contents and the file name.
   */
  readonly kind?: string;
}
export interface LoadProfileParams extends ProfileFile {
  readonly makeActive: boolean;
  /** Make this other (loaded or loadable) profile the diff base. */
  readonly base?: ProfileFile;
}
export type LoadProfileResult =
  | { readonly ok: true; readonly profile: LoadedProfile }
  | { readonly ok: false; readonly message: string; readonly code: string };
export const LoadProfileRequest = request<LoadProfileParams, LoadProfileResult>('goTraceLens/loadProfile');

/** The profile state now; null while the server is starting. */
export const ProfileStateRequest = request<void, ProfileState | null>('goTraceLens/profileState');

export interface UpdateProfileViewParams {
  readonly activeId?: string | null;
  readonly sampleIndex?: number;
  readonly baseId?: string | null;
  readonly labelFilter?: string | null;
  /** Unload this profile. */
  readonly unloadId?: string;
}
export type UpdateProfileViewResult = { readonly ok: true } | { readonly ok: false; readonly message: string };
export const UpdateProfileViewRequest = request<UpdateProfileViewParams, UpdateProfileViewResult>('goTraceLens/updateProfileView');

/** Server → client: the profile state changed (reload views, decorations, lenses); the client's one source of it. */
export const ProfileStateChangedNotification = notification<ProfileState>('goTraceLens/profileStateChanged');

export interface LineHeatParams {
  readonly uri: string;
}
export interface LineHeat {
  /** 0-based line in the document as it is now. */
  readonly line: number;
  readonly flat: number;
  readonly cum: number;
  /** |cum| / |total|, 0..1 (for the tint). */
  readonly share: number;
  /** "0.52s flat · 1.10s cum" */
  readonly text: string;
  /** Diff mode: positive = grew. */
  readonly delta?: 'grew' | 'shrank';
}
export interface LineHeatResult {
  readonly lines: readonly LineHeat[];
  /** Why a profiled file shows no heat ("changed beyond recognition"…), or undefined. */
  readonly note?: string;
}
export const LineHeatRequest = request<LineHeatParams, LineHeatResult>('goTraceLens/lineHeat');

export interface TopFunctionsParams {
  readonly limit: number;
  readonly sortBy: 'flat' | 'cum';
}
export interface SourceRef {
  /** Absolute local path, or null when the profile's file could not be resolved. */
  readonly localPath: string | null;
  readonly profileFile: string;
  /** 1-based; 0 when unknown. */
  readonly line: number;
}
export interface FunctionRow {
  readonly functionName: string;
  readonly flat: number;
  readonly cum: number;
  readonly flatText: string;
  readonly cumText: string;
  readonly source: SourceRef;
}
export interface TopFunctionsResult {
  readonly sampleType: ValueTypeView;
  readonly total: number;
  readonly rows: readonly FunctionRow[];
  readonly unresolved: readonly { readonly file: string; readonly reason: string }[];
}
/** null when no profile is active. */
export const TopFunctionsRequest = request<TopFunctionsParams, TopFunctionsResult | null>('goTraceLens/topFunctions');

export interface FunctionDetailParams {
  readonly functionName: string;
}
export interface FunctionDetail {
  readonly hotLines: readonly { readonly line: number; readonly flat: number; readonly cum: number; readonly text: string; readonly source: SourceRef }[];
  readonly callers: readonly FunctionRow[];
  readonly callees: readonly FunctionRow[];
}
/** null when no profile is active. */
export const FunctionDetailRequest = request<FunctionDetailParams, FunctionDetail | null>('goTraceLens/functionDetail');

export type FlameGraphResult =
  | { readonly ok: true; readonly data: FlameGraphData; readonly summary: ProfileSummaryView }
  | { readonly ok: false; readonly message: string };
/** The active profile's flame graph and summary. */
export const FlameGraphRequest = request<void, FlameGraphResult>('goTraceLens/flameGraph');

export interface ResolveSourceParams {
  readonly profileFile: string;
}
export interface ResolveSourceResult {
  readonly localPath: string | null;
  readonly reason?: string;
  /** Outside the workspace (GOROOT, module cache): open read-only. */
  readonly readOnly: boolean;
}
/** A file name from a profile or a trace → the local file (the timeline uses it too). */
export const ResolveSourceRequest = request<ResolveSourceParams, ResolveSourceResult>('goTraceLens/resolveSource');

/** The `code` of the diagnostics that mark goroutine pile-ups. */
export const PILEUP_DIAGNOSTIC_CODE = 'goroutine-pileup';

/**
 * Span profiles: the samples of a span (and the spans below it) in the loaded profiles whose samples
 * carry span ID labels (`span_id` as otel-profiling-go and the example shop write it, Datadog's `span id`).
 */
export interface SpanSamplesParams {
  /** Hex span IDs as trace files write them: the span, then the spans below it. */
  readonly spanIds: readonly string[];
}
export interface SpanSamplesInProfile {
  readonly profileId: string;
  readonly label: string;
  readonly path: string;
  /** The label filter (pprof's -tagfocus) that keeps exactly these spans' samples. */
  readonly filter: string;
  readonly samples: number;
  /** How many of the spans asked about have samples here. */
  readonly spansWithSamples: number;
  /** "120ms" in the profile's default sample type, and its share of the profile ("4.80%"). */
  readonly totalText: string;
  readonly shareText: string;
  readonly sampleType: string;
}
export interface SpanSamplesResult {
  /** The loaded profiles with samples of the spans, most samples first. */
  readonly profiles: readonly SpanSamplesInProfile[];
  /** Labels of loaded profiles that carry span IDs, but none of these spans'. */
  readonly labelledWithout: readonly string[];
  /** How many profiles are loaded at all. */
  readonly loaded: number;
}
export const SpanSamplesRequest = request<SpanSamplesParams, SpanSamplesResult>('goTraceLens/spanSamples');

/** The active profile grouped by the values of one label (span_name, say), under the view's sample type and filter. */
export interface LabelGroupsParams {
  readonly key: string;
  readonly limit: number;
}
export interface LabelGroup {
  readonly value: string;
  /** The label filter that shows only this group. */
  readonly filter: string;
  readonly total: number;
  readonly samples: number;
  readonly totalText: string;
  /** Of the view's total. */
  readonly shareText: string;
}
export interface LabelGroupsResult {
  readonly key: string;
  readonly groups: readonly LabelGroup[];
  /** What no value of the key covers ("310ms (61.2%) without span_name"), or undefined when nothing. */
  readonly unlabelledText?: string;
}
/** null when no profile is active. */
export const LabelGroupsRequest = request<LabelGroupsParams, LabelGroupsResult | null>('goTraceLens/labelGroups');
