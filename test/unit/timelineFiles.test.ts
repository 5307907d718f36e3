// Which files the timeline takes and how the extension declares it: names and content detection on real
// files (an old-format Go trace is still an execution trace, so its message can be shown; ordinary JSON
// is not a trace), paths from a build machine matched to local files by their tail, the
// goTraceLens.timeline.* settings with their defaults, and package.json's contributions spelled as the
// ids in common/ids.ts and common/settings.ts say (the custom editor at priority "option", so JSON files
// are not taken over).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRACE_EDITOR_VIEW_TYPE, TimelineCommands, TimelineContextKeys, TraceCommands } from '../../common/ids';
import { sectionReader, TimelineSettings } from '../../common/settings';
import { bestTailMatch, commonTailSegments } from '../../client/src/timeline/pathTail';
import { timelineSettingsFrom } from '../../client/src/timeline/timelineSettings';
import { baseNameOf, isExecutionTraceName, isSpanTraceName, traceKindOf } from '../../client/src/timeline/traceFileDetection';
import { encodeTraceText } from '../helpers/traceTextEncoder';
import { readGoTraceTestCase } from '../helpers/traceGoText';
import { REPO_ROOT } from '../helpers/goToolchain';
import { sharedFixture } from '../helpers/sharedFixtures';

const SHARED = sharedFixture();

test('trace files by name, and by content', () => {
  for (const name of ['trace.out', 'shop.trace', 'cpu-2024.trace', 'TRACE.OUT', 'x.trace.out']) assert.ok(isExecutionTraceName(name), name);
  for (const name of ['cpu.out', 'trace.json', 'tracer.go', 'out']) assert.ok(!isExecutionTraceName(name), name);
  for (const name of ['spans.json', 'export.JSONL']) assert.ok(isSpanTraceName(name), name);
  assert.equal(baseNameOf('/a/b/shop.trace'), 'shop.trace');
  assert.equal(baseNameOf('C:\\traces\\t.json'), 't.json');

  const bytes = (path: string) => new Uint8Array(readFileSync(path));
  assert.equal(traceKindOf(encodeTraceText(readGoTraceTestCase(join(SHARED, 'go-exectrace', 'tests', 'go122-annotations.test')).traceText)), 'go-execution-trace');
  assert.equal(traceKindOf(bytes(join(REPO_ROOT, 'test', 'fixtures', 'traces', 'go1.19-runtime-trace.out'))), 'go-execution-trace', 'old traces open too, to say what to do');
  for (const file of ['otlp-example-trace.json', 'jaeger-ui-otlp2jaeger-out.json', 'zipkin-envoy.json']) assert.equal(traceKindOf(bytes(join(SHARED, 'spans', file))), 'spans', file);
  for (const file of ['package.json', 'tsconfig.base.json', 'package-lock.json']) assert.equal(traceKindOf(bytes(join(REPO_ROOT, file))), undefined, `${file} is not a trace`);
  assert.equal(traceKindOf(bytes(join(SHARED, 'pprof', 'large.cpu.pb.gz'))), undefined, 'a profile is not a trace');
  assert.equal(traceKindOf(new Uint8Array()), undefined);
});

test('a build machine\'s path finds the local file with the longest common tail', () => {
  assert.equal(commonTailSegments('/build/src/shop/orders.go', '/home/me/shop/orders.go'), 2);
  assert.equal(commonTailSegments('C:\\src\\shop\\orders.go', '/home/me/shop/orders.go'), 2);
  assert.equal(commonTailSegments('/a/orders.go', '/a/inventory.go'), 0);
  const local = ['/w/shop/orders.go', '/w/vendor/other/orders.go', '/w/shop/gateway.go'];
  assert.equal(bestTailMatch('/build/src/shop/orders.go', local), '/w/shop/orders.go');
  assert.equal(bestTailMatch('/build/orders.go', local), undefined, 'two files with only the name in common: no guess');
  assert.equal(bestTailMatch('/build/orders.go', ['/w/shop/orders.go']), '/w/shop/orders.go');
  assert.equal(bestTailMatch('/build/main.go', local), undefined);
});

test('timeline settings: nanoseconds for the webview, bytes for the host, defaults for bad values', () => {
  const warnings: string[] = [];
  const read = (timeline: Record<string, unknown>) => sectionReader({ timeline }, (m) => warnings.push(m));
  const values = { clockSkewToleranceMs: 2.5, matchToleranceMs: 0, maxFileSizeMiB: 64, openExecutionTracesInTimeline: false };
  assert.deepEqual(timelineSettingsFrom(read(values)), { view: { clockSkewToleranceNs: 2_500_000, matchToleranceNs: 0 }, maxFileBytes: 64 * 1024 * 1024, openExecutionTracesInTimeline: false });
  assert.deepEqual(warnings, []);
  const bad = { clockSkewToleranceMs: -1, matchToleranceMs: 'fast', maxFileSizeMiB: 0 };
  assert.deepEqual(timelineSettingsFrom(read(bad)), { view: { clockSkewToleranceNs: 1_000_000, matchToleranceNs: 2_000_000 }, maxFileBytes: 1024 * 1024 * 1024, openExecutionTracesInTimeline: true });
  assert.equal(warnings.length, 3, warnings.join('\n'));
});

test('package.json declares the timeline\'s commands, custom editor, menus and settings with their defaults', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const commands = new Map<string, { title: string }>(pkg.contributes.commands.map((c: { command: string; title: string }) => [c.command, c]));
  assert.equal(commands.get(TraceCommands.open)?.title, 'Open Trace…');
  assert.equal(commands.get(TimelineCommands.openInTimeline)?.title, 'Open in Timeline');
  const editor = pkg.contributes.customEditors.find((e: { viewType: string }) => e.viewType === TRACE_EDITOR_VIEW_TYPE);
  assert.equal(editor.priority, 'option', 'JSON files keep opening as text');
  assert.deepEqual(editor.selector.map((s: { filenamePattern: string }) => s.filenamePattern), ['*.trace', 'trace.out', '*.json', '*.jsonl']);
  const titleMenu = pkg.contributes.menus['editor/title'].find((m: { command: string }) => m.command === TimelineCommands.openInTimeline);
  assert.match(titleMenu.when, new RegExp(TimelineContextKeys.activeEditorIsTrace.replace(/\./g, '\\.')));
  const explorer = pkg.contributes.menus['explorer/context'].find((m: { command: string }) => m.command === TimelineCommands.openInTimeline);
  const pattern = /resourceFilename =~ \/(.*)\/i/.exec(explorer.when)![1]!;
  for (const name of ['shop.trace', 'trace.out', 'spans.jsonl']) assert.match(name, new RegExp(pattern.replace(/\\\\/g, '\\'), 'i'));
  const properties = pkg.contributes.configuration.properties;
  const defaults = Object.fromEntries(Object.values(TimelineSettings).map(({ key }) => [key.slice('goTraceLens.timeline.'.length), properties[key]?.default]));
  const noWarnings = () => assert.fail('package.json\'s defaults are valid');
  assert.deepEqual(timelineSettingsFrom(sectionReader({ timeline: defaults }, noWarnings)), timelineSettingsFrom(sectionReader(undefined, noWarnings)), 'package.json defaults are the code\'s');
});
