// Using the flame graph as a user does, on real profiles (large.cpu.pb.gz and a CPU profile captured from
// the Go test service): click to zoom (animated) and Escape/Backspace back, the tooltip's values, opening
// the source by double-click, Ctrl+click and keyboard, search with the share checked against
// `go tool pprof -focus`, the orientation toggle, the sample-type selector, `reveal`, and the UI state
// kept through setState and restored.

/* global document -- functions passed to page.evaluate run in the browser */

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { DARK_THEME, launchChromium, openWebview } from './lib/browser.mjs';
import { startPageServer } from './lib/pageServer.mjs';

const require = createRequire(import.meta.url);
const { LARGE_CPU, SERVICE_SOURCE, captureServiceCpuProfile, decodeFile, funcLine, heaviestNode, loadMessage } = require('./lib/profiles.ts');
const { formatPercentage, formatValue } = require('../../core/profiles/units.ts');
const { requireGo } = require('../helpers/goToolchain.ts');
const { runPprofTool } = require('../helpers/pprofTool.ts');

const pct = (value, total) => formatPercentage(value, total).trim();
const breadcrumb = (view) => view.page.locator('.breadcrumb').innerText().then((t) => t.replace(/\s+/g, ' ').trim());

/** pprof's "Showing nodes accounting for Xns, Y% of Zns total" with -focus and no node dropping. */
function pprofFocusTotal(file, focus) {
  const text = runPprofTool(['-top', '-nodefraction=0', '-unit=ns', `-focus=${focus}`, file]);
  const match = /Showing nodes accounting for (\d+)ns, ([\d.]+%) of (\d+)ns total/.exec(text);
  if (!match) throw new Error(`unexpected pprof output:\n${text.slice(0, 600)}`);
  return { value: Number(match[1]), share: match[2], total: Number(match[3]) };
}

