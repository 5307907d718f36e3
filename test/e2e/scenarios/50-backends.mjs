// Issue 15 end to end, the editor side: `goTraceLens.backends` in the workspace settings names two Tempo
// stand-ins (one behind a bearer token) and a Pyroscope stand-in serving a CPU profile of the running
// example shop. "Open Trace by ID…" takes the ID under the cursor in a log file, fetches the trace into
// .pprof/ and the timeline shows it; against the guarded Tempo the 401 offers "Set Backend Credentials…",
// the token is stored and the retry opens the trace (the token never reaches the log); "Open Profile from
// Backend…" (range, service, type) opens the merged profile, whose CodeLens stands above the shop's hot
// function, and "Compare … with an Earlier Range…" opens the diff against the range just before. The
// stand-ins are test/helpers/backendServers.ts, started in a child process.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startBackendStandIns } from '../lib/backends.mjs';
import { startShop } from '../lib/shop.mjs';
import { choose, extensionLog, lensOnDeclaration, quickInput, timelineFrame } from '../lib/ui.mjs';
import { waitFor } from '../lib/waitFor.mjs';

export const title = 'backends: Open Trace by ID (from a log line) → timeline, 401 → Set Backend Credentials… → retry, Open Profile from Backend → CodeLens → compare with an earlier range';

const TOKEN = 'e2e-backend-tok-7f3a91c2';

