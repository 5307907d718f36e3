// Goroutine pile-ups: goroutines grouped by the workspace line where they are blocked (the innermost frame
// that is the workspace's own code), from a goroutine profile or a debug=2 dump. A group above the
// threshold becomes a diagnostic there. When a CPU profile loaded alongside spends a large share in
// runtime.selectgo or runtime.gopark, the message says so: that pairing is the signature of a leak.

import { formatPercentage, type DumpGoroutine, type Profile } from '../../../core/profiles';

export interface StackFrame {
  readonly functionName: string;
  readonly file: string;
  readonly line: number;
}

/** Goroutines that share a stack (one sample of a goroutine profile, or one goroutine of a dump). */
export interface GoroutineGroup {
  readonly count: number;
  /** Innermost first. */
  readonly frames: readonly StackFrame[];
  /** From a dump: the goroutine's state; from a profile, inferred from the runtime frames. */
  readonly state?: string;
  readonly minutes?: number;
}

export interface Pileup {
  readonly localPath: string;
  /** 1-based line as in the profile. */
  readonly line: number;
  readonly functionName: string;
  readonly count: number;
  /** Wait reasons, most frequent first. */
  readonly reasons: readonly { readonly reason: string; readonly count: number }[];
  readonly maxMinutes: number;
}

const RUNTIME_REASONS: readonly [RegExp, string][] = [
  [/^runtime\.chanrecv[12]?$/, 'chan receive'],
  [/^runtime\.chansend[12]?$/, 'chan send'],
  [/^runtime\.selectgo$/, 'select'],
  [/^runtime\.block$/, 'select (no cases)'],
  [/^sync\.\(\*(?:RW)?Mutex\)\.R?Lock|^sync\.runtime_SemacquireMutex|^internal\/sync\.runtime_SemacquireMutex/, 'sync.Mutex.Lock'],
  [/^sync\.\(\*WaitGroup\)\.Wait$/, 'sync.WaitGroup.Wait'],
  [/^sync\.\(\*Cond\)\.Wait$/, 'sync.Cond.Wait'],
  [/^sync\.runtime_Semacquire|^runtime\.semacquire/, 'semacquire'],
  [/^internal\/poll\.runtime_pollWait$|^runtime\.netpollblock$/, 'IO wait'],
  [/^time\.Sleep$/, 'sleep'],
  [/^syscall\.|^internal\/syscall/, 'syscall'],
];

/** The wait reason a profile's stack implies (the dump prints it; the proto profile does not). */
export function inferWaitReason(frames: readonly StackFrame[]): string | undefined {
  for (const frame of frames) {
    for (const [pattern, reason] of RUNTIME_REASONS) if (pattern.test(frame.functionName)) return reason;
  }
  return undefined;
}

/**
 * Groups goroutines by their innermost workspace frame. `localPathOf` maps a profile file name to a
 * local path when the file is the workspace's own code (not GOROOT, not the module cache), else null.
 */
export function findPileups(groups: readonly GoroutineGroup[], localPathOf: (file: string) => string | null, threshold: number): Pileup[] {
  interface Acc { localPath: string; line: number; functionName: string; count: number; reasons: Map<string, number>; maxMinutes: number }
  const byLine = new Map<string, Acc>();
  for (const group of groups) {
    let frame: StackFrame | undefined;
    let localPath: string | null = null;
    for (const f of group.frames) {
      localPath = localPathOf(f.file);
      if (localPath) {
        frame = f;
        break;
      }
    }
    if (!frame || !localPath) continue;
    const key = `${localPath}:${frame.line}`;
    let acc = byLine.get(key);
    if (!acc) byLine.set(key, (acc = { localPath, line: frame.line, functionName: frame.functionName, count: 0, reasons: new Map(), maxMinutes: 0 }));
    acc.count += group.count;
    const reason = group.state ?? inferWaitReason(group.frames) ?? 'running';
    acc.reasons.set(reason, (acc.reasons.get(reason) ?? 0) + group.count);
    acc.maxMinutes = Math.max(acc.maxMinutes, group.minutes ?? 0);
  }
  return [...byLine.values()]
    .filter((acc) => acc.count >= threshold)
    .map((acc) => ({
      localPath: acc.localPath,
      line: acc.line,
      functionName: acc.functionName,
      count: acc.count,
      reasons: [...acc.reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1)),
      maxMinutes: acc.maxMinutes,
    }))
    .sort((a, b) => b.count - a.count);
}

/** A CPU profile's share in the parking functions of a leak, when above `threshold` (0..1). */
export interface ParkingShare {
  readonly functionName: 'runtime.selectgo' | 'runtime.gopark';
  readonly share: number;
}

export function pileupMessage(pileup: Pileup, parking?: ParkingShare): string {
  const count = pileup.count.toLocaleString('en-US');
  const reasons = pileup.reasons.length === 1 ? pileup.reasons[0]!.reason : pileup.reasons.map((r) => `${r.reason} ×${r.count.toLocaleString('en-US')}`).join(', ');
  const minutes = pileup.maxMinutes > 0 ? `, up to ${pileup.maxMinutes} minute${pileup.maxMinutes === 1 ? '' : 's'}` : '';
  let message = `${count} goroutine${pileup.count === 1 ? ' is' : 's'} blocked here (${reasons}${minutes}).`;
  if (parking) {
    message += ` The CPU profile loaded alongside spends ${formatPercentage(parking.share, 1).trim()} in ${parking.functionName}: goroutines parked and never woken, the pattern of a goroutine leak. Check that every channel here is closed or drained, and that the wait can be cancelled.`;
  } else {
    message += ' If this number keeps growing between captures, these goroutines are leaking: make the wait cancellable (select on ctx.Done()) and make sure something ends it.';
  }
  return message;
}

/** The goroutines of a goroutine profile (proto), one group per sample, frames innermost first. */
export function goroutineGroupsFromProfile(profile: Profile): GoroutineGroup[] {
  const { samples, locations, functions, strings } = profile;
  const T = profile.sampleTypes.length;
  const groups: GoroutineGroup[] = [];
  for (let s = 0; s < samples.count; s++) {
    const frames: StackFrame[] = [];
    for (let i = samples.locationStart[s]!; i < samples.locationStart[s + 1]!; i++) {
      const loc = samples.locations[i]!;
      for (let l = locations.lineStart[loc]!; l < locations.lineStart[loc + 1]!; l++) {
        const fn = locations.lineFunction[l]!;
        frames.push({
          functionName: fn >= 0 ? strings[functions.name[fn]!]! : '',
          file: fn >= 0 ? strings[functions.filename[fn]!]! : '',
          line: locations.lineNumber[l]!,
        });
      }
    }
    groups.push({ count: samples.values[s * T]!, frames });
  }
  return groups;
}

/** The goroutines of a debug=2 dump, one group each. */
export function goroutineGroupsFromDump(goroutines: readonly DumpGoroutine[]): GoroutineGroup[] {
  return goroutines.map((g) => ({ count: 1, frames: g.frames, state: g.state, minutes: g.minutes }));
}
