// Drives the VS Code workbench in Chromium the way a user does: keyboard shortcuts, Quick Open, the
// command palette, the Problems panel, the quick-fix menu. Every wait is for a visible piece of UI,
// never a fixed sleep.

import { join } from 'node:path';

export class Workbench {
  /** @param {import('playwright-core').Page} page */
  constructor(page, artifactsDir) {
    this.page = page;
    this.artifactsDir = artifactsDir;
  }

  static async open(browser, url, artifactsDir) {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(30000);
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 });
    return new Workbench(page, artifactsDir);
  }

  async screenshot(name) {
    const file = join(this.artifactsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /**
   * Opens a workspace file by name through Quick Open (Ctrl+P). `editor: 'webview'` waits for a custom
   * editor (a webview) instead of a text editor.
   */
  async openFile(relativePath, { editor = 'text' } = {}) {
    const name = relativePath.split('/').pop();
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(relativePath);
    // Enter opens the focused row: wait until the filtered list has put this file there.
    await this.page.locator(`.quick-input-list .monaco-list-row.focused[aria-label*="${name}"]`).first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.editor-group-container.active .tabs-container .tab.active[aria-label*="${name}"]`).first().waitFor();
    if (editor === 'webview') await this.page.locator('.webview.ready').last().waitFor({ state: 'attached' });
    else await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
  }

  /** Runs a command from the command palette by its title. */
  async runCommand(title) {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    // Enter runs the focused row: wait until it is this command, not a stale or longer-named one.
    await this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Opens the Problems panel (Ctrl+Shift+M) and returns its locator. */
  async openProblems() {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible' });
    return panel;
  }

  /** The Problems panel's rows that contain `text`. */
  problemRows(text) {
    return this.page.locator('.markers-panel .monaco-list-row', { hasText: text });
  }

  /** The text of the visible lines of the active editor. */
  async editorText() {
    return this.page.locator('.editor-instance .monaco-editor .view-lines').first().innerText();
  }

  /**
   * Opens the quick-fix menu at the cursor (Ctrl+.) and chooses the action titled `title`. A menu that
   * opened while the file's findings were being republished, or that closed under a hover, does not
   * offer the fix: it is closed and opened again until it does (30 s in all).
   */
  async applyQuickFix(title) {
    const item = this.page.locator('.action-widget .monaco-list-row', { hasText: title }).first();
    const deadline = Date.now() + 30000;
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+.');
      try {
        await item.waitFor({ state: 'visible', timeout: Math.max(1000, Math.min(10000, deadline - Date.now())) });
        break;
      } catch (error) {
        // Say what the menu offered instead (or that none opened): that is where a failure starts.
        const offered = await this.page.locator('.action-widget .monaco-list-row').allInnerTexts().catch(() => []);
        const message = await this.page.locator('.monaco-editor-overlaymessage').allInnerTexts().catch(() => []);
        const position = await this.page.locator('.statusbar-item[id="status.editor.selection"]').innerText().catch(() => '?');
        const seen = offered.length ? `the menu offered ${offered.map((t) => JSON.stringify(t)).join(', ')}` : message.length ? `the editor said ${JSON.stringify(message.join(' '))}` : 'no menu opened';
        if (Date.now() >= deadline) throw new Error(`no quick fix "${title}" at ${position} after ${attempt} tries; ${seen}\n${error.message}`);
        await this.page.keyboard.press('Escape');
      }
    }
    await item.click();
    await item.waitFor({ state: 'detached' });
  }

  /**
   * Saves the change just made in the active editor: waits until its tab shows it unsaved (a quick fix's
   * edit lands after its menu closes; saving before would save nothing), then saves and waits until clean.
   */
  async save() {
    await this.page.locator('.tabs-container .tab.active.dirty').waitFor();
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
  }

  /** The content frame of a webview (VS Code nests it in two iframes): the newest, or the `index`-th. */
  webviewFrame(index = -1) {
    const outer = this.page.locator('iframe.webview.ready');
    return (index < 0 ? outer.last() : outer.nth(index)).contentFrame().locator('iframe').first().contentFrame();
  }

  /** The 1-based line of the cursor in the active editor, from the status bar ("Ln 93, Col 1"). */
  async cursorLine() {
    const text = await this.page.locator('.statusbar-item[id="status.editor.selection"]').innerText();
    const match = /Ln (\d+)/.exec(text);
    return match ? Number(match[1]) : null;
  }

  async close() {
    await this.page.close();
  }
}
