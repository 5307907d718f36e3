// Splits an execution trace into generations: self-contained runs of batches, each with its own string
// table, stack table, CPU samples and clock frequency. Event batches stay unparsed (their events are read
// lazily by the batch cursors); everything else is decoded and checked here, with the same rules as Go's
// reader, so a generation handed out is internally consistent.
//
// A generation ends where the first batch of the next one begins ("spills"); an error while reading
// that next batch is reported only after the complete generation before it. Go 1.26 may also end a
// generation with an explicit EndOfGeneration byte, which ends it just the same.

import { TraceError } from '../traceError';
import { ByteCursor, VarintError, toSigned } from './byteCursor';
import {
  EvClockSnapshot,
  EvCPUSample,
  EvCPUSamples,
  EvEndOfGeneration,
  EvEventBatch,
  EvExperimentalBatch,
  EvFrequency,
  EvStack,
  EvStacks,
  EvString,
  EvStrings,
  EvSync,
  MAX_BATCH_SIZE,
  MAX_FRAMES_PER_STACK,
  MAX_STRING_SIZE,
} from './wireFormat';

/** One batch: a thread's events (or a table) as the runtime flushed it. `start`/`end` index the trace bytes. */
export interface RawBatch {
  /** Thread (M) ID, -1 for batches that belong to no thread. */
  readonly m: number;
  /** Base timestamp in trace ticks. */
  readonly time: number;
  readonly start: number;
  readonly end: number;
  readonly experiment: number;
}

export interface RawFrame {
  readonly pc: number;
  readonly funcId: number;
  readonly fileId: number;
  readonly line: number;
}

export interface RawCPUSample {
  /** Nanoseconds (converted with the generation's frequency). */
  readonly time: number;
  readonly m: number;
  readonly p: number;
  /** -1 when the sample has no goroutine. */
  readonly g: number;
  readonly stack: number;
}

export interface ClockSnapshot {
  /** The trace time of the snapshot, in nanoseconds. */
  readonly time: number;
  /** The monotonic clock, nanoseconds. */
  readonly mono: number;
  /** Wall-clock time: seconds and nanoseconds since the Unix epoch. */
  readonly sec: number;
  readonly nsec: number;
}

export interface Generation {
  readonly gen: number;
  /** Nanoseconds per trace tick. */
  readonly nsPerTick: number;
  readonly strings: Map<number, string>;
  /** Stack ID → PCs, outermost frame last. */
  readonly stacks: Map<number, number[]>;
  /** PC → frame (the first stack that mentions a PC defines it, as in Go). */
  readonly frames: Map<number, RawFrame>;
  readonly cpuSamples: RawCPUSample[];
  /** Event batches by thread, threads in the order their first batch appears. */
  readonly batchesByThread: Map<number, RawBatch[]>;
  readonly clock: ClockSnapshot | undefined;
  readonly experimentalBatches: number;
}

interface MutableGeneration {
  gen: number;
  nsPerTick: number;
  strings: Map<number, string>;
  stacks: Map<number, number[]>;
  frames: Map<number, RawFrame>;
  cpuSamples: RawCPUSample[];
  batchesByThread: Map<number, RawBatch[]>;
  clockTicks: { time: number; mono: number; sec: number; nsec: number } | undefined;
  experimentalBatches: number;
  batchCount: number;
}

const utf8 = new TextDecoder('utf-8');

function malformed(message: string): TraceError {
  return new TraceError('malformed-trace', `${message}. The trace file is damaged: capture it again.`);
}

function truncated(what: string): TraceError {
  return new TraceError('truncated-trace', `The trace ends in the middle of ${what}: the file was cut off (an interrupted download or a program stopped before trace.Stop). Capture it again.`);
}

/** Reads a batch header field: running out of bytes here means the file was cut off. */
function headerField(cursor: ByteCursor): number {
  try {
    return cursor.uvarint();
  } catch (error) {
    if (error instanceof VarintError) throw error.problem === 'truncated' ? truncated('a batch header') : malformed('Invalid number in a batch header');
    throw error;
  }
}

