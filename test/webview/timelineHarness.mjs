// What the timeline's component tests share: the timeline page (the built bundle under the extension's
// real CSP, with the VS Code API shim), opening a trace the way the host does (its bytes in an `open`
// message, as a Uint8Array), reading the visible time range and the canvas, and finding a label's row.

/* global window, document, atob */

import { launchChromium, openWebview } from './lib/browser.mjs';
import { startPageServer } from './lib/pageServer.mjs';

export const SETTINGS = { clockSkewToleranceNs: 1_000_000, matchToleranceNs: 2_000_000 };

export async function startTimeline() {
  const [server, browser] = await Promise.all([startPageServer('timeline'), launchChromium()]);
  return {
    server,
    browser,
    open: (options = {}) => openWebview(browser, server.pageUrl, { width: 1400, height: 900, ...options }),
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Posts the host's `open` message with the file's bytes (as a Uint8Array, as VS Code delivers them). */
export async function postTrace(view, bytes, name = 'trace.out', settings = SETTINGS) {
  const base64 = Buffer.from(bytes).toString('base64');
  await view.page.evaluate(
    ({ base64, name, size, settings }) => {
      const binary = atob(base64);
      const data = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i);
      window.postMessage({ type: 'open', file: { name, path: `/traces/${name}`, sizeBytes: size }, bytes: data, settings }, '*');
    },
    { base64, name, size: bytes.length, settings },
  );
}

/** Opens a trace and waits until it is drawn (`loaded`) or refused (`failed`); returns that message. */
export async function openTrace(view, bytes, name) {
  const before = await view.postedCount();
  await postTrace(view, bytes, name);
  const outcome = await view.waitForPosted((m) => m.type === 'loaded' || m.type === 'failed', { after: before, timeout: 60000 });
  if (outcome.type === 'loaded') await view.waitForPosted((m) => m.type === 'metrics' && m.name === 'timeline.firstFrameAt', { after: before });
  return outcome;
}

/** The companion message: an execution trace of the same run, for a span trace. */
export async function postCompanion(view, bytes, name) {
  const base64 = Buffer.from(bytes).toString('base64');
  await view.page.evaluate(
    ({ base64, name }) => {
      const binary = atob(base64);
      const data = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i);
      window.postMessage({ type: 'companion', file: { name, path: `/traces/${name}`, sizeBytes: data.length }, bytes: data }, '*');
    },
    { base64, name },
  );
}

/** The visible time range [start, end] in nanoseconds (the lanes element carries it). */
export async function visibleRange(view) {
  return view.page.evaluate(() => {
    const lanes = document.querySelector('.lanes');
    return [Number(lanes.dataset.viewStart), Number(lanes.dataset.viewEnd)];
  });
}

/** Waits until the visible range satisfies `predicate`; returns it. */
export async function waitForRange(view, predicate, what) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const range = await visibleRange(view);
    if (predicate(range)) return range;
    if (Date.now() > deadline) throw new Error(`the visible range ${JSON.stringify(range)} never became ${what}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** Polls `read()` until `predicate` holds for what it returns; returns that value. */
export async function waitForValue(read, predicate, what, timeout = 15000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(value)} never came`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function canvasBox(view) {
  return view.page.locator('.canvas-host canvas').boundingBox();
}

/** The x (page pixels) of time t in the current view. */
export async function xOfTime(view, t) {
  const [start, end] = await visibleRange(view);
  const box = await canvasBox(view);
  return box.x + ((t - start) / (end - start)) * box.width;
}

/** The label element of a row whose label text is exactly `text` (and of `kind`, e.g. 'goroutine'). */
export function labelLocator(view, kind, text) {
  return view.page.locator(`.label-${kind}`, { has: view.page.locator('.label-text', { hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
}

/**
 * The on-screen box of a row's label, once it is drawn: after Find or a reveal scrolls a row into view,
 * its label appears on the next frame, and a redraw may replace the element between finding it and
 * measuring it (boundingBox() of a detached element is null), so the box is read until one is there.
 */
export async function labelBox(view, kind, text) {
  const label = labelLocator(view, kind, text);
  return waitForValue(
    async () => {
      await label.waitFor();
      return label.boundingBox();
    },
    (box) => box !== null && box.height > 0,
    `the box of the ${kind} label "${text}"`,
  );
}

/** The texts of every visible label of a kind, top to bottom. */
export async function labelTexts(view, kind) {
  return view.page.locator(`.label-${kind} .label-text`).allInnerTexts();
}

/** Pixel colours ('#rrggbb') of a canvas (`.canvas-host`, `.axis-host` or `.minimap-host`) at CSS points. */
export async function pixels(view, host, points) {
  return view.page.evaluate(
    ({ host, points }) => {
      const canvas = document.querySelector(`${host} canvas`);
      const context = canvas.getContext('2d');
      const ratio = canvas.width / canvas.getBoundingClientRect().width;
      return points.map(([x, y]) => {
        const [r, g, b] = context.getImageData(Math.floor(x * ratio), Math.floor(y * ratio), 1, 1).data;
        return '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
      });
    },
    { host, points },
  );
}

/** A fact of the side panel (`dt` text → its `dd` text). */
export async function fact(view, name) {
  return view.page.locator('.side dl.facts dt', { hasText: new RegExp(`^${name}$`) }).first().locator('xpath=following-sibling::dd[1]').innerText();
}

/** The range panel's figures: label → raw number (data-value). */
export async function rangeFigures(view) {
  return view.page.evaluate(() => {
    const out = {};
    const dts = document.querySelectorAll('.range-panel dl.stats dt');
    for (const dt of dts) {
      const dd = dt.nextElementSibling;
      if (dd?.dataset.value !== undefined) out[dt.textContent] = Number(dd.dataset.value);
    }
    return out;
  });
}

/** Uses the Find box; returns its status text ("3 of 17" or "No match"). */
export async function find(view, query, { backwards = false } = {}) {
  const input = view.page.locator('input.find');
  await input.fill(query);
  await input.press(backwards ? 'Shift+Enter' : 'Enter');
  return view.page.locator('.find-status').innerText();
}
