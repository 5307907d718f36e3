// What a UI needs to know about a profile before drawing anything: its kind (inferred from the sample and
// period types as Go writes them), the sample types with units and which one is the default, time and
// duration, whether it is a delta profile (`?seconds=N`), the label keys and values present (for a label
// filter), comments, and whether its frames carry source information at all.

import { numericLabelUnits } from './filters';
import { defaultSampleIndex, type Profile } from './profile';

export type ProfileKind =
  | 'cpu'
  | 'heap'
  | 'allocs'
  | 'goroutine'
  | 'mutex'
  | 'block'
  | 'threadcreate'
  /** The four profiles `go tool trace -pprof=net|sync|syscall|sched` derives from an execution trace. */
  | 'trace-net'
  | 'trace-sync'
  | 'trace-syscall'
  | 'trace-sched'
  /** One of those four when nothing says which (a file `go tool trace -pprof` wrote, opened by hand). */
  | 'trace-derived'
  | 'unknown';

const TRACE_KINDS: ReadonlySet<string> = new Set(['trace-net', 'trace-sync', 'trace-syscall', 'trace-sched']);

/** What a sample value of a trace-derived profile is, for lenses: "sched wait 120ms". */
const TRACE_DELAY_LABELS: Readonly<Record<string, string>> = {
  'trace-net': 'net wait',
  'trace-sync': 'sync block',
  'trace-syscall': 'syscall',
  'trace-sched': 'sched wait',
  'trace-derived': 'delay',
};

/** How a kind is named in titles and lists: "cpu", "scheduler latency (from a trace)". */
export function profileKindTitle(kind: ProfileKind): string {
  switch (kind) {
    case 'trace-net':
      return 'network wait (from a trace)';
    case 'trace-sync':
      return 'sync block (from a trace)';
    case 'trace-syscall':
      return 'syscall (from a trace)';
    case 'trace-sched':
      return 'scheduler latency (from a trace)';
    case 'trace-derived':
      return 'trace-derived';
    default:
      return kind;
  }
}

/**
 * The name a sample type goes by in lenses and hovers: the profile's own ("cpu", "inuse_space"), except
 * for profiles derived from a trace, whose "delay" says what was waited for ("sched wait").
 */
export function sampleTypeLabel(kind: ProfileKind | undefined, type: string): string {
  if (kind && kind in TRACE_DELAY_LABELS) {
    if (type === 'delay') return TRACE_DELAY_LABELS[kind]!;
    if (type === 'contentions') return `${TRACE_DELAY_LABELS[kind]} count`;
  }
  return type;
}

export interface LabelSummary {
  readonly key: string;
  /** Distinct string values, sorted (at most `maxLabelValues`). */
  readonly values: readonly string[];
  /** True when there were more distinct values than listed. */
  readonly truncated: boolean;
  /** For numeric labels: the unit and the range of values. */
  readonly numeric?: { readonly unit: string; readonly min: number; readonly max: number };
  /** Samples carrying this key. */
  readonly samples: number;
}

export interface ProfileInfo {
  readonly kind: ProfileKind;
  readonly sampleTypes: readonly { readonly type: string; readonly unit: string }[];
  readonly defaultSampleIndex: number;
  readonly periodType: { readonly type: string; readonly unit: string };
  readonly period: number;
  /** Wall-clock time of the capture (ms since the epoch), or null. */
  readonly timeMs: number | null;
  /** Duration in nanoseconds, 0 when not recorded. */
  readonly durationNanos: number;
  /** A `?seconds=N` delta of a cumulative profile (heap, allocs, mutex, block, goroutine). */
  readonly isDelta: boolean;
  readonly comments: readonly string[];
  readonly labels: readonly LabelSummary[];
  readonly sampleCount: number;
  readonly locationCount: number;
  readonly functionCount: number;
  /** Locations with no line information (only an address): their time cannot be put on source lines. */
  readonly locationsWithoutSource: number;
  /** The main binary's file name (first mapping), "" when unknown. */
  readonly mainBinary: string;
}

const MUTEX_LEAF = /(?:^|\.)\(?\*?(?:RW)?Mutex\)?\.R?Unlock$|^runtime\.unlock|_LostContendedRuntimeLock$/;

/** The innermost function name of each sample's leaf frame. */
function leafFunctions(profile: Profile): string[] {
  const { samples, locations: locs, functions: fns, strings } = profile;
  const names: string[] = [];
  for (let s = 0; s < samples.count; s++) {
    const first = samples.locationStart[s]!;
    if (first === samples.locationStart[s + 1]!) continue;
    const loc = samples.locations[first]!;
    if (locs.lineStart[loc] === locs.lineStart[loc + 1]) continue;
    names.push(strings[fns.name[locs.lineFunction[locs.lineStart[loc]!]!]!]!);
  }
  return names;
}

