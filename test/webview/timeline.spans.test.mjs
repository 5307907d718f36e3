// The timeline webview on span traces, in Chromium under the extension's CSP: the problems panel lists
// what the core found and highlights each problem's spans; a span's details (attributes, events, links,
// status, resource) are the file's; spans with code attributes (current and older names) open their
// code, others offer the workspace functions the host finds; subtrees collapse and spans group by
// service; many traces start collapsed; a range's statistics are the model's; and with an execution
// trace of the same run (tracegen writes both), spans show what their goroutines did.

/* global document */

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fact, find, labelBox, labelTexts, openTrace, postCompanion, rangeFigures, startTimeline, visibleRange } from './timelineHarness.mjs';
import { generateOtlpSpans } from '../../scripts/bench/traceInputs.mjs';

const require = createRequire(import.meta.url);
const { requireGo, REPO_ROOT } = require('../helpers/goToolchain.ts');
const { writeRealTrace } = require('../helpers/traceModels.ts');
const traces = require('../../core/timeline/index.ts');

const FIXTURES = `${REPO_ROOT}/test/fixtures/traces`;
const SHARED_SPANS = `${REPO_ROOT}/test/fixtures/shared/spans`;

/** Answers every function search the webview posts after `after` until it posts a message of `type`. */
async function answerSearchesUntil(view, after, result, type) {
  const answered = new Set();
  const deadline = Date.now() + 15000;
  for (;;) {
    const posted = (await view.posted()).slice(after);
    const done = posted.find((m) => m.type === type);
    if (done) return done;
    for (const m of posted) {
      if (m.type !== 'findFunctions' || answered.has(m.requestId)) continue;
      answered.add(m.requestId);
      await view.post({ type: 'functions', requestId: m.requestId, result });
    }
    if (Date.now() > deadline) throw new Error(`the webview posted no ${type}: ${JSON.stringify(posted.map((m) => m.type))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const attr = (key, value) => ({ key, value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value } });

/** An OTLP export with one trace: a server span with code attributes (current names), a child with the older names, a child with none. */
function codeSpans() {
  const base = 1_700_000_000_000_000_000n;
  const ns = (offset) => String(base + BigInt(offset));
  const traceId = 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1';
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [attr('service.name', 'shop'), attr('host.name', 'build-7')] },
        scopeSpans: [
          {
            scope: { name: 'example.com/shop/tracing', version: '1.2.0' },
            spans: [
              {
                traceId,
                spanId: '0000000000000001',
                name: 'POST /checkout',
                kind: 2,
                startTimeUnixNano: ns(0),
                endTimeUnixNano: ns(40_000_000),
                attributes: [attr('code.function.name', 'main.(*gateway).checkout'), attr('code.file.path', '/build/shop/gateway.go'), attr('code.line.number', 35), attr('http.route', '/checkout')],
                events: [{ timeUnixNano: ns(5_000_000), name: 'basket priced', attributes: [attr('items', 3)] }],
                links: [{ traceId: 'b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2', spanId: '00000000000000ff', attributes: [attr('reason', 'retry of')] }],
                status: { code: 2, message: 'payment declined' },
              },
              {
                traceId,
                spanId: '0000000000000002',
                parentSpanId: '0000000000000001',
                name: 'reserve stock',
                kind: 3,
                startTimeUnixNano: ns(2_000_000),
                endTimeUnixNano: ns(12_000_000),
                attributes: [attr('code.function', 'reserve'), attr('code.namespace', 'main.(*inventory)'), attr('code.filepath', '/build/shop/inventory.go'), attr('code.lineno', 55)],
              },
              {
                traceId,
                spanId: '0000000000000003',
                parentSpanId: '0000000000000001',
                name: 'orders.create',
                kind: 1,
                startTimeUnixNano: ns(14_000_000),
                endTimeUnixNano: ns(30_000_000),
              },
            ],
          },
        ],
      },
    ],
  });
}

describe('timeline: span traces', () => {
  let timeline;
  before(async () => {
    timeline = await startTimeline();
  });
  after(async () => {
    await timeline?.close();
  });

  it('lists every problem the core found, explained, and highlights each problem\'s spans', async () => {
    const text = readFileSync(`${FIXTURES}/problems.otlp.json`, 'utf8');
    const model = traces.parseSpanTrace(text);
    const view = await timeline.open();
    try {
      const loaded = await openTrace(view, Buffer.from(text), 'problems.otlp.json');
      assert.equal(loaded.kind, 'spans');
      assert.equal(await view.text('.tabs .tab.active'), `Problems (${model.problems.length})`, 'a file with problems opens on them');
      const titles = await view.page.locator('.problem-list button.problem-title').allInnerTexts();
      assert.deepEqual([...titles].sort(), model.problems.map((p) => p.title).sort());
      const explanations = await view.page.locator('.problem-list .explanation').allInnerTexts();
      assert.deepEqual([...explanations].sort(), model.problems.map((p) => p.explanation).sort());
      const types = new Set(model.problems.map((p) => p.type));
      assert.equal(types.size, 6, 'the fixture has every kind of problem');

      for (const problem of model.problems) {
        await view.page.locator('.problem-list button.problem-title', { hasText: problem.title }).first().click();
        await view.page.locator('.problem.selected button.problem-title', { hasText: problem.title }).waitFor();
        const expected = problem.spans.map((row) => model.strings[model.spans.name[row]]).sort();
        // The previous problem can highlight as many spans: wait for this problem's own spans.
        await view.waitForTexts('.label-span.highlighted .label-text', expected, { sorted: true, what: `${problem.type}: its spans are highlighted` });
      }
      assert.deepEqual(await view.violations(), []);
      assert.deepEqual(view.consoleErrors, []);
    } finally {
      await view.close();
    }
  });

  it('shows a span\'s details as the file has them, and opens its code from code attributes', async () => {
    const text = codeSpans();
    const model = traces.parseSpanTrace(text);
    const view = await timeline.open();
    try {
      await openTrace(view, Buffer.from(text), 'code.otlp.json');
      assert.equal(await view.text('.tabs .tab.active'), 'Span', 'no problems: the span tab');
      assert.equal(await find(view, 'POST /checkout'), '1 of 1');
      await view.page.locator('.side h2', { hasText: 'POST /checkout' }).waitFor();
      assert.equal(await fact(view, 'Service'), 'shop');
      assert.equal(await fact(view, 'Kind'), 'server');
      assert.equal(await fact(view, 'Status'), 'error');
      assert.equal(await fact(view, 'Duration'), '40.00 ms');
      await view.page.locator('.attributes th', { hasText: 'http.route' }).waitFor();
      const details = model.spans.details[0];
      const rows = await view.page.locator('.attributes').first().locator('tr').evaluateAll((trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[1].textContent]));
      assert.deepEqual(rows, details.attributes.map((a) => [a.key, String(a.value)]));
      assert.equal(await fact(view, 'Status message'), 'payment declined');
      assert.match(await view.text('.side .events'), /basket priced/);
      assert.match(await view.text('.side .events'), /items = 3/);
      assert.match(await view.text('.side .links'), /trace b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2, span 00000000000000ff/);
      assert.match(await view.text('.side .links'), /reason = retry of/);
      const resource = await view.page.locator('.attributes').nth(1).locator('tr').evaluateAll((trs) => trs.map((tr) => tr.textContent));
      assert.deepEqual(resource, ['service.nameshop', 'host.namebuild-7']);
      assert.equal(await fact(view, 'Instrumentation scope'), details.scope);

      // Code attributes (current names): a button that opens the file and line.
      const open = view.page.locator('button.open-code');
      assert.equal(await open.innerText(), 'Open main.(*gateway).checkout (gateway.go:35)');
      let before = await view.postedCount();
      await open.click();
      assert.deepEqual(await view.waitForPosted((m) => m.type === 'openSource', { after: before }), { type: 'openSource', file: '/build/shop/gateway.go', line: 35, functionName: 'main.(*gateway).checkout' });

      // The older names, by double-click on the span's bar.
      await find(view, 'reserve stock');
      await view.page.locator('.side h2', { hasText: 'reserve stock' }).waitFor();
      const label = await labelBox(view, 'span', 'reserve stock');
      const box = await view.page.locator('.canvas-host canvas').boundingBox();
      before = await view.postedCount();
      await view.page.mouse.dblclick(box.x + box.width / 2, label.y + label.height / 2);
      assert.deepEqual(await view.waitForPosted((m) => m.type === 'openSource', { after: before }), { type: 'openSource', file: '/build/shop/inventory.go', line: 55, functionName: 'main.(*inventory).reserve' });
    } finally {
      await view.close();
    }
  });

  it('offers the workspace functions the host finds for a span without code attributes', async () => {
    const text = codeSpans();
    const view = await timeline.open();
    try {
      await openTrace(view, Buffer.from(text), 'code.otlp.json');
      let before = await view.postedCount();
      await find(view, 'orders.create');
      const request = await view.waitForPosted((m) => m.type === 'findFunctions', { after: before });
      assert.equal(request.name, 'orders.create');
      const matches = [
        { name: 'orders.create', packageName: 'main', path: '/work/shop/orders.go', line: 34, score: 100, reason: 'method create of orders: same name' },
        { name: 'createOrder', packageName: 'store', path: '/work/shop/store/store.go', line: 12, score: 30, reason: 'function createOrder of package store: contains "create"' },
      ];
      await view.post({ type: 'functions', requestId: request.requestId, result: { matches, indexing: false } });
      const buttons = view.page.locator('.function-matches button');
      await buttons.first().waitFor();
      assert.deepEqual(await buttons.allInnerTexts(), ['orders.create (orders.go:34)', 'createOrder (store.go:12)']);
      before = await view.postedCount();
      await buttons.nth(1).click();
      assert.deepEqual(await view.waitForPosted((m) => m.type === 'openFunction', { after: before }), { type: 'openFunction', path: '/work/shop/store/store.go', line: 12 });

      // A double-click opens the one clear best match directly (every search it makes is answered).
      const label = await labelBox(view, 'span', 'orders.create');
      const box = await view.page.locator('.canvas-host canvas').boundingBox();
      before = await view.postedCount();
      await view.page.mouse.dblclick(box.x + box.width / 2, label.y + label.height / 2);
      const opened = await answerSearchesUntil(view, before, { matches, indexing: false }, 'openFunction');
      assert.deepEqual(opened, { type: 'openFunction', path: '/work/shop/orders.go', line: 34 });

      // Nothing found while the index is still being built says so.
      await find(view, 'reserve stock');
      await view.page.locator('.side h2', { hasText: 'reserve stock' }).waitFor();
      before = await view.postedCount();
      await find(view, 'orders.create');
      const third = await view.waitForPosted((m) => m.type === 'findFunctions', { after: before });
      await view.post({ type: 'functions', requestId: third.requestId, result: { matches: [], indexing: true } });
      await view.page.locator('.side .code', { hasText: 'still being indexed' }).waitFor();
    } finally {
      await view.close();
    }
  });

  it('"CPU profile of this span" asks the host for the span and every span below it', async () => {
    const text = readFileSync(`${SHARED_SPANS}/zipkin-messaging2.json`, 'utf8');
    const model = traces.parseSpanTrace(text);
    const s = model.spans;
    const view = await timeline.open();
    try {
      await openTrace(view, Buffer.from(text), 'zipkin.json');
      // A span with at least two spans below it, and a leaf.
      const parent = [...Array(s.count).keys()].find((row) => s.subtreeEnd[row] > row + 2);
      assert.ok(parent !== undefined, 'the fixture has a span with two spans below it');
      const leaf = [...Array(s.count).keys()].find((row) => s.subtreeEnd[row] === row + 1);
      for (const row of [parent, leaf]) {
        const name = model.strings[s.name[row]];
        await find(view, s.spanId[row]);
        await view.page.locator('.side h2', { hasText: name }).waitFor();
        // The spans below it, from the parent links of the file (not the waterfall's order).
        const isBelow = (r) => { for (let p = s.parent[r]; p >= 0; p = s.parent[p]) if (p === row) return true; return false; };
        const below = [...Array(s.count).keys()].filter(isBelow).map((r) => s.spanId[r]);
        const note = await view.page.locator('.span-profile-section .muted').innerText();
        if (below.length > 0) assert.match(note, new RegExp(`and the ${below.length} spans? below it`));
        else assert.doesNotMatch(note, /below it/);
        const before = await view.postedCount();
        await view.page.locator('button.span-profile').click();
        const posted = await view.waitForPosted((m) => m.type === 'spanProfile', { after: before });
        assert.equal(posted.request.spanIds[0], s.spanId[row], 'the span first');
        assert.deepEqual([...posted.request.spanIds.slice(1)].sort(), below.sort(), 'then exactly the spans below it');
        assert.equal(posted.request.spanName, name);
        assert.equal(posted.request.service, model.strings[s.service[row]]);
        assert.equal(posted.request.traceId, model.traces.traceId[s.trace[row]]);
      }
    } finally {
      await view.close();
    }
  });

  it('collapses subtrees, groups by service, and starts with many traces collapsed', async () => {
    const text = readFileSync(`${SHARED_SPANS}/zipkin-messaging2.json`, 'utf8');
    const model = traces.parseSpanTrace(text);
    const view = await timeline.open();
    try {
      await openTrace(view, Buffer.from(text), 'zipkin.json');
      const names = (rows) => rows.map((row) => model.strings[model.spans.name[row]]);
      const all = [...Array(model.spans.count).keys()];
      assert.deepEqual(await labelTexts(view, 'span'), names(all), 'waterfall order');
      // Collapsing the first span with children hides exactly its descendants.
      const parent = all.find((row) => model.spans.subtreeEnd[row] > row + 1);
      await view.page.locator('.label-span.collapsible').first().click();
      await view.waitForTexts('.label-span .label-text', names(all.filter((row) => row <= parent || row >= model.spans.subtreeEnd[parent])), { what: 'the collapsed waterfall' });
      await view.page.locator('.label-span.collapsible').first().click();
      await view.waitForTexts('.label-span .label-text', names(all), { what: 'the expanded waterfall' });
      await view.page.getByRole('button', { name: 'Group by Service' }).click();
      await view.page.waitForFunction(() => document.querySelectorAll('.label-service').length > 0);
      const services = await labelTexts(view, 'service');
      const expected = model.traces.services.flatMap((list) => list.map((s) => model.strings[s]));
      assert.deepEqual(services, expected.slice(0, services.length));
      assert.ok(services.length > 0);
    } finally {
      await view.close();
    }

    const many = generateOtlpSpans(60, 5);
    const manyModel = traces.parseSpanTrace(many);
    const second = await timeline.open();
    try {
      await openTrace(second, Buffer.from(many), 'many.otlp.json');
      const traceLabels = second.page.locator('.label-trace');
      assert.equal(await second.page.locator('.label-span').count(), 0, 'only trace headers at first');
      assert.equal(await traceLabels.first().getAttribute('aria-expanded'), 'false');
      await traceLabels.first().click();
      // The spans appear once the click is handled: wait for the expanded trace's own spans.
      const firstTrace = manyModel.spans.name.slice(manyModel.traces.firstSpan[0], manyModel.traces.firstSpan[0] + manyModel.traces.spanCount[0]);
      await second.waitForTexts('.label-span .label-text', [...firstTrace].map((n) => manyModel.strings[n]), { what: 'the expanded trace\'s spans' });
      assert.equal(await traceLabels.first().getAttribute('aria-expanded'), 'true');
    } finally {
      await second.close();
    }
  });

  it('a selected range counts the spans in it as the model has them', async () => {
    const text = readFileSync(`${SHARED_SPANS}/zipkin-smartthings-mobile-web-install.json`, 'utf8');
    const model = traces.parseSpanTrace(text);
    const view = await timeline.open();
    try {
      await openTrace(view, Buffer.from(text), 'smartthings.json');
      assert.match(await view.text('.summary-text'), new RegExp(`^Zipkin v2 JSON · 1 trace · ${model.spans.count.toLocaleString('en-US')} spans`));
      const box = await view.page.locator('.canvas-host canvas').boundingBox();
      await view.page.mouse.move(box.x + box.width * 0.1, box.y + 50);
      await view.page.keyboard.down('Shift');
      await view.page.mouse.down();
      await view.page.mouse.move(box.x + box.width * 0.35, box.y + 50, { steps: 4 });
      await view.page.mouse.up();
      await view.page.keyboard.up('Shift');
      await view.page.locator('.range-panel h2').waitFor();
      const figures = await rangeFigures(view);
      let inRange = 0;
      let starting = 0;
      for (let s = 0; s < model.spans.count; s++) {
        if (model.spans.end[s] <= figures.From || model.spans.start[s] >= figures.To) continue;
        inRange++;
        if (model.spans.start[s] >= figures.From) starting++;
      }
      assert.equal(figures['Spans in the range'], inRange);
      assert.equal(figures['Spans starting in it'], starting);
      assert.ok(inRange > 0);
      const [start, end] = await visibleRange(view);
      assert.ok(end > start);
    } finally {
      await view.close();
    }
  });

  it('with an execution trace of the same run, shows what each matched span\'s goroutines did', async (t) => {
    if (!requireGo((reason) => t.skip(reason))) return;
    const run = writeRealTrace({ rounds: 2 });
    const spansText = readFileSync(run.spansPath, 'utf8');
    const execBytes = readFileSync(run.tracePath);
    const spans = traces.parseSpanTrace(spansText);
    const exec = traces.decodeExecutionTrace(execBytes);
    const matching = traces.matchSpansToTasks(spans, exec);
    assert.ok(matching.matches.length > 0, 'tracegen\'s spans match its tasks');
    const view = await timeline.open();
    try {
      await openTrace(view, Buffer.from(spansText), 'tracegen.spans.json');
      await postCompanion(view, execBytes, 'tracegen.out');
      const note = view.page.locator('.match-note');
      await note.filter({ hasText: 'matched' }).waitFor();
      assert.equal(await note.innerText(), `${matching.matches.length} span${matching.matches.length === 1 ? '' : 's'} matched with runtime/trace tasks in tracegen.out (${matching.alignment === 'wall-clock' ? 'clocks aligned by the trace' : 'clock offset estimated'}): select one to see what its goroutines did.`);

      const match = matching.matches.find((m) => m.goroutines.length > 0);
      const row = match.span;
      assert.match(await find(view, spans.spans.spanId[row]), /^1 of 1$/);
      await view.page.locator('.side .activity').waitFor();
      const cells = await view.page.locator('.activity-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.children[0].textContent));
      assert.deepEqual(cells.map((c) => c.split(' ')[0]), match.goroutines.map((g) => `G${exec.goroutines.id[g.goroutine]}`));
      const before = await view.postedCount();
      await view.page.locator('.activity button.link').click();
      assert.deepEqual(await view.waitForPosted((m) => m.type === 'revealTask', { after: before }), { type: 'revealTask', taskId: exec.tasks.id[match.task], spanName: spans.strings[spans.spans.name[row]] });

      await view.post({ type: 'companionClosed' });
      await note.waitFor({ state: 'hidden' });
      await view.page.locator('.side .activity').waitFor({ state: 'detached' });
    } finally {
      await view.close();
    }
  });
});
