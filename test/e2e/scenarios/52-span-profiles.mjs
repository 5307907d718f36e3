// Issue 15, span profiles, end to end on the example shop: its tracer labels the goroutine of every
// sampled span with span_id, trace_id and span_name, so a CPU profile taken while it exports spans
// knows which span each sample ran for. With that profile open and the span file in the timeline, a
// checkout span's "CPU profile of this span" narrows the profile to the span and the spans below it:
// the message gives go tool pprof's total of those samples (-tagfocus), and the lens on priceBasket its
// cum under the same filter. Then the Profile view, grouped by span name, lists pprof -tags's totals
// per name, and a click on a name shows only its samples.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/host.mjs';
import { captureFromShop } from '../lib/shop.mjs';
import { lensOnDeclaration, openTraceByPath, timelineFrame } from '../lib/ui.mjs';

export const title = 'span profiles: a shop span\'s CPU profile from the timeline onto the code, and the profile grouped by span name';

function toast(page, text) {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
}

/** go tool pprof's figures for the run (test/e2e/lib/spanProfileReference.ts). */
function reference(profile, spansFile) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'e2e', 'lib', 'spanProfileReference.ts'), profile, spansFile], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the span profile reference failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function run({ workbench, page, workspace }) {
  const spansFile = join(workspace, 'shop-spans.jsonl');
  await captureFromShop(workspace, { 'shop-cpu.pb.gz': 'profile?seconds=3' }, { spans: spansFile });
  const profile = join(workspace, '.pprof', 'shop-cpu.pb.gz');
  const expected = reference(profile, spansFile);

  // The profile, opened from Quick Open, is the active profile.
  await workbench.openFile('.pprof/shop-cpu.pb.gz', { editor: 'webview' });
  await page.locator('.statusbar-item', { hasText: /cpu|samples/ }).filter({ has: page.locator('.codicon-flame') }).first().waitFor();

  // The span file in the timeline; the checkout found by its span ID.
  await openTraceByPath(workbench, page, spansFile);
  const frame = await timelineFrame(page, /OTLP\/JSON · \d+ traces?/, 60000);
  const input = frame.locator('input.find');
  await input.fill(expected.spanId);
  await input.press('Enter');
  await frame.locator('.side h2', { hasText: new RegExp(`^${escape(expected.spanName)}$`) }).waitFor();
  const note = frame.locator('.span-profile-section .muted');
  if (expected.below > 0) assert.match(await note.innerText(), new RegExp(`and the ${expected.below} spans? below it`));
  await frame.locator('button.span-profile').click();

  // The language server found its samples: the message has pprof's total of them.
  const shown = toast(page, `CPU profile of span "${expected.spanName}"`);
  await shown.waitFor({ timeout: 30000 });
  assert.match(await shown.innerText(), new RegExp(`: ${escape(expected.totalText)} \\(`), `pprof -tagfocus total ${expected.totalText}`);
  await page.locator('.statusbar-item', { has: page.locator('.codicon-filter') }).first().waitFor();
  await workbench.screenshot('span-profile-message');

  // On the code: priceBasket's lens is its cum under the span's filter.
  const lens = await lensOnDeclaration({ workbench, page, workspace }, 'gateway.go', 'func priceBasket(', new RegExp(`· ${escape(expected.priceBasketCumText)} \\([\\d.]+%\\) cum$`), `priceBasket's lens with cum ${expected.priceBasketCumText}`);
  assert.match(lens, /^cpu /);
  await workbench.screenshot('span-profile-lens');

  // The Profile view grouped by span name: pprof -tags's totals, one row per name.
  // Without the filter, the lens is priceBasket's cum over the whole profile again.
  await workbench.runCommand('Go Trace Lens: Clear Label Filter');
  await page.locator('.statusbar-item', { has: page.locator('.codicon-filter') }).first().waitFor({ state: 'detached' });
  await lensOnDeclaration({ workbench, page, workspace }, 'gateway.go', 'func priceBasket(', new RegExp(`· ${escape(expected.priceBasketCumUnfilteredText)} \\([\\d.]+%\\) cum$`), `priceBasket's lens with cum ${expected.priceBasketCumUnfilteredText} once the filter is cleared`);
  await workbench.runCommand('Go Trace Lens: Group Profile by Label (Span Name)…');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: /^span_name/ }).first().click();
  const pane = page.locator('.pane', { hasText: 'Profile' });
  await pane.locator('.monaco-list-row', { hasText: 'grouped by span_name' }).first().waitFor();
  // A row reads "<span name><total> (<share>)": the label and the description, with the total pprof's.
  for (const { name, totalText } of expected.spanNames) {
    await pane.locator('.monaco-list-row', { hasText: new RegExp(`^${escape(name)}\\s*${escape(totalText)} \\([\\d.]+%\\)$`) }).first().waitFor();
  }
  await workbench.screenshot('profile-grouped-by-span-name');

  // A click on the checkouts shows only their samples, as functions: sorted by cum, the pricing they do
  // is near the top (sorted by flat, its 0 flat can put it below the rows the list draws).
  await pane.locator('.monaco-list-row', { hasText: /^gateway\.checkout\s*[\d.]/ }).first().click();
  await pane.locator('.monaco-list-row', { hasText: 'filter span_name=^gateway\\.checkout$' }).first().waitFor();
  const filtered = pane.locator('.monaco-list-row', { hasText: 'filter span_name=^gateway\\.checkout$' }).first();
  if (!(await filtered.innerText()).includes('sorted by cum')) {
    const header = page.locator('.pane-header', { hasText: 'Profile' }).first();
    await header.hover();
    await header.locator('.action-label[aria-label="Sort by Cum"]').click();
    await pane.locator('.monaco-list-row', { hasText: 'sorted by cum' }).first().waitFor();
  }
  await pane.locator('.monaco-list-row', { hasText: 'main.priceBasket' }).first().waitFor();
}
