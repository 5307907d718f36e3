// Sample filters with `go tool pprof`'s semantics:
//  - focus/ignore (`-focus`, `-ignore`): a location matches when any of its frames' function name or file
//    name, or its mapping's file, matches the Go regexp; a sample is kept when it has a focused location
//    and no ignored one (so with any of them set, samples with an empty stack go).
//  - tag filters (`-tagfocus`): "key=regexps" keeps samples whose string label `key` matches one of the
//    comma-separated regexps; "regexps" alone must match "key:value" of some label, every regexp; numeric
//    ranges ("key=1kb:64kb", "key=4096", ":1mb") compare numeric labels in their unit.

import { compileGoRegexp } from './goRegexp';
import type { Profile } from './profile';
import { ProfileError } from './profileError';
import { scaleValue } from './units';

export interface SampleFilterOptions {
  readonly focus?: string;
  readonly ignore?: string;
  /** `key=value` filters, all of which must hold (each like one `-tagfocus`). */
  readonly tags?: readonly string[];
}

/** What a filter matched, for "matched no samples" warnings. */
export interface FilterMatches {
  focusMatched: boolean;
  ignoreMatched: boolean;
  tagMatched: boolean[];
}

/** Whether the samples of label set `set` pass a tag filter. */
type TagPredicate = (profile: Profile, set: number, isBase: boolean) => boolean;

export interface CompiledFilters {
  readonly focus: RegExp | null;
  readonly ignore: RegExp | null;
  readonly tags: readonly TagPredicate[];
  readonly active: boolean;
}

const RANGE_PART = /([+-]?[0-9]+)([A-Za-z]+)?/g;

/** pprof's numeric tag range ("32kb", "1mb:", ":64kb", "4kb:8mb"), or null when `filter` is not one. */
function parseTagRange(filter: string): ((value: number, unit: string) => boolean) | null {
  const matches = [...filter.matchAll(RANGE_PART)].slice(0, 2);
  if (matches.length === 0) return null;
  const first = matches[0]!;
  const { value: bound, unit } = scaleValue(Number(first[1]), first[2] ?? '', first[2] ?? '');
  const inUnit = (v: number, u: string): number | null => {
    const scaled = scaleValue(v, u, unit);
    return scaled.unit === unit ? scaled.value : null;
  };
  if (matches.length === 1) {
    const match = first[0];
    if (filter === match) return (v, u) => inUnit(v, u) === bound;
    if (filter === match + ':') return (v, u) => { const s = inUnit(v, u); return s !== null && s >= bound; };
    if (filter === ':' + match) return (v, u) => { const s = inUnit(v, u); return s !== null && s <= bound; };
    return null;
  }
  const second = matches[1]!;
  if (filter !== `${first[0]}:${second[0]}`) return null;
  const upper = scaleValue(Number(second[1]), second[2] ?? '', unit);
  if (upper.unit !== unit) return null;
  return (v, u) => { const s = inUnit(v, u); return s !== null && s >= bound && s <= upper.value; };
}

/** The unit of each numeric label key, as pprof infers it (first unit given, else from the key's name). */
export function numericLabelUnits(profile: Profile): Map<string, string> {
  const units = new Map<string, string>();
  const keys = new Set<string>();
  const { key: labelKey, string: labelString, unit: labelUnit } = profile.labelSets;
  for (let i = 0; i < labelKey.length; i++) {
    if (labelString[i] !== 0) continue;
    const key = profile.strings[labelKey[i]!]!;
    keys.add(key);
    const unit = profile.strings[labelUnit[i]!]!;
    if (unit !== '' && !units.has(key)) units.set(key, unit);
  }
  for (const key of keys) {
    if (!units.get(key)) units.set(key, key === 'alignment' || key === 'request' ? 'bytes' : key);
  }
  return units;
}

