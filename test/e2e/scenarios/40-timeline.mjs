// Issue 7 end to end: the example shop runs with its span exporter on (-spans) while an execution trace
// is captured from its /debug/pprof/trace, so both files come from one run. The execution trace, opened
// from Quick Open like any file, is recognised by its content and reopened in the timeline; a click on a
// goroutine's runtime/trace region shows its stack, and a frame opens the right file and line. The span
// file opens with "Open Trace…"; a click on a span without code attributes offers the workspace function
// of the same name, which opens at its line; the spans are matched with the execution trace's tasks;
// the problems panel lists the broken chains the CLI finds in the same file and highlights their spans.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/host.mjs';
import { captureFromShop } from '../lib/shop.mjs';
import { openTraceByPath, timelineFrame } from '../lib/ui.mjs';
import { waitFor } from '../lib/waitFor.mjs';

export const title = 'timeline: execution trace and span trace of one shop run, click to code, matched spans, problems';

/** The active editor's cursor line once it is `line` (the editor reveals asynchronously). */
async function waitForCursorLine(workbench, line) {
  let seen = null;
  await waitFor(async () => (seen = await workbench.cursorLine()) === line, `the cursor on line ${line} (it is on ${seen})`, 15000).catch(() => undefined);
  return seen;
}

/** Finds an item by name with the timeline's Find box and returns the details heading it selected. */
async function find(frame, query) {
  const input = frame.locator('input.find');
  await input.fill(query);
  await input.press('Enter');
  await frame.locator('.find-status', { hasText: / of \d+$/ }).waitFor();
}

