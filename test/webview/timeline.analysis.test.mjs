// The timeline's Analysis view ("Goroutines & Latency") on a real Go execution trace (test/go/tracegen),
// in Chromium under the extension's CSP: its numbers equal the timeline core's summarizeGoroutines and
// transitionTable computed here for the same scope (the whole trace, a selected range, a goroutine
// group), the Goroutines table sorts and expands, a row shows its lanes or opens its code, a worst
// instance of a transition is revealed and selected on the timeline (the details panel shows that
// state), and the view's being open survives a reload.

/* global document */

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { canvasBox, fact, labelLocator, labelTexts, openTrace, rangeFigures, startTimeline, visibleRange, waitForValue } from './timelineHarness.mjs';

const require = createRequire(import.meta.url);
const { requireGo } = require('../helpers/goToolchain.ts');
const { writeRealTrace } = require('../helpers/traceModels.ts');
const traces = require('../../core/timeline/index.ts');
const { durationText } = require('../../media/timeline/timeFormat.ts');

/** The table's columns from a GoroutineExecStats, as the view documents them (analysisBreakdown.ts). */
function expectedColumns(stats, count) {
  let sync = 0;
  let network = 0;
  let otherWait = 0;
  for (const [reason, ns] of Object.entries(stats.blockNsByReason)) {
    if (reason === 'network') network += ns;
    else if (/chan|sync|select/.test(reason)) sync += ns;
    else otherWait += ns;
  }
  const gc = Object.values(stats.rangeNs).reduce((a, b) => a + b, 0);
  return { count, exec: stats.execNs, sched: stats.schedWaitNs, sync, network, syscall: stats.syscallNs + stats.syscallBlockNs, otherWait, gc, total: stats.totalNs };
}

/** The Goroutines table's rows: key, name and every column's exact number (data-value). */
async function breakdownRows(view, { children = false } = {}) {
  return view.page.evaluate((children) => {
    const rows = [...document.querySelectorAll(`.analysis tr.breakdown-row${children ? '.child-row' : ':not(.child-row)'}`)];
    return rows.map((tr) => {
      const values = {};
      for (const td of tr.querySelectorAll('td[data-column]')) values[td.dataset.column] = Number(td.dataset.value);
      return { key: tr.dataset.key, name: tr.querySelector('.row-name').textContent, values };
    });
  }, children);
}

/** The Latency table's rows: label, count, p50, p90, p99, max. */
async function latencyRows(view) {
  return view.page.evaluate(() =>
    [...document.querySelectorAll('.analysis tr.latency-row')].map((tr) => {
      const numbers = [...tr.querySelectorAll('td.num')].map((td) => Number(td.dataset.value));
      return { label: tr.dataset.label, count: numbers[0], p50Ns: numbers[1], p90Ns: numbers[2], p99Ns: numbers[3], maxNs: numbers[4] };
    }),
  );
}

function expectedGroups(analysis, only) {
  return analysis.groups.filter((g) => only === undefined || g.name === only).map((g) => ({ key: `group:${g.name}`, values: expectedColumns(g.stats, g.count) }));
}

function expectedLatency(table) {
  return table.kinds.map((k) => ({ label: k.label, count: k.count, p50Ns: k.p50Ns, p90Ns: k.p90Ns, p99Ns: k.p99Ns, maxNs: k.maxNs }));
}

/** Rows by key, for comparing without the display order. */
function byKey(rows) {
  return Object.fromEntries(rows.map((r) => [r.key, r.values]));
}

/** Waits until the Goroutines table shows exactly the expected rows (then compares them, for a readable diff). */
async function waitForBreakdown(view, expected, what) {
  const want = byKey(expected);
  const canonical = (rows) => JSON.stringify(Object.entries(rows).sort(([a], [b]) => (a < b ? -1 : 1)));
  let rows;
  try {
    rows = await waitForValue(async () => byKey(await breakdownRows(view)), (r) => canonical(r) === canonical(want), what, 5000);
  } catch {
    rows = byKey(await breakdownRows(view));
  }
  assert.deepEqual(rows, want, what);
}

