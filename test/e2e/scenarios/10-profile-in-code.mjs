// Profiles in the editor, with real profiles captured from the running example shop: CodeLens on its hot
// function, heat on the hottest line (with the flat/cum after-text), the hover, the Profile tree view,
// heat following an edit, the label filter, and a goroutine pile-up diagnostic from the shop's leak.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureFromShop } from '../lib/shop.mjs';
import { goToLine, quickInput } from '../lib/ui.mjs';

export const title = 'CodeLens, heat, hover, tree view, label filter and goroutine pile-ups from real shop profiles';


/** The rendered line element (`.view-line`) whose text contains `needle`. */
async function lineTop(page, needle) {
  return page.evaluate((text) => {
    for (const line of document.querySelectorAll('.editor-instance .view-lines .view-line')) {
      if (line.textContent.replace(/\u00a0/g, ' ').includes(text)) return parseFloat(line.style.top);
    }
    return null;
  }, needle);
}

export async function run({ workbench, page, workspace }) {
  // The pile-up diagnostic needs 100 goroutines in one place (the threshold's default): wait for 150.
  await captureFromShop(workspace, { 'shop-cpu.pb.gz': 'profile?seconds=3', 'shop-goroutine.pb.gz': 'goroutine' }, { leakedBefore: { 'shop-goroutine.pb.gz': 150 } });

  // Opening the profile from Quick Open uses the custom editor and makes it the active profile.
  await workbench.openFile('.pprof/shop-cpu.pb.gz', { editor: 'webview' });
  await page.locator('.statusbar-item', { hasText: /cpu|samples/ }).filter({ has: page.locator('.codicon-flame') }).first().waitFor();

  // CodeLens above the hot function.
  await workbench.openFile('gateway.go');
  const source = readFileSync(join(workspace, 'gateway.go'), 'utf8').split('\n');
  const funcLine = source.findIndex((l) => l.startsWith('func applyDiscounts('));
  await goToLine(page, funcLine + 1);
  // The lens of a line is the CodeLens widget just above that line.
  const lensAbove = (needle) => page.evaluate((text) => {
    const line = [...document.querySelectorAll('.editor-instance .view-lines .view-line')].find((l) => l.textContent.replace(/\u00a0/g, ' ').includes(text));
    if (!line) return '(the line is not on screen)';
    const lineRect = line.getBoundingClientRect();
    let best = null;
    let distance = Infinity;
    for (const lens of document.querySelectorAll('.editor-instance .codelens-decoration')) {
      const rect = lens.getBoundingClientRect();
      const text = lens.textContent.trim();
      if (!text || rect.top >= lineRect.top) continue;
      if (lineRect.top - rect.top < distance) {
        distance = lineRect.top - rect.top;
        best = text;
      }
    }
    return distance < 3 * lineRect.height ? best : null;
  }, needle);
  const VALUE = '(?:[\\d.]+m?s|0)';
  const LENS = new RegExp(`^(cpu|samples) ${VALUE} \\([\\d.]+%\\) flat · ${VALUE} \\([\\d.]+%\\) cum$`);
  let lensText = null;
  for (let i = 0; i < 120 && !LENS.test(lensText ?? ''); i++) {
    lensText = await lensAbove('func applyDiscounts(');
    if (!LENS.test(lensText ?? '')) await page.waitForTimeout(500);
  }
  assert.match(lensText ?? '', LENS);

  // Heat on the hashing loop inside it: a tinted line with the after-text.
  const hashText = 'sum := sha256.Sum256(seed)';
  const top = await lineTop(page, hashText);
  assert.notEqual(top, null, 'the hashing line is on screen');
  await page.waitForFunction((y) => [...document.querySelectorAll('.editor-instance .view-overlays > div > div')].some((d) => parseFloat(d.parentElement.style.top) === y && getComputedStyle(d).backgroundColor !== 'rgba(0, 0, 0, 0)' && d.className.includes('ced-')), top, { timeout: 30000 });
  const annotation = await page.evaluate((y) => {
    for (const line of document.querySelectorAll('.editor-instance .view-lines .view-line')) {
      if (parseFloat(line.style.top) !== y) continue;
      for (const span of line.querySelectorAll('span')) {
        const content = getComputedStyle(span, '::after').content;
        if (content && content.includes('flat')) return content;
      }
    }
    return null;
  }, top);
  assert.match(annotation ?? '', /([\d.]+m?s|0) flat · [\d.]+m?s cum/);
  await workbench.screenshot('profile-lens-and-heat');

  // Hover on the function: its values and callers.
  const nameBox = await page.locator('.editor-instance .view-line', { hasText: 'func applyDiscounts(' }).first().locator('span', { hasText: 'applyDiscounts' }).first().boundingBox();
  await page.mouse.move(nameBox.x + nameBox.width / 2, nameBox.y + nameBox.height / 2);
  const hover = page.locator('.monaco-hover', { hasText: 'main.applyDiscounts' }).first();
  await hover.waitFor();
  const hoverText = await hover.innerText();
  assert.match(hoverText, /main\.applyDiscounts: ([\d.]+m?s|0) flat \([\d.]+%\) · [\d.]+m?s cum/);
  assert.match(hoverText, /Called from/);
  await workbench.screenshot('profile-hover');
  await page.mouse.move(0, 0);

  // Heat follows an edit: a line inserted above the function keeps the tint on the hashing line.
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Enter');
  const hashIndex = source.findIndex((l) => l.includes(hashText));
  await goToLine(page, hashIndex + 2);
  await page.waitForFunction(({ text, line }) => {
    const numbers = [...document.querySelectorAll('.editor-instance .line-numbers')].find((n) => n.textContent.trim() === String(line));
    if (!numbers) return false;
    for (const line of document.querySelectorAll('.editor-instance .view-lines .view-line')) {
      if (!line.textContent.replace(/\u00a0/g, ' ').includes(text)) continue;
      const y = parseFloat(line.style.top);
      if (parseFloat(numbers.parentElement.style.top) !== y) return false;
      return [...document.querySelectorAll('.editor-instance .view-overlays > div > div')].some((d) => parseFloat(d.parentElement.style.top) === y && d.className.includes('ced-') && getComputedStyle(d).backgroundColor !== 'rgba(0, 0, 0, 0)');
    }
    return false;
  }, { text: hashText, line: hashIndex + 2 }, { timeout: 30000 });
  await page.keyboard.press('Control+Z');

  // The Profile tree view lists the top functions.
  await page.locator('.activitybar .action-item a[aria-label^="Go Trace Lens"]').first().click();
  const header = page.locator('.pane-header', { hasText: 'Profile' }).first();
  await header.hover();
  await header.locator('.action-label[aria-label="Sort by Cum"]').click();
  const row = page.locator('.pane', { hasText: 'Profile' }).locator('.monaco-list-row', { hasText: 'main.applyDiscounts' }).first();
  await row.waitFor();
  assert.match(await row.innerText(), /flat ([\d.]+m?s|0) · cum [\d.]+m?s/);
  await workbench.screenshot('profile-tree');

  // The label filter (the shop's pricing runs under pprof.Do with stage=pricing), from the command
  // palette: filtered to pricing, applyDiscounts keeps its lens (percentages stay of the whole profile,
  // as go tool pprof gives them); filtered to a value no sample has, its lens goes and the tree says
  // why; clearing the filter brings the lens back.
  const lensOnFunction = async (accept) => {
    await goToLine(page, funcLine + 1);
    let text;
    for (let i = 0; i < 60 && !accept(text); i++) {
      text = await lensAbove('func applyDiscounts(');
      if (!accept(text)) await page.waitForTimeout(500);
    }
    assert.ok(accept(text), `the lens on applyDiscounts: ${text}`);
    return text;
  };
  const filterIcon = page.locator('.statusbar-item', { has: page.locator('.codicon-filter') }).first();
  const profilePane = page.locator('.pane', { hasText: 'Profile' });
  // The shop's spans put a span_id and a trace_id on their samples too: many values, so narrow the list.
  await workbench.runCommand('Go Trace Lens: Filter Profile by Label…');
  await (await quickInput(page, 'by label')).fill('stage=pricing');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'stage=pricing' }).first().click();
  await filterIcon.waitFor();
  await profilePane.locator('.monaco-list-row', { hasText: 'filter stage=^pricing$' }).first().waitFor();
  await profilePane.locator('.monaco-list-row', { hasText: 'main.applyDiscounts' }).first().waitFor();
  assert.match(await lensOnFunction((text) => LENS.test(text ?? '')), LENS);
  await workbench.screenshot('profile-label-filter');
  await workbench.runCommand('Go Trace Lens: Filter Profile by Label…');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Type a filter' }).first().click();
  const filterInput = page.locator('.quick-input-widget input');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Label filter' }).first().waitFor();
  await filterInput.fill('stage=^nothing-runs-here$');
  await page.keyboard.press('Enter');
  await profilePane.locator('.monaco-list-row', { hasText: 'No samples for this sample type and filter.' }).first().waitFor();
  await lensOnFunction((text) => text === null);
  await workbench.runCommand('Go Trace Lens: Clear Label Filter');
  await filterIcon.waitFor({ state: 'detached' });
  assert.equal(await lensOnFunction((text) => text === lensText), lensText);

  // A goroutine profile of the leaking shop: the pile-up in inventory.go, in the Problems panel.
  await workbench.openFile('.pprof/shop-goroutine.pb.gz', { editor: 'webview' });
  await workbench.openProblems();
  const pileup = workbench.problemRows('goroutines blocked here').first();
  await pileup.waitFor({ timeout: 60000 });
  assert.match(await pileup.innerText(), /^[\d,]+ goroutines blocked here \(select\)/);
  assert.match(await pileup.innerText(), /goroutine-pileup/);
  await workbench.screenshot('profile-goroutine-pileup');
}
