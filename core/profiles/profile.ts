// The decoded profile: the pprof `profile.proto` model in columnar form. Big tables (samples, locations,
// lines, functions) are typed arrays indexed by position, so a million samples cost a few flat buffers
// rather than a million objects; ids from the file are kept next to the positions that replace them.
// 64-bit quantities that may exceed 2^53 (addresses, mapping bounds, timestamps) are bigints.

export interface ValueType {
  readonly type: string;
  readonly unit: string;
}

export interface Mapping {
  readonly id: number;
  readonly memoryStart: bigint;
  readonly memoryLimit: bigint;
  readonly fileOffset: bigint;
  /** The object file's path, "" when unknown. */
  readonly file: string;
  readonly buildId: string;
  readonly hasFunctions: boolean;
  readonly hasFilenames: boolean;
  readonly hasLineNumbers: boolean;
  readonly hasInlineFrames: boolean;
}

/** Functions by position. Names are indices into `Profile.strings`. */
export interface FunctionTable {
  readonly count: number;
  readonly id: Float64Array;
  readonly name: Int32Array;
  readonly systemName: Int32Array;
  readonly filename: Int32Array;
  readonly startLine: Float64Array;
}

/**
 * Locations by position. Location `i` has lines `lineStart[i] .. lineStart[i+1]-1`; the first of them is the
 * innermost frame (the inlined callee), the last the outermost (the function the address belongs to).
 */
export interface LocationTable {
  readonly count: number;
  readonly id: Float64Array;
  /** Index into `Profile.mappings`, or -1. */
  readonly mapping: Int32Array;
  readonly address: BigUint64Array;
  readonly isFolded: Uint8Array;
  readonly lineStart: Uint32Array;
  /** Index into the function table. */
  readonly lineFunction: Int32Array;
  readonly lineNumber: Float64Array;
  readonly lineColumn: Float64Array;
}

/**
 * Samples by position. Sample `s` has locations `locations[locationStart[s] .. locationStart[s+1]-1]`
 * (location positions, leaf first), values `values[s*T .. s*T+T-1]` for T sample types, and the labels of
 * label set `labelSet[s]`.
 */
export interface SampleTable {
  readonly count: number;
  readonly locationStart: Uint32Array;
  readonly locations: Uint16Array | Uint32Array;
  /** 32-bit when every value fits (the common case), else 64-bit floats (exact up to 2^53). */
  readonly values: Int32Array | Float64Array;
  /** Index into `Profile.labelSets`; 0 is the empty set. */
  readonly labelSet: Uint32Array;
}

/**
 * The distinct label sets of the samples (a profile has few: the pprof.Do labels in use, the heap's size
 * classes), so a million samples do not carry a million copies. Set `i` has labels
 * `start[i] .. start[i+1]-1`, in the order the first sample carrying it lists them; set 0 is empty.
 */
export interface LabelSetTable {
  readonly count: number;
  readonly start: Uint32Array;
  /** Label key (string index). */
  readonly key: Int32Array;
  /** String value (string index), 0 for a numeric label. */
  readonly string: Int32Array;
  /** Numeric value, for labels whose `string` is 0. */
  readonly number: Float64Array;
  /** Unit of a numeric value (string index), 0 when not given. */
  readonly unit: Int32Array;
}

export interface Profile {
  /** The string table; index 0 is "". */
  readonly strings: readonly string[];
  readonly sampleTypes: readonly ValueType[];
  /** The `default_sample_type` name, "" when not set. */
  readonly defaultSampleType: string;
  readonly periodType: ValueType;
  readonly period: number;
  readonly timeNanos: bigint;
  readonly durationNanos: bigint;
  readonly dropFrames: string;
  readonly keepFrames: string;
  readonly comments: readonly string[];
  readonly docUrl: string;
  readonly mappings: readonly Mapping[];
  readonly functions: FunctionTable;
  readonly locations: LocationTable;
  readonly samples: SampleTable;
  readonly labelSets: LabelSetTable;
}

/** Number of values each sample carries. */
export function valuesPerSample(profile: Profile): number {
  return profile.sampleTypes.length;
}

/** The sample type index pprof uses when none is asked for: `default_sample_type`, else the last one. */
export function defaultSampleIndex(profile: Profile): number {
  if (profile.defaultSampleType !== '') {
    const i = profile.sampleTypes.findIndex((t) => t.type === profile.defaultSampleType);
    if (i >= 0) return i;
  }
  return profile.sampleTypes.length - 1;
}

/** The label values of one sample, as pprof groups them: string labels and numeric labels by key. */
export interface SampleLabels {
  readonly strings: ReadonlyMap<string, string[]>;
  readonly numbers: ReadonlyMap<string, { value: number; unit: string }[]>;
}

export function sampleLabels(profile: Profile, sample: number): SampleLabels {
  const sets = profile.labelSets;
  const set = profile.samples.labelSet[sample]!;
  const strings = new Map<string, string[]>();
  const numbers = new Map<string, { value: number; unit: string }[]>();
  for (let i = sets.start[set]!; i < sets.start[set + 1]!; i++) {
    const key = profile.strings[sets.key[i]!]!;
    if (sets.string[i] !== 0) {
      const list = strings.get(key) ?? [];
      list.push(profile.strings[sets.string[i]!]!);
      strings.set(key, list);
    } else {
      const list = numbers.get(key) ?? [];
      list.push({ value: sets.number[i]!, unit: profile.strings[sets.unit[i]!]! });
      numbers.set(key, list);
    }
  }
  return { strings, numbers };
}
