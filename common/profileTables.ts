// A pprof profile (core/profiles' Profile) assembled from plain tables, for profiles made in TypeScript
// rather than decoded: a goroutine dump (core/profiles) and the profiles derived from an execution trace
// (core/timeline). One line per location, no mappings, ids that are positions + 1: the columns the
// decoder would have made of the same profile in protobuf. Here, importing nothing, because both cores
// use it and the timeline core is bundled into a web worker without the profiles core; the result is
// typed by its shape, which core/profiles' Profile accepts.

export interface LabelSetColumns {
  readonly count: number;
  readonly start: Uint32Array;
  readonly key: Int32Array;
  readonly string: Int32Array;
  readonly number: Float64Array;
  readonly unit: Int32Array;
}

export interface ProfileTables {
  /** The string table; index 0 is "". */
  readonly strings: readonly string[];
  readonly sampleTypes: readonly { readonly type: string; readonly unit: string }[];
  readonly periodType: { readonly type: string; readonly unit: string };
  readonly timeNanos: bigint;
  readonly comments: readonly string[];
  /** Functions by position: name and file (string indices). */
  readonly functionName: readonly number[];
  readonly functionFile: readonly number[];
  /** Locations by position: function (position), line and address (0 when unknown). */
  readonly locationFunction: readonly number[];
  readonly locationLine: readonly number[];
  readonly locationAddress?: readonly number[];
  /** Sample s has locations sampleLocations[sampleStart[s] .. sampleStart[s+1]), leaf first. */
  readonly sampleStart: Uint32Array;
  readonly sampleLocations: readonly number[];
  /** sampleTypes.length values per sample. */
  readonly values: Int32Array | Float64Array;
  readonly labelSet: Uint32Array;
  readonly labelSets: LabelSetColumns;
}

/** A label set table with only the empty set, for samples without labels. */
export const NO_LABEL_SETS: LabelSetColumns = { count: 1, start: new Uint32Array([0, 0]), key: new Int32Array(0), string: new Int32Array(0), number: new Float64Array(0), unit: new Int32Array(0) };

export function profileFromTables(t: ProfileTables) {
  const functionCount = t.functionName.length;
  const locationCount = t.locationFunction.length;
  return {
    strings: t.strings,
    sampleTypes: t.sampleTypes,
    defaultSampleType: '',
    periodType: t.periodType,
    period: 1,
    timeNanos: t.timeNanos,
    durationNanos: 0n,
    dropFrames: '',
    keepFrames: '',
    comments: t.comments,
    docUrl: '',
    mappings: [],
    functions: {
      count: functionCount,
      id: Float64Array.from({ length: functionCount }, (_, f) => f + 1),
      name: Int32Array.from(t.functionName),
      systemName: Int32Array.from(t.functionName),
      filename: Int32Array.from(t.functionFile),
      startLine: new Float64Array(functionCount),
    },
    locations: {
      count: locationCount,
      id: Float64Array.from({ length: locationCount }, (_, l) => l + 1),
      mapping: new Int32Array(locationCount).fill(-1),
      address: t.locationAddress ? BigUint64Array.from(t.locationAddress, (a) => BigInt(a)) : new BigUint64Array(locationCount),
      isFolded: new Uint8Array(locationCount),
      lineStart: Uint32Array.from({ length: locationCount + 1 }, (_, l) => l),
      lineFunction: Int32Array.from(t.locationFunction),
      lineNumber: Float64Array.from(t.locationLine),
      lineColumn: new Float64Array(locationCount),
    },
    samples: {
      count: t.sampleStart.length - 1,
      locationStart: t.sampleStart,
      locations: locationCount <= 0x10000 ? Uint16Array.from(t.sampleLocations) : Uint32Array.from(t.sampleLocations),
      values: t.values,
      labelSet: t.labelSet,
    },
    labelSets: t.labelSets,
  };
}
