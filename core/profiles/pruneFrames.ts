// The profile's own `drop_frames`/`keep_frames`, applied the way `go tool pprof` applies them to every
// profile it loads (`RemoveUninteresting`): frames matching drop_frames (and not keep_frames), and
// everything called from them, are cut from each sample, but never the frames above the first user frame.

import { compileGoRegexp } from './goRegexp';
import type { Profile } from './profile';

const RESERVED_NAMES = ['(anonymous namespace)', 'operator()'];

/** pprof's `simplifyFunc`: drop a leading "." and an argument list (the first "(" not in a reserved name). */
export function simplifyFunctionName(name: string): string {
  let f = name.startsWith('.') ? name.slice(1) : name;
  let i = 0;
  while (i < f.length) {
    const reserved = RESERVED_NAMES.find((r) => f.startsWith(r, i));
    if (reserved) {
      i += reserved.length;
      continue;
    }
    if (f[i] === '(') {
      f = f.slice(0, i);
      break;
    }
    i++;
  }
  return f;
}

/** The profile with drop_frames/keep_frames applied; the same object when it sets none. */
export function pruneDroppedFrames(profile: Profile): Profile {
  if (profile.dropFrames === '') return profile;
  const drop = compileGoRegexp(`^(${profile.dropFrames})$`, 'drop_frames');
  const keep = profile.keepFrames !== '' ? compileGoRegexp(`^(${profile.keepFrames})$`, 'keep_frames') : null;
  const { locations: locs, functions: fns, strings, samples } = profile;

  const cache = new Map<string, boolean>();
  const pruneFrom = (name: string): boolean => {
    let result = cache.get(name);
    if (result === undefined) {
      const simple = simplifyFunctionName(name);
      result = drop.test(simple) && !(keep && keep.test(simple));
      cache.set(name, result);
    }
    return result;
  };

  // Per location: 0 untouched, 1 prune beneath (inner lines cut), 2 prune the whole location.
  const mark = new Uint8Array(locs.count);
  const lineStart = new Uint32Array(locs.count + 1);
  const lineIndex: number[] = [];
  for (let l = 0; l < locs.count; l++) {
    const first = locs.lineStart[l]!;
    const last = locs.lineStart[l + 1]!;
    let i = last - 1;
    for (; i >= first; i--) {
      const name = strings[fns.name[locs.lineFunction[i]!]!]!;
      if (name !== '' && pruneFrom(name)) break;
    }
    lineStart[l] = lineIndex.length;
    let keepFrom = first;
    if (i >= first) {
      mark[l] = i === last - 1 ? 2 : 1;
      keepFrom = i + 1;
    }
    for (let j = keepFrom; j < last; j++) lineIndex.push(j);
  }
  lineStart[locs.count] = lineIndex.length;

  const locationStart = new Uint32Array(samples.count + 1);
  const kept: number[] = [];
  for (let s = 0; s < samples.count; s++) {
    const begin = samples.locationStart[s]!;
    const end = samples.locationStart[s + 1]!;
    let from = begin;
    let foundUser = false;
    for (let i = end - 1; i >= begin; i--) {
      const m = mark[samples.locations[i]!]!;
      if (m === 0) {
        foundUser = true;
        continue;
      }
      if (!foundUser) continue;
      from = m === 2 ? i + 1 : i;
      break;
    }
    locationStart[s] = kept.length;
    for (let i = from; i < end; i++) kept.push(samples.locations[i]!);
  }
  locationStart[samples.count] = kept.length;

  const pick = <T extends Float64Array | Int32Array>(column: T, make: (n: number) => T): T => {
    const out = make(lineIndex.length);
    lineIndex.forEach((j, k) => (out[k] = column[j]!));
    return out;
  };
  return {
    ...profile,
    locations: {
      ...locs,
      lineStart,
      lineFunction: pick(locs.lineFunction, (n) => new Int32Array(n)),
      lineNumber: pick(locs.lineNumber, (n) => new Float64Array(n)),
      lineColumn: pick(locs.lineColumn, (n) => new Float64Array(n)),
    },
    samples: {
      ...samples,
      locationStart,
      locations: samples.locations instanceof Uint16Array ? Uint16Array.from(kept) : Uint32Array.from(kept),
    },
  };
}
