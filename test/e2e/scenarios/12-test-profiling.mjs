// Profiling a benchmark from its lens, as a Go engineer does: the shop's test file, just edited, has
// "Profile benchmark ▸" above BenchmarkPriceBasket; a click offers the profiles, CPU is chosen, the file is
// saved and the real go test runs (Go on VS Code's PATH) under a progress notification, its output
// streamed to "Go Trace Lens: Tests"; the profile lands in .pprof/ under the benchmark's name, with the
// test binary beside it, and is selected in the Captures view; it is the active profile, so the shop's hot
// function, which the benchmark exercises, has its flat/cum lens; and the benchmark itself has its profile
// lens beside the test lens.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { goToLine } from '../lib/ui.mjs';
import { waitFor } from '../lib/waitFor.mjs';

export const title = 'profile a shop benchmark from its lens: CPU, real go test, output channel, Captures view, CodeLens on the shop\'s code';

/** Every file in the captures folder, hidden partial files included. */
function capturesIn(workspace) {
  const folder = join(workspace, '.pprof');
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

/**
 * The texts of the CodeLenses shown just above the editor line containing `needle`, left to right (VS Code
 * draws a line's lenses in one decoration, separated by " | ").
 */
function lensesAbove(page, needle) {
  return page.evaluate((text) => {
    const line = [...document.querySelectorAll('.editor-instance .view-lines .view-line')].find((l) => l.textContent.replace(/\u00a0/g, ' ').includes(text));
    if (!line) return [];
    const lineBox = line.getBoundingClientRect();
    const above = [...document.querySelectorAll('.editor-instance .codelens-decoration')].filter((lens) => {
      const gap = lineBox.top - lens.getBoundingClientRect().top;
      return gap > 0 && gap < 2 * lineBox.height;
    });
    return above.flatMap((lens) => lens.textContent.replace(/\u00a0/g, ' ').split(' | ').map((t) => t.trim()).filter((t) => t !== ''));
  }, needle);
}

/** Typed at the end of the benchmark's comment before its lens is clicked: the click saves the file first. */
const EDIT = ' (Profiled from its lens.)';

const PROFILE_LENS = /^cpu (?:[\d.]+m?s|0) \([\d.]+%\) flat · [\d.]+m?s \([\d.]+%\) cum$/;

export async function run({ workbench, page, workspace }) {
  const testSource = readFileSync(join(workspace, 'gateway_test.go'), 'utf8').split('\n');
  const benchLine = testSource.findIndex((l) => l.startsWith('func BenchmarkPriceBasket(')) + 1;
  assert.ok(benchLine > 0, 'the shop has BenchmarkPriceBasket');

  // 1. The lens above the benchmark (the test lenses come on once the server hears the workspace is
  // trusted). The file is edited first and left unsaved: the lens is where the editor shows it.
  await workbench.openFile('gateway_test.go');
  await goToLine(page, benchLine - 1);
  await page.keyboard.press('End');
  await page.keyboard.type(EDIT);
  await page.locator('.tabs-container .tab.active.dirty').waitFor();
  await goToLine(page, benchLine);
  const lenses = await waitFor(async () => {
    const texts = await lensesAbove(page, 'func BenchmarkPriceBasket(');
    return texts.includes('Profile benchmark ▸') ? texts : undefined;
  }, 'the "Profile benchmark ▸" lens above BenchmarkPriceBasket', 60000);
  assert.deepEqual(lenses, ['Profile benchmark ▸']);

  // 2. A click offers the profiles; CPU is chosen.
  await page.locator('.editor-instance .codelens-decoration a', { hasText: 'Profile benchmark ▸' }).first().click();
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Profile benchmark BenchmarkPriceBasket' }).first().waitFor();
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor();
  const labels = await page.$$eval('.quick-input-list .monaco-list-row', (all) => all.map((row) => row.querySelector('.label-name')?.textContent.trim()));
  assert.deepEqual(labels, ['CPU profile', 'Memory profile', 'Block profile', 'Mutex profile', 'Execution trace']);
  await workbench.screenshot('test-profiling-pick');
  const input = page.locator('.quick-input-widget input').first();
  await input.fill('CPU');
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'CPU profile' }).first().waitFor();
  await page.keyboard.press('Enter');

  // 3. The edited test file was saved before go test ran; go test runs under a progress notification,
  // its output streaming to "Go Trace Lens: Tests".
  await page.locator('.notifications-toasts .notification-toast', { hasText: 'Profiling BenchmarkPriceBasket (CPU profile)' }).first().waitFor();
  assert.equal(readFileSync(join(workspace, 'gateway_test.go'), 'utf8').split('\n')[benchLine - 2], `${testSource[benchLine - 2]}${EDIT}`);
  await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
  const outputLines = page.locator('.panel .monaco-editor .view-lines');
  // (Monaco draws spaces as no-break spaces, which \s matches.)
  await outputLines.filter({ hasText: /go\stest\s-count=1\s-v\s-run\s'\^\$'\s-bench\s'\^BenchmarkPriceBasket\$'/ }).first().waitFor();
  await outputLines.filter({ hasText: /BenchmarkPriceBasket-\d+\s+\d+\s+\d+\sns\/op/ }).first().waitFor({ timeout: 120000 });

  // 4. The profile is saved in .pprof/ under the benchmark's name, the test binary beside it, nothing else.
  const saved = await waitFor(() => capturesIn(workspace).find((f) => /^shop\.BenchmarkPriceBasket-cpu-\d{8}T\d{6}Z\.pb\.gz$/.test(f)), 'the CPU profile in .pprof/', 120000);
  assert.deepEqual(capturesIn(workspace), [saved, saved.replace(/\.pb\.gz$/, '.test')].sort());

  // …selected in the Captures view, with its kind and its benchmark.
  const capturesPane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Captures' }) }).first();
  const row = capturesPane.locator('.monaco-list-row[aria-selected="true"]', { hasText: 'shop.BenchmarkPriceBasket' }).first();
  await row.waitFor({ timeout: 60000 });
  assert.match(await row.innerText(), /CPU profile[\s\S]*shop\.BenchmarkPriceBasket · .* · .*B/);
  await outputLines.filter({ hasText: /exit\sstatus\s0\safter\s[\d.]+\ss:\sBenchmarkPriceBasket\spassed\.\sSaved\sshop\.BenchmarkPriceBasket-cpu-/ }).first().waitFor();

  // 5. It is the active profile: the shop's hot function, which the benchmark exercises, has its lens.
  await page.locator('.statusbar-item', { hasText: /cpu|samples/ }).filter({ has: page.locator('.codicon-flame') }).first().waitFor();
  await workbench.openFile('gateway.go');
  const hotLine = readFileSync(join(workspace, 'gateway.go'), 'utf8').split('\n').findIndex((l) => l.startsWith('func applyDiscounts(')) + 1;
  await goToLine(page, hotLine);
  const hot = await waitFor(async () => (await lensesAbove(page, 'func applyDiscounts(')).find((t) => PROFILE_LENS.test(t)), 'the CPU lens above applyDiscounts', 60000);
  assert.match(hot, PROFILE_LENS);

  // 6. Back on the benchmark: its profile lens stands beside the test lens.
  await workbench.openFile('gateway_test.go');
  await goToLine(page, benchLine);
  const both = await waitFor(async () => {
    const texts = await lensesAbove(page, 'func BenchmarkPriceBasket(');
    return texts.length === 2 ? texts : undefined;
  }, 'the profile lens beside the test lens on BenchmarkPriceBasket', 60000);
  assert.match(both[0], PROFILE_LENS);
  assert.equal(both[1], 'Profile benchmark ▸');
  await workbench.screenshot('test-profiling');
}
