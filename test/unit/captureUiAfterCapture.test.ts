// What follows a capture: a profile is handed, with its kind, to the Profile feature and a trace to the
// timeline when those features exist, and is otherwise revealed with a log line naming the missing
// feature; the buttons of every failure; the Captures view's rows (newest first, which can be compared)
// over a real folder.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { listCaptures, previousCapture, type SavedCapture } from '../../core/capture/captureCatalog.node';
import type { CaptureErrorCode } from '../../core/capture/captureError';
import { captureFileName, partialFileName } from '../../core/capture/captureFileName';
import { CAPTURE_KIND_IDS, type CaptureKindId } from '../../core/capture/captureKinds';
import { captureFileType, planAfterCapture, planCompareCaptures, planOpenCapture, profileKindOf, type CaptureFeature } from '../../client/src/capture/afterCapture';
import { captureViewRows, formatCaptureTime, newestComparablePair } from '../../client/src/capture/capturesViewItems';
import { CAPTURE_ERROR_ACTION_LABELS, captureErrorActions } from '../../client/src/capture/errorActions';

const ALL = new Set<CaptureFeature>(['profiles', 'timeline']);
const NONE = new Set<CaptureFeature>();
const scratch = mkdtempSync(join(tmpdir(), 'gtl-capture-ui-after-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('after a capture', () => {
  test('a profile becomes the active profile, a trace opens in the timeline', () => {
    assert.deepEqual(planAfterCapture('pprof', ALL, true), { action: 'open', feature: 'profiles' });
    assert.deepEqual(planAfterCapture('trace', ALL, true), { action: 'open', feature: 'timeline' });
  });

  test('without the feature, the capture is revealed and the log names what is missing', () => {
    const plan = planAfterCapture('trace', new Set<CaptureFeature>(['profiles']), true);
    assert.equal(plan.action, 'reveal');
    assert.match(plan.explanation!, /the trace timeline \(command goTraceLens\.trace\.open\)/);
    const profile = planOpenCapture('pprof', NONE);
    assert.equal(profile.action, 'reveal');
    assert.match((profile as { explanation: string }).explanation, /Profile feature .*goTraceLens\.profile\.open.*listed in the Captures view/);
  });

  test('openAfterCapture off only lists it', () => {
    assert.deepEqual(planAfterCapture('pprof', ALL, false), { action: 'reveal' });
  });

  test('compare goes to the Profile feature when it exists', () => {
    assert.deepEqual(planCompareCaptures(ALL), { action: 'open', feature: 'profiles' });
    const missing = planCompareCaptures(new Set<CaptureFeature>(['timeline']));
    assert.equal(missing.action, 'reveal');
    assert.match((missing as { explanation: string }).explanation, /Comparing two profiles needs the Profile feature's comparison \(command goTraceLens\.profile\.compare\)/);
  });

  test('traces are traces, every other kind a profile', () => {
    for (const id of CAPTURE_KIND_IDS) assert.equal(captureFileType(id), id === 'trace' ? 'trace' : 'pprof');
  });

  test('a profile is handed over with the kind of its endpoint: a delta is a profile of the kind it is a delta of', () => {
    for (const id of CAPTURE_KIND_IDS) {
      if (id === 'trace') assert.equal(profileKindOf(id), undefined);
      else assert.equal(profileKindOf(id), id.replace(/-delta$/, ''), id);
    }
  });
});

describe('error buttons', () => {
  const codes: CaptureErrorCode[] = [
    'bad-url', 'bad-header', 'bad-kind', 'bad-seconds', 'destination', 'connection-refused', 'dns', 'unreachable', 'timeout', 'tls',
    'connection-closed', 'not-found', 'unauthorized', 'forbidden', 'profiling-in-use', 'cpu-profiling-unavailable', 'http-error',
    'html-instead-of-profile', 'redirect-to-other-host', 'too-many-redirects', 'truncated', 'too-large', 'not-a-profile', 'cancelled', 'discovery-unavailable',
  ];

  test('401 and 403 offer "Set Credentials…" first, then Retry and Show Output', () => {
    for (const code of ['unauthorized', 'forbidden'] as const) {
      const labels = captureErrorActions(code, { endpointFromSettings: false, loopback: true }).map((a) => CAPTURE_ERROR_ACTION_LABELS[a]);
      assert.deepEqual(labels, ['Set Credentials…', 'Retry', 'Show Output']);
    }
  });

  test('each failure gets buttons that fit it', () => {
    const ctx = { endpointFromSettings: true, loopback: true };
    assert.deepEqual(captureErrorActions('connection-refused', ctx), ['retry', 'discover', 'show-output']);
    assert.deepEqual(captureErrorActions('connection-refused', { ...ctx, loopback: false }), ['retry', 'show-output']);
    assert.deepEqual(captureErrorActions('not-found', ctx), ['discover', 'edit-endpoints', 'retry', 'show-output']);
    assert.deepEqual(captureErrorActions('tls', ctx), ['set-ca-file', 'retry', 'show-output']);
    assert.deepEqual(captureErrorActions('too-large', ctx), ['raise-size-cap', 'retry', 'show-output']);
    assert.deepEqual(captureErrorActions('timeout', ctx), ['retry', 'raise-timeout', 'show-output']);
    assert.deepEqual(captureErrorActions('profiling-in-use', ctx), ['retry', 'show-output']);
    assert.deepEqual(captureErrorActions('bad-url', { ...ctx, endpointFromSettings: false }), ['show-output']);
  });

  test('every code: no duplicates, at most four, "Show Output" last; a cancel shows nothing', () => {
    for (const code of codes) {
      for (const endpointFromSettings of [true, false]) {
        for (const loopback of [true, false]) {
          const actions = captureErrorActions(code, { endpointFromSettings, loopback });
          if (code === 'cancelled') {
            assert.deepEqual(actions, []);
            continue;
          }
          assert.equal(new Set(actions).size, actions.length, code);
          assert.ok(actions.length <= 4, code);
          assert.equal(actions[actions.length - 1], 'show-output', code);
          if (!endpointFromSettings) assert.ok(!actions.includes('edit-endpoints'), code);
        }
      }
    }
  });
});

function saved(endpointName: string, kind: CaptureKindId, iso: string, sequence = 1, bytes = 2048): SavedCapture {
  const time = new Date(iso);
  const fileName = captureFileName({ endpointName, kind, time, sequence, extension: kind === 'trace' ? 'trace' : 'pb.gz' });
  return { endpointName, kind, time, sequence, extension: kind === 'trace' ? 'trace' : 'pb.gz', path: join('/c', fileName), fileName, bytes };
}

describe('the Captures view rows', () => {
  test('a real folder: newest first, partial files skipped, profiles comparable with their previous', async () => {
    const folder = join(scratch, 'view');
    const files = [
      saved('shop', 'cpu', '2025-01-31T15:40:00Z'),
      saved('shop', 'cpu', '2025-01-31T15:45:01Z'),
      saved('shop', 'heap', '2025-01-31T15:46:00Z'),
      saved('shop', 'trace', '2025-01-31T15:47:00Z'),
      saved('shop', 'trace', '2025-01-31T15:48:00Z'),
      saved('other', 'cpu', '2025-01-31T15:49:00Z'),
    ];
    mkdirSync(folder, { recursive: true });
    for (const f of files) writeFileSync(join(folder, f.fileName), Buffer.alloc(10));
    writeFileSync(join(folder, partialFileName(files[0]!.fileName, 'abc123')), 'partial');
    writeFileSync(join(folder, 'notes.txt'), 'not a capture');

    const rows = captureViewRows(await listCaptures(folder), new Date('2025-01-31T18:00:00Z'));
    assert.deepEqual(rows.map((r) => `${r.capture.endpointName}/${r.capture.kind}`), ['other/cpu', 'shop/trace', 'shop/trace', 'shop/heap', 'shop/cpu', 'shop/cpu']);
    assert.deepEqual(rows.map((r) => r.contextValue), ['capture.profile', 'capture.trace', 'capture.trace', 'capture.profile', 'capture.profile.comparable', 'capture.profile']);
    assert.equal(rows[4]!.previous?.fileName, files[0]!.fileName);
    assert.equal(rows[4]!.label, 'CPU profile');
    assert.match(rows[4]!.description, /^shop · .* · 10 B$/);
    assert.match(rows[4]!.tooltip, new RegExp(`previous: ${files[0]!.fileName.replace(/\./g, '\\.')}`));
    assert.equal(rows[1]!.label, 'Execution trace');

    const pair = newestComparablePair(await listCaptures(folder));
    assert.equal(pair?.capture.fileName, files[1]!.fileName);
    assert.equal(pair?.previous.fileName, files[0]!.fileName);
  });

  test('no pair to compare when no kind and endpoint has two profiles', () => {
    assert.equal(newestComparablePair([saved('a', 'cpu', '2025-01-01T00:00:00Z'), saved('b', 'cpu', '2025-01-01T00:00:01Z'), saved('a', 'trace', '2025-01-01T00:00:02Z'), saved('a', 'trace', '2025-01-01T00:00:03Z')]), undefined);
  });

  test('each row\'s previous is the core\'s previousCapture (fuzzed catalogs)', () => {
    const capture = fc
      .record({
        endpointName: fc.constantFrom('shop', 'prod', 'localhost-6060'),
        kind: fc.constantFrom<CaptureKindId>('cpu', 'heap', 'trace', 'heap-delta'),
        seconds: fc.integer({ min: 0, max: 20 }),
        sequence: fc.integer({ min: 1, max: 3 }),
      })
      .map((c) => saved(c.endpointName, c.kind, new Date(Date.UTC(2025, 0, 1, 0, 0, c.seconds)).toISOString(), c.sequence));
    fc.assert(
      fc.property(fc.uniqueArray(capture, { selector: (c) => c.fileName, maxLength: 25 }), (captures) => {
        const rows = captureViewRows(captures, new Date('2025-01-01T12:00:00Z'));
        assert.equal(rows.length, captures.length);
        for (const row of rows) {
          const expected = row.type === 'pprof' ? previousCapture(captures, row.capture) : undefined;
          assert.equal(row.previous?.fileName, expected?.fileName);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('times: the clock for today, the date otherwise (local time)', () => {
    const now = new Date(2025, 0, 31, 18, 0, 0);
    assert.equal(formatCaptureTime(new Date(2025, 0, 31, 9, 5, 7), now), '09:05:07');
    assert.equal(formatCaptureTime(new Date(2025, 0, 30, 23, 59, 0), now), '2025-01-30 23:59');
  });
});
