// Names from a profile are untrusted: function names, file names, the title, the diff base's label and
// the host's messages containing HTML or script must appear as text everywhere they are shown (header,
// top list, tooltip, zoom path, search status, openSource message, empty message), and nothing may
// execute: no injected element, no Content-Security-Policy violation, no console error.

/* global window, document -- functions passed to page.evaluate run in the browser */

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { launchChromium, openWebview } from './lib/browser.mjs';
import { startPageServer } from './lib/pageServer.mjs';

const require = createRequire(import.meta.url);
const { literalNamesProfile, loadMessage } = require('./lib/profiles.ts');

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '</script><script>window.__pwned=2</script>';
const BOLD = 'main.(*T).<b>bold</b>';
const SVG_FILE = '"><svg onload=window.__pwned=3>.go';
const STYLE_FILE = '<style>body{display:none}</style>/x.go';
const TITLE = '<script>window.__pwned=4</script> cpu.pprof';
const BASE_LABEL = '<img src=y onerror=window.__pwned=5>';

function hostileProfile() {
  return literalNamesProfile(
    [
      { stack: [IMG, 'main.main'], values: [5, 50_000_000] },
      { stack: [SCRIPT, IMG, 'main.main'], values: [3, 30_000_000] },
      { stack: [BOLD, 'main.main'], values: [2, 20_000_000] },
    ],
    { [IMG]: SVG_FILE, [SCRIPT]: STYLE_FILE, [BOLD]: 'main.go' },
  );
}

describe('flame graph: hostile names are text', () => {
  let server;
  let browser;
  before(async () => {
    [server, browser] = await Promise.all([startPageServer(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows HTML and script in names, files, title and labels as text, and nothing executes', async () => {
    const profile = hostileProfile();
    const message = loadMessage(profile, { title: TITLE, base: profile, baseLabel: BASE_LABEL });
    const view = await openWebview(browser, server.pageUrl);
    try {
      await view.load(message.data, { ...message.summary, filter: '<i>worker=cpu</i>' });
      assert.equal(await view.text('.summary h1'), TITLE);
      const topNames = message.summary.top.map((r) => r.functionName);
      assert.deepEqual([...topNames].sort(), [IMG, SCRIPT, BOLD, 'main.main'].sort());
      assert.deepEqual(await view.page.locator('.summary table.top button').allInnerTexts(), topNames);
      assert.ok((await view.page.locator('.summary dd').allInnerTexts()).includes('<i>worker=cpu</i>'));
      assert.match(await view.text('.legend'), new RegExp(`vs ${BASE_LABEL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')};`));

      // Reveal each hostile frame: the zoom path and the tooltip show the literal text.
      const { width } = await view.canvasBox();
      for (const [name, file] of [[IMG, SVG_FILE], [SCRIPT, STYLE_FILE], [BOLD, 'main.go']]) {
        await view.zoomBy(() => view.post({ type: 'reveal', functionName: name }));
        assert.ok((await view.text('.breadcrumb')).includes(name));
        const row = await view.findRow(name, width / 2);
        assert.ok(row > 0, `${name} is drawn`);
        const tip = await view.hover(width / 2, row);
        assert.equal(tip[0], name);
        assert.ok(tip.some((l) => l.startsWith(`${file}:`)), tip.join(' | '));
        const before = await view.postedCount();
        await view.page.mouse.dblclick((await view.canvasBox()).x + width / 2, (await view.canvasBox()).y + row);
        const opened = await view.waitForPosted((m) => m.type === 'openSource', { after: before });
        assert.equal(opened.file, file);
        assert.equal(opened.functionName, name);
      }

      const search = view.page.getByRole('searchbox', { name: 'Search functions' });
      await search.fill('<img');
      await search.press('Enter');
      await view.page.locator('.search-status', { hasText: '1 function' }).waitFor();

      await view.post({ type: 'empty', message: `${IMG}${SCRIPT} is not a profile`, offerOpenAsText: true });
      await view.page.locator('.empty-message', { hasText: 'is not a profile' }).waitFor();
      assert.equal(await view.text('.empty-message'), `${IMG}${SCRIPT} is not a profile`);

      const dom = await view.page.evaluate(() => ({
        injected: document.querySelectorAll('img, svg, b, i, style, iframe, object, embed').length,
        scripts: document.scripts.length,
        pwned: window.__pwned,
      }));
      assert.deepEqual(dom, { injected: 0, scripts: 1, pwned: undefined });
      assert.deepEqual(await view.violations(), []);
      assert.deepEqual(view.consoleErrors, []);
    } finally {
      await view.close();
    }
  });
});
