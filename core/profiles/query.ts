// A query over a profile: which sample type to read, which samples the filters keep, and an optional diff
// base (`-diff_base` semantics: the base's values count negatively, its samples carry "pprof::base", and
// percentages are of the base's total). Every aggregation (top, lines, callers, flame graph) takes one.

import { compileFilters, selectSamples, type FilterMatches, type SampleFilterOptions } from './filters';
import { defaultSampleIndex, type Profile, type ValueType } from './profile';
import { ProfileError } from './profileError';
import { pruneDroppedFrames } from './pruneFrames';

export interface QueryOptions extends SampleFilterOptions {
  /** Sample type by name ("alloc_space", "inuse_space" also finds "space") or index; default as pprof. */
  readonly sampleIndex?: string | number;
  /** A base profile to subtract (`-diff_base`). */
  readonly base?: Profile;
}

/** One profile's part in a query. */
export interface QuerySource {
  readonly profile: Profile;
  /** +1 for the profile, -1 for a diff base. */
  readonly sign: 1 | -1;
  readonly isBase: boolean;
  /** Samples kept by the filters (1 = kept), or null for all. */
  readonly selected: Uint8Array | null;
}

export interface ProfileQuery {
  readonly sampleIndex: number;
  readonly sampleType: ValueType;
  readonly sources: readonly QuerySource[];
  /** The total percentages are computed against, as pprof's: before filtering, of the base when diffing. */
  readonly total: number;
  readonly matches: FilterMatches;
  readonly filtered: boolean;
}

/** Resolves a sample type name or index as `go tool pprof -sample_index` does. */
export function resolveSampleIndex(profile: Profile, sampleIndex: string | number | undefined): number {
  const types = profile.sampleTypes;
  if (types.length === 0) throw new ProfileError('bad-sample-index', 'the profile has no sample types, so there is nothing to report.');
  if (sampleIndex === undefined || sampleIndex === '') return defaultSampleIndex(profile);
  const names = types.map((t) => t.type).join(', ');
  if (typeof sampleIndex === 'number' || /^[+-]?\d+$/.test(sampleIndex)) {
    const i = Number(sampleIndex);
    if (!Number.isInteger(i) || i < 0 || i >= types.length) {
      throw new ProfileError('bad-sample-index', `sample index ${sampleIndex} is outside the range [0..${types.length - 1}]; the sample types are ${names}.`);
    }
    return i;
  }
  const noInuse = sampleIndex.startsWith('inuse_') ? sampleIndex.slice('inuse_'.length) : sampleIndex;
  const i = types.findIndex((t) => t.type === sampleIndex || t.type === noInuse);
  if (i < 0) throw new ProfileError('bad-sample-index', `the profile has no sample type "${sampleIndex}"; it has ${names}.`);
  return i;
}

function sameValueTypes(a: readonly ValueType[], b: readonly ValueType[]): boolean {
  return a.length === b.length && a.every((t, i) => t.type === b[i]!.type && t.unit === b[i]!.unit);
}

function describeTypes(types: readonly ValueType[]): string {
  return types.map((t) => `${t.type}/${t.unit}`).join(', ') || 'none';
}

export function prepareQuery(profile: Profile, options: QueryOptions = {}): ProfileQuery {
  const sampleIndex = resolveSampleIndex(profile, options.sampleIndex);
  const filters = compileFilters(options);
  const matches: FilterMatches = { focusMatched: false, ignoreMatched: false, tagMatched: (options.tags ?? []).map(() => false) };
  const sources: QuerySource[] = [];
  const main = pruneDroppedFrames(profile);
  sources.push({ profile: main, sign: 1, isBase: false, selected: selectSamples(main, filters, false, matches) });
  if (options.base) {
    if (!sameValueTypes(profile.sampleTypes, options.base.sampleTypes)) {
      throw new ProfileError(
        'incompatible-base',
        `the base profile measures ${describeTypes(options.base.sampleTypes)} but the profile measures ${describeTypes(profile.sampleTypes)}. Diff profiles of the same kind (heap with heap, cpu with cpu).`,
      );
    }
    const base = pruneDroppedFrames(options.base);
    sources.push({ profile: base, sign: -1, isBase: true, selected: selectSamples(base, filters, true, matches) });
  }
  return {
    sampleIndex,
    sampleType: profile.sampleTypes[sampleIndex]!,
    sources,
    total: reportTotal(sources, sampleIndex),
    matches,
    filtered: filters.active,
  };
}

/** pprof's `computeTotal`: the sum of |value| over all samples, or over the base's when diffing. */
function reportTotal(sources: readonly QuerySource[], sampleIndex: number): number {
  let total = 0;
  let baseTotal = 0;
  for (const { profile, isBase } of sources) {
    const { values, count } = profile.samples;
    const T = profile.sampleTypes.length;
    let sum = 0;
    for (let s = 0; s < count; s++) sum += Math.abs(values[s * T + sampleIndex]!);
    total += sum;
    if (isBase) baseTotal += sum;
  }
  return baseTotal > 0 ? baseTotal : total;
}
