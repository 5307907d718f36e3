// Issue 14 end to end: an execution trace of the running shop, opened in the timeline, says where its
// goroutines spent their time and how long they waited to run: the Analysis view ("Goroutines & Latency")
// lists the shop's goroutine groups with their counts and the state-transition latencies, and one of the
// worst scheduler latencies is one click from its place on the timeline. Then it shows where the
// goroutines blocked on the code: "Show on the code… → Sync blocking" derives go tool trace's sync profile
// in the language server, saves it beside the captures (listed in the Captures view as a sync block
// profile of the shop) and opens it: the shop's load generator, which waits on every HTTP response it
// asks for, carries a "sync block …" lens.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { captureFromShop } from '../lib/shop.mjs';
import { lensOnDeclaration } from '../lib/ui.mjs';
import { waitFor } from '../lib/waitFor.mjs';

export const title = 'trace-derived profiles: sync blocking of a shop trace, from the timeline onto the code';

export async function run({ workbench, page, workspace }) {
  await captureFromShop(workspace, { 'shop.trace': 'trace?seconds=2' }, { folder: '.' });

  await workbench.openFile('shop.trace', { editor: 'webview' });
  const frame = workbench.webviewFrame();
  await frame.locator('.summary-text', { hasText: /Go 1\.\d+ execution trace/ }).waitFor({ timeout: 60000 });

  // The Analysis view: the shop's goroutine groups with their counts, and the latency table.
  await frame.locator('button.analysis-toggle').click();
  const groupRow = (name) => frame.locator(`.analysis tr.breakdown-row[data-key="group:${name}"]`);
  const count = async (row) => Number(await row.locator('td[data-column="count"]').getAttribute('data-value'));
  await groupRow('main.generateLoad').waitFor({ timeout: 30000 });
  assert.equal(await count(groupRow('main.generateLoad')), 1, 'one load generator');
  assert.ok(Number(await groupRow('main.generateLoad').locator('td[data-column="exec"]').getAttribute('data-value')) > 0, 'the load generator ran');
  const serving = groupRow('net/http.(*conn).serve');
  await serving.waitFor();
  assert.ok((await count(serving)) >= 1, 'goroutines serving HTTP connections');
  const latency = frame.locator('.analysis tr.latency-row', { has: frame.locator('.row-name', { hasText: 'runnable → running (scheduler latency)' }) });
  await latency.waitFor();
  assert.ok(Number(await latency.locator('td.num').first().getAttribute('data-value')) > 0, 'goroutines were scheduled');

  // Room for both tables side by side (for the screenshot): without the side bar, the webview is wide enough.
  await workbench.runCommand('View: Close Primary Side Bar');
  await waitFor(async () => {
    const [tables, latencyTable] = await Promise.all([frame.locator('.analysis-goroutines').boundingBox(), frame.locator('.analysis-latency').boundingBox()]);
    return tables && latencyTable && latencyTable.x > tables.x + tables.width - 1;
  }, 'the goroutine and latency tables side by side', 30000);

  // The worst scheduler latency, on the timeline: its goroutine's runnable state, selected.
  await latency.locator('.twisty-button').click();
  const instance = frame.locator('.analysis tr.instance-row button.instance').first();
  const goroutine = /^(G\d+) at /.exec(await instance.innerText())[1];
  await instance.click();
  await frame.locator('.side h2', { hasText: new RegExp(`^${goroutine}( |$)`) }).waitFor();
  const state = frame.locator('.side dl.facts dt', { hasText: /^State$/ }).locator('xpath=following-sibling::dd[1]');
  assert.match(await state.innerText(), /^runnable( \(.+\))?$/, 'the runnable state (with the reason it stopped running, if any)');
  await workbench.screenshot('timeline-goroutine-analysis');
  await workbench.runCommand('View: Toggle Primary Side Bar Visibility');
  await page.locator('.part.sidebar').waitFor();

  // The whole trace's sync blocking, from the toolbar's menu.
  await frame.locator('select.trace-profile-menu').selectOption('sync');
  const captures = join(workspace, '.pprof');
  const saved = await waitFor(() => {
    try {
      return readdirSync(captures).find((f) => /^shop-trace-sync-\d{8}T\d{6}Z\.pb\.gz$/.test(f));
    } catch {
      return undefined;
    }
  }, 'the sync profile saved in .pprof/', 60000);
  assert.ok(readFileSync(join(captures, saved)).subarray(0, 2).equals(Buffer.from([0x1f, 0x8b])), 'a gzipped profile');
  const capturesPane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Captures' }) }).first();
  await capturesPane.locator('.monaco-list-row', { hasText: 'Sync block profile' }).first().waitFor({ timeout: 30000 });

  // The profile is active: the shop's load generator, which waits on every response, says how long it blocked.
  const LENS = /^sync block (?:[\d.]+(?:ns|µs|us|ms|s)|0) \([\d.]+%\) flat · [\d.]+(?:ns|µs|us|ms|s) \([\d.]+%\) cum$/;
  const lens = await lensOnDeclaration({ workbench, page, workspace }, 'load.go', 'func generateLoad(', LENS, 'a "sync block" lens on generateLoad');
  assert.match(lens, LENS);
  await workbench.screenshot('trace-profile-sync-lens');
}
