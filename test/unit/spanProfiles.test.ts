// Span profiles in the profiles core: label totals equal `go tool pprof -tags` on a real CPU profile of the
// example shop (whose tracer labels the goroutine of each sampled span with span_id, trace_id and
// span_name), the samples of a span and the spans below it equal pprof's -tagfocus with the filter we
// build, and the labels name the spans of the shop's own span file. Datadog's decimal `span id` label and
// label values with regexp characters and commas are checked on built profiles.

import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { exactLabelFilter, labelValueTotals, spanSamples } from '../../core/profiles';
import { decodeProfileBytes } from '../../core/profiles/profileFile.node';
import { prepareQuery } from '../../core/profiles/query';
import { findGo, requireGo } from '../helpers/goToolchain';
import { buildProfile } from '../helpers/pprofBuilder';
import { captureShopSpanProfile, spanAndDescendants, toolTags, type ShopSpanProfile } from '../helpers/shopSpanProfile';

let shop: ShopSpanProfile | undefined;

before(async () => {
  if (findGo()) shop = await captureShopSpanProfile();
});

after(() => {
  if (shop) rmSync(dirname(shop.profile), { recursive: true, force: true });
});

function shopProfile(t: TestContext): ShopSpanProfile | null {
  if (!requireGo((why) => t.skip(why))) return null;
  assert.ok(shop, 'the shop was profiled');
  return shop;
}

describe('span profiles on a real CPU profile of the shop', () => {
  it('label totals equal go tool pprof -tags for every key the shop records', (t) => {
    const s = shopProfile(t);
    if (!s) return;
    const query = prepareQuery(decodeProfileBytes(readFileSync(s.profile)));
    const tool = toolTags(s.profile);
    for (const key of ['span_id', 'trace_id', 'span_name', 'stage', 'sku']) {
      const reference = tool.get(key);
      assert.ok(reference, `pprof -tags lists ${key}: the shop labels its samples with it`);
      const ours = labelValueTotals(query, key);
      assert.equal(ours.total, reference.total, `${key}: total`);
      assert.deepEqual(new Map(ours.values.map((v) => [v.value, v.total])), reference.values, `${key}: value totals`);
    }
    // What a user sees first when grouping by span name: the gateway's checkout, which prices baskets.
    const names = labelValueTotals(query, 'span_name').values.map((v) => v.value);
    assert.ok(names.includes('gateway.checkout'), `span names: ${names.join(', ')}`);
  });

  it('the labels name the spans of the shop\'s span file, trace and name alike', (t) => {
    const s = shopProfile(t);
    if (!s) return;
    const query = prepareQuery(decodeProfileBytes(readFileSync(s.profile)));
    const bySpan = new Map(s.spans.map((span) => [span.spanId, span]));
    // A span still running when the shop stopped was sampled but never exported; every exported one agrees.
    const profile = query.sources[0]!.profile;
    let checked = 0;
    for (let set = 1; set < profile.labelSets.count; set++) {
      const labels = new Map<string, string>();
      for (let i = profile.labelSets.start[set]!; i < profile.labelSets.start[set + 1]!; i++) labels.set(profile.strings[profile.labelSets.key[i]!]!, profile.strings[profile.labelSets.string[i]!]!);
      const span = bySpan.get(labels.get('span_id') ?? '');
      if (!span) continue;
      assert.equal(labels.get('trace_id'), span.traceId);
      assert.equal(labels.get('span_name'), span.name);
      checked++;
    }
    assert.ok(checked > 0, 'some sampled spans are in the span file');
  });

  it('the samples of a span and the spans below it equal pprof -tagfocus with the filter built for them', (t) => {
    const s = shopProfile(t);
    if (!s) return;
    const query = prepareQuery(decodeProfileBytes(readFileSync(s.profile)));
    const sampled = new Set(labelValueTotals(query, 'span_id').values.map((v) => v.value));
    // Root spans (the checkouts) with samples of their own or below them.
    const roots = s.spans.filter((span) => span.parentId === '' && spanAndDescendants(s.spans, span.spanId).some((id) => sampled.has(id))).slice(0, 5);
    assert.ok(roots.length > 0, 'some traces of the span file have samples');
    for (const root of roots) {
      const ids = spanAndDescendants(s.spans, root.spanId);
      const ours = spanSamples(query, ids);
      assert.ok(ours, 'the profile carries span IDs');
      assert.equal(ours.key, 'span_id');
      assert.ok(ours.samples > 0);
      assert.equal(ours.spansWithSamples, ids.filter((id) => sampled.has(id)).length);
      const reference = toolTags(s.profile, { tagfocus: ours.filter }).get('span_id');
      assert.ok(reference, `pprof -tagfocus=${ours.filter} keeps samples`);
      assert.equal(ours.total, reference.total, `${root.name} ${root.spanId} and ${ids.length - 1} below it`);
      assert.deepEqual([...reference.values.keys()].sort(), ids.filter((id) => sampled.has(id)).sort(), 'exactly these spans');
      // The filter in the editor's view keeps the same samples.
      const filtered = prepareQuery(query.sources[0]!.profile, { tags: [ours.filter] });
      assert.equal(labelValueTotals(filtered, 'span_id').total, ours.total);
    }
    // A span the profile never saw: labelled profile, no samples.
    const none = spanSamples(query, ['00000000000000aa']);
    assert.ok(none);
    assert.equal(none.samples, 0);
    assert.ok(none.labelledTotal > 0);
  });
});

