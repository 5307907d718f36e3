// The timeline webview on a real Go execution trace (test/go/tracegen, built with the installed Go), in
// Chromium under the extension's CSP: the trace is decoded in a worker, the lanes are the model's, a
// click on a goroutine state shows its events and stacks and a frame posts the right file and line,
// W/A/S/D, Ctrl+wheel, dragging and the minimap move the view, a selected range's statistics equal the
// model's, groups collapse and sort, the state survives a reload, the theme is followed, and traces the
// decoder refuses show the decoder's message.

/* global window, document, requestAnimationFrame */

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { LIGHT_THEME } from './lib/browser.mjs';
import { canvasBox, fact, find, labelBox, labelLocator, labelTexts, openTrace, pixels, postTrace, rangeFigures, startTimeline, visibleRange, waitForRange, waitForValue, xOfTime } from './timelineHarness.mjs';

const require = createRequire(import.meta.url);
const { requireGo, REPO_ROOT } = require('../helpers/goToolchain.ts');
const { writeRealTrace } = require('../helpers/traceModels.ts');
const traces = require('../../core/timeline/index.ts');

const STATE_NAMES = { 2: 'runnable', 3: 'running', 4: 'waiting', 5: 'in syscall' };

/** Go's grouping as the timeline does it: start function, else the runtime's label. */
function groupName(model, g) {
  return model.strings[model.goroutines.startFunction[g]] || model.strings[model.goroutines.label[g]] || '(no start function in the trace)';
}

/** Range statistics computed the plain way, to check the webview's. */
function bruteForceStats(model, t0, t1) {
  const s = model.goroutineStates;
  const byState = { 2: 0, 3: 0, 4: 0, 5: 0 };
  const ran = new Set();
  for (let i = 0; i < s.count; i++) {
    const overlap = Math.min(s.end[i], t1) - Math.max(s.start[i], t0);
    if (overlap <= 0) continue;
    byState[s.state[i]] += overlap;
    if (s.state[i] === 3) ran.add(s.goroutine[i]);
  }
  let events = 0;
  for (let i = 0; i < model.events.count; i++) if (model.events.time[i] >= t0 && model.events.time[i] < t1) events++;
  let gc = 0;
  const r = model.ranges;
  const marks = [];
  for (let i = 0; i < r.count; i++) if (r.scopeKind[i] === 0 && r.category[i] === 1) marks.push([r.start[i], r.end[i]]);
  marks.sort((a, b) => a[0] - b[0]);
  let covered = -Infinity;
  for (const [start, end] of marks) {
    gc += Math.max(0, Math.min(end, t1) - Math.max(Math.max(start, covered), t0));
    covered = Math.max(covered, end);
  }
  return { running: byState[3], runnable: byState[2], waiting: byState[4], syscall: byState[5], events, goroutinesRan: ran.size, gc };
}

