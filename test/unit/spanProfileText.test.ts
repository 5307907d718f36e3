// What "CPU profile of this span" tells the user: the span and how many spans below it, where the
// samples are and how much, and when none are found, which of the three reasons holds (nothing open, open
// profiles without span labels, labelled profiles that never sampled this span) with the buttons that help.
// And "Group by Label…" offers span names first.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupingKeys, noSamplesMessage, shownMessage } from '../../client/src/profiles/spanProfileText';

const request = { spanIds: ['bbf8eaa5e8ac99cf', '01', '02', '03'], spanName: 'gateway.checkout', service: 'gateway', traceId: 'a1982af3d17e34e945636d7953029981' };
const leaf = { ...request, spanIds: ['bbf8eaa5e8ac99cf'] };

test('nothing open: capture or open a profile of the span\'s service', () => {
  const { message, actions } = noSamplesMessage(request, { profiles: [], labelledWithout: [], loaded: 0 });
  assert.match(message, /^No profile is open to find the samples of span "gateway\.checkout" and the 3 spans below it in\. Capture a CPU profile of gateway /);
  assert.deepEqual(actions, ['Capture Profile…', 'Open Profile…']);
});

test('open profiles without span labels: how a service records them', () => {
  const { message, actions } = noSamplesMessage(leaf, { profiles: [], labelledWithout: [], loaded: 2 });
  assert.match(message, /^None of the 2 open profiles has span IDs on its samples, so none can say what span "gateway\.checkout" did\./);
  assert.match(message, /span_id/);
  assert.deepEqual(actions, ['Open Profile…']);
});

test('labelled profiles that never sampled the span: named, with why a span can go unsampled', () => {
  const { message } = noSamplesMessage(leaf, { profiles: [], labelledWithout: ['cpu profile · shop-cpu.pb.gz'], loaded: 1 });
  assert.match(message, /^cpu profile · shop-cpu\.pb\.gz carries span IDs, but no samples of span "gateway\.checkout"\. /);
  assert.match(message, /10 ms of CPU time/);
});

test('the samples found: total, share of which profile, sample count', () => {
  const text = shownMessage(request, { profileId: 'p1', label: 'cpu profile · shop-cpu.pb.gz', path: '/w/.pprof/shop-cpu.pb.gz', filter: 'span_id=^(?:a|b)$', samples: 1, spansWithSamples: 1, totalText: '10ms', shareText: '2.56%', sampleType: 'cpu' });
  assert.equal(text, 'CPU profile of span "gateway.checkout" and the 3 spans below it: 10ms (2.56% of shop-cpu.pb.gz) in 1 sample. Lenses, heat, the Profile view and the flame graph now show only them.');
});

test('grouping offers span names (and Datadog\'s trace endpoint) before other labels', () => {
  assert.deepEqual(groupingKeys(['sku', 'span_id', 'stage', 'span_name', 'trace endpoint', 'trace_id']), ['span_name', 'trace endpoint', 'sku', 'span_id', 'stage', 'trace_id']);
});
