// Issue 6 end to end: capture from the running example shop through the command palette as a user does
// (choose the kind, type the endpoint, the duration), watch the countdown notification, find the file
// in .pprof/ and in the Captures view; cancel a CPU capture mid-way and find nothing left behind;
// against an endpoint that answers 401, the error offers "Set Credentials…", which stores a token and
// captures again, without the token ever reaching the log; discover the shop among the machine's ports
// and save it to the user settings; compare two captures; delete a capture from its row (after a
// confirmation) and see the view follow files removed on disk. The captured CPU profile becomes the
// active profile: its CodeLens shows above the shop's hot function.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';
import { startShop } from '../lib/shop.mjs';
import { choose, extensionLog, lensOnDeclaration, quickInput } from '../lib/ui.mjs';
import { waitFor } from '../lib/waitFor.mjs';

/**
 * Clicks a row's inline action, which shows only while the row is hovered. A list that re-renders under a
 * still pointer can drop the hover, so the row is hovered again until its action is visible.
 */
async function clickRowAction(row, label) {
  const action = row.locator(`.action-label[aria-label="${label}"], .action-label[title="${label}"]`).first();
  await waitFor(async () => {
    await row.hover();
    return action.isVisible();
  }, `the "${label}" action on its hovered row`);
  await action.click();
}

export const title = 'capture from the command palette: countdown, file, Captures view, CodeLens, cancel, 401 → Set Credentials…, discovery, compare, delete';

const TOKEN = 'e2e-tok-5d8c0b7a91f3';

