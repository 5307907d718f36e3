// The reference for the span-profile scenario, run through tsx by the scenario: given the shop's CPU
// profile and span file, picks the checkout (a root span) whose samples, with the spans below it, reach
// main.priceBasket the most, and prints what the editor must show for it, from `go tool pprof`: the total
// of those samples (-tags with -tagfocus), priceBasket's cum under the same filter and without it (-top), and the
// totals of the profile by span name (-tags). Values are formatted as the extension formats them.

import { exactLabelFilter, formatValue } from '../../../core/profiles';
import { parseTopRows, runPprofTool } from '../../helpers/pprofTool';
import { readShopSpans, spanAndDescendants, toolTags } from '../../helpers/shopSpanProfile';

const [profile, spansFile] = process.argv.slice(2) as [string, string];
const spans = readShopSpans(spansFile);
const sampled = new Set(toolTags(profile).get('span_id')?.values.keys());
let best: { spanId: string; name: string; ids: string[]; cum: number; total: number } | undefined;
for (const root of spans.filter((s) => s.parentId === '' && s.name === 'gateway.checkout')) {
  const ids = spanAndDescendants(spans, root.spanId);
  if (!ids.some((id) => sampled.has(id))) continue;
  const filter = exactLabelFilter('span_id', ids);
  const top = parseTopRows(runPprofTool(['-unit=ns', '-nodefraction=0', '-top', `-tagfocus=${filter}`, profile]));
  const cum = top.find((r) => r.name === 'main.priceBasket')?.cum ?? 0;
  if (cum > (best?.cum ?? 0)) best = { spanId: root.spanId, name: root.name, ids, cum, total: toolTags(profile, { tagfocus: filter }).get('span_id')!.total };
}
if (!best) throw new Error('no checkout of the span file has samples in main.priceBasket');
const byName = toolTags(profile).get('span_name')!;
const unfiltered = parseTopRows(runPprofTool(['-unit=ns', '-nodefraction=0', '-top', profile])).find((r) => r.name === 'main.priceBasket')?.cum ?? 0;
process.stdout.write(JSON.stringify({
  spanId: best.spanId,
  spanName: best.name,
  below: best.ids.length - 1,
  totalText: formatValue(best.total, 'nanoseconds'),
  priceBasketCumText: formatValue(best.cum, 'nanoseconds'),
  priceBasketCumUnfilteredText: formatValue(unfiltered, 'nanoseconds'),
  spanNames: [...byName.values].map(([name, total]) => ({ name, totalText: formatValue(total, 'nanoseconds') })),
}));
