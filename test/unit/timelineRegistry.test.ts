// How open timelines pair up: a span trace is offered the most recently opened execution trace (for
// span↔task matching), an execution trace opened later is offered to the span traces already open, a
// closed execution trace is replaced by the next newest or withdrawn, and a span's "show task" goes to
// the execution trace its trace was paired with. The registry only calls these four members of a host,
// so the hosts here are plain objects recording the calls.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimelineRegistry } from '../../client/src/timeline/timelineRegistry';
import type { TimelineHost } from '../../client/src/timeline/timelineHost';

interface RecordingHost {
  name: string;
  kind: 'go-execution-trace' | 'spans' | undefined;
  companion: RecordingHost | undefined;
  calls: string[];
  offerCompanion(exec: RecordingHost): Promise<void>;
  withdrawCompanion(): void;
  revealTask(taskId: number, spanName: string): void;
}

function host(name: string, kind: RecordingHost['kind']): RecordingHost {
  const h: RecordingHost = {
    name,
    kind,
    companion: undefined,
    calls: [],
    offerCompanion: async (exec) => {
      h.companion = exec;
      h.calls.push(`companion ${exec.name}`);
    },
    withdrawCompanion: () => {
      h.companion = undefined;
      h.calls.push('withdrawn');
    },
    revealTask: (taskId, spanName) => h.calls.push(`reveal ${taskId} ${spanName}`),
  };
  return h;
}

test('span traces are paired with the newest execution trace, and follow it when it closes', () => {
  const registry = new TimelineRegistry();
  const as = (h: RecordingHost) => h as unknown as TimelineHost;
  const first = host('first.trace', undefined);
  const spans = host('spans.jsonl', undefined);
  registry.add(as(first));
  registry.add(as(spans));
  first.kind = 'go-execution-trace';
  registry.loaded(as(first));
  spans.kind = 'spans';
  registry.loaded(as(spans));
  assert.deepEqual(spans.calls, ['companion first.trace'], 'a span trace opened after an execution trace gets it');

  const second = host('second.trace', 'go-execution-trace');
  registry.add(as(second));
  registry.loaded(as(second));
  assert.deepEqual(spans.calls.slice(1), ['companion second.trace'], 'a newer execution trace is offered to open span traces');
  assert.deepEqual(first.calls, [], 'execution traces get no companion');

  registry.revealTask(as(spans), 42, 'orders.create');
  assert.deepEqual(second.calls, ['reveal 42 orders.create'], 'show task goes to the paired execution trace');

  registry.remove(as(second));
  assert.deepEqual(spans.calls.slice(2), ['companion first.trace'], 'the next newest takes over');
  registry.remove(as(first));
  assert.deepEqual(spans.calls.slice(3), ['withdrawn'], 'none left: withdrawn');
  registry.revealTask(as(spans), 7, 'x');
  assert.equal(registry.all().length, 1);
});
