// Headless Chromium (Debian's, driven by the e2e host's playwright-core) opening a webview test page with
// an `acquireVsCodeApi` shim: what the webview posts is recorded, host messages are delivered as VS Code
// delivers them (window message events), UI state is kept like getState/setState, theme variables are
// set like VS Code sets them, and every Content-Security-Policy violation is recorded.

/* global window, document, MutationObserver -- functions passed to page.evaluate run in the browser */

import { existsSync } from 'node:fs';
import { CHROMIUM, PLAYWRIGHT_MODULE } from './paths.mjs';

export const DARK_THEME = {
  bodyClass: 'vscode-dark',
  variables: {
    'editor-background': '#1e1e1e',
    'editor-foreground': '#d4d4d4',
    foreground: '#cccccc',
    focusBorder: '#007fd4',
    'charts-red': '#f14c4c',
    'charts-blue': '#3794ff',
    'charts-purple': '#b180d7',
    'editor-font-family': 'monospace',
    'font-family': 'sans-serif',
  },
};

export const LIGHT_THEME = {
  bodyClass: 'vscode-light',
  variables: {
    'editor-background': '#ffffff',
    'editor-foreground': '#000000',
    foreground: '#616161',
    focusBorder: '#0090f1',
    'charts-red': '#e51400',
    'charts-blue': '#1a85ff',
    'charts-purple': '#652d90',
    'editor-font-family': 'monospace',
    'font-family': 'sans-serif',
  },
};

export async function launchChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  if (!existsSync(PLAYWRIGHT_MODULE)) throw new Error(`playwright-core is missing at ${PLAYWRIGHT_MODULE}: run "npm run e2e:install".`);
  const { chromium } = await import(PLAYWRIGHT_MODULE);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Runs in the page before its own script: the VS Code API shim, the theme, CSP violation recording. */
function installShim({ state, theme }) {
  const record = { posted: [], state, violations: [], consoleErrors: [] };
  Object.defineProperty(window, '__webviewTest', { value: record });
  document.addEventListener('securitypolicyviolation', (event) => {
    record.violations.push({ directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample });
  });
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: (message) => record.posted.push(JSON.parse(JSON.stringify(message))),
      getState: () => record.state,
      setState: (next) => {
        record.state = JSON.parse(JSON.stringify(next));
      },
    };
  };
  const applyTheme = (t) => {
    for (const [name, value] of Object.entries(t.variables)) document.documentElement.style.setProperty(`--vscode-${name}`, value);
    document.body.className = t.bodyClass;
  };
  Object.defineProperty(window, '__applyTheme', { value: applyTheme });
  // Canvas pixels at CSS coordinates (device scale 1) as '#rrggbb'.
  Object.defineProperty(window, '__readPixels', {
    value: (points) => {
      const canvas = document.querySelector('.graph canvas');
      const context = canvas.getContext('2d');
      return points.map(([x, y]) => {
        const [r, g, b] = context.getImageData(Math.floor(x), Math.floor(y), 1, 1).data;
        return '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
      });
    },
  });
  // VS Code sets the theme before the webview's own script runs: do it as soon as <body> exists.
  const whenBody = new MutationObserver(() => {
    if (!document.body) return;
    whenBody.disconnect();
    applyTheme(theme);
  });
  whenBody.observe(document, { childList: true, subtree: true });
}

/**
 * Opens the page. Returns a helper over the playwright page: post(), posted(), waitForPosted(), state(),
 * violations(), setTheme(), canvasPixels(), close().
 */