async function openAnalysis(view) {
  await view.page.locator('button.analysis-toggle').click();
  await view.page.locator('.analysis tr.breakdown-row').first().waitFor();
}

/** The first frame of a stack outside the runtime: where "code" opens. */
function programFrame(model, stack) {
  return stack > 0 ? (traces.stackFrames(model, stack).find((f) => !/^runtime[./]/.test(f.func) && !f.func.startsWith('internal/')) ?? null) : null;
}

describe('timeline: the Analysis view (goroutines and latency)', () => {
  let timeline;
  let bytes;
  let model;
  let whole;
  before(async (t) => {
    if (!requireGo((reason) => t.skip(reason))) return;
    bytes = readFileSync(writeRealTrace({ rounds: 2 }).tracePath);
    model = traces.decodeExecutionTrace(bytes);
    whole = traces.summarizeGoroutines(model);
    timeline = await startTimeline();
  });
  after(async () => {
    await timeline?.close();
  });

  it('opens from the toolbar with go tool trace\'s numbers for the whole trace, and stays open across a reload', async () => {
    const view = await timeline.open();
    let saved;
    try {
      await openTrace(view, bytes, 'tracegen.out');
      const toggle = view.page.locator('button.analysis-toggle');
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      assert.equal(await view.page.locator('.analysis').isHidden(), true, 'closed until asked for');
      await openAnalysis(view);
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
      assert.equal(await view.page.locator('select.analysis-scope option:checked').innerText(), 'the whole trace');

      const rows = await breakdownRows(view);
      const expected = expectedGroups(whole);
      assert.ok(expected.length >= 3 && expected.some((g) => g.key === 'group:main.consume'), 'tracegen has several groups, main.consume among them');
      assert.deepEqual(byKey(rows), byKey(expected), 'each group\'s count and columns are the summary\'s');
      assert.deepEqual(rows.map((r) => r.key).slice(0, 3), expected.map((g) => g.key).slice(0, 3), 'by execution time, longest first (the core\'s order)');
      const consume = rows.find((r) => r.key === 'group:main.consume');
      assert.ok(consume.values.sync > 0 && consume.values.exec > 0, 'the consumers ran and blocked on their channel and mutex');
      // Durations read as the timeline writes them.
      const cell = view.page.locator('.analysis tr.breakdown-row[data-key="group:main.consume"] td[data-column="exec"]');
      assert.equal(await cell.innerText(), durationText(consume.values.exec));
      const header = view.page.locator('.analysis table.breakdown th[data-column="exec"]');
      assert.equal(await header.getAttribute('aria-sort'), 'descending');

      assert.deepEqual(await latencyRows(view), expectedLatency(traces.transitionTable(model)), 'every transition kind, in the core\'s order, with its count and percentiles');
      assert.equal((await latencyRows(view))[0].label, 'runnable → running (scheduler latency)');

      // The four profiles of the scope, as from the toolbar.
      const before = await view.postedCount();
      await view.page.locator('.analysis .trace-profiles button[data-profile="sched"]').click();
      assert.deepEqual(await view.waitForPosted((m) => m.type === 'traceProfile', { after: before }), { type: 'traceProfile', profile: 'sched', scopeLabel: 'the whole trace' });
      saved = await view.state();
      assert.equal(saved.analysisOpen, true);
      assert.deepEqual(await view.violations(), []);
      assert.deepEqual(view.consoleErrors, []);
    } finally {
      await view.close();
    }
    const reopened = await timeline.open({ state: saved });
    try {
      await openTrace(reopened, bytes, 'tracegen.out');
      await reopened.page.locator('.analysis tr.breakdown-row').first().waitFor();
      assert.equal(await reopened.page.locator('button.analysis-toggle').getAttribute('aria-pressed'), 'true');
      await reopened.page.locator('.analysis button', { hasText: 'Close' }).click();
      await reopened.page.locator('.analysis').waitFor({ state: 'hidden' });
      assert.equal((await reopened.state()).analysisOpen, false);
    } finally {
      await reopened.close();
    }
  });

  it('sorts by any column, expands a group to its goroutines, and its rows reveal lanes and open code', async () => {
    const view = await timeline.open();
    try {
      await openTrace(view, bytes, 'tracegen.out');
      await openAnalysis(view);
      const countHeader = view.page.locator('.analysis table.breakdown th[data-column="count"]');
      await countHeader.locator('button').click();
      assert.equal(await countHeader.getAttribute('aria-sort'), 'descending');
      assert.equal(await view.page.locator('.analysis table.breakdown th[data-column="exec"]').getAttribute('aria-sort'), 'none');
      let counts = (await breakdownRows(view)).map((r) => r.values.count);
      assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'most goroutines first');
      assert.ok(counts[0] > counts[counts.length - 1], 'the groups differ in size');
      await countHeader.locator('button').press('Enter');
      assert.equal(await countHeader.getAttribute('aria-sort'), 'ascending');
      counts = (await breakdownRows(view)).map((r) => r.values.count);
      assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'fewest first, from the keyboard');
      await view.page.locator('.analysis table.breakdown th.name button').click();
      const names = (await breakdownRows(view)).map((r) => r.name);
      assert.deepEqual(names, [...names].sort(), 'by name');

      // main.consume's goroutines, each with its own numbers.
      const group = whole.groups.find((g) => g.name === 'main.consume');
      const row = view.page.locator('.analysis tr.breakdown-row[data-key="group:main.consume"]');
      await row.locator('.twisty-button').click();
      assert.equal(await row.locator('.twisty-button').getAttribute('aria-expanded'), 'true');
      const children = await breakdownRows(view, { children: true });
      const expectedChildren = group.goroutines.map((i) => whole.goroutines[i]).map((g) => ({ key: `g:${g.row}`, values: expectedColumns(g.stats, 1) }));
      assert.deepEqual(byKey(children), byKey(expectedChildren));
      assert.deepEqual(children.map((c) => c.name).sort(), group.goroutines.map((i) => `G${whole.goroutines[i].id}`).sort());

      // A goroutine row shows its lane with a state selected.
      const child = whole.goroutines[group.goroutines[0]];
      await view.page.locator('.analysis tr.child-row', { has: view.page.locator('.row-name', { hasText: new RegExp(`^G${child.id}$`) }) }).locator('.row-name').click();
      await view.page.locator('.side h2', { hasText: `G${child.id} main.consume` }).waitFor();
      await labelLocator(view, 'goroutine', `G${child.id}`).waitFor();

      // The group's name reveals its lanes: it expands the collapsed group and scrolls to it.
      await view.page.locator('.toolbar button', { hasText: 'Collapse Groups' }).click();
      await view.page.locator('.lanes').evaluate((lanes) => {
        lanes.scrollTop = 0;
      });
      await row.locator('.row-name').click();
      await waitForValue(() => labelLocator(view, 'group', 'main.consume').getAttribute('aria-expanded'), (v) => v === 'true', 'the timeline group expanded and in view');
      const memberLabels = new Set(group.goroutines.map((i) => `G${whole.goroutines[i].id}`));
      await waitForValue(() => labelTexts(view, 'goroutine'), (labels) => labels.some((l) => memberLabels.has(l)), 'lanes of main.consume in view');
      const before = await view.postedCount();
      await row.locator('button.open-code').click();
      const opened = await view.waitForPosted((m) => m.type === 'openSource', { after: before });
      assert.equal(opened.functionName, 'main.consume');
      assert.ok(opened.file.endsWith('test/go/tracegen/main.go'), opened.file);
      const source = readFileSync(opened.file, 'utf8').split('\n');
      assert.match(source[opened.line - 1], /^func consume\(/, 'the line where main.consume begins');
    } finally {
      await view.close();
    }
  });

  it('for a selected range and for a goroutine group, the tables are the core\'s for that scope', async () => {
    const view = await timeline.open();
    try {
      await openTrace(view, bytes, 'tracegen.out');
      await openAnalysis(view);
      const box = await canvasBox(view);
      await view.page.keyboard.down('Shift');
      await view.page.mouse.move(box.x + box.width * 0.25, box.y + 100);
      await view.page.mouse.down();
      await view.page.mouse.move(box.x + box.width * 0.6, box.y + 110, { steps: 6 });
      await view.page.mouse.up();
      await view.page.keyboard.up('Shift');
      await view.page.locator('.range-panel h2').waitFor();
      const { From: from, To: to } = await rangeFigures(view);
      const scope = view.page.locator('select.analysis-scope');
      const rangeLabel = `the range ${durationText(from - model.startNs)}–${durationText(to - model.startNs)}`;
      await scope.selectOption({ label: rangeLabel });
      const clipped = traces.summarizeGoroutines(model, { from, to });
      await waitForBreakdown(view, expectedGroups(clipped), 'the groups within the range');
      assert.deepEqual(await latencyRows(view), expectedLatency(traces.transitionTable(model, { from, to })));
      const before = await view.postedCount();
      await view.page.locator('.analysis .trace-profiles button[data-profile="sync"]').click();
      assert.deepEqual(await view.waitForPosted((m) => m.type === 'traceProfile', { after: before }), { type: 'traceProfile', profile: 'sync', scope: { fromNs: from, toNs: to }, scopeLabel: rangeLabel });

      // Select a consumer's state on the timeline: its group becomes a scope.
      await view.page.keyboard.press('Escape');
      await scope.selectOption({ label: 'the whole trace' });
      const consume = whole.groups.find((g) => g.name === 'main.consume');
      await view.page.locator('.analysis tr.breakdown-row[data-key="group:main.consume"] .twisty-button').click();
      const member = whole.goroutines[consume.goroutines[0]];
      await view.page.locator('.analysis tr.child-row', { has: view.page.locator('.row-name', { hasText: new RegExp(`^G${member.id}$`) }) }).locator('.row-name').click();
      await view.page.locator('.side h2', { hasText: new RegExp(`^G${member.id} `) }).waitFor();
      await scope.selectOption({ label: 'goroutines starting in main.consume' });
      await waitForBreakdown(view, expectedGroups(whole, 'main.consume'), 'only main.consume');
      assert.deepEqual(await latencyRows(view), expectedLatency(traces.transitionTable(model, { group: 'main.consume' })));
      // The scope stays when the selection moves on.
      await view.page.keyboard.press('Escape');
      assert.equal(await view.page.locator('select.analysis-scope option:checked').innerText(), 'goroutines starting in main.consume');
    } finally {
      await view.close();
    }
  });

  it('a worst instance of a transition is shown and selected on the timeline, and its code opens', async () => {
    const table = traces.transitionTable(model);
    const kind = table.kinds.find((k) => k.label === 'runnable → running (scheduler latency)');
    assert.ok(kind && kind.worst.length > 0);
    const worst = kind.worst[0];
    const view = await timeline.open();
    try {
      await openTrace(view, bytes, 'tracegen.out');
      await openAnalysis(view);
      const row = view.page.locator('.analysis tr.latency-row', { has: view.page.locator('.row-name', { hasText: kind.label }) });
      await row.locator('.twisty-button').click();
      const instances = view.page.locator('.analysis tr.instance-row');
      assert.equal(await instances.count(), kind.worst.length);
      assert.deepEqual(
        await instances.evaluateAll((trs) => trs.map((tr) => [Number(tr.dataset.startEvent), Number(tr.querySelector('td.num').dataset.value)])),
        kind.worst.map((i) => [i.startEvent, i.durationNs]),
        'the worst instances, longest first',
      );
      await instances.first().locator('button.instance').click();
      const name = model.strings[model.goroutines.startFunction[worst.goroutine]];
      await view.page.locator('.side h2', { hasText: `G${worst.goroutineId}${name ? ` ${name}` : ''}` }).waitFor();
      // The timeline's runnable interval that the instance left (with the reason it stopped for, if any).
      const st = model.goroutineStates;
      let interval = -1;
      for (let i = st.laneOffsets[worst.goroutine]; i < st.laneOffsets[worst.goroutine + 1]; i++) if (st.startEvent[i] === worst.startEvent) interval = i;
      assert.ok(interval >= 0 && st.start[interval] === worst.startNs && st.end[interval] === worst.endNs, 'the timeline has the instance as one state interval');
      const reason = model.strings[st.reason[interval]];
      assert.equal(await fact(view, 'State'), reason ? `runnable (${reason})` : 'runnable');
      assert.equal(await fact(view, 'Duration'), durationText(worst.durationNs));
      assert.equal(await view.page.locator('.side .event-line').first().innerText(), traces.describeEvent(model, worst.startEvent).split('\n')[0], 'the event that made it runnable');
      const [start, end] = await visibleRange(view);
      assert.ok(start <= worst.startNs && end >= worst.endNs && end - start < worst.durationNs * 3, `the view shows the instance: ${start}..${end}`);
      await labelLocator(view, 'goroutine', `G${worst.goroutineId}`).waitFor();

      const frame = programFrame(model, worst.stack);
      const code = instances.first().locator('button.open-code');
      if (frame) {
        const before = await view.postedCount();
        await code.click();
        assert.deepEqual(await view.waitForPosted((m) => m.type === 'openSource', { after: before }), { type: 'openSource', file: frame.file, line: frame.line, functionName: frame.func });
      } else {
        assert.equal(await code.isDisabled(), true);
      }
    } finally {
      await view.close();
    }
  });

  it('tasks and region types get the same breakdown', async () => {
    const view = await timeline.open();
    try {
      await openTrace(view, bytes, 'tracegen.out');
      await openAnalysis(view);
      await view.page.locator('.analysis .grouping button', { hasText: 'by region' }).click();
      assert.equal(await view.page.locator('.analysis .grouping button', { hasText: 'by region' }).getAttribute('aria-pressed'), 'true');
      // tracegen nests no region in one of its own type, so each type's row is the sum of its regions.
      const types = new Map();
      for (const r of whole.regions) {
        const list = types.get(r.name) ?? [];
        assert.ok(!list.some((o) => o.goroutine === r.goroutine && o.startNs <= r.startNs && r.endNs <= o.endNs), `no ${r.name} region inside another`);
        list.push(r);
        types.set(r.name, list);
      }
      assert.ok(types.has('consume item') && types.has('critical section'));
      const expected = [...types].map(([name, list]) => ({ key: `region:${name}`, values: expectedColumns(traces.sumStats(list.map((r) => r.stats)), list.length) }));
      await waitForBreakdown(view, expected, 'one row per region type');

      await view.page.locator('.analysis .grouping button', { hasText: 'by task' }).click();
      // A task's regions nest on a goroutine ("critical section" inside "consume item"): only the outermost count.
      const outermost = (list) => list.filter((r) => !list.some((o) => o !== r && o.goroutine === r.goroutine && o.startNs <= r.startNs && r.endNs <= o.endNs));
      const byTask = whole.tasks
        .map((t) => ({ t, list: outermost(whole.regions.filter((r) => r.taskId === t.id)) }))
        .filter(({ list }) => list.length > 0)
        .map(({ t, list }) => ({ key: `task:${t.id}`, values: expectedColumns(traces.sumStats(list.map((r) => r.stats)), list.length) }));
      assert.ok(byTask.length > 0, 'tracegen has tasks with regions');
      await waitForBreakdown(view, byTask, 'one row per task with regions');
    } finally {
      await view.close();
    }
  });
});