function capturesIn(workspace) {
  const folder = join(workspace, '.pprof');
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

function toast(page, text) {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
}

/** A CPU profile of the busy shop, ungzipped: what Pyroscope's SelectMergeProfile answers. */
async function shopCpuProfile(shop, file) {
  const answer = await fetch(`${shop.pprof}/profile?seconds=3`);
  assert.equal(answer.status, 200, 'the shop serves a CPU profile');
  writeFileSync(file, gunzipSync(Buffer.from(await answer.arrayBuffer())));
}

export async function run({ workbench, page, workspace, server }) {
  const scratch = join(tmpdir(), `gtl-e2e-backends-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  const shop = await startShop({ load: '5ms' });
  let standIns;
  try {
    await shopCpuProfile(shop, join(scratch, 'shop-cpu.pb'));
    standIns = await startBackendStandIns({ token: TOKEN, profileFile: join(scratch, 'shop-cpu.pb') });
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({
      'goTraceLens.backends': [
        { name: 'tempo', kind: 'tempo', url: standIns.tempo },
        { name: 'tempo-prod', kind: 'tempo', url: standIns.guarded },
        { name: 'pyroscope', kind: 'pyroscope', url: standIns.pyroscope },
      ],
    }, null, 2));
    // A log line with the trace ID, as a service would print it.
    writeFileSync(join(workspace, 'checkout.log'), `2026-08-21T10:00:00Z level=error msg="payment failed" trace_id=${standIns.tempoTraceId} user=42\n`);

    const containerIcon = page.locator('.activitybar .action-item a[aria-label^="Go Trace Lens"], .activitybar .action-item[aria-label^="Go Trace Lens"]').first();
    await containerIcon.waitFor({ timeout: 60000 });

    // 1. The cursor on the ID in the log: "Open Trace by ID…" offers it, the trace lands in .pprof/ and
    // opens in the timeline.
    await workbench.openFile('checkout.log');
    const logLine = page.locator('.editor-instance .view-lines .view-line', { hasText: 'trace_id=' }).first();
    await logLine.waitFor();
    // The ID becomes a link once the extension has read the backends from the settings just written
    // (the links are asked for again when the setting changes).
    await page.locator('.editor-instance .view-lines .detected-link', { hasText: standIns.tempoTraceId }).first().waitFor({ timeout: 60000 });
    await workbench.screenshot('backends-trace-id-link');
    await logLine.click();
    await page.keyboard.press('End');
    for (let i = 0; i < ' user=42'.length + 4; i++) await page.keyboard.press('ArrowLeft');
    await workbench.runCommand('Go Trace Lens: Open Trace by ID…');
    await choose(page, 'Which trace backend?', 'tempo', 'tempo');
    const idBox = await quickInput(page, 'Open a trace from tempo');
    assert.equal(await idBox.inputValue(), standIns.tempoTraceId, 'the ID under the cursor is offered');
    await workbench.screenshot('backends-open-trace-by-id');
    await page.keyboard.press('Enter');
    const traceFile = await waitFor(() => capturesIn(workspace).find((f) => /^tempo-tempo-\d{8}T\d{6}Z\.json$/.test(f)), 'the fetched trace in .pprof/');
    const frame = await timelineFrame(page, /OTLP\/JSON · 1 trace · 40 spans/, 60000);
    await frame.locator('.summary-text').waitFor();
    await workbench.screenshot('backends-trace-in-timeline');
    assert.ok(JSON.parse(readFileSync(join(workspace, '.pprof', traceFile), 'utf8')).resourceSpans.length > 0);

    // 2. The guarded Tempo answers 401: the error offers "Set Backend Credentials…"; the token typed
    // there is stored and the fetch is retried with it.
    await workbench.runCommand('Go Trace Lens: Open Trace by ID…');
    await choose(page, 'Which trace backend?', 'tempo-prod', 'tempo-prod');
    const secondBox = await quickInput(page, 'Open a trace from tempo-prod');
    await secondBox.fill(standIns.guardedTraceId);
    await page.keyboard.press('Enter');
    const refused = toast(page, '401');
    await refused.waitFor({ timeout: 30000 });
    const setCredentials = refused.locator('.monaco-button', { hasText: 'Set Backend Credentials…' });
    await setCredentials.waitFor();
    await workbench.screenshot('backends-401-set-credentials');
    await setCredentials.click();
    await choose(page, 'Credentials for tempo-prod', 'Authorization', 'Authorization');
    await choose(page, 'Credentials for tempo-prod', 'Bearer', 'Bearer token');
    const tokenBox = await quickInput(page, 'Bearer token for tempo-prod');
    assert.equal(await tokenBox.getAttribute('type'), 'password', 'the token is typed into a password box');
    await tokenBox.fill(TOKEN);
    await page.keyboard.press('Enter');
    await waitFor(() => capturesIn(workspace).find((f) => /^tempo-prod-tempo-\d{8}T\d{6}Z\.json$/.test(f)), 'the trace fetched with the token');
    await timelineFrame(page, /OTLP\/JSON · 1 trace · 25 spans/, 60000);
    const authorizations = await standIns.authorizations();
    assert.equal(authorizations[0], null, 'the first request went without credentials');
    assert.equal(authorizations.at(-1), 'token', 'the retry carried the stored token');

    // 3. "Open Profile from Backend…": the time range, the service from Pyroscope's label values, the
    // CPU type; the merged profile opens and its CodeLens stands above the shop's hot function.
    await workbench.runCommand('Go Trace Lens: Open Profile from Backend…');
    await choose(page, 'Profile from pyroscope: which time range?', 'Last hour', 'Last hour');
    await choose(page, 'Profile from pyroscope: which service?', 'shop', 'shop');
    await choose(page, 'Profile of shop: which type?', 'process_cpu: cpu', 'process_cpu:cpu:nanoseconds:cpu:nanoseconds');
    await waitFor(() => capturesIn(workspace).find((f) => /^pyroscope-cpu-\d{8}T\d{6}Z\.pb\.gz$/.test(f)), 'the merged CPU profile in .pprof/');
    const LENS = /^cpu (?:[\d.]+m?s|0) \([\d.]+%\) flat · [\d.]+m?s \([\d.]+%\) cum$/;
    const lens = await lensOnDeclaration({ workbench, page, workspace }, 'gateway.go', 'func applyDiscounts(', LENS, 'the CodeLens of the Pyroscope profile above applyDiscounts');
    assert.match(lens, LENS);
    await workbench.screenshot('backends-profile-codelens');

    // "Compare with an earlier range": the range just before is fetched too, and the diff opens.
    await workbench.runCommand('Go Trace Lens: Compare Backend Profile with an Earlier Range…');
    await choose(page, 'Compare the cpu profile of shop with', 'just before', 'The range just before');
    await waitFor(() => capturesIn(workspace).filter((f) => /^pyroscope-cpu-\d{8}T\d{6}Z(-\d+)?\.pb\.gz$/.test(f)).length === 2, 'the earlier range\'s profile in .pprof/');
    await page.locator('.statusbar-item', { hasText: 'Δ' }).first().waitFor();

    const log = await waitFor(() => {
      const text = extensionLog(server.userDataDir);
      return text.includes('Stored a bearer token') && text.includes('Saved the merged') ? text : undefined;
    }, 'the log lines of the credentials and the profile', 10000);
    assert.ok(!log.includes(TOKEN), 'the token must never be logged');
  } finally {
    await standIns?.stop();
    await shop.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
