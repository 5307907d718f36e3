// The flame graph of a real shop CPU profile, in the profile editor and in the panel a CodeLens opens:
// it draws, reveals the lens's function, and opening a frame's source lands on the right file and line.
// Then diff mode against a second capture: lenses and the flame graph show the change.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureFromShop } from '../lib/shop.mjs';
import { goToLine } from '../lib/ui.mjs';

export const title = 'flame graph (editor and panel), open source from a frame, diff mode';


/** True when the canvas shows more than its background (frames are drawn). */
function canvasHasFrames(frame) {
  return frame.locator('canvas').first().evaluate((canvas) => {
    const context = canvas.getContext('2d');
    const { data } = context.getImageData(0, 0, canvas.width, Math.min(canvas.height, 400));
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4 * 97) colours.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    return colours.size > 4;
  });
}

export async function run({ workbench, page, workspace }) {
  // A light load first and a heavy one after: the gateway's functions grow between the two captures
  // however few samples a busy machine lets the shop take, so the diff has a change to show.
  await captureFromShop(workspace, { 'shop-cpu-before.pb.gz': 'profile?seconds=3' }, { load: '250ms' });
  await captureFromShop(workspace, { 'shop-cpu-after.pb.gz': 'profile?seconds=3' }, { load: '2ms' });

  // The profile editor draws the flame graph under its summary header. (The earlier capture is opened
  // first, so it is loaded when the later one is compared with it.)
  await workbench.openFile('.pprof/shop-cpu-before.pb.gz', { editor: 'webview' });
  await workbench.openFile('.pprof/shop-cpu-after.pb.gz', { editor: 'webview' });
  const editorFrame = workbench.webviewFrame();
  await editorFrame.locator('header.summary').filter({ hasText: /cpu/ }).first().waitFor({ timeout: 60000 });
  await editorFrame.locator('canvas').first().waitFor();
  for (let i = 0; i < 40 && !(await canvasHasFrames(editorFrame)); i++) await page.waitForTimeout(250);
  assert.ok(await canvasHasFrames(editorFrame), 'the flame graph is drawn');
  assert.match(await editorFrame.locator('header.summary').first().innerText(), /main\.|runtime\.|crypto/);
  await workbench.screenshot('flame-graph-editor');

  // A CodeLens click reveals its function in the flame graph panel.
  await workbench.openFile('gateway.go');
  const source = readFileSync(join(workspace, 'gateway.go'), 'utf8').split('\n');
  const funcLine = source.findIndex((l) => l.startsWith('func applyDiscounts('));
  await goToLine(page, funcLine + 1);
  // Click the lens directly above the function's line (once the lenses have arrived).
  let clicked = false;
  for (let attempt = 0; attempt < 120 && !clicked; attempt++) {
    const funcBox = await page.locator('.editor-instance .view-line').filter({ hasText: /func.applyDiscounts\(/ }).first().boundingBox();
    for (const handle of await page.locator('.editor-instance .codelens-decoration a').filter({ hasText: /cum/ }).elementHandles()) {
      const box = await handle.boundingBox();
      if (funcBox && box && box.y < funcBox.y && funcBox.y - box.y < 3 * funcBox.height) {
        await handle.click();
        clicked = true;
        break;
      }
    }
    if (!clicked) await page.waitForTimeout(500);
  }
  assert.ok(clicked, 'a lens sits above applyDiscounts');
  const panelTab = page.locator('.tabs-container .tab', { hasText: 'Flame Graph' }).first();
  await panelTab.waitFor();
  const panelFrame = workbench.webviewFrame();
  await panelFrame.locator('.breadcrumb', { hasText: 'applyDiscounts' }).first().waitFor({ timeout: 30000 });
  await workbench.screenshot('flame-graph-reveal');

  // Opening the revealed frame's source lands on the function in gateway.go.
  await workbench.openFile('main.go');
  await panelTab.click();
  await panelFrame.locator('.graph').first().focus();
  await page.keyboard.press('Shift+Enter');
  await page.locator('.tabs-container .tab.active', { hasText: 'gateway.go' }).waitFor();
  let line = null;
  for (let i = 0; i < 40 && line !== funcLine + 1; i++) {
    line = await workbench.cursorLine();
    if (line !== funcLine + 1) await page.waitForTimeout(250);
  }
  assert.equal(line, funcLine + 1, 'the editor opened at the function');

  // Diff mode: the second capture against the first.
  await workbench.runCommand('Go Trace Lens: Compare with Base Profile…');
  const base = page.locator('.quick-input-list .monaco-list-row', { hasText: 'shop-cpu-before.pb.gz' }).first();
  await base.waitFor();
  await base.click();
  await panelFrame.locator('.legend', { hasText: /grew|shrank/i }).first().waitFor({ timeout: 30000 });
  await page.keyboard.press('Control+1');
  await workbench.openFile('gateway.go');
  await page.waitForFunction(() => [...document.querySelectorAll('.editor-instance .codelens-decoration a')].some((a) => /^Δ (cpu|samples) /.test(a.textContent) && a.getBoundingClientRect().height > 0), null, { timeout: 30000 });
  await page.locator('.statusbar-item', { hasText: 'Δ' }).first().waitFor();
  await workbench.screenshot('profile-diff');
}
