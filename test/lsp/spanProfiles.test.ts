// Span profiles over real JSON-RPC: with a CPU profile of the example shop loaded (its tracer labels each
// sampled span's goroutine with span_id, trace_id and span_name), the language server says which loaded
// profiles hold samples of a span and the spans below it, with the filter that shows exactly them, and
// groups the active profile by span name; the numbers are go tool pprof's (-tags, -tagfocus).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  LabelGroupsRequest, LoadProfileRequest, ProfileStateChangedNotification, SpanSamplesRequest, TopFunctionsRequest, UpdateProfileViewRequest,
  type ProfileState,
} from '../../common/profileProtocol';
import { formatValue } from '../../core/profiles';
import { findGo } from '../helpers/goToolchain';
import { TestLspClient } from '../helpers/lspClient';
import { buildProfile, sampleCpuProfileSpec } from '../helpers/pprofBuilder';
import { captureShopSpanProfile, spanAndDescendants, toolTags, type ShopSpanProfile } from '../helpers/shopSpanProfile';
import { SHOP_DIR } from '../helpers/shopService';

let shop: ShopSpanProfile | undefined;
let client: TestLspClient;
let plainFile: string;
const announced: ProfileState[] = [];

before(async () => {
  if (!findGo()) {
    if (process.env.CI === 'true') throw new Error('CI=true and the Go toolchain is not installed');
    return;
  }
  shop = await captureShopSpanProfile();
  plainFile = join(dirname(shop.profile), 'plain-cpu.pb.gz');
  writeFileSync(plainFile, buildProfile(sampleCpuProfileSpec(), { gzip: true }));
  client = new TestLspClient();
  client.onNotification(ProfileStateChangedNotification, (state) => announced.push(state));
  await client.initialize([SHOP_DIR, dirname(shop.profile)]);
});

/** The total of the view's samples: the sum of every function's flat (each sample has one leaf). */
async function viewTotal(): Promise<number> {
  const top = await client.request(TopFunctionsRequest, { limit: 5000, sortBy: 'flat' });
  assert.ok(top && top.rows.length > 0 && top.rows.length < 5000, 'the view has samples, all of its functions listed');
  return top.rows.reduce((sum, r) => sum + r.flat, 0);
}

after(async () => {
  if (client) await client.shutdown();
  if (shop) rmSync(dirname(shop.profile), { recursive: true, force: true });
});

test('finds the samples of a span and the spans below it in the loaded profiles, as pprof -tagfocus counts them', async (t) => {
  if (!shop) return t.skip('the Go toolchain is not installed');
  const empty = await client.request(SpanSamplesRequest, { spanIds: ['00000000000000aa'] });
  assert.deepEqual(empty, { profiles: [], labelledWithout: [], loaded: 0 }, 'nothing loaded, nothing found');

  const plain = await client.request(LoadProfileRequest, { path: plainFile, makeActive: false });
  assert.ok(plain.ok);
  const loaded = await client.request(LoadProfileRequest, { path: shop.profile, makeActive: true });
  assert.ok(loaded.ok, !loaded.ok ? loaded.message : '');

  const sampled = new Set(toolTags(shop.profile).get('span_id')?.values.keys());
  const root = shop.spans.find((s) => s.parentId === '' && spanAndDescendants(shop!.spans, s.spanId).some((id) => sampled.has(id)));
  assert.ok(root, 'a trace of the span file has samples');
  const ids = spanAndDescendants(shop.spans, root.spanId);
  const found = await client.request(SpanSamplesRequest, { spanIds: ids });
  assert.equal(found.loaded, 2);
  assert.deepEqual(found.labelledWithout, [], 'the profile without span labels is not one that lacks these spans');
  assert.equal(found.profiles.length, 1, 'only the shop profile has them');
  const [hit] = found.profiles;
  assert.equal(hit!.profileId, loaded.profile.id);
  assert.equal(hit!.sampleType, 'cpu');
  const reference = toolTags(shop.profile, { tagfocus: hit!.filter }).get('span_id');
  assert.ok(reference);
  assert.equal(hit!.totalText, formatValue(reference.total, 'nanoseconds'));
  assert.equal(hit!.spansWithSamples, reference.values.size);
  assert.match(hit!.shareText, /^[\d.]+%$/);

  // A span the profile never saw: the shop profile is named as labelled but without it.
  const unseen = await client.request(SpanSamplesRequest, { spanIds: ['00000000000000aa'] });
  assert.deepEqual(unseen.profiles, []);
  assert.deepEqual(unseen.labelledWithout, [loaded.profile.label]);

  // The filter shows exactly those samples in the editor's view: their total is pprof's (percentages
  // stay of the whole profile, as pprof keeps them).
  const update = await client.request(UpdateProfileViewRequest, { labelFilter: hit!.filter });
  assert.ok(update.ok);
  assert.equal(announced.at(-1)?.labelFilter, hit!.filter);
  assert.equal(await viewTotal(), reference.total);
  await client.request(UpdateProfileViewRequest, { labelFilter: null });
});

test('groups the active profile by span name with pprof -tags\'s totals, and under the view\'s filter', async (t) => {
  if (!shop) return t.skip('the Go toolchain is not installed');
  const loaded = await client.request(LoadProfileRequest, { path: shop.profile, makeActive: true });
  assert.ok(loaded.ok);
  const reference = toolTags(shop.profile).get('span_name');
  assert.ok(reference);
  const grouped = await client.request(LabelGroupsRequest, { key: 'span_name', limit: 100 });
  assert.ok(grouped);
  assert.deepEqual(new Map(grouped.groups.map((g) => [g.value, g.total])), reference.values);
  assert.deepEqual(grouped.groups.map((g) => g.total), [...grouped.groups.map((g) => g.total)].sort((a, b) => b - a), 'largest first');
  const checkout = grouped.groups.find((g) => g.value === 'gateway.checkout');
  assert.ok(checkout, 'the checkouts ran on the CPU');
  assert.equal(checkout.totalText, formatValue(reference.values.get('gateway.checkout')!, 'nanoseconds'));

  // A group's filter narrows the view to it; grouping again stays inside the filter.
  assert.ok((await client.request(UpdateProfileViewRequest, { labelFilter: checkout.filter })).ok);
  assert.equal(await viewTotal(), checkout.total);
  const inside = await client.request(LabelGroupsRequest, { key: 'span_name', limit: 100 });
  assert.deepEqual(inside?.groups.map((g) => g.value), ['gateway.checkout']);
  assert.equal(inside?.unlabelledText, undefined);
  await client.request(UpdateProfileViewRequest, { labelFilter: null });

  // A key no sample carries: no groups, everything unlabelled.
  const none = await client.request(LabelGroupsRequest, { key: 'no such key', limit: 100 });
  assert.deepEqual(none?.groups, []);
  assert.match(none?.unlabelledText ?? '', /\(100(\.0+)?%\) without no such key$/);
});