/**
 * The Go profile kind. Mutex and block profiles share their types (contentions/count, delay/nanoseconds);
 * they are told apart by their leaf frames (mutex samples end in an Unlock). Heap and allocs differ only
 * in default_sample_type, which net/http/pprof's `?seconds=N` deltas drop. `hint` (the endpoint the
 * profile came from) settles both when the caller knows it.
 */
export function inferProfileKind(profile: Profile, hint?: string): ProfileKind {
  const types = profile.sampleTypes.map((t) => t.type);
  const period = profile.periodType.type;
  const has = (t: string) => types.includes(t);
  if (period === 'cpu' || has('cpu')) return 'cpu';
  // go tool trace writes its profiles with period type trace/count (traceviewer.BuildProfile).
  if (period === 'trace') return hint && TRACE_KINDS.has(hint) ? (hint as ProfileKind) : 'trace-derived';
  if (has('alloc_space') || has('inuse_space') || period === 'space') {
    if (hint === 'heap' || hint === 'allocs') return hint;
    return profile.defaultSampleType === 'alloc_space' ? 'allocs' : 'heap';
  }
  if (has('goroutine') || period === 'goroutine') return 'goroutine';
  if (has('threadcreate') || period === 'threadcreate') return 'threadcreate';
  if (has('contentions') || has('delay') || period === 'contentions') {
    if (hint === 'mutex' || hint === 'block') return hint;
    const leaves = leafFunctions(profile);
    const unlocks = leaves.filter((name) => MUTEX_LEAF.test(name)).length;
    return leaves.length > 0 && unlocks * 2 >= leaves.length ? 'mutex' : 'block';
  }
  return 'unknown';
}

export function describeProfile(profile: Profile, options: { kindHint?: string; maxLabelValues?: number } = {}): ProfileInfo {
  const kind = inferProfileKind(profile, options.kindHint);
  const maxValues = options.maxLabelValues ?? 200;
  const { samples, strings, labelSets: sets } = profile;
  const stringValues = new Map<string, Set<string>>();
  const numeric = new Map<string, { min: number; max: number }>();
  const sampleCounts = new Map<string, number>();
  const samplesPerSet = new Float64Array(sets.count);
  for (let s = 0; s < samples.count; s++) samplesPerSet[samples.labelSet[s]!]!++;
  for (let set = 1; set < sets.count; set++) {
    if (samplesPerSet[set] === 0) continue;
    const seenKeys = new Set<string>();
    for (let i = sets.start[set]!; i < sets.start[set + 1]!; i++) {
      const key = strings[sets.key[i]!]!;
      seenKeys.add(key);
      if (sets.string[i] !== 0) {
        let values = stringValues.get(key);
        if (!values) stringValues.set(key, (values = new Set()));
        if (values.size <= maxValues) values.add(strings[sets.string[i]!]!);
      } else {
        const v = sets.number[i]!;
        const range = numeric.get(key);
        if (!range) numeric.set(key, { min: v, max: v });
        else {
          range.min = Math.min(range.min, v);
          range.max = Math.max(range.max, v);
        }
      }
    }
    for (const key of seenKeys) sampleCounts.set(key, (sampleCounts.get(key) ?? 0) + samplesPerSet[set]!);
  }
  const units = numericLabelUnits(profile);
  const keys = [...new Set([...stringValues.keys(), ...numeric.keys()])].sort();
  const labels = keys.map((key): LabelSummary => {
    const all = [...(stringValues.get(key) ?? [])].sort();
    const range = numeric.get(key);
    return {
      key,
      values: all.slice(0, maxValues),
      truncated: all.length > maxValues,
      ...(range ? { numeric: { unit: units.get(key) ?? key, min: range.min, max: range.max } } : {}),
      samples: sampleCounts.get(key) ?? 0,
    };
  });
  let withoutSource = 0;
  for (let l = 0; l < profile.locations.count; l++) if (profile.locations.lineStart[l] === profile.locations.lineStart[l + 1]) withoutSource++;
  const durationNanos = Number(profile.durationNanos);
  return {
    kind,
    sampleTypes: profile.sampleTypes.map((t) => ({ type: t.type, unit: t.unit })),
    defaultSampleIndex: profile.sampleTypes.length > 0 ? defaultSampleIndex(profile) : -1,
    periodType: { ...profile.periodType },
    period: profile.period,
    timeMs: profile.timeNanos !== 0n ? Number(profile.timeNanos / 1000000n) : null,
    durationNanos,
    isDelta: durationNanos > 0 && kind !== 'cpu' && kind !== 'unknown' && kind !== 'threadcreate',
    comments: [...profile.comments],
    labels,
    sampleCount: samples.count,
    locationCount: profile.locations.count,
    functionCount: profile.functions.count,
    locationsWithoutSource: withoutSource,
    mainBinary: profile.mappings[0]?.file ?? '',
  };
}
