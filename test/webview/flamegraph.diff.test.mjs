// Diff mode on a real profile captured from the Go test service: the profile without main.burnCPU
// against a base without main.allocate. Frames that grew are painted in the theme's growth colour,
// frames that shrank in its shrinkage colour, unchanged ones in a neutral grey; frames present only in the
// base are still drawn (widths are the larger of the two values); the legend names the base; the tooltip
// gives both values and the change.

/* global getComputedStyle -- functions passed to page.evaluate run in the browser */

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { DARK_THEME, launchChromium, openWebview } from './lib/browser.mjs';
import { startPageServer } from './lib/pageServer.mjs';

const require = createRequire(import.meta.url);
const { captureServiceCpuProfile, decodeFile, heaviestNode, loadMessage } = require('./lib/profiles.ts');
const { formatValue } = require('../../core/profiles/units.ts');
const { requireGo } = require('../helpers/goToolchain.ts');

describe('flame graph diff mode', () => {
  let server;
  let browser;
  let profile;
  let goMissing = '';
  before(async () => {
    [server, browser] = await Promise.all([startPageServer(), launchChromium()]);
    if (requireGo((why) => (goMissing = why))) profile = await decodeFile(await captureServiceCpuProfile(2));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('paints growth and shrinkage in different theme colours, unchanged frames neutral, with a legend', async (t) => {
    if (!profile) return t.skip(goMissing);
    const diff = loadMessage(profile, { title: 'service cpu', ignore: 'main\\.burnCPU', base: profile, baseOptions: { ignore: 'main\\.allocate' }, baseLabel: 'before' });
    const view = await openWebview(browser, server.pageUrl);
    try {
      await view.load(diff.data, diff.summary);
      const legend = view.page.locator('.legend');
      assert.equal(await legend.isVisible(), true);
      assert.equal((await legend.innerText()).replace(/\s+/g, ' ').trim(), 'grew shrank unchanged vs before; width is the larger of the two');
      const swatches = await legend.locator('.swatch').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
      assert.deepEqual(swatches.slice(0, 2), ['rgb(241, 76, 76)', 'rgb(55, 148, 255)']);

      const { width } = await view.canvasBox();
      // main.allocate is only in the profile: it grew from nothing, the strongest growth colour.
      await view.zoomBy(() => view.post({ type: 'reveal', functionName: 'main.allocate' }));
      const allocateRow = await view.findRow('main.allocate', width / 2);
      assert.ok(allocateRow > 0);
      await view.waitForPixel(width - 6, allocateRow, DARK_THEME.variables['charts-red']);
      const grown = diff.graph.totalValue[heaviestNode(diff.graph, 'main.allocate')];
      const tip = await view.hover(width / 2, allocateRow);
      assert.equal(tip[0], 'main.allocate');
      assert.ok(tip.includes('before: total 0 (0%), self 0'), tip.join(' | '));
      assert.ok(tip.includes(`Change: new (+${formatValue(grown, 'nanoseconds')})`), tip.join(' | '));

      // main.burnCPU is only in the base: still drawn, in the strongest shrinkage colour.
      await view.zoomBy(() => view.post({ type: 'reveal', functionName: 'main.burnCPU' }));
      const burnRow = await view.findRow('main.burnCPU', width / 2);
      assert.ok(burnRow > 0, 'a frame that exists only in the base is drawn');
      await view.waitForPixel(width - 6, burnRow, DARK_THEME.variables['charts-blue']);
      const burnTip = await view.hover(width / 2, burnRow);
      assert.match(burnTip.find((l) => l.startsWith('Change:')), /^Change: gone \(-\d/);
      assert.equal(burnTip[1], 'Total: 0 (0%)');
    } finally {
      await view.close();
    }
  });

  it('a diff against the same profile paints every frame in the one neutral colour', async (t) => {
    if (!profile) return t.skip(goMissing);
    const same = loadMessage(profile, { title: 'service cpu', base: profile, baseLabel: 'itself' });
    const view = await openWebview(browser, server.pageUrl);
    try {
      await view.load(same.data, same.summary);
      const { width } = await view.canvasBox();
      // Points inside large frames, away from their labels: the root row and the widest frames below it.
      const points = [[width / 2, 9], [width - 6, 9]];
      for (const y of [27, 45]) {
        const tip = await view.hover(width / 2, y);
        assert.ok(tip.length > 0, `a frame under (${width / 2}, ${y})`);
        points.push([width / 2, y]);
      }
      const colours = await view.pixels(points);
      const neutral = colours[0];
      for (const colour of colours.slice(1)) assert.equal(colour, neutral);
      for (const other of [DARK_THEME.variables['editor-background'], DARK_THEME.variables['charts-red'], DARK_THEME.variables['charts-blue']]) assert.notEqual(neutral, other);
      const tip = await view.hover(width / 2, 9);
      assert.ok(tip.includes('Change: no change'), tip.join(' | '));
    } finally {
      await view.close();
    }
  });
});
