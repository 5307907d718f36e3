// Entry point of the execution-trace core: bytes of a Go 1.22+ trace in, the timeline model out.
// Pure (no Node, no DOM), so it runs in the CLI, the tests and the timeline's web worker alike.

import { TraceError } from '../traceError';
import { mergeExecutionEvents } from './batchMerger';
import { EventRecorder } from './eventRecorder';
import { readExecutionTraceHeader } from './executionTraceHeader';
import type { ExecutionTraceModel } from './executionTraceModel';
import { buildTimeline } from './timelineBuilder';

export interface DecodeExecutionTraceOptions {
  /**
   * Keep the events decoded before an error (a trace cut off mid-generation, a damaged batch) instead
   * of throwing; the model's `incomplete` then says what stopped decoding. Off by default, like Go's
   * reader, which rejects the whole trace.
   */
  readonly allowPartial?: boolean;
}

export function decodeExecutionTrace(bytes: Uint8Array, options: DecodeExecutionTraceOptions = {}): ExecutionTraceModel {
  const header = readExecutionTraceHeader(bytes);
  const recorder = new EventRecorder(Math.ceil(bytes.length / 4));
  let incomplete: ExecutionTraceModel['incomplete'];
  let wallClock: ExecutionTraceModel['wallClock'];
  try {
    mergeExecutionEvents(bytes, header, recorder, (clock) => {
      wallClock ??= { traceNs: clock.time, unixSeconds: clock.sec, unixNanos: clock.nsec };
    });
  } catch (error) {
    if (!(error instanceof TraceError)) throw error;
    if (!options.allowPartial || recorder.events.count === 0) throw error;
    incomplete = { code: error.code, message: error.message };
  }
  if (recorder.events.count === recorder.generations && !incomplete) {
    // Only the reader's Sync points: generations made of tables and no event at all.
    throw new TraceError('malformed-trace', 'The trace holds no events, only string and stack tables. It is damaged or was cut off: capture it again.');
  }
  const events = recorder.events.finish();
  const startNs = events.count > 0 ? events.time[0]! : 0;
  const endNs = events.count > 0 ? events.time[events.count - 1]! : 0;
  const stacks = recorder.stacks.stackTable();
  const frames = recorder.stacks.frameTable();
  const timeline = buildTimeline({
    events,
    strings: recorder.strings.strings,
    stacks,
    frameFunc: frames.func,
    goroutineIds: recorder.goroutines.ids,
    procCount: recorder.procs.ids.length,
    startNs,
    endNs,
  });
  return {
    kind: 'go-execution-trace',
    goVersion: header.goVersion,
    version: header.version,
    generations: recorder.generations,
    startNs,
    endNs,
    strings: recorder.strings.strings,
    frames,
    stacks,
    events,
    procs: { count: recorder.procs.ids.length, id: Float64Array.from(recorder.procs.ids) },
    threads: { count: recorder.threads.ids.length, id: Float64Array.from(recorder.threads.ids) },
    ...timeline,
    cpuSamples: recorder.cpuSamples,
    wallClock,
    incomplete,
  };
}
