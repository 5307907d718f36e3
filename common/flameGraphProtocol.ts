// Messages between the extension host and the flame graph webview (media/flamegraph), and the flame graph's
// shape, declared once: the pprof core builds a `FlameGraph` (typed array columns, in pre-order, node 0 the
// synthetic root, a node's subtree being the `subtreeSize` nodes starting at it, children heaviest first),
// the language server sends it as `FlameGraphData` (the same columns as base64 of their little-endian
// bytes, since it crosses JSON twice: to the extension host and on to the webview), and the webview decodes
// it back into typed arrays.

export interface ValueTypeView {
  readonly type: string;
  readonly unit: string;
}

/** Base64 of a little-endian Int32Array / Uint8Array / Float64Array. */
export type Base64Column = string;

/** The typed array a column is. */
export interface ColumnArrays {
  readonly int32: Int32Array;
  readonly uint8: Uint8Array;
  readonly float64: Float64Array;
}

export type ColumnKind = keyof ColumnArrays;

/** The flame graph's columns, one entry per node, and what each holds. */
export const FLAME_COLUMNS = {
  parent: 'int32',
  depth: 'int32',
  subtreeSize: 'int32',
  /** Function name (or pprof's name for frames without one), index into `strings`. */
  name: 'int32',
  file: 'int32',
  /** Line of the frame for `lines` granularity; the function's first line for `functions`. */
  line: 'int32',
  /** 1 when the frame was inlined into its caller everywhere it was seen. */
  inline: 'uint8',
  /** ≥ 0: the samples that end at the node. */
  selfValue: 'float64',
  /** ≥ 0: the samples that pass through the node. */
  totalValue: 'float64',
} as const satisfies Record<string, ColumnKind>;

/** Diff mode's columns: the same nodes' values in the base profile (≥ 0). */
export const FLAME_DIFF_COLUMNS = {
  baseSelfValue: 'float64',
  baseTotalValue: 'float64',
} as const satisfies Record<string, ColumnKind>;

/** Columns of a spec held as typed arrays. */
export type TypedColumns<Spec extends Record<string, ColumnKind>> = { readonly [Name in keyof Spec]: ColumnArrays[Spec[Name]] };

/** Columns of a spec as they travel: base64. */
export type EncodedColumns<Spec extends Record<string, ColumnKind>> = { readonly [Name in keyof Spec]: Base64Column };

/** Fresh zeroed columns of `count` entries. */
export function newColumns<Spec extends Record<string, ColumnKind>>(spec: Spec, count: number): TypedColumns<Spec> {
  const make = { int32: (n: number) => new Int32Array(n), uint8: (n: number) => new Uint8Array(n), float64: (n: number) => new Float64Array(n) };
  return Object.fromEntries(Object.entries(spec).map(([name, kind]) => [name, make[kind](count)])) as TypedColumns<Spec>;
}

interface FlameGraphHeader {
  readonly sampleType: ValueTypeView;
  /** Root total of the profile (sum of the drawn samples' values). */
  readonly total: number;
  readonly nodeCount: number;
  /** Function names and profile file names; index 0 is "". */
  readonly strings: readonly string[];
}

/** A flame graph in memory: what the pprof core builds, the server merges for a diff and the webview draws. */
export interface FlameGraph extends FlameGraphHeader, TypedColumns<typeof FLAME_COLUMNS> {}

/** The diff base's part of a merged graph. */
export interface FlameDiffHeader {
  readonly baseTotal: number;
  readonly baseLabel: string;
}

/** A flame graph as it travels to the webview. */
export interface FlameGraphData extends FlameGraphHeader, EncodedColumns<typeof FLAME_COLUMNS> {
  /**
   * Diff mode: the same nodes' values in the base profile (≥ 0); a node present only in the base has
   * zero in selfValue/totalValue. Widths use max(total, baseTotal); colours show the change.
   */
  readonly diff?: FlameDiffHeader & EncodedColumns<typeof FLAME_DIFF_COLUMNS>;
}

export interface SummaryRow {
  readonly functionName: string;
  readonly flat: number;
  readonly cum: number;
}

/** The header above the graph. Values are raw, in `sampleType.unit`; the webview formats them. */
export interface ProfileSummaryView {
  readonly title: string;
  /** "cpu", "heap", "goroutine", … */
  readonly kind: string;
  readonly sampleType: ValueTypeView;
  readonly sampleTypes: readonly ValueTypeView[];
  readonly durationNanos: number;
  readonly timeMs: number | null;
  readonly total: number;
  readonly top: readonly SummaryRow[];
  readonly filter?: string;
  readonly diffBase?: string;
}

export type HostToFlameGraph =
  | { readonly type: 'load'; readonly data: FlameGraphData; readonly summary: ProfileSummaryView }
  /** Zoom to the heaviest node of this function and highlight it (from a CodeLens click). */
  | { readonly type: 'reveal'; readonly functionName: string }
  /** Nothing to show (no active profile, or the file is not a profile): the reason, as text. */
  | { readonly type: 'empty'; readonly message: string; readonly offerOpenAsText?: boolean };

export type FlameGraphToHost =
  | { readonly type: 'ready' }
  /** Open a frame's source: its profile file name and line, resolved by the host. */
  | { readonly type: 'openSource'; readonly file: string; readonly line: number; readonly functionName: string }
  | { readonly type: 'switchSampleType'; readonly sampleType: string }
  | { readonly type: 'openAsText' }
  /** Timing figures for `npm run bench:ui`. */
  | { readonly type: 'metrics'; readonly name: string; readonly value: number };

/** What the webview keeps across hide/show through setState. */
export interface FlameGraphState {
  readonly orientation: 'icicle' | 'flame';
  readonly search: string;
  /** Node index zoomed into, 0 for the whole graph. */
  readonly zoom: number;
  /**
   * The zoomed node's function names from the root's child down (empty for the whole graph). Node indexes
   * change when the graph is rebuilt (another sample type or filter); the path finds the same frame again.
   */
  readonly zoomPath?: readonly string[];
}
