// The reference for execution traces: `go tool trace -d=1 FILE` (Go's own reader, one line block per
// event), and what the tests read out of its output independently of our decoder: event counts by
// kind, the goroutines mentioned, the task tree and each goroutine's region nesting.

import { spawnSync } from 'node:child_process';
import { findGo, goEnv } from './goToolchain';

export interface GoToolResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `go tool trace -d=1 FILE`. `ok` is false when Go rejects the trace (or crashes on it). */
export function goToolTraceEvents(file: string): GoToolResult {
  const go = findGo();
  if (!go) throw new Error('the Go toolchain is not installed');
  const result = spawnSync(go, ['tool', 'trace', '-d=1', file], { env: goEnv(), encoding: 'utf8', maxBuffer: 2 * 1024 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr };
}

/** Splits a listing into one text block per event (an event line plus its stack lines). */
export function eventBlocks(listing: string): string[] {
  const blocks: string[] = [];
  for (const line of listing.split('\n')) {
    if (line.startsWith('M=')) blocks.push(line);
    else if (blocks.length > 0 && line !== '') blocks[blocks.length - 1] += '\n' + line;
  }
  return blocks;
}

function withoutTime(block: string): string {
  return block.replace(/ Time=\d+/, '');
}

/**
 * Compares two listings. Equal text passes. Otherwise the listings must hold the same events, and each
 * thread the same events in the same order, differing only in how events with equal timestamps on
 * different threads were interleaved (Go's reader breaks such ties in map order, which varies between
 * runs) and the 1 ns nudges that follow from it. Returns a description of the first difference.
 */
export function compareListings(ours: string, reference: string): string | undefined {
  if (ours === reference) return undefined;
  const a = eventBlocks(ours);
  const b = eventBlocks(reference);
  if (a.length !== b.length) return `${a.length} events, reference has ${b.length}`;
  const sortedA = a.map(withoutTime).sort();
  const sortedB = b.map(withoutTime).sort();
  for (let i = 0; i < sortedA.length; i++) {
    if (sortedA[i] !== sortedB[i]) return `different events:\n  ours:      ${sortedA[i]!.split('\n')[0]}\n  reference: ${sortedB[i]!.split('\n')[0]}`;
  }
  const byThread = (blocks: string[]) => {
    const threads = new Map<string, string[]>();
    for (const block of blocks) {
      const m = /^M=(-?\d+)/.exec(block)![1]!;
      if (!threads.has(m)) threads.set(m, []);
      threads.get(m)!.push(withoutTime(block));
    }
    return threads;
  };
  const threadsA = byThread(a);
  const threadsB = byThread(b);
  for (const [m, events] of threadsB) {
    const mine = threadsA.get(m) ?? [];
    for (let i = 0; i < events.length; i++) {
      if (mine[i] !== events[i]) return `thread ${m}, event ${i}: order differs:\n  ours:      ${mine[i]?.split('\n')[0]}\n  reference: ${events[i]!.split('\n')[0]}`;
    }
  }
  let maxShift = 0;
  for (let i = 0; i < a.length; i++) {
    const ta = Number(/ Time=(\d+)/.exec(a[i]!)![1]);
    const tb = Number(/ Time=(\d+)/.exec(b[i]!)![1]);
    maxShift = Math.max(maxShift, Math.abs(ta - tb));
  }
  // Ties reorder events and shift nudged times by a few nanoseconds, never more.
  if (maxShift > 1000) return `timestamps differ by up to ${maxShift} ns`;
  return undefined;
}

export interface ListingFacts {
  readonly eventsByKind: Record<string, number>;
  readonly goroutines: number[];
  /** "id parent type" for each TaskBegin and each TaskEnd of a task that did not begin in the trace. */
  readonly tasks: string[];
  /** Per goroutine, its regions in begin order: "g task type depth". */
  readonly regions: string[];
}

/** Facts read from a `-d=1` listing on its own (no use of our decoder). */
export function listingFacts(listing: string): ListingFacts {
  const eventsByKind: Record<string, number> = {};
  const goroutines = new Set<number>();
  const begun = new Set<string>();
  const tasks: string[] = [];
  const open = new Map<number, { task: string; type: string; depth: number; order: number }[]>();
  const regions: { g: number; order: number; text: string }[] = [];
  let order = 0;
  for (const block of eventBlocks(listing)) {
    const line = block.split('\n')[0]!;
    const kind = /^M=-?\d+ P=-?\d+ G=(-?\d+) (\w+)/.exec(line);
    if (!kind) throw new Error(`unexpected line: ${line}`);
    const g = Number(kind[1]);
    eventsByKind[kind[2]!] = (eventsByKind[kind[2]!] ?? 0) + 1;
    if (g >= 0) goroutines.add(g);
    for (const m of line.matchAll(/Goroutine\((\d+)\)/g)) goroutines.add(Number(m[1]));
    const task = / ID=(\d+) Parent=(\d+) Type=(".*")$/.exec(line);
    if (kind[2] === 'TaskBegin' && task) {
      begun.add(task[1]!);
      tasks.push(`${task[1]} ${task[2]} ${task[3]}`);
    } else if (kind[2] === 'TaskEnd' && task && !begun.has(task[1]!)) {
      tasks.push(`${task[1]} ${task[2]} ${task[3]}`);
    }
    const region = / Task=(\d+) Type=(".*")$/.exec(line);
    if (region && (kind[2] === 'RegionBegin' || kind[2] === 'RegionEnd')) {
      const stack = open.get(g) ?? [];
      open.set(g, stack);
      if (kind[2] === 'RegionBegin') {
        stack.push({ task: region[1]!, type: region[2]!, depth: stack.length, order: order++ });
      } else {
        const top = stack.pop();
        if (top) regions.push({ g, order: top.order, text: `${g} ${top.task} ${top.type} ${top.depth}` });
        else regions.push({ g, order: order++, text: `${g} ${region[1]} ${region[2]} 0` });
      }
    }
  }
  for (const [g, stack] of open) for (const r of stack) regions.push({ g, order: r.order, text: `${g} ${r.task} ${r.type} ${r.depth}` });
  regions.sort((x, y) => x.g - y.g || x.order - y.order);
  return { eventsByKind, goroutines: [...goroutines].sort((x, y) => x - y), tasks: tasks.sort(), regions: regions.map((r) => r.text) };
}
