// Malformed execution traces: Go's fuzz corpus, and property-based fuzzing (10,000 cases each) of random
// bytes, mutated real traces and random event streams. Whatever the input, the decoder returns a
// consistent model or throws a TraceError with a sentence for the user; never another exception.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { TraceError, decodeExecutionTrace } from '../../core/timeline';
import { readGoFuzzCorpusBytes, readGoTraceTestCase } from '../helpers/traceGoText';
import { assertConsistentModel } from '../helpers/traceModels';
import { encodeTraceText, withBatchSizes } from '../helpers/traceTextEncoder';
import { sharedFixture } from '../helpers/sharedFixtures';

const CORPUS = sharedFixture('go-exectrace', 'fuzz');
const GO_CASES = sharedFixture('go-exectrace', 'tests');
const RUNS = 10_000;

/** Decodes; a model must be consistent, an error must be a TraceError that explains itself. */
function decodeOrExplain(bytes: Uint8Array): 'model' | TraceError {
  try {
    assertConsistentModel(decodeExecutionTrace(bytes));
    return 'model';
  } catch (error) {
    if (!(error instanceof TraceError)) throw error;
    assert.ok(error.message.length > 40, `a helpful message: ${error.message}`);
    return error;
  }
}

test("Go's fuzz corpus: each input is rejected with a clear error, except the two Go's reader accepts as valid", () => {
  const accepted: string[] = [];
  for (const file of readdirSync(CORPUS).sort()) {
    const outcome = decodeOrExplain(readGoFuzzCorpusBytes(join(CORPUS, file)));
    if (outcome === 'model') accepted.push(file);
    else assert.match(outcome.message, /capture it again|re-capture/, `${file}: says what to do`);
  }
  // Both decode the same with `go tool trace -d=1` (checked in traceExecutionGo.test.ts): a goroutine
  // created and destroyed in a cgo callback, and the end of a region that began before tracing started.
  assert.deepEqual(accepted, ['2b9be9aebe08d511', 'closing-unknown-region']);
});

test('fuzz: random bytes after a valid header', () => {
  const header = new TextEncoder().encode('go 1.23 trace\0\0\0');
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 160 }), (body) => {
      const bytes = new Uint8Array(header.length + body.length);
      bytes.set(header);
      bytes.set(body, header.length);
      decodeOrExplain(bytes);
    }),
    { numRuns: RUNS },
  );
});

const SMALL_CASES = readdirSync(GO_CASES)
  .filter((f) => f.endsWith('.test') && !f.includes('stress'))
  .map((f) => encodeTraceText(readGoTraceTestCase(join(GO_CASES, f)).traceText))
  .filter((bytes) => bytes.length < 400);

test('fuzz: real traces with bytes changed, inserted or cut', () => {
  assert.ok(SMALL_CASES.length >= 10);
  const edit = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), how: fc.constantFrom('set', 'insert', 'delete') });
  fc.assert(
    fc.property(fc.nat({ max: SMALL_CASES.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 4 }), (which, edits) => {
      const bytes = [...SMALL_CASES[which]!];
      for (const { at, byte, how } of edits) {
        const i = 16 + (at % Math.max(1, bytes.length - 16));
        if (how === 'set') bytes[i] = byte;
        else if (how === 'insert') bytes.splice(i, 0, byte);
        else bytes.splice(i, 1);
      }
      decodeOrExplain(Uint8Array.from(bytes));
    }),
    { numRuns: RUNS },
  );
});

test('an event nudged past its predecessor above 2^53 ns still comes strictly after it', () => {
  // A CI run's counterexample (seed 248104774): a batch time changed to ~2^62 ns, where adding Go's one
  // nanosecond to a float changes nothing. A clock reaches 2^53 ns after 104 days, so real traces get there.
  const name = 'go122-syscall-steal-proc-sitting-in-syscall.test';
  const bytes = [...encodeTraceText(readGoTraceTestCase(join(GO_CASES, name)).traceText)];
  assert.ok(SMALL_CASES.some((c) => c.length === bytes.length && c.every((b, i) => b === bytes[i])), 'one of the fuzzed cases');
  bytes.splice(41, 1);
  bytes[32] = 0;
  const model = decodeExecutionTrace(Uint8Array.from(bytes));
  assert.ok(model.endNs > 2 ** 62);
  assertConsistentModel(model);
});