describe('timeline: a real execution trace', () => {
  let timeline;
  let trace;
  let bytes;
  let model;
  before(async (t) => {
    if (!requireGo((reason) => t.skip(reason))) return;
    trace = writeRealTrace({ rounds: 2 });
    bytes = readFileSync(trace.tracePath);
    model = traces.decodeExecutionTrace(bytes);
    timeline = await startTimeline();
  });
  after(async () => {
    await timeline?.close();
  });

  it('decodes in a worker and shows the model\'s lanes, groups and counts', async () => {
    const view = await timeline.open();
    try {
      const loaded = await openTrace(view, bytes, 'tracegen.out');
      assert.equal(loaded.type, 'loaded');
      assert.equal(loaded.kind, 'go-execution-trace');
      const workers = view.page.workers();
      assert.equal(workers.length, 1, 'one decoding worker');
      assert.match(workers[0].url(), /^blob:/, 'started from a blob of the worker bundle');
      const decode = (await view.posted()).find((m) => m.type === 'metrics' && m.name === 'timeline.decodeMs');
      assert.ok(decode && decode.value > 0, 'the worker reported its decoding time');

      const summary = await view.text('.summary-text');
      assert.ok(summary.includes(`${model.events.count.toLocaleString('en-US')} events`), summary);
      assert.ok(summary.includes(`${model.goroutines.count} goroutines`) && summary.includes(`${model.procs.count} Ps`) && summary.includes(`${model.tasks.count} tasks`), summary);
      assert.ok(summary.startsWith(`Go ${model.goVersion} execution trace`), summary);

      const sections = await labelTexts(view, 'section');
      assert.deepEqual(sections, [`Processors (${model.procs.count})`, `Tasks (${model.tasks.count})`, `Goroutines (${model.goroutines.count})`]);
      const procs = await labelTexts(view, 'lane');
      for (let p = 0; p < model.procs.count; p++) assert.ok(procs.includes(`P${model.procs.id[p]}`), `P${model.procs.id[p]} has a lane`);

      // Groups by start function, busiest first, as go tool trace groups goroutines.
      const busy = new Map();
      for (let g = 0; g < model.goroutines.count; g++) {
        const name = groupName(model, g);
        busy.set(name, (busy.get(name) ?? 0) + model.goroutines.runningNs[g] + model.goroutines.syscallNs[g]);
      }
      const expectedGroups = [...busy].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
      const groups = await labelTexts(view, 'group');
      assert.deepEqual(groups, expectedGroups.slice(0, groups.length), 'groups in order of busy time');
      assert.ok(groups.length >= 3, 'several groups are in view');
      assert.deepEqual(await view.violations(), []);
      assert.deepEqual(view.consoleErrors, []);
    } finally {
      await view.close();
    }
  });

  it('keeps the UI thread free while the worker decodes', async (t) => {
    if (!requireGo((reason) => t.skip(reason))) return;
    const big = readFileSync(writeRealTrace({ rounds: 25, workers: 8 }).tracePath);
    const view = await timeline.open();
    try {
      // Count animation frames from the post until the worker's model arrives (decodeMs is posted then).
      const frames = view.page.evaluate(() => {
        const gaps = [];
        let last = performance.now();
        return new Promise((resolve) => {
          const tick = (now) => {
            gaps.push(now - last);
            last = now;
            if (window.__webviewTest.posted.some((m) => m.name === 'timeline.decodeMs')) resolve(gaps);
            else requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        });
      });
      await postTrace(view, big, 'big.out');
      const gaps = await frames;
      const decode = (await view.posted()).find((m) => m.name === 'timeline.decodeMs').value;
      assert.ok(decode > 150, `a trace big enough to notice (${decode.toFixed(0)} ms to decode)`);
      // Decoding on the UI thread would freeze it for the whole decode: one gap as long as decodeMs. A busy
      // machine delays frames too, but never by most of the decode while the worker does the work.
      const longest = Math.max(...gaps.slice(1));
      assert.ok(gaps.length >= 4 && longest < decode * 0.75, `the page kept drawing while the worker decoded for ${decode.toFixed(0)} ms (${gaps.length} frames, longest gap ${longest.toFixed(0)} ms)`);
    } finally {
      await view.close();
    }
  });

  it('a click on a goroutine state shows its events and stacks, and a frame posts its file and line', async () => {
    // A goroutine of the busiest group whose first interval began with an event that has a stack.
    const s = model.goroutineStates;
    let target = -1;
    for (let g = 0; g < model.goroutines.count && target < 0; g++) {
      if (groupName(model, g) !== 'main.consume') continue;
      const first = s.laneOffsets[g];
      if (first < s.laneOffsets[g + 1] && s.startEvent[first] >= 0 && model.events.stack[s.startEvent[first]] > 0) target = g;
    }
    assert.ok(target >= 0, 'tracegen has such a goroutine');
    const interval = s.laneOffsets[target];
    const id = model.goroutines.id[target];
    const view = await timeline.open();
    try {
      await openTrace(view, bytes, 'tracegen.out');
      assert.match(await find(view, `G${id}`), /^1 of 1$/);
      await view.page.locator('.lanes').focus();
      await view.page.keyboard.press('Escape');
      await view.page.locator('.side .hint').waitFor();
      // Find scrolled the goroutine's lane into view; its label is drawn on the next frame.
      const lane = await labelBox(view, 'goroutine', `G${id}`);
      const x = await xOfTime(view, (s.start[interval] + s.end[interval]) / 2);
      await view.page.mouse.click(x, lane.y + 9);
      await view.page.locator('.side h2', { hasText: `G${id} main.consume` }).waitFor();
      const reason = model.strings[s.reason[interval]];
      assert.equal(await fact(view, 'State'), reason ? `${STATE_NAMES[s.state[interval]]} (${reason})` : STATE_NAMES[s.state[interval]]);
      const eventLine = traces.describeEvent(model, s.startEvent[interval]).split('\n')[0];
      assert.equal(await view.page.locator('.side .event-line').first().innerText(), eventLine, 'the event as go tool trace -d=1 prints it');

      const frames = traces.stackFrames(model, model.events.stack[s.startEvent[interval]]);
      const stack = view.page.locator('.side .stack').first();
      assert.deepEqual(await stack.locator('.frame-func').allInnerTexts(), frames.map((f) => f.func));
      const pick = frames.findIndex((f) => f.func.startsWith('main.'));
      assert.ok(pick >= 0, 'the stack has a frame of the program');
      const before = await view.postedCount();
      await stack.locator('button.frame').nth(pick).click();
      const opened = await view.waitForPosted((m) => m.type === 'openSource', { after: before });
      assert.deepEqual(opened, { type: 'openSource', file: frames[pick].file, line: frames[pick].line, functionName: frames[pick].func });
      assert.ok(opened.file.endsWith('test/go/tracegen/main.go'));

      // The goroutine's group can be looked at on the code: its scheduler latency, from the trace.
      const group = view.page.locator('.side .trace-profiles', { hasText: 'goroutines starting in main.consume' });
      const beforeProfile = await view.postedCount();
      await group.locator('button[data-profile="sched"]').click();
      assert.deepEqual(await view.waitForPosted((m) => m.type === 'traceProfile', { after: beforeProfile }), {
        type: 'traceProfile',
        profile: 'sched',
        scope: { goroutineName: 'main.consume' },
        scopeLabel: 'goroutines starting in main.consume',
      });

      // The tooltip names the goroutine and its state.
      await view.page.mouse.move(x, lane.y + 9);
      await view.page.locator('.tooltip .tooltip-title', { hasText: `G${id} main.consume` }).waitFor();
    } finally {
      await view.close();
    }
  });

  it('a double-click on a region opens the program\'s frame of its stack', async () => {
    const r = model.regions;
    const region = [...Array(r.count).keys()].find((i) => model.strings[r.name[i]] === 'consume item');
    assert.ok(region !== undefined);
    const frames = traces.stackFrames(model, model.events.stack[r.startEvent[region]]);
    const expected = frames.find((f) => !/^runtime[./]/.test(f.func));
    const view = await timeline.open();
    try {
      await openTrace(view, bytes, 'tracegen.out');
      await find(view, 'consume item');
      await view.page.locator('.side h2', { hasText: 'Region consume item' }).waitFor();
      const goroutine = /^G\d+/.exec(await fact(view, 'Goroutine'))[0];
      const depth = Number(await fact(view, 'Nesting depth'));
      const [start, end] = await visibleRange(view);
      const lane = await labelBox(view, 'goroutine', goroutine);
      const box = await canvasBox(view);
      const before = await view.postedCount();
      await view.page.mouse.dblclick(box.x + box.width / 2, lane.y + 3 + 12 + 5 + depth * 13 + 5);
      const opened = await view.waitForPosted((m) => m.type === 'openSource', { after: before });
      assert.deepEqual(opened, { type: 'openSource', file: expected.file, line: expected.line, functionName: expected.func });
      assert.ok(end - start < model.endNs - model.startNs, 'Find zoomed in on the region');
    } finally {
      await view.close();
    }
  });

  it('W/S zoom and A/D pan; Ctrl+wheel zooms at the pointer; dragging pans; the minimap moves the view', async () => {
    const view = await timeline.open();
    try {
      await openTrace(view, bytes, 'tracegen.out');
      const full = [model.startNs, Math.max(model.endNs, model.startNs + 1000)];
      assert.deepEqual(await visibleRange(view), full, 'the whole trace at first');
      const box = await canvasBox(view);
      await view.page.mouse.move(box.x + box.width / 2, box.y + 40);
      await view.page.keyboard.down('w');
      const zoomed = await waitForRange(view, ([s, e]) => e - s < (full[1] - full[0]) / 4, 'a quarter of the trace');
      await view.page.keyboard.up('w');
      const figures = await view.waitForPosted((m) => m.type === 'metrics' && m.name === 'timeline.keyboard.frames');
      assert.ok(figures.value >= 2, 'W animates over several frames');

      const width = zoomed[1] - zoomed[0];
      await view.page.keyboard.down('d');
      const right = await waitForRange(view, ([s]) => s > zoomed[0] + width / 4, 'panned right');
      await view.page.keyboard.up('d');
      await view.page.keyboard.down('a');
      await waitForRange(view, ([s]) => s < right[0] - width / 4, 'panned left');
      await view.page.keyboard.up('a');
      await view.page.keyboard.down('s');
      await waitForRange(view, ([s, e]) => e - s >= full[1] - full[0], 'all of the trace');
      await view.page.keyboard.up('s');

      // Ctrl+wheel zooms around the pointer: the time under it stays under it.
      const pointerX = box.x + box.width * 0.3;
      const [s0, e0] = await visibleRange(view);
      const anchor = s0 + 0.3 * (e0 - s0);
      await view.page.mouse.move(pointerX, box.y + 40);
      await view.page.keyboard.down('Control');
      await view.page.mouse.wheel(0, -400);
      await view.page.keyboard.up('Control');
      const [s1, e1] = await waitForRange(view, ([s, e]) => e - s < (e0 - s0) * 0.8, 'zoomed in by the wheel');
      assert.ok(Math.abs(s1 + 0.3 * (e1 - s1) - anchor) < (e1 - s1) * 0.01, 'the time under the pointer stayed there');

      // Dragging to the left shows later times.
      await view.page.mouse.move(box.x + box.width * 0.6, box.y + 60);
      await view.page.mouse.down();
      await view.page.mouse.move(box.x + box.width * 0.4, box.y + 60, { steps: 5 });
      await view.page.mouse.up();
      // The range is published on a later frame (an earlier one can show a step of the drag): wait for
      // the view to have moved by the whole dragged distance.
      const [s2, e2] = await waitForRange(view, ([s]) => Math.abs(s - (s1 + 0.2 * (e1 - s1))) < (e1 - s1) * 0.01, 'moved by the dragged distance');
      assert.ok(Math.abs(e2 - s2 - (e1 - s1)) < 1, 'dragging keeps the zoom');

      // A click on the minimap centres the view there.
      const minimap = await view.page.locator('.minimap-host canvas').boundingBox();
      await view.page.mouse.click(minimap.x + minimap.width * 0.75, minimap.y + minimap.height / 2);
      const [s3, e3] = await waitForRange(view, ([s, e]) => Math.abs((s + e) / 2 - (full[0] + 0.75 * (full[1] - full[0]))) < (full[1] - full[0]) * 0.01, 'centred at 75%');
      assert.ok(Math.abs(e3 - s3 - (e2 - s2)) < 1);
      await view.page.keyboard.press('0');
      await waitForRange(view, ([s, e]) => s === full[0] && e === full[1], 'the whole trace after 0');
    } finally {
      await view.close();
    }
  });

  it('Shift+drag selects a range whose statistics equal the model\'s', async () => {
    const view = await timeline.open();
    try {
      await openTrace(view, bytes, 'tracegen.out');
      const box = await canvasBox(view);
      await view.page.keyboard.down('Shift');
      await view.page.mouse.move(box.x + box.width * 0.3, box.y + 100);
      await view.page.mouse.down();
      await view.page.mouse.move(box.x + box.width * 0.62, box.y + 120, { steps: 6 });
      await view.page.mouse.up();
      await view.page.keyboard.up('Shift');
      await view.page.locator('.range-panel h2').waitFor();
      const figures = await rangeFigures(view);
      const t0 = figures.From;
      const t1 = figures.To;
      const [start, end] = await visibleRange(view);
      assert.ok(Math.abs(t0 - (start + 0.3 * (end - start))) < (end - start) * 0.005 && Math.abs(t1 - (start + 0.62 * (end - start))) < (end - start) * 0.005, 'the range is where the mouse went');
      const expected = bruteForceStats(model, t0, t1);
      assert.equal(figures.Events, expected.events);
      assert.equal(figures['Goroutines that ran'], expected.goroutinesRan);
      assert.equal(figures.Running, expected.running);
      assert.equal(figures.Runnable, expected.runnable);
      assert.equal(figures.Waiting, expected.waiting);
      assert.equal(figures['In syscalls'], expected.syscall);
      assert.equal(figures['GC mark'], expected.gc);
      assert.ok(expected.running > 0 && expected.events > 0, 'a range with activity');

      // The range's sync blocking on the code: the host is asked for exactly this range of the trace.
      const beforeProfile = await view.postedCount();
      await view.page.locator('.range-panel .trace-profiles button[data-profile="sync"]').click();
      const asked = await view.waitForPosted((m) => m.type === 'traceProfile', { after: beforeProfile });
      assert.equal(asked.profile, 'sync');
      assert.deepEqual(asked.scope, { fromNs: t0, toNs: t1 });
      // The whole trace from the toolbar's menu.
      const beforeMenu = await view.postedCount();
      await view.page.locator('select.trace-profile-menu').selectOption('net');
      assert.deepEqual(await view.waitForPosted((m) => m.type === 'traceProfile', { after: beforeMenu }), { type: 'traceProfile', profile: 'net', scopeLabel: 'the whole trace' });

      // F zooms to the range; Escape clears it.
      await view.page.keyboard.press('f');
      const [z0, z1] = await waitForRange(view, ([s, e]) => e - s < (t1 - t0) * 1.2, 'the range');
      assert.ok(z0 <= t0 && z1 >= t1);
      await view.page.keyboard.press('Escape');
      await view.page.locator('.range-panel').waitFor({ state: 'hidden' });
    } finally {
      await view.close();
    }
  });

  it('groups collapse and goroutines sort by busy time or ID; both survive a reload with the view', async () => {
    const view = await timeline.open();
    let saved;
    try {
      await openTrace(view, bytes, 'tracegen.out');
      const group = labelLocator(view, 'group', 'main.consume');
      const members = [];
      for (let g = 0; g < model.goroutines.count; g++) if (groupName(model, g) === 'main.consume') members.push(g);
      const byBusy = [...members].sort((a, b) => model.goroutines.runningNs[b] + model.goroutines.syscallNs[b] - (model.goroutines.runningNs[a] + model.goroutines.syscallNs[a]) || model.goroutines.id[a] - model.goroutines.id[b]);
      const goroutineLabels = async () => (await labelTexts(view, 'goroutine')).filter((text) => members.some((g) => `G${model.goroutines.id[g]}` === text));
      const shown = await goroutineLabels();
      assert.deepEqual(shown, byBusy.slice(0, shown.length).map((g) => `G${model.goroutines.id[g]}`), 'busiest first');

      await view.page.locator('select.sort').selectOption('id');
      const byId = [...members].sort((a, b) => model.goroutines.id[a] - model.goroutines.id[b]).map((g) => `G${model.goroutines.id[g]}`);
      // The busiest goroutine can also be the first by ID: wait for the whole visible order to be by ID.
      const inIdOrder = (list) => list.length > 0 && list.every((text, i) => text === byId[i]);
      await waitForValue(goroutineLabels, inIdOrder, 'goroutines sorted by ID');

      await group.click();
      await waitForValue(() => group.getAttribute('aria-expanded'), (v) => v === 'false', 'the main.consume group collapsed');
      assert.deepEqual(await goroutineLabels(), [], 'the collapsed group shows no lanes');
      await view.page.keyboard.down('w');
      await waitForRange(view, ([s, e]) => e - s < (model.endNs - model.startNs) / 2, 'zoomed');
      await view.page.keyboard.up('w');
      await view.waitForPosted((m) => m.name === 'timeline.keyboard.frames');
      saved = await view.state();
      assert.deepEqual(saved.sortBy, 'id');
      assert.ok(saved.collapsedGroups.includes('main.consume'));
    } finally {
      await view.close();
    }
    const reopened = await timeline.open({ state: saved });
    try {
      await openTrace(reopened, bytes, 'tracegen.out');
      // The same view, to well under a nanosecond (the range is recomputed in floating point).
      const [start, end] = await visibleRange(reopened);
      assert.ok(Math.abs(start - saved.viewStart) < 0.5 && Math.abs(end - saved.viewEnd) < 0.5, `the same view: ${start}..${end} vs ${saved.viewStart}..${saved.viewEnd}`);
      assert.equal(await reopened.page.locator('select.sort').inputValue(), 'id');
      await labelLocator(reopened, 'group', 'main.consume').waitFor();
      assert.equal(await labelLocator(reopened, 'group', 'main.consume').getAttribute('aria-expanded'), 'false');
    } finally {
      await reopened.close();
    }
  });

  it('tasks and logs: Find selects them, and the host can reveal a task by ID', async () => {
    const t = model.tasks;
    const task = [...Array(t.count).keys()].find((i) => !Number.isNaN(t.start[i]) && !Number.isNaN(t.end[i]) && t.parent[i] >= 0);
    assert.ok(task !== undefined, 'tracegen has nested tasks');
    const view = await timeline.open();
    try {
      await openTrace(view, bytes, 'tracegen.out');
      await view.post({ type: 'revealTask', taskId: t.id[task], spanName: model.strings[t.name[task]] });
      await view.page.locator('.side h2', { hasText: `Task ${model.strings[t.name[task]]}` }).waitFor();
      assert.equal(await fact(view, 'Task ID'), String(t.id[task]));
      const [start, end] = await visibleRange(view);
      assert.ok(start <= t.start[task] && end >= t.end[task] && end - start < (t.end[task] - t.start[task]) * 2, 'the view shows the task');
      const parentName = model.strings[t.name[t.parent[task]]];
      await view.page.locator('.side button.link', { hasText: parentName }).click();
      await view.page.locator('.side h2', { hasText: `Task ${parentName}` }).waitFor();

      const l = model.logs;
      const log = 0;
      const status = await find(view, model.strings[l.message[log]]);
      assert.match(status, /^1 of \d+$/);
      await view.page.locator('.side .log-message', { hasText: model.strings[l.message[log]] }).first().waitFor();
      assert.equal(await find(view, 'no such name anywhere'), 'No match');
    } finally {
      await view.close();
    }
  });

  it('follows the theme: colours are read again when VS Code switches themes', async () => {
    const view = await timeline.open();
    try {
      await openTrace(view, bytes, 'tracegen.out');
      const axis = await view.page.locator('.axis-host canvas').boundingBox();
      const point = [[axis.width / 2, 1]];
      assert.deepEqual(await pixels(view, '.axis-host', point), ['#1e1e1e'], 'the dark editor background');
      await view.setTheme(LIGHT_THEME);
      await view.page.waitForFunction(() => {
        const canvas = document.querySelector('.axis-host canvas');
        const [r, g, b] = canvas.getContext('2d').getImageData(Math.floor(canvas.width / 2), 1, 1, 1).data;
        return r === 255 && g === 255 && b === 255;
      });
    } finally {
      await view.close();
    }
  });

  it('shows the decoder\'s message for traces it refuses, and offers text for JSON that is no trace', async () => {
    const cases = [
      { name: 'go1.19.out', bytes: readFileSync(`${REPO_ROOT}/test/fixtures/traces/go1.19-runtime-trace.out`), code: 'trace-too-old', offer: false },
      { name: 'newer.trace', bytes: Buffer.concat([Buffer.from('go 1.99 trace\0\0\0', 'latin1'), Buffer.alloc(64, 1)]), code: 'unsupported-trace-version', offer: false },
      { name: 'photo.trace', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), code: 'not-an-execution-trace', offer: true },
      { name: 'settings.json', bytes: Buffer.from('{"editor.fontSize": 14}'), code: 'unknown-span-format', offer: true },
    ];
    for (const c of cases) {
      let expected;
      try {
        if (traces.detectTraceFormat(c.bytes) === 'go-execution-trace' || c.code === 'not-an-execution-trace') traces.decodeExecutionTrace(c.bytes);
        else traces.parseSpanTrace(c.bytes.toString('utf8'));
      } catch (error) {
        expected = error;
      }
      assert.equal(expected?.code, c.code, `${c.name}: the core refuses it`);
      if (c.code === 'trace-too-old') assert.match(expected.message, /This trace is from Go 1\.19; re-capture with Go 1\.22 or later/);
      if (c.code === 'unsupported-trace-version') assert.match(expected.message, /Go 1\.99/);
      const view = await timeline.open();
      try {
        const outcome = await openTrace(view, c.bytes, c.name);
        assert.deepEqual(outcome, { type: 'failed', code: c.code, message: expected.message });
        assert.equal(await view.text('.empty-message'), expected.message);
        const offer = view.page.getByRole('button', { name: 'Open as Text' });
        assert.equal(await offer.isVisible(), c.offer, `${c.name}: Open as Text offered`);
        if (c.offer) {
          await offer.click();
          await view.waitForPosted((m) => m.type === 'openAsText');
        }
      } finally {
        await view.close();
      }
    }
  });
});
