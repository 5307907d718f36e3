// The flame graph webview draws real profiles: the canvas is painted where frames are, the root spans the
// width, the summary header shows the profile's facts and top functions, theme changes repaint in the new
// colours, and the empty and damaged-data states say what is wrong.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { DARK_THEME, LIGHT_THEME, launchChromium, openWebview } from './lib/browser.mjs';
import { startPageServer } from './lib/pageServer.mjs';

const require = createRequire(import.meta.url);
const { LARGE_CPU, builtProfile, decodeFile, loadMessage } = require('./lib/profiles.ts');
const { formatPercentage, formatValue } = require('../../core/profiles/units.ts');

describe('flame graph: drawing large.cpu.pb.gz', () => {
  let server;
  let browser;
  let large;
  before(async () => {
    [server, browser, large] = await Promise.all([startPageServer(), launchChromium(), decodeFile(LARGE_CPU).then((p) => loadMessage(p, { title: 'large.cpu.pb.gz' }))]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('paints frames on the canvas, the root across the whole width, and nothing violates the CSP', async () => {
    const view = await openWebview(browser, server.pageUrl);
    try {
      const blank = await view.pixelsDifferentFrom(DARK_THEME.variables['editor-background']);
      await view.load(large.data, large.summary);
      const box = await view.canvasBox();
      assert.ok(box.width > 1000 && box.height > 100, `the canvas fills the view (${box.width}x${box.height})`);
      const painted = await view.pixelsDifferentFrom(DARK_THEME.variables['editor-background']);
      assert.ok(painted > 5 * box.width, `frames are painted (${painted} pixels differ from the background, ${blank} before loading)`);
      // The root is the first row and spans the canvas: the same frame at both edges.
      assert.equal((await view.hover(3, 9))[0], 'root');
      assert.equal((await view.hover(box.width - 3, 9))[0], 'root');
      // Below the deepest drawn frame at the left edge there is only background.
      const [bottomLeft] = await view.pixels([[2, box.height - 2]]);
      assert.equal(bottomLeft, DARK_THEME.variables['editor-background']);
      assert.deepEqual(await view.violations(), []);
      assert.deepEqual(view.consoleErrors, []);
    } finally {
      await view.close();
    }
  });

  it('shows the summary header: type, sample type, duration, total and the top 10 functions with flat and cum', async () => {
    const view = await openWebview(browser, server.pageUrl);
    try {
      await view.load(large.data, large.summary);
      const { summary } = large;
      assert.equal(await view.text('.summary h1'), 'large.cpu.pb.gz');
      const terms = await view.page.locator('.summary dt').allInnerTexts();
      const values = await view.page.locator('.summary dd').allInnerTexts();
      const facts = Object.fromEntries(terms.map((t, i) => [t.replace(/:$/, ''), values[i]]));
      assert.equal(facts.Type, 'cpu profile');
      assert.equal(facts['Sample type'], 'cpu (nanoseconds)');
      assert.equal(facts.Duration, formatValue(summary.durationNanos, 'nanoseconds'));
      assert.equal(facts.Duration, '240.36s', 'as go tool pprof prints it');
      assert.equal(facts.Total, '240.29s');
      const rows = await view.page.locator('.summary table.top tbody tr').allInnerTexts();
      assert.equal(rows.length, 10);
      const cells = (row) => row.split('\t').map((c) => c.trim());
      assert.deepEqual(cells(rows[0]), ['time.Now', '205.17s', formatPercentage(205.17e9, summary.total).trim(), '205.17s', formatPercentage(205.17e9, summary.total).trim()]);
      assert.deepEqual(
        rows.map((r) => cells(r)[0]),
        summary.top.map((r) => r.functionName),
      );
    } finally {
      await view.close();
    }
  });

  it('repaints in the new theme\'s colours when VS Code switches theme', async () => {
    const view = await openWebview(browser, server.pageUrl);
    try {
      await view.load(large.data, large.summary);
      const box = await view.canvasBox();
      const probes = [[2, box.height - 2], [box.width / 2, 27]];
      const [darkBackground, darkFrame] = await view.pixels(probes);
      assert.equal(darkBackground, DARK_THEME.variables['editor-background']);
      await view.setTheme(LIGHT_THEME);
      await view.waitForPixel(2, box.height - 2, LIGHT_THEME.variables['editor-background']);
      const [lightBackground, lightFrame] = await view.pixels(probes);
      assert.equal(lightBackground, LIGHT_THEME.variables['editor-background']);
      assert.notEqual(lightFrame, darkFrame, 'frame fills follow the theme (lighter on a light background)');
      const luminance = (hex) => parseInt(hex.slice(1, 3), 16) + parseInt(hex.slice(3, 5), 16) + parseInt(hex.slice(5, 7), 16);
      assert.ok(luminance(lightFrame) > luminance(darkFrame), `${lightFrame} is lighter than ${darkFrame}`);
    } finally {
      await view.close();
    }
  });
});

describe('flame graph: empty and damaged states', () => {
  let server;
  let browser;
  before(async () => {
    [server, browser] = await Promise.all([startPageServer(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the host\'s message, and an "Open as Text" button only when offered, which asks the host to do it', async () => {
    const view = await openWebview(browser, server.pageUrl);
    try {
      await view.post({ type: 'empty', message: 'cpu.out is not a profile: it starts with "go 1.23 trace".', offerOpenAsText: true });
      await view.page.locator('.empty-message', { hasText: 'is not a profile' }).waitFor();
      assert.equal(await view.text('.empty-message'), 'cpu.out is not a profile: it starts with "go 1.23 trace".');
      assert.equal(await view.page.locator('.view').isVisible(), false);
      const button = view.page.getByRole('button', { name: 'Open as Text' });
      await button.click();
      await view.waitForPosted((m) => m.type === 'openAsText');

      await view.post({ type: 'empty', message: 'No active profile. Run "Open Profile…".' });
      await view.page.locator('.empty-message', { hasText: 'No active profile' }).waitFor();
      assert.equal(await button.isVisible(), false);
    } finally {
      await view.close();
    }
  });

  it('says the data is damaged instead of drawing garbage when the columns do not fit together', async () => {
    const view = await openWebview(browser, server.pageUrl);
    try {
      const { data, summary } = loadMessage(builtProfile(), {});
      await view.post({ type: 'load', data: { ...data, subtreeSize: data.parent.slice(0, 16) }, summary });
      await view.page.locator('.empty-message', { hasText: 'could not be read' }).waitFor();
      assert.match(await view.text('.empty-message'), new RegExp(`the "subtreeSize" column has 3 entries for ${data.nodeCount} nodes`));

      await view.post({ type: 'load', data: { ...data, name: '***not base64***' }, summary });
      await view.page.locator('.empty-message', { hasText: 'not valid base64' }).waitFor();

      // Parents that do not nest: node 2 claims a parent after itself.
      const parent = new Int32Array(Uint8Array.from(Buffer.from(data.parent, 'base64')).buffer);
      parent[2] = 3;
      await view.post({ type: 'load', data: { ...data, parent: Buffer.from(parent.buffer).toString('base64') }, summary });
      await view.page.locator('.empty-message', { hasText: 'node 2 is not inside its parent' }).waitFor();

      // A good load afterwards draws normally.
      await view.load(data, summary);
      assert.equal(await view.page.locator('.view').isVisible(), true);
      assert.deepEqual(view.consoleErrors, []);
    } finally {
      await view.close();
    }
  });
});
