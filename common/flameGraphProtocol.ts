// Messages between the extension host and the flame graph webview (media/flamegraph). The graph travels
// as columns: typed arrays encoded as base64 (little-endian), in pre-order, node 0 the synthetic root, a
// node's subtree being the `subtreeSize` nodes starting at it, children heaviest first.

export interface ValueTypeView {
  readonly type: string;
  readonly unit: string;
}

/** Base64 of a little-endian Int32Array / Uint8Array / Float64Array. */
export type Base64Column = string;

export interface FlameGraphData {
  readonly sampleType: ValueTypeView;
  /** Root total of the profile (sum of the drawn samples' values). */
  readonly total: number;
  readonly nodeCount: number;
  /** Function names and profile file names; index 0 is "". */
  readonly strings: readonly string[];
  readonly parent: Base64Column; // Int32
  readonly depth: Base64Column; // Int32
  readonly subtreeSize: Base64Column; // Int32
  readonly name: Base64Column; // Int32 → strings
  readonly file: Base64Column; // Int32 → strings
  readonly line: Base64Column; // Int32
  readonly inline: Base64Column; // Uint8
  readonly selfValue: Base64Column; // Float64, ≥ 0
  readonly totalValue: Base64Column; // Float64, ≥ 0
  /**
   * Diff mode: the same nodes' values in the base profile (≥ 0); a node present only in the base has
   * zero in selfValue/totalValue. Widths use max(total, baseTotal); colours show the change.
   */
  readonly diff?: {
    readonly baseTotal: number;
    readonly baseSelfValue: Base64Column;
    readonly baseTotalValue: Base64Column;
    readonly baseLabel: string;
  };
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