export async function openWebview(browser, pageUrl, { state, theme = DARK_THEME, width = 1200, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  await page.addInitScript(installShim, { state, theme });
  await page.goto(pageUrl);
  const webview = new WebviewPage(page, context, consoleErrors);
  await webview.waitForPosted((m) => m.type === 'ready');
  return webview;
}

export class WebviewPage {
  constructor(page, context, consoleErrors) {
    this.page = page;
    this.context = context;
    this.consoleErrors = consoleErrors;
  }

  /** Delivers a host message as VS Code does (a window message event). */
  async post(message) {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  async posted() {
    return this.page.evaluate(() => window.__webviewTest.posted);
  }

  /** Waits until the webview has posted a message matching `predicate` (index ≥ `after`); returns it. */
  async waitForPosted(predicate, { after = 0, timeout = 15000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const messages = await this.posted();
      const found = messages.slice(after).find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`the webview did not post the expected message; it posted ${JSON.stringify(messages.map((m) => m.type))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async postedCount() {
    return this.page.evaluate(() => window.__webviewTest.posted.length);
  }

  /** Posts `load` and waits for the first frame's metrics message. */
  async load(data, summary) {
    const before = await this.postedCount();
    await this.post({ type: 'load', data, summary });
    await this.waitForPosted((m) => m.type === 'metrics' && m.name === 'flamegraph.firstFrameAt', { after: before, timeout: 30000 });
  }

  /** Runs `action`, then waits for the zoom animation it starts to finish (its fps metrics message). */
  async zoomBy(action) {
    const before = await this.postedCount();
    await action();
    return this.waitForPosted((m) => m.type === 'metrics' && m.name === 'flamegraph.zoomFps', { after: before });
  }

  async state() {
    return this.page.evaluate(() => window.__webviewTest.state);
  }

  async violations() {
    return this.page.evaluate(() => window.__webviewTest.violations);
  }

  async setTheme(theme) {
    await this.page.evaluate((t) => window.__applyTheme(t), theme);
  }

  /** The canvas's bounding box in page pixels. */
  async canvasBox() {
    return this.page.locator('.graph canvas').boundingBox();
  }

  /** RGB of canvas pixels at CSS coordinates (device scale 1), as '#rrggbb'. */
  async pixels(points) {
    return this.page.evaluate((pts) => window.__readPixels(pts), points);
  }

  /** Waits until the canvas pixel at (x, y) is `colour` ('#rrggbb'), as drawn on a later frame. */
  async waitForPixel(x, y, colour) {
    await this.page.waitForFunction(([px, py, c]) => window.__readPixels([[px, py]])[0] === c, [x, y, colour], { polling: 'raf' }).catch(async () => {
      const [actual] = await this.pixels([[x, y]]);
      throw new Error(`the canvas pixel at (${x}, ${y}) stayed ${actual}, not ${colour}`);
    });
  }

  /** How many pixels of the canvas differ from `background` ('#rrggbb'). */
  async pixelsDifferentFrom(background) {
    return this.page.evaluate((bg) => {
      const canvas = document.querySelector('.graph canvas');
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const r = parseInt(bg.slice(1, 3), 16);
      const g = parseInt(bg.slice(3, 5), 16);
      const b = parseInt(bg.slice(5, 7), 16);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] !== r || data[i + 1] !== g || data[i + 2] !== b) count++;
      return count;
    }, background);
  }

  /** Moves the mouse to canvas coordinates and returns the tooltip's text lines ([] when hidden). */
  async hover(x, y) {
    const box = await this.canvasBox();
    await this.page.mouse.move(box.x + x, box.y + y);
    return this.tooltipLines();
  }

  /** Clicks at canvas coordinates (with modifier keys held, e.g. ['Control']). */
  async clickAt(x, y, modifiers = []) {
    const box = await this.canvasBox();
    for (const key of modifiers) await this.page.keyboard.down(key);
    try {
      await this.page.mouse.click(box.x + x, box.y + y);
    } finally {
      for (const key of modifiers) await this.page.keyboard.up(key);
    }
  }

  async tooltipLines() {
    return this.page.evaluate(() => {
      const tip = document.querySelector('.tooltip');
      if (!tip || tip.hidden) return [];
      return [...tip.children].map((c) => c.textContent);
    });
  }

  /** A y (canvas CSS pixels) on the first row whose frame at `x` is `title`, found by hovering; -1 if none. */
  async findRow(title, x, step = 9) {
    const box = await this.canvasBox();
    for (let y = step / 2; y < box.height; y += step) {
      const lines = await this.hover(x, y);
      if (lines[0] === title || lines[0] === `${title} (inline)`) return y;
    }
    return -1;
  }

  /**
   * Waits until the inner texts of the elements `selector` matches are exactly `expected` (compared sorted
   * when `sorted`), and returns them. Waiting for a count is not enough: the state before a click can
   * already have as many elements as the state it leads to.
   */
  async waitForTexts(selector, expected, { sorted = false, what = selector, timeout = 15000 } = {}) {
    const want = sorted ? [...expected].sort() : [...expected];
    const deadline = Date.now() + timeout;
    for (;;) {
      const texts = await this.page.locator(selector).allInnerTexts();
      const got = sorted ? [...texts].sort() : texts;
      if (got.length === want.length && got.every((t, i) => t === want[i])) return texts;
      if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(got)} never became ${JSON.stringify(want)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async text(selector) {
    return this.page.locator(selector).innerText();
  }

  async close() {
    await this.context.close();
  }
}
