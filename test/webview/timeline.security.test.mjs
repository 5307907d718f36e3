// Names from trace files are untrusted. A span trace whose service, span, scope, attribute, event and
// link texts hold HTML and script (test/fixtures/traces/hostile-names.otlp.json), and an execution trace
// whose task, region, log and function names do (Go's annotations test case with its strings replaced),
// must show that text literally everywhere (labels, details, tooltips, stacks, Find) and run nothing: no
// injected element, no changed title, no Content-Security-Policy violation, no console error.

/* global window, document */

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fact, find, labelBox, labelTexts, openTrace, startTimeline } from './timelineHarness.mjs';

const require = createRequire(import.meta.url);
const { REPO_ROOT } = require('../helpers/goToolchain.ts');
const { readGoTraceTestCase } = require('../helpers/traceGoText.ts');
const { encodeTraceText } = require('../helpers/traceTextEncoder.ts');
const traces = require('../../core/timeline/index.ts');

const TITLE = 'timeline test';

/** What must hold after the page showed hostile text: nothing ran, nothing was injected. */
async function assertNothingRan(view) {
  const state = await view.page.evaluate(() => ({
    pwned: window.__pwned,
    title: document.title,
    scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src') ?? 'inline'),
    injected: document.querySelectorAll('img, svg, iframe, object, embed, b, style, a[href^="javascript"]').length,
  }));
  assert.equal(state.pwned, undefined, 'no injected handler ran');
  assert.equal(state.title, TITLE, 'the title was not changed');
  assert.equal(state.scripts.length, 1, 'only the bundle\'s script is in the page');
  assert.match(state.scripts[0], /\/webview\/timeline\.js$/);
  assert.equal(state.injected, 0, 'no element came from the file');
  assert.deepEqual(await view.violations(), [], 'no Content-Security-Policy violation');
  assert.deepEqual(view.consoleErrors, [], 'no console error');
}

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';
const SVG = '"><svg onload=window.__pwned=3>';
const BOLD = '<b>main</b>.(*T).<i>run</i>';

/**
 * Go's annotations test case with its task, region, log and function names replaced by markup. The
 * strings batch says how many bytes it holds, so its size grows by what the new strings add (each is
 * shorter than 128 bytes, so its length prefix stays one byte).
 */
function hostileExecutionTrace() {
  const { traceText } = readGoTraceTestCase(`${REPO_ROOT}/test/fixtures/shared/go-exectrace/tests/go122-annotations.test`);
  const replacements = [
    ['task0', IMG],
    ['region0', SCRIPT],
    ['key0', SVG],
    ['0123456789abcdef', SCRIPT + IMG],
    ['main.main.func1', BOLD],
  ];
  let text = traceText;
  let grown = 0;
  for (const [from, to] of replacements) {
    assert.ok(text.includes(`data="${from}"`) && Buffer.byteLength(to) < 128);
    text = text.replace(`data="${from}"`, `data=${JSON.stringify(to)}`);
    grown += Buffer.byteLength(to) - Buffer.byteLength(from);
  }
  const lines = text.split('\n');
  const strings = lines.indexOf('Strings');
  const batch = /^(EventBatch .* size=)(\d+)$/.exec(lines[strings - 1]);
  assert.ok(batch, 'the strings batch header precedes "Strings"');
  lines[strings - 1] = `${batch[1]}${Number(batch[2]) + grown}`;
  return encodeTraceText(lines.join('\n'));
}

