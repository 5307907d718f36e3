// What several scenarios read from or do in the workbench: the quick input by its title, choosing a
// picker's row, the timeline showing a given summary, the CodeLens above a line, the extension's log,
// and opening a trace with "Open Trace…".

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { waitFor } from './waitFor.mjs';

/** The quick input's text box, once the quick input whose title contains `titleText` is showing. */
export async function quickInput(page, titleText) {
  if (titleText) await page.locator('.quick-input-widget .quick-input-title', { hasText: titleText }).first().waitFor();
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible' });
  return input;
}

/** Types `text` into the picker titled `titleText` and accepts the focused row once it contains `rowText`. */
export async function choose(page, titleText, text, rowText) {
  const input = await quickInput(page, titleText);
  await input.fill(text);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: rowText }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * The content frame of the timeline whose toolbar summary matches `summary` (timelines keep their
 * webviews while hidden, so "the last webview" is not always the one in front).
 */
export function timelineFrame(page, summary, timeout) {
  return waitFor(async () => {
    const outer = page.locator('iframe.webview.ready');
    for (let i = 0; i < (await outer.count()); i++) {
      const frame = outer.nth(i).contentFrame().locator('iframe').first().contentFrame();
      if ((await frame.locator('.summary-text', { hasText: summary }).count()) > 0) return frame;
    }
    return null;
  }, `a timeline showing ${summary}`, timeout);
}

/**
 * The text of the CodeLens shown just above the editor line containing `needle` (null when none is).
 * A lens is the `.codelens-decoration` right above its line.
 */
export function lensAbove(page, needle) {
  return page.evaluate((text) => {
    const line = [...document.querySelectorAll('.editor-instance .view-lines .view-line')].find((l) => l.textContent.replace(/\u00a0/g, ' ').includes(text));
    if (!line) return null;
    const lineBox = line.getBoundingClientRect();
    const above = [...document.querySelectorAll('.editor-instance .codelens-decoration')]
      .map((lens) => ({ text: lens.textContent.trim(), gap: lineBox.top - lens.getBoundingClientRect().top }))
      .filter((lens) => lens.text !== '' && lens.gap > 0 && lens.gap < 2 * lineBox.height)
      .sort((a, b) => a.gap - b.gap);
    return above[0]?.text ?? null;
  }, needle);
}

/**
 * Puts the active editor's cursor on `line` (1-based) with Go to Line. The number is filled into the Go to
 * Line box once the box is there (typed earlier, keys land in the editor and change the file), and Enter
 * is pressed once the box has read it.
 */
export async function goToLine(page, line) {
  await page.keyboard.press('Control+G');
  const input = await quickInput(page);
  await input.fill(`:${line}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(`[Ll]ine ${line}\\b`) }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Opens `file` of the workspace, puts the cursor on the first line that starts with `declaration` (Go to
 * Line) and waits until the CodeLens above it matches `pattern`; returns the lens's text.
 */
export async function lensOnDeclaration({ workbench, page, workspace }, file, declaration, pattern, what) {
  await workbench.openFile(file);
  const line = readFileSync(join(workspace, file), 'utf8').split('\n').findIndex((l) => l.startsWith(declaration));
  if (line < 0) throw new Error(`${file} has no line starting with ${declaration}`);
  await goToLine(page, line + 1);
  return waitFor(async () => {
    const text = await lensAbove(page, declaration);
    return pattern.test(text ?? '') ? text : undefined;
  }, what, 60000);
}

/** The log the extension writes to its output channel (code-server keeps it under the user data dir). */
export function extensionLog(userDataDir) {
  const logs = join(userDataDir, 'logs');
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'Go Trace Lens.log') found.push(full);
    }
  };
  if (existsSync(logs)) walk(logs);
  return found.map((f) => readFileSync(f, 'utf8')).join('\n');
}

/**
 * Opens a trace with "Open Trace…" by typing its path into code-server's file dialog. The palette's own input
 * is still on screen when the command starts, and the dialog fills its box with its folder once it has read
 * it: type only into the dialog's box after that (its list shows `..`), and send only the path we typed.
 */
export async function openTraceByPath(workbench, page, path) {
  await workbench.runCommand('Go Trace Lens: Open Trace…');
  const pathInput = page.locator('.quick-input-widget input');
  await waitFor(async () => (await pathInput.inputValue()).startsWith('/'), 'the file dialog\'s path box', 30000);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: /^\.\.$/ }).first().waitFor();
  await pathInput.fill(path);
  await waitFor(async () => (await pathInput.inputValue()) === path, 'the typed path in the file dialog');
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: basename(path) }).waitFor();
}
