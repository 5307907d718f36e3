// The webview bundles carry only what the webviews run. The flame graph formats values with the profiles
// core's units, through the core's face: the rest of the core (the pprof decoder and protobufjs, whose Long
// support compiles WebAssembly, which the webview's CSP forbids) must not come along. package.json's
// "sideEffects" declares core/ and common/ free of import-time effects, so esbuild leaves out what is unused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from '../helpers/goToolchain';

async function bundleInputs(entry: string): Promise<{ inputs: string[]; text: string }> {
  const result = await esbuild.build({
    entryPoints: [join(REPO_ROOT, entry)],
    absWorkingDir: REPO_ROOT,
    bundle: true, platform: 'browser', format: 'iife', target: 'es2022', write: false, metafile: true, logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  return { inputs: Object.keys(output.inputs).filter((i) => output.inputs[i]!.bytesInOutput > 0), text: result.outputFiles[0]!.text };
}

test('the flame graph webview bundles no decoder, no protobufjs and no WebAssembly', async () => {
  const { inputs, text } = await bundleInputs('media/flamegraph/main.ts');
  assert.deepEqual(inputs.filter((i) => i.includes('node_modules')), [], 'no package from node_modules');
  assert.deepEqual(inputs.filter((i) => i.startsWith('core/')), ['core/profiles/units.ts'], 'only the units of the profiles core');
  assert.doesNotMatch(text, /WebAssembly/);
});

test('the timeline webview and its worker bundle only the timeline core besides media/ and common/', async () => {
  for (const entry of ['media/timeline/main.ts', 'media/timeline/worker.ts']) {
    const { inputs, text } = await bundleInputs(entry);
    assert.deepEqual(inputs.filter((i) => !/^(media|common|core\/timeline)\//.test(i)), [], entry);
    assert.doesNotMatch(text, /WebAssembly/, entry);
  }
});
