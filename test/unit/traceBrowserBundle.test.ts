// The trace cores run in the timeline's web worker: they must bundle for the browser with nothing from
// Node, and work with only what a worker has. The bundle is built with esbuild (platform "browser") and
// run in a bare VM context holding just the worker globals the cores use. Besides the trace cores it may
// hold only shared modules of common/ that import nothing themselves (the string table).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from '../helpers/goToolchain';
import { readGoTraceTestCase } from '../helpers/traceGoText';
import { encodeTraceText } from '../helpers/traceTextEncoder';
import { sharedFixture } from '../helpers/sharedFixtures';

test('the trace cores bundle for the browser and decode traces in a worker-like context', async () => {
  const result = await esbuild.build({
    entryPoints: [join(REPO_ROOT, 'core', 'timeline', 'index.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'traceCores',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  assert.deepEqual(result.errors, []);
  const inputs = Object.entries(result.metafile.inputs);
  const allowed = ([input, { imports }]: (typeof inputs)[number]) => input.startsWith('core/timeline/') || (input.startsWith('common/') && imports.length === 0);
  assert.ok(inputs.every(allowed), `only the trace cores (and import-free common modules) are bundled: ${inputs.filter((i) => !allowed(i)).map(([input]) => input).join(', ')}`);
  for (const output of Object.values(result.metafile.outputs)) assert.deepEqual(output.imports, [], 'the bundle imports nothing');

  const worker = createContext({ TextDecoder, TextEncoder, atob });
  runInContext(result.outputFiles[0]!.text, worker);
  const cores = runInContext('traceCores', worker) as typeof import('../../core/timeline');

  const bytes = encodeTraceText(readGoTraceTestCase(sharedFixture('go-exectrace', 'tests', 'go122-annotations.test')).traceText);
  const model = cores.decodeExecutionTrace(bytes);
  assert.equal(model.tasks.count, 1);
  assert.ok(cores.transferables(model).length > 30, 'the columns are transferable buffers');
  const spans = cores.parseSpanTrace(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'traces', 'problems.otlp.json'), 'utf8'));
  assert.equal(spans.problems.length, 7);
  assert.equal(cores.detectTraceFormat(bytes), 'go-execution-trace');
});
