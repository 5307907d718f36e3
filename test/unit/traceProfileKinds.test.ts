// Profiles derived from an execution trace, as files and as profiles: their names in the captures folder
// (`shop-trace-sched-….pb.gz`, listed and compared like captures), the kind the language server is told,
// what their values are called on the code ("sched wait 120ms"), and what "Show Trace Profile on the
// Code…" accepts as arguments.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureFileType, profileKindOf } from '../../client/src/capture/afterCapture';
import { captureViewRows } from '../../client/src/capture/capturesViewItems';
import { derivedEndpointName, parseTraceProfileArgs } from '../../client/src/capture/traceProfileArgs';
import { listCaptures } from '../../core/capture/captureCatalog.node';
import { captureFileName, parseCaptureFileName } from '../../core/capture/captureFileName';
import { DERIVED_KINDS, derivedKindOf } from '../../core/capture/captureKinds';
import { decodeProfile } from '../../core/profiles/decode';
import { describeProfile, profileKindTitle, sampleTypeLabel } from '../../core/profiles/profileInfo';
import { buildProfile } from '../helpers/pprofBuilder';

const scratch = mkdtempSync(join(tmpdir(), 'gtl-derived-kinds-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const time = new Date(Date.UTC(2026, 11, 7, 12, 0, 0));

test('a derived profile is named like a capture of its trace\'s endpoint, and read back as its kind', () => {
  for (const kind of DERIVED_KINDS) {
    const name = captureFileName({ endpointName: 'shop', kind: kind.id, time, sequence: 1, extension: 'pb.gz' });
    assert.equal(name, `shop-${kind.id}-20261207T120000Z.pb.gz`);
    assert.deepEqual(parseCaptureFileName(name), { endpointName: 'shop', kind: kind.id, time, sequence: 1, extension: 'pb.gz' });
    assert.equal(captureFileType(kind.id), 'pprof');
    assert.equal(profileKindOf(kind.id), kind.id);
  }
  // An endpoint whose own name ends in "trace" stays whole; the trace capture itself is still a trace.
  assert.equal(parseCaptureFileName('my-trace-trace-sched-20261207T120000Z.pb.gz')?.endpointName, 'my-trace');
  assert.equal(parseCaptureFileName('shop-trace-20261207T120000Z.trace')?.kind, 'trace');
  assert.equal(derivedKindOf('sched').id, 'trace-sched');
});

test('the Captures view lists derived profiles with their kind, and compares two of one endpoint', async () => {
  const names = [
    captureFileName({ endpointName: 'shop', kind: 'trace', time, sequence: 1, extension: 'trace' }),
    captureFileName({ endpointName: 'shop', kind: 'trace-sched', time: new Date(time.getTime() + 60_000), sequence: 1, extension: 'pb.gz' }),
    captureFileName({ endpointName: 'shop', kind: 'trace-sched', time: new Date(time.getTime() + 120_000), sequence: 1, extension: 'pb.gz' }),
    captureFileName({ endpointName: 'shop', kind: 'trace-sync', time: new Date(time.getTime() + 180_000), sequence: 1, extension: 'pb.gz' }),
  ];
  for (const name of names) writeFileSync(join(scratch, name), Buffer.alloc(10));
  const rows = captureViewRows(await listCaptures(scratch), new Date(time.getTime() + 3_600_000));
  assert.deepEqual(rows.map((r) => r.label), ['Sync block profile', 'Scheduler latency profile', 'Scheduler latency profile', 'Execution trace']);
  assert.equal(rows[1]!.contextValue, 'capture.profile.comparable');
  assert.equal(rows[1]!.previous?.fileName, names[1]);
  assert.equal(rows[0]!.contextValue, 'capture.profile', 'a sync profile is not compared with a sched profile');
});

test('a profile go tool trace wrote is recognized by its period type; the kind it came as names its values', () => {
  const traceProfile = decodeProfile(buildProfile({
    sampleTypes: [['contentions', 'count'], ['delay', 'nanoseconds']],
    periodType: ['trace', 'count'],
    samples: [{ stack: ['main.worker', 'main.main'], values: [3, 120_000_000] }],
  }, { gzip: false }));
  assert.equal(describeProfile(traceProfile).kind, 'trace-derived');
  assert.equal(describeProfile(traceProfile, { kindHint: 'trace-sched' }).kind, 'trace-sched');
  assert.equal(describeProfile(traceProfile, { kindHint: 'cpu' }).kind, 'trace-derived', 'a hint of another kind does not make it one');
  // A block profile has the same sample types but the contentions period: still a block profile.
  const block = decodeProfile(buildProfile({ sampleTypes: [['contentions', 'count'], ['delay', 'nanoseconds']], periodType: ['contentions', 'count'], samples: [{ stack: ['main.worker'], values: [1, 5] }] }, { gzip: false }));
  assert.equal(describeProfile(block).kind, 'block');

  assert.equal(sampleTypeLabel('trace-sched', 'delay'), 'sched wait');
  assert.equal(sampleTypeLabel('trace-sync', 'delay'), 'sync block');
  assert.equal(sampleTypeLabel('trace-net', 'contentions'), 'net wait count');
  assert.equal(sampleTypeLabel('trace-derived', 'delay'), 'delay');
  assert.equal(sampleTypeLabel('block', 'delay'), 'delay');
  assert.equal(sampleTypeLabel('cpu', 'cpu'), 'cpu');
  assert.equal(profileKindTitle('trace-syscall'), 'syscall (from a trace)');
});

test('"Show Trace Profile on the Code…" takes what it is given field by field, and names profiles after the trace', () => {
  assert.deepEqual(parseTraceProfileArgs({ trace: '/t/shop.trace', type: 'sched', scope: { goroutineName: 'main.worker', fromNs: 5, toNs: 'x' }, scopeLabel: 'G group' }), {
    trace: '/t/shop.trace',
    type: 'sched',
    scope: { goroutineName: 'main.worker', regionType: undefined, taskId: undefined, fromNs: 5, toNs: undefined },
    scopeLabel: 'G group',
  });
  assert.deepEqual(parseTraceProfileArgs({ type: 'cpu' }), { trace: undefined, type: undefined, scope: undefined, scopeLabel: undefined });
  assert.deepEqual(parseTraceProfileArgs('nonsense'), {});
  assert.equal(derivedEndpointName('/w/.pprof/shop-trace-20261207T120000Z.trace'), 'shop');
  assert.equal(derivedEndpointName('/w/trace.out'), 'trace');
  assert.equal(derivedEndpointName('/w/my service run.trace'), 'my_service_run');
});