// Random event streams through the text form: well-formed batches whose events may or may not make
// sense together, which exercises the scheduler ordering rather than the byte reader.
const EVENT_LINES = [
  'ProcStatus dt=1 p=P pstatus=S',
  'ProcStart dt=1 p=P p_seq=Q',
  'ProcStop dt=1',
  'ProcSteal dt=1 p=P p_seq=Q m=M',
  'GoStatus dt=1 g=G m=M gstatus=S',
  'GoCreate dt=1 new_g=G new_stack=0 stack=0',
  'GoStart dt=1 g=G g_seq=Q',
  'GoStop dt=1 reason_string=1 stack=0',
  'GoBlock dt=1 reason_string=1 stack=0',
  'GoUnblock dt=1 g=G g_seq=Q stack=0',
  'GoDestroy dt=1',
  'GoSyscallBegin dt=1 p_seq=Q stack=0',
  'GoSyscallEnd dt=1',
  'GoSyscallEndBlocked dt=1',
  'UserTaskBegin dt=1 task=T parent_task=0 name_string=1 stack=0',
  'UserTaskEnd dt=1 task=T stack=0',
  'UserRegionBegin dt=1 task=T name_string=1 stack=0',
  'UserRegionEnd dt=1 task=T name_string=1 stack=0',
  'UserLog dt=1 task=T key_string=1 value_string=1 stack=0',
  'STWBegin dt=1 kind_string=1 stack=0',
  'STWEnd dt=1',
  'GCBegin dt=1 gc_seq=Q stack=0',
  'GCEnd dt=1 gc_seq=Q',
  'HeapAlloc dt=1 heapalloc_value=Q',
];

function eventLine(template: string, n: number): string {
  return template.replace(/=([PQMGST])\b/g, (_, v: string) => `=${v === 'S' ? (n % 5) : v === 'M' ? n % 3 : v === 'Q' ? n % 4 : (n % 3) + 1}`);
}

test('fuzz: random event streams on a few threads and generations', () => {
  const stream = fc.array(fc.tuple(fc.nat({ max: EVENT_LINES.length - 1 }), fc.nat({ max: 60 })), { minLength: 1, maxLength: 12 });
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat({ max: 2 }), stream), { minLength: 1, maxLength: 4 }), fc.boolean(), (threads, twoGenerations) => {
      const lines = ['Trace Go1.23'];
      for (let gen = 1; gen <= (twoGenerations ? 2 : 1); gen++) {
        const seen = new Set<number>();
        for (const [m, events] of threads) {
          lines.push(`EventBatch gen=${gen} m=${m} time=${gen * 100} size=SIZE`);
          // Each thread starts out running its own P and goroutine, so that many streams get far.
          if (!seen.has(m)) lines.push(`ProcStatus dt=1 p=${m} pstatus=1`, `GoStatus dt=1 g=${m + 1} m=${m} gstatus=2`);
          seen.add(m);
          for (const [which, n] of events) lines.push(eventLine(EVENT_LINES[which]!, n));
        }
        lines.push(`EventBatch gen=${gen} m=18446744073709551615 time=0 size=5`, 'Frequency freq=15625000');
        lines.push(`EventBatch gen=${gen} m=18446744073709551615 time=0 size=1`, 'Stacks');
        lines.push(`EventBatch gen=${gen} m=18446744073709551615 time=0 size=7`, 'Strings', 'String id=1', '\tdata="why"');
      }
      decodeOrExplain(encodeTraceText(withBatchSizes(lines)));
    }),
    { numRuns: RUNS },
  );
});