describe('span profiles on built profiles', () => {
  const cpu = (samples: { stack: string[]; value: number; labels?: Record<string, string> }[]) =>
    prepareQuery(decodeProfileBytes(buildProfile({ sampleTypes: [['samples', 'count'], ['cpu', 'nanoseconds']], samples: samples.map((s) => ({ stack: s.stack, values: [s.value / 10_000_000, s.value], labels: s.labels })) })));

  it('reads Datadog\'s decimal "span id" label for the same hex span IDs', () => {
    const query = cpu([
      { stack: ['work', 'handle'], value: 30_000_000, labels: { 'span id': BigInt('0x00f1e2d3c4b5a697').toString(), 'local root span id': '1' } },
      { stack: ['idle'], value: 10_000_000, labels: { 'span id': '42' } },
      { stack: ['gc'], value: 20_000_000 },
    ]);
    const found = spanSamples(query, ['00f1e2d3c4b5a697']);
    assert.ok(found);
    assert.equal(found.key, 'span id');
    assert.equal(found.total, 30_000_000);
    assert.equal(found.labelledTotal, 40_000_000);
    assert.equal(labelValueTotals(prepareQuery(query.sources[0]!.profile, { tags: [found.filter] }), 'span id').total, 30_000_000);
  });

  it('a profile without span labels has no span samples, and says so with undefined', () => {
    const query = cpu([{ stack: ['work'], value: 10_000_000, labels: { worker: 'cpu' } }]);
    assert.equal(spanSamples(query, ['00f1e2d3c4b5a697']), undefined);
  });

  it('an exact label filter keeps exactly its values, regexp characters and commas included', () => {
    const names = ['GET /items/{id}', 'a,b', 'pay.(*card).charge', 'a'];
    const query = cpu(names.map((name, i) => ({ stack: [`f${i}`], value: (i + 1) * 10_000_000, labels: { span_name: name } })));
    for (const [i, name] of names.entries()) {
      const kept = labelValueTotals(prepareQuery(query.sources[0]!.profile, { tags: [exactLabelFilter('span_name', [name])] }), 'span_name');
      assert.deepEqual(kept.values.map((v) => v.value), [name]);
      assert.equal(kept.total, (i + 1) * 10_000_000);
    }
    const both = labelValueTotals(prepareQuery(query.sources[0]!.profile, { tags: [exactLabelFilter('span_name', ['a', 'a,b'])] }), 'span_name');
    assert.deepEqual(both.values.map((v) => v.value).sort(), ['a', 'a,b']);
  });
});
