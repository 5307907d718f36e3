// Merges the per-thread event streams of each generation into one order: a min-heap of thread cursors
// keyed by the time of each thread's next event. The earliest event is taken if the scheduler model
// allows it; otherwise the other threads are tried in time order (the rare case where clocks disagree).
// CPU samples are slotted in by time. After each generation a Sync point is recorded, as Go's reader
// does. Same algorithm as Go's reader, so the order (and every nudged timestamp) matches it.

import { TraceError } from '../traceError';
import { ByteCursor, VarintError } from './byteCursor';
import type { EventRecorder } from './eventRecorder';
import type { ExecutionTraceHeader } from './executionTraceHeader';
import { type ClockSnapshot, type Generation, GenerationReader, type RawBatch } from './generationReader';
import { SchedulerOrdering, type PendingEvent } from './schedulerOrdering';
import { eventSpec, eventTypeName } from './wireFormat';

/** Reads one thread's batches of a generation, one timed event at a time. */
class ThreadCursor {
  private batch = 0;
  private pos: number;
  private lastTime = 0;
  readonly event: PendingEvent = { type: 0, time: 0, args: new Float64Array(5) };
  private readonly cursor: ByteCursor;

  constructor(
    readonly thread: number,
    private readonly batches: readonly RawBatch[],
    bytes: Uint8Array,
    private readonly nsPerTick: number,
    private readonly version: number,
  ) {
    this.pos = batches[0]!.start;
    this.cursor = new ByteCursor(bytes, 0);
  }

  /** Loads the next event into `event`; false when the thread has none left in this generation. */
  next(): boolean {
    while (this.batch < this.batches.length && this.pos === this.batches[this.batch]!.end) {
      this.batch++;
      this.pos = this.batch < this.batches.length ? this.batches[this.batch]!.start : 0;
      this.lastTime = 0;
    }
    if (this.batch === this.batches.length) return false;
    const batch = this.batches[this.batch]!;
    if (this.lastTime === 0) this.lastTime = Math.trunc(batch.time * this.nsPerTick);
    const cursor = this.cursor;
    cursor.pos = this.pos;
    cursor.end = batch.end;
    const type = cursor.byte();
    const spec = eventSpec(type, this.version);
    if (!spec) throw new TraceError('malformed-trace', `Found invalid event type ${type} (${eventTypeName(type)}) in thread ${this.thread}'s events for a Go 1.${this.version} trace. The trace file is damaged: capture it again.`);
    if (!spec.timed) throw new TraceError('malformed-trace', `Found event without a timestamp (${spec.name}) in thread ${this.thread}'s events. The trace file is damaged: capture it again.`);
    const e = this.event;
    e.type = type;
    // Slots past this event's arguments keep older values; the ordering writes them before any read.
    const args = e.args;
    let delta: number;
    try {
      delta = cursor.uvarint();
      for (let i = 1; i < spec.args.length; i++) args[i - 1] = cursor.uvarint();
    } catch (error) {
      if (error instanceof VarintError) {
        throw new TraceError('malformed-trace', `Found an invalid number in a ${spec.name} event of thread ${this.thread} (it runs past its batch or is too long). The trace file is damaged: capture it again.`);
      }
      throw error;
    }
    e.time = Math.trunc(delta * this.nsPerTick) + this.lastTime;
    this.lastTime = e.time;
    this.pos = cursor.pos;
    return true;
  }
}

/** A binary min-heap of cursors by the time of their current event. */
class CursorHeap {
  readonly items: ThreadCursor[] = [];

  get size(): number {
    return this.items.length;
  }

  push(cursor: ThreadCursor): void {
    this.items.push(cursor);
    this.up(this.items.length - 1);
  }

  /** Restores order after the cursor at index i moved to a later event. */
  update(i: number): void {
    if (this.up(i) === i) this.down(i);
  }

  remove(i: number): void {
    const items = this.items;
    // Move i to the root regardless of order, then drop the root.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      this.down(0);
    }
  }

  sortByTime(): void {
    this.items.sort((a, b) => a.event.time - b.event.time);
  }

  private up(i: number): number {
    const items = this.items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.event.time <= items[i]!.event.time) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
    return i;
  }

  private down(i: number): void {
    const items = this.items;
    for (;;) {
      let min = i;
      const left = 2 * i + 1;
      const right = left + 1;
      if (left < items.length && items[left]!.event.time < items[min]!.event.time) min = left;
      if (right < items.length && items[right]!.event.time < items[min]!.event.time) min = right;
      if (min === i) return;
      [items[min], items[i]] = [items[i]!, items[min]!];
      i = min;
    }
  }
}

function stuck(g: Generation, heap: CursorHeap): TraceError {
  const waiting = heap.items
    .slice(0, 6)
    .map((c) => `thread ${c.thread} waits with ${eventTypeName(c.event.type)}`)
    .join('; ');
  return new TraceError(
    'inconsistent-trace',
    `The trace is inconsistent: no thread's next event can happen in generation ${g.gen} (${waiting}). Go's own reader rejects this trace too; it is probably damaged: capture it again.`,
  );
}

/** Decodes every event of the trace into `recorder`, in Go's order. Throws TraceError on a broken trace. */
export function mergeExecutionEvents(
  bytes: Uint8Array,
  header: ExecutionTraceHeader,
  recorder: EventRecorder,
  onClockSnapshot?: (clock: ClockSnapshot) => void,
): void {
  const generations = new GenerationReader(bytes, header.headerLength, header.version);
  const ordering = new SchedulerOrdering(recorder);
  for (let g = generations.next(); g; g = generations.next()) {
    recorder.beginGeneration(g);
    if (g.clock && onClockSnapshot) onClockSnapshot(g.clock);
    const heap = new CursorHeap();
    for (const [thread, batches] of g.batchesByThread) {
      const cursor = new ThreadCursor(thread, batches, bytes, g.nsPerTick, header.version);
      if (cursor.next()) heap.push(cursor);
    }
    const samples = g.cpuSamples;
    let nextSample = 0;
    const tryAdvance = (i: number): boolean => {
      const cursor = heap.items[i]!;
      if (!ordering.advance(cursor.event, g, cursor.thread, g.gen)) return false;
      if (cursor.next()) heap.update(i);
      else heap.remove(i);
      return true;
    };
    while (heap.size > 0 || nextSample < samples.length) {
      if (nextSample < samples.length && (heap.size === 0 || samples[nextSample]!.time < heap.items[0]!.event.time)) {
        recorder.emitCPUSample(samples[nextSample++]!);
        continue;
      }
      if (tryAdvance(0)) continue;
      heap.sortByTime();
      let advanced = false;
      for (let i = 1; i < heap.size && !advanced; i++) advanced = tryAdvance(i);
      if (!advanced) throw stuck(g, heap);
    }
    recorder.emitSync();
  }
}