function compileTagFilter(filter: string): TagPredicate {
  const eq = filter.indexOf('=');
  const wantKey = eq === -1 ? '' : filter.slice(0, eq);
  const value = eq === -1 ? filter : filter.slice(eq + 1);
  if (value === '') throw new ProfileError('bad-filter', `the tag filter ${JSON.stringify(filter)} has no value. Write key=value, e.g. worker=cpu.`);

  const range = parseTagRange(value);
  if (range) {
    const unitCache = new WeakMap<Profile, Map<string, string>>();
    const unitsOf = (profile: Profile) => {
      let units = unitCache.get(profile);
      if (!units) unitCache.set(profile, (units = numericLabelUnits(profile)));
      return units;
    };
    return (profile, set) => {
      const { start, key: labelKey, string: labelString, number: labelNumber } = profile.labelSets;
      const units = unitsOf(profile);
      for (let i = start[set]!; i < start[set + 1]!; i++) {
        if (labelString[i] !== 0) continue;
        const key = profile.strings[labelKey[i]!]!;
        if (wantKey !== '' && key !== wantKey) continue;
        if (range(labelNumber[i]!, units.get(key) ?? key)) return true;
      }
      return false;
    };
  }

  const regexps = value.split(',').map((part) => compileGoRegexp(part, 'tag filter'));
  if (wantKey === '') {
    return (profile, set, isBase) => {
      const { start, key: labelKey, string: labelString } = profile.labelSets;
      return regexps.every((re) => {
        // Samples of a diff base carry pprof's "pprof::base" label.
        if (isBase && re.test('pprof::base:true')) return true;
        for (let i = start[set]!; i < start[set + 1]!; i++) {
          if (labelString[i] === 0) continue;
          if (re.test(`${profile.strings[labelKey[i]!]}:${profile.strings[labelString[i]!]}`)) return true;
        }
        return false;
      });
    };
  }
  return (profile, set) => {
    const { start, key: labelKey, string: labelString } = profile.labelSets;
    for (let i = start[set]!; i < start[set + 1]!; i++) {
      if (labelString[i] === 0 || profile.strings[labelKey[i]!] !== wantKey) continue;
      const text = profile.strings[labelString[i]!]!;
      if (regexps.some((re) => re.test(text))) return true;
    }
    return false;
  };
}

export function compileFilters(options: SampleFilterOptions): CompiledFilters {
  const focus = options.focus ? compileGoRegexp(options.focus, 'focus') : null;
  const ignore = options.ignore ? compileGoRegexp(options.ignore, 'ignore') : null;
  const tags = (options.tags ?? []).map(compileTagFilter);
  return { focus, ignore, tags, active: focus !== null || ignore !== null || tags.length > 0 };
}

/** Whether each location matches `re` on a function name, a file name or its mapping's file. */
function matchLocations(profile: Profile, re: RegExp): Uint8Array {
  const { locations: locs, functions: fns, strings, mappings } = profile;
  const byFunction = new Int8Array(fns.count).fill(-1);
  const byMapping = mappings.map((m) => re.test(m.file));
  const matched = new Uint8Array(locs.count);
  for (let l = 0; l < locs.count; l++) {
    let hit = false;
    for (let i = locs.lineStart[l]!; i < locs.lineStart[l + 1]! && !hit; i++) {
      const f = locs.lineFunction[i]!;
      if (byFunction[f] === -1) byFunction[f] = re.test(strings[fns.name[f]!]!) || re.test(strings[fns.filename[f]!]!) ? 1 : 0;
      hit = byFunction[f] === 1;
    }
    if (!hit && locs.mapping[l]! >= 0) hit = byMapping[locs.mapping[l]!]!;
    matched[l] = hit ? 1 : 0;
  }
  return matched;
}

/**
 * The samples of `profile` the filters keep, as a mask (1 = kept), or null when no filter is set.
 * `matches` collects whether each filter matched anything.
 */
export function selectSamples(profile: Profile, filters: CompiledFilters, isBase: boolean, matches: FilterMatches): Uint8Array | null {
  if (!filters.active) return null;
  const { samples } = profile;
  const keep = new Uint8Array(samples.count).fill(1);
  if (filters.focus || filters.ignore) {
    // 1 = focused, 2 = ignored, 0 = neither (as pprof's focusOrIgnore map).
    const state = new Uint8Array(profile.locations.count);
    const ignored = filters.ignore ? matchLocations(profile, filters.ignore) : null;
    const focused = filters.focus ? matchLocations(profile, filters.focus) : null;
    for (let l = 0; l < state.length; l++) {
      if (ignored && ignored[l]) {
        state[l] = 2;
        matches.ignoreMatched = true;
      } else if (!focused || focused[l]) {
        state[l] = 1;
        matches.focusMatched = true;
      }
    }
    const { locationStart, locations } = samples;
    for (let s = 0; s < samples.count; s++) {
      let f = false;
      let drop = false;
      for (let i = locationStart[s]!; i < locationStart[s + 1]!; i++) {
        const st = state[locations[i]!];
        if (st === 2) {
          drop = true;
          break;
        }
        if (st === 1) f = true;
      }
      if (drop || !f) keep[s] = 0;
    }
  }
  filters.tags.forEach((predicate, t) => {
    // Evaluated once per label set: -1 unknown, 0 fails, 1 passes.
    const verdict = new Int8Array(profile.labelSets.count).fill(-1);
    for (let s = 0; s < samples.count; s++) {
      if (!keep[s]) continue;
      const set = samples.labelSet[s]!;
      if (verdict[set] === -1) verdict[set] = predicate(profile, set, isBase) ? 1 : 0;
      if (verdict[set] === 1) matches.tagMatched[t] = true;
      else keep[s] = 0;
    }
  });
  return keep;
}
