// What `go tool pprof -tags` lists for one label key: for each string value of the key, the total of the
// query's sample type over the samples that carry it (after the query's filters), and the key's total
// over every sample that carries the key at all. A sample with two values of the key counts for each.
// Span profiles use it to find the samples of a span (span_id) and to group a profile by span name.

import type { ProfileQuery } from './query';

export interface LabelValueTotal {
  readonly value: string;
  /** Sum of the sample type's values (as pprof -tags sums them: absolute values). */
  readonly total: number;
  /** How many samples carry the value. */
  readonly samples: number;
}

export interface LabelTotals {
  readonly key: string;
  /** Over the samples that carry the key. */
  readonly total: number;
  readonly samples: number;
  /** Over every sample the query keeps, with the key or not. */
  readonly queryTotal: number;
  /** Largest total first, then by value, as pprof -tags orders them. */
  readonly values: readonly LabelValueTotal[];
}

/** The totals of each value of string label `key` in the query's profile (a diff base is not counted). */
export function labelValueTotals(query: ProfileQuery, key: string): LabelTotals {
  const source = query.sources.find((s) => !s.isBase);
  const byValue = new Map<string, { total: number; samples: number }>();
  let total = 0;
  let samples = 0;
  let queryTotal = 0;
  if (source) {
    const { profile, selected } = source;
    const { strings, labelSets } = profile;
    // The values of `key` in each label set, looked up once per set.
    const setValues: (readonly string[] | undefined)[] = new Array(labelSets.count);
    const valuesOf = (set: number): readonly string[] => {
      let values = setValues[set];
      if (values === undefined) {
        const found: string[] = [];
        for (let i = labelSets.start[set]!; i < labelSets.start[set + 1]!; i++) {
          if (labelSets.string[i] !== 0 && strings[labelSets.key[i]!] === key) found.push(strings[labelSets.string[i]!]!);
        }
        setValues[set] = values = found;
      }
      return values;
    };
    const T = profile.sampleTypes.length;
    const { count, values, labelSet } = profile.samples;
    for (let s = 0; s < count; s++) {
      if (selected && selected[s] === 0) continue;
      const v = Math.abs(values[s * T + query.sampleIndex]!);
      queryTotal += v;
      const set = labelSet[s]!;
      if (set === 0) continue;
      const found = valuesOf(set);
      if (found.length === 0) continue;
      total += v;
      samples++;
      for (const value of found) {
        const entry = byValue.get(value);
        if (entry) {
          entry.total += v;
          entry.samples++;
        } else byValue.set(value, { total: v, samples: 1 });
      }
    }
  }
  const list = [...byValue].map(([value, t]) => ({ value, total: t.total, samples: t.samples }));
  list.sort((a, b) => b.total - a.total || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { key, total, samples, queryTotal, values: list };
}

/**
 * The label filter (pprof's -tagfocus) that keeps the samples whose label `key` is exactly one of
 * `values`: `key=^(?:a|b)$`. Regexp characters are escaped, and commas (which -tagfocus splits on)
 * written as \x2c.
 */
export function exactLabelFilter(key: string, values: readonly string[]): string {
  const quoted = values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/,/g, '\\x2c'));
  return `${key}=^${quoted.length === 1 ? quoted[0] : `(?:${quoted.join('|')})`}$`;
}
