// Builds everything the extension runs: dist/client.js (extension host), dist/server.js (language
// server), dist/cli.js (the go-trace-lens command), dist/webview/* (webview bundles and styles), and
// copies the tree-sitter wasm files next to the server.
//
//   node esbuild.mjs                 development build, with source maps
//   node esbuild.mjs --production    minified, no source maps (what `npm run package` ships)
//   node esbuild.mjs --watch         rebuild on change

import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  define: { GO_TRACE_LENS_VERSION: JSON.stringify(pkg.version) },
};

// web-tree-sitter's ESM build locates itself with import.meta.url, which a CommonJS bundle lacks: use its
// CommonJS build.
const nodeCommon = {
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  plugins: [
    {
      name: 'web-tree-sitter-cjs',
      setup(build) {
        build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
      },
    },
  ],
};

/** Webview bundles: every media/<name>/main.ts becomes dist/webview/<name>.js. */
function webviewEntries() {
  const media = join(root, 'media');
  if (!existsSync(media)) return {};
  const entries = {};
  for (const name of readdirSync(media)) {
    const main = join(media, name, 'main.ts');
    if (statSync(join(media, name)).isDirectory() && existsSync(main)) entries[name] = main;
    const worker = join(media, name, 'worker.ts');
    if (existsSync(worker)) entries[`${name}.worker`] = worker;
  }
  return entries;
}

/** Styles (media/**\/*.css) and the tree-sitter wasm files are copied as they are. */
function copyAssets() {
  mkdirSync(join(dist, 'webview'), { recursive: true });
  copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join(dist, 'tree-sitter.wasm'));
  copyFileSync(require.resolve('tree-sitter-go/tree-sitter-go.wasm'), join(dist, 'tree-sitter-go.wasm'));
  const media = join(root, 'media');
  if (!existsSync(media)) return;
  for (const name of readdirSync(media)) {
    const dir = join(media, name);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir)) {
      if (file.endsWith('.css')) copyFileSync(join(dir, file), join(dist, 'webview', `${name}.${file}`));
    }
  }
}

const builds = [
  { ...nodeCommon, entryPoints: { client: 'client/src/extension.ts' }, outdir: dist, external: ['vscode'] },
  { ...nodeCommon, entryPoints: { server: 'server/src/server.ts' }, outdir: dist },
  {
    ...nodeCommon,
    entryPoints: { cli: 'cli/cli.ts' },
    outdir: dist,
    banner: { js: '#!/usr/bin/env node' },
  },
  // The worker thread `go-trace-lens check` spreads files over (loaded from next to cli.js).
  { ...nodeCommon, entryPoints: { checkWorker: 'cli/checkWorker.ts' }, outdir: dist },
];
const webviews = webviewEntries();
if (Object.keys(webviews).length > 0) {
  builds.push({ ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: webviews, outdir: join(dist, 'webview') });
}

if (!watch) rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
copyAssets();

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('esbuild: watching for changes (Ctrl+C to stop)');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  chmodSync(join(dist, 'cli.js'), 0o755);
}