/** Reads a field inside a batch, whose size is known: running out of bytes means the batch is damaged. */
function field(cursor: ByteCursor, what: string): number {
  try {
    return cursor.uvarint();
  } catch (error) {
    if (error instanceof VarintError) throw malformed(error.problem === 'truncated' ? `${capitalize(what)} runs past the end of its batch` : `Invalid number in ${what}`);
    throw error;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

type BatchRead = { kind: 'batch'; gen: number; batch: RawBatch } | { kind: 'end-of-generation' };

export class GenerationReader {
  private pos: number;
  private spill: { gen: number; batch: RawBatch } | undefined;
  private spillError: TraceError | undefined;
  private readAny = false;

  constructor(
    private readonly bytes: Uint8Array,
    headerLength: number,
    private readonly version: number,
  ) {
    this.pos = headerLength;
  }

  /** The next generation, or undefined at the end of the trace. Throws a TraceError for a broken one. */
  next(): Generation | undefined {
    if (this.spillError) {
      const error = this.spillError;
      this.spillError = undefined;
      throw error;
    }
    if (this.readAny && !this.spill && this.pos >= this.bytes.length) return undefined;
    this.readAny = true;
    const g = newGeneration();
    if (this.spill) {
      g.gen = this.spill.gen;
      this.processBatch(g, this.spill.batch);
      this.spill = undefined;
    }
    while (this.pos < this.bytes.length) {
      let read: BatchRead;
      try {
        read = this.readBatch();
      } catch (error) {
        if (g.gen !== 0 && error instanceof TraceError) {
          // Like Go: what came before is a complete generation; the error is reported after it.
          this.spillError = error;
          this.pos = this.bytes.length;
          break;
        }
        throw error;
      }
      if (read.kind === 'end-of-generation') {
        if (g.batchCount === 0) throw malformed('Found an end-of-generation marker with no generation before it');
        break;
      }
      const { gen, batch } = read;
      if (gen === 0) throw malformed('Found a batch of generation 0 (the runtime never writes one)');
      if (g.gen === 0) g.gen = gen;
      if (gen === g.gen + 1) {
        this.spill = { gen, batch };
        break;
      }
      if (gen !== g.gen) throw malformed(`Generations are out of order (generation ${gen} after ${g.gen})`);
      this.processBatch(g, batch);
    }
    if (g.gen === 0 && g.batchCount === 0) {
      throw new TraceError('truncated-trace', 'The trace has a header but no events: it was cut off right after it started. Capture it again.');
    }
    return this.finish(g);
  }

  private readBatch(): BatchRead {
    const cursor = new ByteCursor(this.bytes, this.pos);
    const type = cursor.byte();
    if (type === EvEndOfGeneration && this.version >= 26) {
      this.pos = cursor.pos;
      return { kind: 'end-of-generation' };
    }
    if (type !== EvEventBatch && !(type === EvExperimentalBatch && this.version >= 23)) {
      throw malformed(`Expected a batch at byte ${this.pos}, found event type ${type}`);
    }
    let experiment = 0;
    if (type === EvExperimentalBatch) {
      if (cursor.remaining < 1) throw truncated('a batch header');
      experiment = cursor.byte();
    }
    const gen = headerField(cursor);
    const m = toSigned(headerField(cursor));
    const time = headerField(cursor);
    const size = headerField(cursor);
    if (size > MAX_BATCH_SIZE) throw malformed(`A batch says it holds ${size} bytes; batches hold at most ${MAX_BATCH_SIZE}`);
    if (cursor.remaining < size) throw truncated(`a batch (it needs ${size} bytes, ${cursor.remaining} are left)`);
    const batch: RawBatch = { m, time, start: cursor.pos, end: cursor.pos + size, experiment };
    this.pos = cursor.pos + size;
    return { kind: 'batch', gen, batch };
  }

  private processBatch(g: MutableGeneration, batch: RawBatch): void {
    g.batchCount++;
    const first = batch.end > batch.start ? this.bytes[batch.start] : undefined;
    if (batch.experiment !== 0) {
      g.experimentalBatches++;
      return;
    }
    if (first === EvStrings) return this.addStrings(g, batch);
    if (first === EvStacks) return this.addStacks(g, batch);
    if (first === EvCPUSamples) return this.addCPUSamples(g, batch);
    if (first === EvFrequency && this.version < 25) return this.setFrequency(g, batch);
    if (first === EvSync && this.version >= 25) return this.addSync(g, batch);
    let list = g.batchesByThread.get(batch.m);
    if (!list) {
      list = [];
      g.batchesByThread.set(batch.m, list);
    }
    list.push(batch);
  }

  private addStrings(g: MutableGeneration, batch: RawBatch): void {
    const cursor = new ByteCursor(this.bytes, batch.start + 1, batch.end);
    while (cursor.remaining > 0) {
      const type = cursor.byte();
      if (type !== EvString) throw malformed(`Expected a string in the string table, found event type ${type}`);
      const id = field(cursor, 'the string table');
      const length = field(cursor, 'the string table');
      if (length > MAX_STRING_SIZE) throw malformed(`String ${id} is ${length} bytes long; strings hold at most ${MAX_STRING_SIZE}`);
      if (cursor.remaining < length) throw malformed(`String ${id} runs past the end of its batch`);
      const text = utf8.decode(this.bytes.subarray(cursor.pos, cursor.pos + length));
      cursor.pos += length;
      if (id === 0) throw malformed('A string has ID 0, which is reserved for the empty string');
      if (g.strings.has(id)) throw malformed(`Two strings have ID ${id}`);
      g.strings.set(id, text);
    }
  }

  private addStacks(g: MutableGeneration, batch: RawBatch): void {
    const cursor = new ByteCursor(this.bytes, batch.start + 1, batch.end);
    while (cursor.remaining > 0) {
      const type = cursor.byte();
      if (type !== EvStack) throw malformed(`Expected a stack in the stack table, found event type ${type}`);
      const id = field(cursor, 'the stack table');
      const frameCount = field(cursor, 'the stack table');
      if (frameCount > MAX_FRAMES_PER_STACK) throw malformed(`Stack ${id} has ${frameCount} frames; stacks hold at most ${MAX_FRAMES_PER_STACK}`);
      const pcs: number[] = [];
      for (let i = 0; i < frameCount; i++) {
        const pc = field(cursor, `frame ${i + 1} of stack ${id}`);
        const funcId = field(cursor, `frame ${i + 1} of stack ${id}`);
        const fileId = field(cursor, `frame ${i + 1} of stack ${id}`);
        const line = field(cursor, `frame ${i + 1} of stack ${id}`);
        pcs.push(pc);
        if (!g.frames.has(pc)) g.frames.set(pc, { pc, funcId, fileId, line });
      }
      if (id === 0) throw malformed('A stack has ID 0, which is reserved for "no stack"');
      if (g.stacks.has(id)) throw malformed(`Two stacks have ID ${id}`);
      g.stacks.set(id, pcs);
    }
  }

  private addCPUSamples(g: MutableGeneration, batch: RawBatch): void {
    const cursor = new ByteCursor(this.bytes, batch.start + 1, batch.end);
    while (cursor.remaining > 0) {
      const type = cursor.byte();
      if (type !== EvCPUSample) throw malformed(`Expected a CPU sample, found event type ${type}`);
      const time = field(cursor, 'a CPU sample');
      const m = toSigned(field(cursor, 'a CPU sample'));
      const p = toSigned(field(cursor, 'a CPU sample'));
      const goroutine = field(cursor, 'a CPU sample');
      const stack = field(cursor, 'a CPU sample');
      g.cpuSamples.push({ time, m, p, g: goroutine === 0 ? -1 : toSigned(goroutine), stack });
    }
  }

  private setFrequency(g: MutableGeneration, batch: RawBatch): void {
    const cursor = new ByteCursor(this.bytes, batch.start + 1, batch.end);
    const frequency = field(cursor, 'the clock frequency');
    this.applyFrequency(g, frequency);
  }

  private applyFrequency(g: MutableGeneration, frequency: number): void {
    if (g.nsPerTick !== 0) throw malformed(`Generation ${g.gen} has more than one clock frequency`);
    if (frequency === 0) throw malformed(`Generation ${g.gen} has a clock frequency of zero`);
    // Same arithmetic as Go: nanoseconds per tick = 1 / (ticks per second / 1e9).
    g.nsPerTick = 1.0 / (frequency / 1e9);
  }

  /** Go 1.25+: a sync batch holds the frequency and a snapshot of the trace, monotonic and wall clocks. */
  private addSync(g: MutableGeneration, batch: RawBatch): void {
    const cursor = new ByteCursor(this.bytes, batch.start + 1, batch.end);
    while (cursor.remaining > 0) {
      const type = cursor.byte();
      if (type === EvFrequency) {
        this.applyFrequency(g, field(cursor, 'the clock frequency'));
      } else if (type === EvClockSnapshot) {
        const dt = field(cursor, 'a clock snapshot');
        const mono = field(cursor, 'a clock snapshot');
        const sec = field(cursor, 'a clock snapshot');
        const nsec = field(cursor, 'a clock snapshot');
        g.clockTicks = { time: batch.time + dt, mono, sec, nsec };
      } else {
        throw malformed(`Unexpected event type ${type} in a sync batch`);
      }
    }
  }

  private finish(g: MutableGeneration): Generation {
    if (g.nsPerTick === 0) throw malformed(`Generation ${g.gen} has no clock frequency (every generation records one)`);
    for (const [id, pcs] of g.stacks) {
      for (const pc of pcs) {
        const frame = g.frames.get(pc)!;
        if (!g.strings.has(frame.funcId) && frame.funcId !== 0) throw malformed(`Stack ${id} names function string ${frame.funcId}, which is not in the string table`);
        if (!g.strings.has(frame.fileId) && frame.fileId !== 0) throw malformed(`Stack ${id} names file string ${frame.fileId}, which is not in the string table`);
      }
    }
    const nsPerTick = g.nsPerTick;
    const samples = g.cpuSamples.map((s) => ({ ...s, time: Math.trunc(s.time * nsPerTick) }));
    samples.sort((a, b) => a.time - b.time);
    const clock = g.clockTicks
      ? { time: Math.trunc(g.clockTicks.time * nsPerTick), mono: g.clockTicks.mono, sec: g.clockTicks.sec, nsec: g.clockTicks.nsec }
      : undefined;
    return {
      gen: g.gen,
      nsPerTick,
      strings: g.strings,
      stacks: g.stacks,
      frames: g.frames,
      cpuSamples: samples,
      batchesByThread: g.batchesByThread,
      clock,
      experimentalBatches: g.experimentalBatches,
    };
  }
}

function newGeneration(): MutableGeneration {
  return {
    gen: 0,
    nsPerTick: 0,
    strings: new Map(),
    stacks: new Map(),
    frames: new Map(),
    cpuSamples: [],
    batchesByThread: new Map(),
    clockTicks: undefined,
    experimentalBatches: 0,
    batchCount: 0,
  };
}
