// Issue 15 end to end, "Search Traces…" and terminal links: `goTraceLens.backends` names a Tempo stand-in
// holding seven traces, one clean and the others with broken chains (test/helpers/searchStandIns.ts).
// "Search Traces…" from the command palette asks for the service (from Tempo's tag values), operation,
// tags, minimum duration and time range and sends them to Tempo as TraceQL; the list shows at once, and
// each row comes to say how many broken chains the timeline finds in that trace (Tempo's traces fetched
// for it, the language server counting), equal to the timeline core's count; picking one opens it in the
// timeline with those problems. Then a trace ID printed in the integrated terminal is a link: hovering
// it offers "Open Trace in <backend>", and Ctrl+click opens that trace in the timeline.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBackendStandIns } from '../lib/backends.mjs';
import { choose, quickInput, timelineFrame } from '../lib/ui.mjs';
import { waitFor } from '../lib/waitFor.mjs';

export const title = 'backends: Search Traces… (service, operation, tags, min duration, range) → rows with their broken chains → timeline; a trace ID in the terminal is a link that opens it';

const BACKEND = 'tempo-search';
const BROKEN = '04'.repeat(16);
const CLEAN = '01'.repeat(16);

function capturesIn(workspace) {
  const folder = join(workspace, '.pprof');
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

/** The quick pick's rows as text (label, description and detail), in order. */
function pickRows(page) {
  return page.evaluate(() => [...document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row')].map((row) => row.textContent.replace(/\s+/g, ' ').trim()));
}

/** A row's broken-chain count: `⚠ N broken chain(s)` or `no broken chains`; undefined while counting. */
function rowCount(text) {
  if (text.includes('no broken chains')) return 0;
  const found = /⚠ (\d+) broken chains?/.exec(text);
  return found ? Number(found[1]) : undefined;
}

/** The screen point at the middle of `needle` where it is written in the terminal (DOM renderer). */
function terminalTextPoint(page, needle) {
  return page.evaluate((text) => {
    for (const row of document.querySelectorAll('.terminal-wrapper .xterm-rows > div')) {
      const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.replace(/\u00a0/g, ' ').indexOf(text);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + text.length);
        const box = range.getBoundingClientRect();
        return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
      }
    }
    return null;
  }, needle);
}

export async function run({ workbench, page, workspace }) {
  const standIns = await startBackendStandIns({ token: 'unused', search: true });
  try {
    const expected = standIns.searchProblems;
    assert.ok(Object.values(expected).includes(0) && expected[BROKEN] > 0, `the stand-in holds clean and broken traces: ${JSON.stringify(expected)}`);
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({
      'goTraceLens.backends': [{ name: BACKEND, kind: 'tempo', url: standIns.search }],
      // The terminal's DOM renderer, so a test can find where a trace ID is written.
      'terminal.integrated.gpuAcceleration': 'off',
    }, null, 2));
    writeFileSync(join(workspace, 'search.log'), `level=error msg="checkout failed" trace_id=${BROKEN}\n`);

    const containerIcon = page.locator('.activitybar .action-item a[aria-label^="Go Trace Lens"], .activitybar .action-item[aria-label^="Go Trace Lens"]').first();
    await containerIcon.waitFor({ timeout: 60000 });
    // The ID in a log becomes a link once the extension has read the backend from the settings just written.
    await workbench.openFile('search.log');
    await page.locator('.editor-instance .view-lines .detected-link', { hasText: BROKEN }).first().waitFor({ timeout: 60000 });

    // 1. "Search Traces…": the one trace backend is used; service, operation, tags, minimum duration, range.
    await workbench.runCommand('Go Trace Lens: Search Traces…');
    await choose(page, `Search traces in ${BACKEND}: which service?`, 'frontend', 'frontend');
    await (await quickInput(page, 'Traces of frontend: operation')).fill('GET /checkout');
    await page.keyboard.press('Enter');
    await (await quickInput(page, 'Traces of frontend: tags')).fill('http.status_code=500');
    await page.keyboard.press('Enter');
    await (await quickInput(page, 'Traces of frontend: minimum duration')).fill('5ms');
    await page.keyboard.press('Enter');
    await choose(page, 'Traces of frontend: when?', 'Last hour', 'Last hour');

    // 2. The list shows at once; each row comes to say its broken chains, as the timeline core counts them.
    const ids = Object.keys(expected);
    await page.locator('.quick-input-widget .quick-input-title', { hasText: `${ids.length} traces of frontend in ${BACKEND}` }).first().waitFor({ timeout: 30000 });
    const rows = await waitFor(async () => {
      const texts = await pickRows(page);
      return texts.length === ids.length && texts.every((t) => rowCount(t) !== undefined) ? texts : undefined;
    }, 'every row with its broken chains counted', 60000);
    const counted = Object.fromEntries(rows.map((text) => [ids.find((id) => text.includes(id)), rowCount(text)]));
    assert.deepEqual(counted, expected, `rows:\n${rows.join('\n')}`);
    assert.match(rows.find((t) => t.includes(BROKEN)), /checkout: POST \/order.*⚠ 2 broken chains: This trace has 2 root spans/);
    const [search] = await standIns.searches();
    assert.equal(search.q, '{ resource.service.name = "frontend" && name = "GET /checkout" && (.http.status_code = "500" || .http.status_code = 500) && duration >= 5ms }');
    // The last hour in whole seconds, rounded outwards.
    assert.ok([3600, 3601].includes(Number(search.end) - Number(search.start)), `the last hour: ${search.start} to ${search.end}`);
    // The search's progress notifications have closed (they would cover the screenshot).
    await page.locator('.notifications-toasts .notification-toast', { hasText: BACKEND }).first().waitFor({ state: 'detached' });
    await workbench.screenshot('backends-search-results');

    // 3. Picking the broken trace opens it in the timeline, with its problems.
    await (await quickInput(page)).fill(BROKEN.slice(0, 12));
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: BROKEN }).first().waitFor();
    await page.keyboard.press('Enter');
    await waitFor(() => capturesIn(workspace).find((f) => /^tempo-search-tempo-\d{8}T\d{6}Z\.json$/.test(f)), 'the picked trace in .pprof/');
    await timelineFrame(page, new RegExp(`OTLP/JSON · 1 trace · 4 spans · 2 services · ${expected[BROKEN]} problems`), 60000);
    await workbench.screenshot('backends-search-picked-in-timeline');

    // 4. A trace ID printed in the terminal is a link: hover offers "Open Trace in tempo-search", Ctrl+click opens it.
    await workbench.runCommand('Terminal: Create New Terminal');
    const rowsOfTerminal = page.locator('.terminal-wrapper .xterm-rows').first();
    await rowsOfTerminal.waitFor();
    await waitFor(async () => (await rowsOfTerminal.innerText()).trim() !== '', 'the shell prompt in the terminal', 30000);
    // Typing goes to the terminal once it has the focus (the timeline's webview may still hold it).
    await page.locator('.terminal-wrapper textarea.xterm-helper-textarea').first().focus();
    await page.locator('.terminal-wrapper .xterm.focus').first().waitFor();
    // The command splits the ID so that only the printed line holds it whole.
    const command = `printf 'level=error msg="payment failed" trace_id=%s%s\\n' ${CLEAN.slice(0, 15)} ${CLEAN.slice(15)}`;
    await page.keyboard.type(command);
    await waitFor(async () => (await rowsOfTerminal.innerText()).replace(/\u00a0/g, ' ').replace(/\s+/g, '').includes(command.replace(/\s+/g, '')), 'the command echoed in the terminal', 30000);
    await page.keyboard.press('Enter');
    const point = await waitFor(() => terminalTextPoint(page, CLEAN), 'the trace ID printed in the terminal', 30000);
    const tooltip = page.locator('.workbench-hover, .monaco-hover', { hasText: `Open Trace in ${BACKEND}` }).first();
    await waitFor(async () => {
      // Moving off and back makes the terminal look for links under the pointer again.
      await page.mouse.move(point.x, point.y - 40);
      await page.mouse.move(point.x, point.y);
      return tooltip.waitFor({ timeout: 3000 }).then(() => true, () => false);
    }, 'the link tooltip on the trace ID in the terminal', 60000);
    await workbench.screenshot('backends-terminal-trace-link');
    await page.keyboard.down('Control');
    await page.mouse.click(point.x, point.y);
    await page.keyboard.up('Control');
    await waitFor(() => capturesIn(workspace).filter((f) => /^tempo-search-tempo-\d{8}T\d{6}Z(-\d+)?\.json$/.test(f)).length === 2, 'the trace opened from the terminal in .pprof/');
    await timelineFrame(page, /OTLP\/JSON · 1 trace · 3 spans · 2 services · 0 problems/, 60000);
    const fetched = capturesIn(workspace).filter((f) => f.endsWith('.json')).map((f) => readFileSync(join(workspace, '.pprof', f), 'utf8'));
    assert.deepEqual(fetched.map((text) => [text.includes(BROKEN), text.includes(CLEAN)]).sort(), [[false, true], [true, false]], 'the picked trace and the terminal\'s');
  } finally {
    await standIns.stop();
  }
}