describe('timeline: hostile names are text', () => {
  let timeline;
  before(async () => {
    timeline = await startTimeline();
  });
  after(async () => {
    await timeline?.close();
  });

  it('a span trace with HTML and script in every name and attribute shows them as text and runs nothing', async () => {
    const text = readFileSync(`${REPO_ROOT}/test/fixtures/traces/hostile-names.otlp.json`, 'utf8');
    const model = traces.parseSpanTrace(text);
    const view = await timeline.open();
    try {
      assert.equal(await view.page.title(), TITLE);
      await openTrace(view, Buffer.from(text), 'hostile-names.otlp.json');
      const spanNames = [...Array(model.spans.count).keys()].map((row) => model.strings[model.spans.name[row]]);
      assert.deepEqual(await labelTexts(view, 'span'), spanNames, 'span names are label text');
      const service = model.strings[model.spans.service[0]];
      assert.ok((await view.page.locator('.label-span .label-detail').allInnerTexts()).every((t) => t === service), 'service names are text');

      for (let row = 0; row < model.spans.count; row++) {
        const details = model.spans.details[row];
        assert.match(await find(view, model.spans.spanId[row]), /^1 of 1$/);
        await view.page.locator('.side h2', { hasText: spanNames[row] }).waitFor();
        assert.equal(await view.page.locator('.side h2').first().innerText(), spanNames[row]);
        assert.equal(await fact(view, 'Service'), service);
        await view.page.locator('.side .attributes').first().waitFor();
        const rows = await view.page.locator('.side .attributes').first().locator('tr').evaluateAll((trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[1].textContent]));
        assert.deepEqual(rows, details.attributes.map((a) => [a.key, String(a.value)]));
        assert.equal(await fact(view, 'Instrumentation scope'), details.scope);
        for (const event of details.events) assert.ok((await view.text('.side .events')).includes(event.name));
        if (details.statusMessage) assert.equal(await fact(view, 'Status message'), details.statusMessage);
        if (details.source?.file) {
          const button = view.page.locator('button.open-code');
          assert.ok((await button.innerText()).includes(details.source.function));
          const before = await view.postedCount();
          await button.click();
          const opened = await view.waitForPosted((m) => m.type === 'openSource', { after: before });
          assert.equal(opened.file, details.source.file);
          assert.equal(opened.functionName, details.source.function);
        }
        // The tooltip over the span's bar.
        const label = await labelBox(view, 'span', spanNames[row]);
        const box = await view.page.locator('.canvas-host canvas').boundingBox();
        await view.page.mouse.move(box.x + box.width / 2, label.y + label.height / 2);
        await view.page.locator('.tooltip-title').waitFor();
        assert.equal(await view.text('.tooltip-title'), spanNames[row]);
      }
      await assertNothingRan(view);
    } finally {
      await view.close();
    }
  });

  it('an execution trace with HTML and script in task, region, log and function names shows them as text and runs nothing', async () => {
    const bytes = hostileExecutionTrace();
    const model = traces.decodeExecutionTrace(bytes);
    const names = new Set(model.strings);
    for (const name of [IMG, SCRIPT, SVG, BOLD]) assert.ok(names.has(name), `the trace holds ${name}`);
    const view = await timeline.open();
    try {
      await openTrace(view, bytes, 'hostile.trace');
      assert.match(await find(view, '<img'), /^1 of \d+$/);
      await view.page.locator('.side h2', { hasText: `Task ${IMG}` }).waitFor();
      assert.equal(await view.page.locator('.side h2').first().innerText(), `Task ${IMG}`);

      await find(view, '<script>window.__pwned=2</script>');
      await view.page.locator('.side h2', { hasText: `Region ${SCRIPT}` }).waitFor();
      assert.equal(await fact(view, 'Task'), `${IMG} (${model.tasks.id[0]})`);
      const frames = await view.page.locator('.side .frame-func').allInnerTexts();
      assert.ok(frames.includes(BOLD), `the function name is a frame's text: ${frames.join(' | ')}`);
      const before = await view.postedCount();
      await view.page.locator('.side button.frame', { has: view.page.locator('.frame-func', { hasText: BOLD }) }).first().click();
      assert.equal((await view.waitForPosted((m) => m.type === 'openSource', { after: before })).functionName, BOLD);

      await find(view, SVG);
      await view.page.locator('.side .log-message').waitFor();
      assert.equal(await view.page.locator('.side .log-message').innerText(), SCRIPT + IMG);
      assert.equal(await view.page.locator('.side h2').first().innerText(), `Log [${SVG}]`);
      await assertNothingRan(view);
    } finally {
      await view.close();
    }
  });

  it('the Analysis view shows hostile group, task and region names as text and runs nothing', async () => {
    const bytes = hostileExecutionTrace();
    const model = traces.decodeExecutionTrace(bytes);
    const analysis = traces.summarizeGoroutines(model);
    assert.ok(analysis.groups.some((g) => g.name === BOLD), 'a goroutine group is named by the hostile function');
    const view = await timeline.open();
    try {
      await openTrace(view, bytes, 'hostile.trace');
      await view.page.locator('button.analysis-toggle').click();
      const names = () => view.page.locator('.analysis tr.breakdown-row .row-name').allInnerTexts();
      await view.page.locator('.analysis tr.breakdown-row').first().waitFor();
      assert.ok((await names()).includes(BOLD), `the group's name is text: ${(await names()).join(' | ')}`);
      const code = view.page.locator('.analysis tr.breakdown-row', { has: view.page.locator('.row-name', { hasText: BOLD }) }).locator('button.open-code');
      assert.equal(await code.getAttribute('title'), `Open ${BOLD}`);
      await view.page.locator('.analysis .grouping button', { hasText: 'by task' }).click();
      assert.ok((await names()).includes(`${IMG} (${model.tasks.id[0]})`), `the task's name is text: ${(await names()).join(' | ')}`);
      await view.page.locator('.analysis .grouping button', { hasText: 'by region' }).click();
      assert.ok((await names()).includes(SCRIPT), `the region type is text: ${(await names()).join(' | ')}`);

      // A selected hostile region offers itself as a scope, by its text.
      await find(view, SCRIPT);
      await view.page.locator('.side h2', { hasText: `Region ${SCRIPT}` }).waitFor();
      await view.page.locator('select.analysis-scope').selectOption({ label: `regions ${SCRIPT}` });
      assert.equal(await view.page.locator('.analysis .trace-profiles h3').innerText(), `On the code, for regions ${SCRIPT}`);
      await assertNothingRan(view);
    } finally {
      await view.close();
    }
  });
});