export async function run({ workbench, page, workspace }) {
  const spansFile = join(workspace, 'shop-spans.jsonl');
  const traceFile = join(workspace, 'shop.trace');
  await captureFromShop(workspace, { 'shop.trace': 'trace?seconds=2' }, { spans: spansFile, folder: '.' });
  assert.match(readFileSync(traceFile).subarray(0, 16).toString('latin1'), /^go 1\.\d+ trace/);
  assert.ok(readFileSync(spansFile, 'utf8').split('\n').length > 20, 'the shop exported spans');

  // The execution trace, opened from Quick Open, lands in the timeline by its content.
  await workbench.openFile('shop.trace', { editor: 'webview' });
  const execFrame = workbench.webviewFrame();
  await execFrame.locator('.summary-text', { hasText: /Go 1\.\d+ execution trace/ }).waitFor({ timeout: 60000 });
  await execFrame.locator('.label-section', { hasText: /^▾?Goroutines \(\d+\)/ }).first().waitFor();
  await workbench.screenshot('timeline-execution-trace');

  // A region the shop records in formatLines (orders.go): find it, then click it on the canvas.
  await find(execFrame, 'formatLines');
  const heading = execFrame.locator('.side h2').first();
  await heading.filter({ hasText: 'Region formatLines' }).waitFor();
  const factValue = async (name) => execFrame.locator('.side dl.facts dt', { hasText: new RegExp(`^${name}$`) }).first().locator('xpath=following-sibling::dd[1]').innerText();
  const goroutine = /^G(\d+)/.exec(await factValue('Goroutine'))[0];
  const depth = Number(await factValue('Nesting depth'));
  await execFrame.locator('.lanes').focus();
  await page.keyboard.press('Escape');
  await execFrame.locator('.side .hint').waitFor();
  const lane = await execFrame.locator('.label-goroutine', { has: execFrame.locator('.label-text', { hasText: new RegExp(`^${goroutine}$`) }) }).first().boundingBox();
  const canvas = await execFrame.locator('.canvas-host canvas').boundingBox();
  assert.ok(lane && canvas, 'the goroutine lane and the canvas are on screen');
  // Regions sit under the 12-pixel state bar, one 13-pixel row per nesting level (execRows.ts).
  await page.mouse.click(canvas.x + canvas.width / 2, lane.y + 3 + 12 + 5 + depth * 13 + 5);
  await heading.filter({ hasText: 'Region formatLines' }).waitFor();
  await workbench.screenshot('timeline-region-selected');
  const frameButton = execFrame.locator('.stack button.frame', { has: execFrame.locator('.frame-func', { hasText: /^main\.formatLines$/ }) }).first();
  const where = await frameButton.locator('.frame-where').innerText();
  const [, file, line] = /^(.+):(\d+)$/.exec(where);
  assert.equal(file, 'orders.go');
  await frameButton.click();
  await page.locator('.tabs-container .tab.active', { hasText: 'orders.go' }).waitFor();
  assert.equal(await waitForCursorLine(workbench, Number(line)), Number(line), 'the editor opened at the frame\'s line');
  const source = readFileSync(join(workspace, 'orders.go'), 'utf8').split('\n');
  assert.match(source[Number(line) - 1], /trace\.StartRegion\(ctx, "formatLines"\)/, 'that line starts the region');

  // The span file through "Open Trace…" (code-server's file dialog takes a typed path).
  await openTraceByPath(workbench, page, spansFile);
  const spanFrame = workbench.webviewFrame();
  await spanFrame.locator('.summary-text', { hasText: /OTLP\/JSON · \d+ traces?/ }).waitFor({ timeout: 60000 });

  // The two files are from one run: spans are matched with the execution trace's tasks.
  const note = spanFrame.locator('.match-note');
  await note.filter({ hasText: /spans? matched with runtime\/trace tasks in shop\.trace/ }).waitFor({ timeout: 30000 });

  // A span of the gateway: click it, and open the function its name matches.
  await find(spanFrame, 'gateway.checkout');
  await spanFrame.locator('.side h2', { hasText: /^gateway\.checkout$/ }).waitFor();
  await spanFrame.locator('.lanes').focus();
  await page.keyboard.press('Escape');
  // Unselected first, so the selection below is the click's and not the search's.
  await spanFrame.locator('.side .details-body .hint').waitFor();
  const spanLabel = await spanFrame.locator('.label-span', { has: spanFrame.locator('.label-text', { hasText: /^gateway\.checkout$/ }) }).first().boundingBox();
  const spanCanvas = await spanFrame.locator('.canvas-host canvas').boundingBox();
  await page.mouse.click(spanCanvas.x + spanCanvas.width / 2, spanLabel.y + spanLabel.height / 2);
  await spanFrame.locator('.side h2', { hasText: /^gateway\.checkout$/ }).waitFor();
  const match = spanFrame.locator('.function-matches button', { hasText: /gateway\.checkout \(gateway\.go:\d+\)/ }).first();
  await match.waitFor({ timeout: 30000 });
  await workbench.screenshot('timeline-span-selected');
  const functionLine = Number(/gateway\.go:(\d+)/.exec(await match.innerText())[1]);
  const gateway = readFileSync(join(workspace, 'gateway.go'), 'utf8').split('\n');
  assert.match(gateway[functionLine - 1], /^func \(g \*gateway\) checkout\(/, 'the offered line declares the method');
  await match.click();
  await page.locator('.tabs-container .tab.active', { hasText: 'gateway.go' }).waitFor();
  assert.equal(await waitForCursorLine(workbench, functionLine), functionLine, 'the editor opened at the function');

  // Broken chains: the problems panel lists what the CLI finds in the same file (the shop's orphans and
  // extra roots come and go with timing: a span whose parent had not ended when the shop stopped).
  // The CLI exits 1 when it finds problems (0 when none); its JSON is on stdout either way.
  const cli = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'trace', 'summary', '--format', 'json', spansFile], { encoding: 'utf8' });
  assert.ok(cli.status === 0 || cli.status === 1, `trace summary failed: ${cli.stderr}`);
  const summary = JSON.parse(cli.stdout);
  assert.equal(cli.status, summary.problems.length > 0 ? 1 : 0);
  await page.locator('.tabs-container .tab', { hasText: 'shop-spans.jsonl' }).first().click();
  await spanFrame.locator('.tabs .tab', { hasText: `Problems (${summary.problems.length})` }).click();
  const problems = spanFrame.locator('.problem-list li');
  if (summary.problems.length === 0) {
    await spanFrame.locator('.problems-body', { hasText: 'No broken chains' }).waitFor();
  } else {
    await problems.first().waitFor();
    assert.equal(await problems.count(), summary.problems.length, 'one entry per problem the CLI finds');
    await problems.first().locator('button.problem-title').click();
    await spanFrame.locator('.label.highlighted').first().waitFor();
  }
  await workbench.screenshot('timeline-problems');

  // A matched span shows what its goroutines did, and its task opens in the execution trace's timeline.
  const findInput = spanFrame.locator('input.find');
  await findInput.fill('orders.create');
  let activity = false;
  for (let i = 0; i < 400 && !activity; i++) {
    const status = spanFrame.locator('.find-status');
    const before = await status.innerText();
    await findInput.press('Enter');
    await waitFor(async () => (await status.innerText()) !== before || i === 0, 'the next match');
    await spanFrame.locator('.side h2', { hasText: /^orders\.create$/ }).waitFor();
    activity = (await spanFrame.locator('.side .activity').count()) > 0;
  }
  assert.ok(activity, 'an orders.create span matched a runtime/trace task of the execution trace');
  const taskButton = spanFrame.locator('.side .activity button.link');
  assert.match(await taskButton.innerText(), /^Show task orders\.create in the execution trace$/);
  await taskButton.click();
  await page.locator('.tabs-container .tab.active', { hasText: 'shop.trace' }).waitFor();
  const execAgain = await timelineFrame(page, /execution trace/);
  await execAgain.locator('.side h2', { hasText: /^Task orders\.create$/ }).waitFor();
  await workbench.screenshot('timeline-task-of-span');

  // Span exports opened as text: their content puts "Open in Timeline" in the title bar, which opens it.
  const spansTab = page.locator('.tabs-container .tab', { hasText: 'shop-spans.jsonl' }).first();
  await spansTab.hover();
  await spansTab.locator('.tab-actions .action-label').click();
  await spansTab.waitFor({ state: 'detached' });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'shop-spans.jsonl' }).first().dblclick();
  await page.locator('.tabs-container .tab.active', { hasText: 'shop-spans.jsonl' }).waitFor();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
  const openInTimeline = page.locator('.editor-actions .action-item a[aria-label="Open in Timeline"]');
  await openInTimeline.click();
  await timelineFrame(page, /OTLP\/JSON · \d+ traces?/);
  await workbench.openFile('go.mod');
  await openInTimeline.waitFor({ state: 'detached' });
}