describe('flame graph interaction', () => {
  let server;
  let browser;
  let large;
  let service;
  let serviceFile;
  let goMissing = '';
  before(async () => {
    [server, browser, large] = await Promise.all([startPageServer(), launchChromium(), decodeFile(LARGE_CPU).then((p) => loadMessage(p, { title: 'large.cpu.pb.gz' }))]);
    if (requireGo((why) => (goMissing = why))) {
      serviceFile = await captureServiceCpuProfile(2);
      service = loadMessage(await decodeFile(serviceFile), { title: 'service cpu' });
    }
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens a page with `message` loaded. */
  async function opened(message, options) {
    const view = await openWebview(browser, server.pageUrl, options);
    await view.load(message.data, message.summary);
    return view;
  }

  it('a click zooms into the frame with an animation; Escape and Backspace zoom back out step by step', async () => {
    const view = await opened(large);
    try {
      const { width } = await view.canvasBox();
      const row1 = await view.findRow('time.now', width - 40);
      assert.ok(row1 > 0, 'time.now is on the second row, at the right');
      assert.equal((await view.hover(3, row1))[0], 'runtime.main');
      const figures = await view.zoomBy(() => view.clickAt(width - 40, row1));
      assert.ok(figures.value > 0);
      const frames = await view.waitForPosted((m) => m.name === 'flamegraph.zoomFrames');
      assert.ok(frames.value >= 5, `the zoom is animated over several frames (${frames.value})`);
      assert.equal(await breadcrumb(view), 'root › time.now');
      // The clicked frame now spans the whole width.
      assert.equal((await view.hover(3, row1))[0], 'time.now');
      assert.equal((await view.hover(width - 3, row1))[0], 'time.now');

      await view.zoomBy(() => view.page.keyboard.press('Escape'));
      assert.equal(await breadcrumb(view), 'root');
      assert.equal((await view.hover(3, row1))[0], 'runtime.main');

      // Two steps in, then back one step at a time.
      await view.zoomBy(() => view.clickAt(3, row1));
      const row2 = await view.findRow('main.main', 3);
      await view.zoomBy(() => view.clickAt(3, row2));
      assert.equal(await breadcrumb(view), 'root › runtime.main › main.main');
      // A step of the zoom path zooms back to it; Backspace then returns to where the path was clicked.
      await view.zoomBy(() => view.page.locator('.breadcrumb').getByRole('button', { name: 'root' }).click());
      assert.equal(await breadcrumb(view), 'root');
      await view.zoomBy(() => view.page.locator('.graph').press('Backspace'));
      assert.equal(await breadcrumb(view), 'root › runtime.main › main.main');
      await view.zoomBy(() => view.page.keyboard.press('Backspace'));
      assert.equal(await breadcrumb(view), 'root › runtime.main');
      await view.zoomBy(() => view.page.keyboard.press('Escape'));
      assert.equal(await breadcrumb(view), 'root');
      const state = await view.state();
      assert.equal(state.zoom, 0);
    } finally {
      await view.close();
    }
  });

  it('the tooltip shows the frame\'s name, total, self, share of the total and file:line', async (t) => {
    if (!service) return t.skip(goMissing);
    const view = await opened(service);
    try {
      await view.zoomBy(() => view.post({ type: 'reveal', functionName: 'main.burnCPU' }));
      const { width } = await view.canvasBox();
      const y = await view.findRow('main.burnCPU', width / 2);
      assert.ok(y > 0);
      const lines = await view.hover(width / 2, y);
      const { graph } = service;
      const node = heaviestNode(graph, 'main.burnCPU');
      const total = graph.totalValue[node];
      const self = graph.selfValue[node];
      assert.deepEqual(lines.slice(0, 4), [
        'main.burnCPU',
        `Total: ${formatValue(total, 'nanoseconds')} (${pct(total, graph.total)})`,
        `Self: ${formatValue(self, 'nanoseconds')} (${pct(self, graph.total)})`,
        `${SERVICE_SOURCE}:${funcLine(SERVICE_SOURCE, 'burnCPU')}`,
      ]);
      assert.ok(total > 0 && total < graph.total);
      // The tooltip follows the pointer and hides when it leaves the graph.
      await view.page.mouse.move(5, 5);
      assert.deepEqual(await view.tooltipLines(), []);
    } finally {
      await view.close();
    }
  });

  it('double-click and Ctrl+click open the frame\'s source: openSource with the profile\'s file and line', async (t) => {
    if (!service) return t.skip(goMissing);
    const view = await opened(service);
    try {
      await view.zoomBy(() => view.post({ type: 'reveal', functionName: 'main.burnCPU' }));
      const box = await view.canvasBox();
      const y = await view.findRow('main.burnCPU', box.width / 2);
      await view.page.mouse.dblclick(box.x + box.width / 2, box.y + y);
      assert.equal(await breadcrumb(view), 'root › main.worker › runtime/pprof.Do › main.worker.func1 › runtime/trace.WithRegion › main.worker.func1.1 › main.startLoad.func1 › main.burnCPU', 'double-clicking the zoomed frame keeps the zoom');
      const opened1 = await view.waitForPosted((m) => m.type === 'openSource');
      assert.deepEqual(opened1, { type: 'openSource', file: SERVICE_SOURCE, line: funcLine(SERVICE_SOURCE, 'burnCPU'), functionName: 'main.burnCPU' });

      await view.zoomBy(() => view.page.keyboard.press('Escape'));
      const count = await view.postedCount();
      // Whichever frame is under the pointer, Ctrl+click opens its source and does not zoom: take the first
      // frame below the root in the middle of the graph that has a source line (what a profile's shape puts
      // there varies from capture to capture).
      const x = box.width / 2;
      let lines = [];
      let y2 = 0;
      for (let row = 22.5; row < box.height && !(lines.length >= 4 && lines[0] !== 'root'); row += 9) {
        y2 = row;
        lines = await view.hover(x, row);
      }
      assert.ok(lines.length >= 4 && lines[0] !== 'root', 'a frame with a source line under the pointer');
      await view.clickAt(x, y2, ['Control']);
      const opened2 = await view.waitForPosted((m) => m.type === 'openSource', { after: count });
      assert.equal(opened2.functionName, lines[0].replace(/ \(inline\)$/, ''));
      assert.equal(`${opened2.file}:${opened2.line}`, lines[3]);
      assert.equal(await breadcrumb(view), 'root', 'Ctrl+click does not zoom');
    } finally {
      await view.close();
    }
  });

  it('search highlights the matching frames and reports the matched share, equal to go tool pprof -focus', async (t) => {
    if (goMissing) return t.skip(goMissing);
    const view = await opened(large);
    try {
      const { width } = await view.canvasBox();
      const row1 = await view.findRow('time.now', width - 40);
      const [beforeMain] = await view.pixels([[width / 2, row1]]);
      const input = view.page.getByRole('searchbox', { name: 'Search functions' });
      await input.fill('/^time\\.now$/');
      await input.press('Enter');
      const reference = pprofFocusTotal(LARGE_CPU, '^time\\.now$');
      assert.equal(reference.share, '9.53%');
      const status = view.page.locator('.search-status');
      await status.filter({ hasText: 'of total' }).waitFor();
      assert.equal(await status.innerText(), `1 function · ${formatValue(reference.value, 'nanoseconds')} · ${reference.share} of total`);
      // Matching frames in the theme's search colour; the others dimmed.
      await view.waitForPixel(width - 5, row1, DARK_THEME.variables['charts-purple']);
      const [dimmedMain] = await view.pixels([[width / 2, row1]]);
      assert.notEqual(dimmedMain, beforeMain);

      // Several functions, one inside another's subtree counted once: the same total as pprof's focus.
      const regex = '^main\\.setFunctions\\.func1[0-9]*$';
      await input.fill(`/${regex}/`);
      await input.press('Enter');
      const several = pprofFocusTotal(LARGE_CPU, regex);
      const names = new Set(large.data.strings.filter((s) => new RegExp(regex).test(s)));
      await view.waitForTexts('.search-status', [`${names.size} functions · ${formatValue(several.value, 'nanoseconds')} · ${several.share} of total`]);

      // Plain text matches case-insensitively anywhere in the name.
      await input.fill('TIME.NOW');
      await input.press('Enter');
      const both = pprofFocusTotal(LARGE_CPU, '(?i)time\\.now');
      // The previous search can also have matched two functions: wait for this one's own total.
      await view.waitForTexts('.search-status', [`2 functions · ${formatValue(both.value, 'nanoseconds')} · ${both.share} of total`]);

      await input.fill('/(/');
      await input.press('Enter');
      await view.page.locator('.search-status.error').waitFor();
      assert.match(await status.innerText(), /Not a valid regular expression/);

      await input.fill('');
      await input.press('Enter');
      await view.page.waitForFunction(() => document.querySelector('.search-status').textContent === '');
      assert.equal((await view.state()).search, '');
    } finally {
      await view.close();
    }
  });

  it('the orientation toggle puts the root at the bottom (flame) or the top (icicle)', async () => {
    const view = await opened(large);
    try {
      const { width, height } = await view.canvasBox();
      assert.equal((await view.hover(width / 2, 9))[0], 'root');
      const toggle = view.page.getByRole('button', { name: 'Flame', exact: true });
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
      assert.equal((await view.hover(width / 2, height - 9))[0], 'root');
      assert.equal((await view.hover(3, height - 27))[0], 'runtime.main');
      assert.notEqual((await view.hover(width / 2, 9))[0], 'root');
      assert.equal((await view.state()).orientation, 'flame');
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      assert.equal((await view.hover(width / 2, 9))[0], 'root');
      assert.equal((await view.state()).orientation, 'icicle');
    } finally {
      await view.close();
    }
  });

  it('the sample-type selector lists the profile\'s types and asks the host to switch', async (t) => {
    if (!service) return t.skip(goMissing);
    const view = await opened(service);
    try {
      const select = view.page.getByRole('combobox', { name: 'Sample type' });
      assert.deepEqual(await select.locator('option').allInnerTexts(), ['samples (count)', 'cpu (nanoseconds)']);
      assert.equal(await select.inputValue(), 'cpu');
      await select.selectOption('samples');
      assert.deepEqual(await view.waitForPosted((m) => m.type === 'switchSampleType'), { type: 'switchSampleType', sampleType: 'samples' });
    } finally {
      await view.close();
    }
  });

  it('reveal zooms to the heaviest frame of a function and outlines it; an unknown function gets a notice', async (t) => {
    if (!service) return t.skip(goMissing);
    const view = await opened(service);
    try {
      await view.zoomBy(() => view.post({ type: 'reveal', functionName: 'main.allocate' }));
      const path = await breadcrumb(view);
      assert.match(path, / › main\.allocate$/);
      const { width } = await view.canvasBox();
      const y = await view.findRow('main.allocate', 3);
      assert.ok(y > 0);
      assert.equal((await view.hover(width - 3, y))[0], 'main.allocate');
      const [outline] = await view.pixels([[1, y]]);
      assert.equal(outline, DARK_THEME.variables.focusBorder, 'the revealed frame is outlined in the focus colour');

      await view.post({ type: 'reveal', functionName: 'main.noSuchFunction' });
      await view.page.locator('.notice', { hasText: 'main.noSuchFunction has no samples in this flame graph.' }).waitFor();

      // The header's top functions reveal too. Which functions of a live capture make the top ten varies
      // from run to run (a busy machine shifts the shares): take the first one not already zoomed to.
      const topNames = await view.page.locator('.summary table.top button').allInnerTexts();
      const other = topNames.find((name) => name !== 'main.allocate');
      assert.ok(other, `the header lists top functions: ${JSON.stringify(topNames)}`);
      await view.zoomBy(() => view.page.locator('.summary table.top button', { hasText: new RegExp(`^${other.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).click());
      assert.ok((await breadcrumb(view)).endsWith(` › ${other}`), `zoomed to ${other}`);
    } finally {
      await view.close();
    }
  });

  it('a reveal that arrives before the graph, or while the view is empty, applies to the next graph', async (t) => {
    if (!service) return t.skip(goMissing);
    // Two functions this live capture really has (a busy machine changes which ones make the top).
    const [first, second] = [...new Set(service.summary.top.map((row) => row.functionName))];
    assert.ok(first && second, 'the capture has at least two functions with samples');
    const endsWith = (name) => new RegExp(` › ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const view = await openWebview(browser, server.pageUrl);
    try {
      await view.post({ type: 'reveal', functionName: first });
      await view.zoomBy(() => view.load(service.data, service.summary));
      assert.match(await breadcrumb(view), endsWith(first));
      await view.post({ type: 'empty', message: 'Profile cleared.' });
      await view.post({ type: 'reveal', functionName: second });
      await view.zoomBy(() => view.load(service.data, service.summary));
      assert.match(await breadcrumb(view), endsWith(second));
    } finally {
      await view.close();
    }
  });

  it('is keyboard driven: arrows move between frames, Enter zooms, Shift+Enter opens the source, Escape zooms out', async () => {
    const view = await opened(large);
    try {
      await view.page.locator('.graph').focus();
      await view.page.keyboard.press('ArrowDown');
      const live = view.page.locator('.graph ~ .visually-hidden');
      assert.match(await live.innerText(), /^runtime\.main; Total: 217\.16s \(90\.37%\)/);
      await view.page.keyboard.press('ArrowRight');
      assert.match(await live.innerText(), /^time\.now; /);
      await view.page.keyboard.press('ArrowLeft');
      await view.page.keyboard.press('ArrowDown');
      assert.match(await live.innerText(), /^main\.main; /);
      assert.deepEqual((await view.tooltipLines())[0], 'main.main');
      await view.zoomBy(() => view.page.keyboard.press('Enter'));
      assert.equal(await breadcrumb(view), 'root › runtime.main › main.main');
      const count = await view.postedCount();
      await view.page.keyboard.press('Shift+Enter');
      const opened1 = await view.waitForPosted((m) => m.type === 'openSource', { after: count });
      assert.equal(opened1.functionName, 'main.main');
      assert.equal(opened1.file, large.data.strings.find((s) => s.endsWith('/large.go')));
      await view.zoomBy(() => view.page.keyboard.press('Escape'));
      assert.equal(await breadcrumb(view), 'root');
    } finally {
      await view.close();
    }
  });

  it('keeps orientation, search and zoom through setState and restores them when the webview comes back', async () => {
    const view = await opened(large);
    let saved;
    try {
      await view.page.getByRole('button', { name: 'Flame', exact: true }).click();
      await view.page.getByRole('searchbox', { name: 'Search functions' }).fill('time');
      await view.page.getByRole('searchbox', { name: 'Search functions' }).press('Enter');
      await view.page.locator('.graph').focus();
      await view.page.keyboard.press('ArrowUp');
      await view.zoomBy(() => view.page.keyboard.press('Enter'));
      saved = await view.state();
      assert.deepEqual(saved, { orientation: 'flame', search: 'time', zoom: 1, zoomPath: ['runtime.main'] });
    } finally {
      await view.close();
    }
    const restored = await opened(large, { state: saved });
    try {
      assert.equal(await restored.page.getByRole('searchbox', { name: 'Search functions' }).inputValue(), 'time');
      assert.equal(await restored.page.getByRole('button', { name: 'Flame', exact: true }).getAttribute('aria-pressed'), 'true');
      assert.equal(await breadcrumb(restored), 'root › runtime.main');
      await restored.page.locator('.search-status', { hasText: 'of total' }).waitFor();
    } finally {
      await restored.close();
    }
  });
});