/** Every file in the captures folder, hidden partial files included. */
function capturesIn(workspace) {
  const folder = join(workspace, '.pprof');
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

/**
 * A pprof endpoint behind a bearer token, in front of the shop: 401 without `Bearer TOKEN`, else the
 * shop's answer.
 */
function startGuardedEndpoint(shopPprof) {
  const target = new URL(shopPprof);
  const authorizations = [];
  const server = http.createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer' });
      res.end('unauthorized\n');
      return;
    }
    const upstream = http.get({ host: target.hostname, port: target.port, path: req.url }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}/debug/pprof`, port, authorizations, close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }) });
    });
  });
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Runs a command from the palette by clicking the row whose label is exactly `title` (typing the title
 * also matches longer titles, e.g. "Capture Allocs Profile…" for "Capture Profile…").
 */
async function runPaletteCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const label = page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) });
  await page.locator('.quick-input-list .monaco-list-row', { has: label }).first().click();
}

/** Answers the duration box of a timed capture. */
async function enterDuration(page, seconds) {
  const input = await quickInput(page, 'how long?');
  await input.fill(String(seconds));
  await page.keyboard.press('Enter');
}

function toast(page, text) {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
}

export async function run({ workbench, page, workspace, server }) {
  // The scenario saves an endpoint into the user settings; later scenarios get the settings as they were.
  const userSettingsFile = join(server.userDataDir, 'User', 'settings.json');
  const userSettingsBefore = readFileSync(userSettingsFile, 'utf8');
  // A busy shop, so that a 3-second CPU profile surely samples its hot function.
  const shop = await startShop({ load: '5ms' });
  const guarded = await startGuardedEndpoint(shop.pprof);
  const endpointName = `127.0.0.1-${shop.ports.pprof}`;
  const containerIcon = page.locator('.activitybar .action-item a[aria-label^="Go Trace Lens"], .activitybar .action-item[aria-label^="Go Trace Lens"]').first();
  try {
    // The extension's contributions are in once its activity-bar icon shows (the palette lists its
    // commands from then on).
    await containerIcon.waitFor({ timeout: 60000 });

    // 1. A 3-second CPU profile, from the palette, typing the shop's URL as a user would.
    await runPaletteCommand(page, 'Go Trace Lens: Capture Profile…');
    await choose(page, 'Capture Profile', 'CPU', 'CPU profile');
    await choose(page, 'CPU profile: from which endpoint?', `127.0.0.1:${shop.ports.pprof}`, 'capture from this URL');
    await enterDuration(page, 3);
    const countdown = toast(page, `CPU profile from ${endpointName}`);
    await countdown.locator('text=/: [1-3] s left/').waitFor();
    await workbench.screenshot('capture-countdown');
    const cpuFile = await waitFor(() => capturesIn(workspace).find((f) => f.startsWith(`${endpointName}-cpu-`) && f.endsWith('.pb.gz')), 'the CPU profile in .pprof/');
    assert.match(cpuFile, /^127\.0\.0\.1-\d+-cpu-\d{8}T\d{6}Z\.pb\.gz$/);

    // …listed in the Captures view of the Go Trace Lens container.
    await containerIcon.click();
    const capturesPane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Captures' }) }).first();
    await capturesPane.waitFor();
    const cpuRow = capturesPane.locator('.monaco-list-row', { hasText: 'CPU profile' }).first();
    await cpuRow.waitFor();
    assert.match(await cpuRow.innerText(), new RegExp(`${endpointName.replace(/\./g, '\\.')} · .* · .*B`));
    await workbench.screenshot('capture-captures-view');

    // …and opened as the active profile: its CodeLens stands above the shop's hot function.
    const LENS = /^cpu (?:[\d.]+m?s|0) \([\d.]+%\) flat · [\d.]+m?s \([\d.]+%\) cum$/;
    const lens = await lensOnDeclaration({ workbench, page, workspace }, 'gateway.go', 'func applyDiscounts(', LENS, 'the CodeLens of the captured profile above applyDiscounts');
    assert.match(lens, LENS);
    await workbench.screenshot('capture-codelens');

    // 2. Cancel a CPU capture mid-countdown: nothing is left in .pprof/ (not even a partial file).
    const before = capturesIn(workspace);
    await runPaletteCommand(page, 'Go Trace Lens: Capture CPU Profile…');
    await quickInput(page, 'CPU profile: from which endpoint?');
    const first = page.locator('.quick-input-list .monaco-list-row').first();
    await first.waitFor();
    assert.match(await first.innerText(), new RegExp(`${endpointName.replace(/\./g, '\\.')}[\\s\\S]*last used`), 'the endpoint used last is offered first');
    await page.keyboard.press('Enter');
    await enterDuration(page, 20);
    const running = toast(page, `CPU profile from ${endpointName}`);
    await running.locator('text=/1[0-9] s left/').waitFor();
    const cancelledAt = Date.now();
    await running.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await running.waitFor({ state: 'detached' });
    await waitFor(() => extensionLog(server.userDataDir).includes('nothing was saved'), 'the cancel in the log', 10000).catch(() => undefined);
    assert.ok(Date.now() - cancelledAt < 10000, 'the cancelled capture ended quickly');
    assert.deepEqual(capturesIn(workspace), before, 'a cancelled capture leaves no file');

    // 3. A 401 endpoint: the error offers "Set Credentials…"; a token set there is used on the retry.
    await runPaletteCommand(page, 'Go Trace Lens: Capture Heap Profile…');
    await choose(page, 'Heap profile: from which endpoint?', guarded.url, 'capture from this URL');
    const refused = toast(page, '401');
    await refused.waitFor();
    assert.match(await refused.innerText(), /needs credentials/);
    const setCredentials = refused.locator('.monaco-button', { hasText: 'Set Credentials…' });
    await setCredentials.waitFor();
    await workbench.screenshot('capture-401-set-credentials');
    await setCredentials.click();
    await choose(page, 'Credentials for', 'Bearer', 'Bearer token');
    const tokenBox = await quickInput(page, 'Bearer token for');
    assert.equal(await tokenBox.getAttribute('type'), 'password', 'the token is typed into a password box');
    await tokenBox.fill(TOKEN);
    await page.keyboard.press('Enter');
    const guardedName = `127.0.0.1-${guarded.port}`;
    const heapFile = await waitFor(() => capturesIn(workspace).find((f) => f.startsWith(`${guardedName}-heap-`)), 'the heap profile captured with the token');
    assert.match(heapFile, /\.pb\.gz$/);
    assert.deepEqual(guarded.authorizations.slice(0, 2), [undefined, `Bearer ${TOKEN}`]);
    await capturesPane.locator('.monaco-list-row', { hasText: 'Heap profile' }).first().waitFor();

    // 4. "Discover Local Services…" finds the shop among this machine's listening ports; its row's save
    // button keeps it in the user settings as "shop", and the capture goes on from it.
    await runPaletteCommand(page, 'Go Trace Lens: Discover Local Services…');
    const discovered = await quickInput(page, 'Discovered pprof services');
    await discovered.fill(`:${shop.ports.pprof}`);
    const shopRow = page.locator('.quick-input-list .monaco-list-row', { hasText: `127.0.0.1:${shop.ports.pprof}` }).first();
    await clickRowAction(shopRow, 'Save to User Settings…');
    const nameBox = await quickInput(page, 'to user settings');
    await nameBox.fill('shop');
    await page.keyboard.press('Enter');
    await choose(page, 'Capture Profile', 'goroutine', 'Goroutine profile');
    const goroutineFile = await waitFor(() => capturesIn(workspace).find((f) => f.startsWith('shop-goroutine-')), 'the goroutine profile of the discovered shop, named after the saved endpoint');
    const userSettings = JSON.parse(readFileSync(userSettingsFile, 'utf8'));
    assert.deepEqual(userSettings['goTraceLens.endpoints'], [{ name: 'shop', url: shop.pprof }]);
    await capturesPane.locator('.monaco-list-row', { hasText: 'Goroutine profile' }).first().waitFor();

    // 5. A second goroutine profile from "shop" (offered first, as the endpoint used last), then
    // "Compare with Previous Capture" on its row opens the diff against the first one.
    await runPaletteCommand(page, 'Go Trace Lens: Capture Goroutine Profile…');
    await quickInput(page, 'Goroutine profile: from which endpoint?');
    const lastUsed = page.locator('.quick-input-list .monaco-list-row').first();
    await lastUsed.waitFor();
    assert.match(await lastUsed.innerText(), /^shop[\s\S]*last used · user settings/);
    await page.keyboard.press('Enter');
    await waitFor(() => capturesIn(workspace).filter((f) => f.startsWith('shop-goroutine-')).length === 2, 'the second goroutine profile');
    // Hover the newest row only once the view lists both: hovering while the refresh inserts the new row
    // on top would leave the pointer on the older one, whose row then shows the action instead.
    const goroutineRows = capturesPane.locator('.monaco-list-row', { hasText: 'Goroutine profile' });
    await waitFor(async () => (await goroutineRows.count()) === 2, 'both goroutine profiles in the Captures view');
    await clickRowAction(goroutineRows.first(), 'Compare with Previous Capture');
    await page.locator('.statusbar-item', { hasText: 'Δ' }).first().waitFor();
    await workbench.screenshot('capture-compare');

    // An execution trace goes through the same flow, into a .trace file listed as such.
    await runPaletteCommand(page, 'Go Trace Lens: Capture Execution Trace…');
    await quickInput(page, 'Execution trace: from which endpoint?');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'shop' }).first().waitFor();
    await page.keyboard.press('Enter');
    await enterDuration(page, 1);
    await waitFor(() => capturesIn(workspace).find((f) => /^shop-trace-\d{8}T\d{6}Z\.trace$/.test(f)), 'the execution trace in .pprof/');
    await capturesPane.locator('.monaco-list-row', { hasText: 'Execution trace' }).first().waitFor();

    // 6. Delete from the row's menu, after a confirmation; the row and the file go.
    const heapRow = capturesPane.locator('.monaco-list-row', { hasText: 'Heap profile' }).first();
    const deleteItem = page.locator('.context-view .monaco-menu .action-menu-item', { hasText: 'Delete Capture' }).first();
    // The trace just captured is still opening in the timeline: its webview taking focus closes a context
    // menu opened meanwhile, so the row is right-clicked again until its menu stays.
    await waitFor(async () => {
      if (!(await deleteItem.isVisible())) await heapRow.click({ button: 'right' });
      return deleteItem.waitFor({ timeout: 3000 }).then(() => true, () => false);
    }, 'the capture row\'s context menu');
    await deleteItem.hover();
    await deleteItem.click();
    const dialog = page.locator('.monaco-dialog-box', { hasText: heapFile });
    await dialog.waitFor();
    await workbench.screenshot('capture-delete-confirmation');
    await dialog.locator('.monaco-button', { hasText: /^Delete$/ }).click();
    await waitFor(() => !capturesIn(workspace).includes(heapFile), 'the deleted capture to leave .pprof/');
    await heapRow.waitFor({ state: 'detached' });

    // 7. A file removed outside VS Code leaves the view too (the view watches the folder).
    for (const file of capturesIn(workspace).filter((f) => f.startsWith('shop-goroutine-'))) rmSync(join(workspace, '.pprof', file));
    await capturesPane.locator('.monaco-list-row', { hasText: 'Goroutine profile' }).first().waitFor({ state: 'detached' });
    assert.ok(!capturesIn(workspace).includes(goroutineFile));

    const log = await waitFor(() => {
      const text = extensionLog(server.userDataDir);
      return text.includes('Stored a bearer token') && text.includes(heapFile) ? text : undefined;
    }, 'the log lines of the credentials and the capture', 10000);
    assert.ok(!log.includes(TOKEN), 'the token must never be logged');
    assert.match(log, /Cancelled the capture of CPU for 20 s/);
  } finally {
    writeFileSync(userSettingsFile, userSettingsBefore);
    await guarded.close();
    await shop.stop();
  }
}
