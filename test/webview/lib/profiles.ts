// Real inputs for the webview tests: profile files decoded by the pprof core and turned into the
// webview's `load` message by toFlameGraphData/summaryView, and a CPU profile captured from the Go test
// service (test/go/service) over its real /debug/pprof endpoint.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlameGraphData, ProfileSummaryView } from '../../../common/flameGraphProtocol';
import { flameGraph, type FlameGraph } from '../../../core/profiles/flameGraph';
import { decodeProfileBytes } from '../../../core/profiles/profileFile.node';
import { decodeProfileFile } from '../../../core/profiles/profileFile.node';
import type { Profile } from '../../../core/profiles/profile';
import { prepareQuery, type QueryOptions } from '../../../core/profiles/query';
import { summaryView, toFlameGraphData } from '../../../server/src/profiles/flameGraphData';
import { CACHE_DIR, buildGoProgram, startGoService } from '../../helpers/goToolchain';
import { buildProfile, encodeProfileObject, sampleCpuProfileSpec, type ProfileSpec } from '../../helpers/pprofBuilder';
import { sharedFixture } from '../../helpers/sharedFixtures';

export const LARGE_CPU = sharedFixture('pprof', 'large.cpu.pb.gz');
export const SERVICE_SOURCE = join(__dirname, '..', '..', 'go', 'service', 'main.go');

export interface LoadMessage {
  readonly data: FlameGraphData;
  readonly summary: ProfileSummaryView;
  readonly graph: FlameGraph;
}

export async function decodeFile(file: string): Promise<Profile> {
  return decodeProfileFile(file);
}

/** A profile built from a readable spec (the pprof tests' builder); the everyday small CPU profile by default. */
export function builtProfile(spec: ProfileSpec = sampleCpuProfileSpec()): Profile {
  return decodeProfileBytes(buildProfile(spec));
}

/**
 * A CPU profile whose function and file names are taken literally (the builder's spec reads "<" as
 * inlining): one location per function, stacks leaf first.
 */
export function literalNamesProfile(samples: readonly { stack: readonly string[]; values: readonly [number, number] }[], files: Readonly<Record<string, string>>): Profile {
  const strings = ['', 'samples', 'count', 'cpu', 'nanoseconds'];
  const str = (text: string) => {
    const found = strings.indexOf(text);
    return found >= 0 ? found : strings.push(text) - 1;
  };
  const names = [...new Set(samples.flatMap((s) => s.stack))];
  const id = (name: string) => names.indexOf(name) + 1;
  return decodeProfileBytes(
    encodeProfileObject({
      sampleType: [{ type: 1, unit: 2 }, { type: 3, unit: 4 }],
      periodType: { type: 3, unit: 4 },
      period: 10_000_000,
      function: names.map((name) => ({ id: id(name), name: str(name), systemName: str(name), filename: str(files[name] ?? 'main.go'), startLine: 10 * id(name) })),
      location: names.map((name) => ({ id: id(name), line: [{ functionId: id(name), line: 10 * id(name) + 1 }] })),
      sample: samples.map((s) => ({ locationId: s.stack.map(id), value: [...s.values] })),
      stringTable: strings,
    }),
  );
}

/** The `load` message the host would send for `profile` (and a diff base). */
export function loadMessage(profile: Profile, options: QueryOptions & { title?: string; base?: Profile; baseOptions?: QueryOptions; baseLabel?: string } = {}): LoadMessage {
  const { base, baseOptions, baseLabel, title, ...queryOptions } = options;
  const query = prepareQuery(profile, queryOptions);
  const graph = flameGraph(query);
  const baseGraph = base ? flameGraph(prepareQuery(base, { sampleIndex: queryOptions.sampleIndex, ...baseOptions })) : undefined;
  const data = toFlameGraphData(graph, baseGraph, baseLabel);
  const summary = summaryView(profile, query, { title: title ?? 'profile', ...(base ? { diffBase: baseLabel ?? 'base' } : {}) });
  return { data, summary, graph };
}

/** The functions of the test service the webview tests click, reveal and compare: a capture must have them. */
export const SERVICE_FUNCTIONS: readonly string[] = ['main.burnCPU', 'main.allocate'];

/**
 * Captures `seconds` of CPU profile from a freshly started test service; returns the file. On a busy machine a
 * short capture can miss a function the tests need: it captures again (up to five times) until every one of
 * `mustHave` has samples, and says which are missing if they never do.
 */
export async function captureServiceCpuProfile(seconds = 1, mustHave: readonly string[] = SERVICE_FUNCTIONS): Promise<string> {
  const dir = join(CACHE_DIR, 'webview');
  mkdirSync(dir, { recursive: true });
  const service = await startGoService(buildGoProgram('service'));
  const file = join(dir, 'service-cpu.pb.gz');
  try {
    let missing: string[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await fetch(`${service.url}/debug/pprof/profile?seconds=${seconds}`);
      if (!response.ok) throw new Error(`GET /debug/pprof/profile: ${response.status} ${await response.text()}`);
      writeFileSync(file, Buffer.from(await response.arrayBuffer()));
      const graph = flameGraph(prepareQuery(await decodeFile(file), {}));
      missing = mustHave.filter((name) => heaviestNode(graph, name) < 0);
      if (missing.length === 0) return file;
    }
    throw new Error(`five CPU profiles of the test service had no samples of ${missing.join(', ')}`);
  } finally {
    await service.stop();
  }
}

/** The heaviest node of `functionName` in a core flame graph, or -1. */
export function heaviestNode(graph: FlameGraph, functionName: string): number {
  let best = -1;
  for (let i = 1; i < graph.nodeCount; i++) {
    if (graph.strings[graph.name[i]!] !== functionName) continue;
    if (best < 0 || graph.totalValue[i]! > graph.totalValue[best]!) best = i;
  }
  return best;
}

/** The 1-based line of `func <name>(` in a Go source file, read from the file itself. */
export function funcLine(source: string, name: string): number {
  const lines = readFileSync(source, 'utf8').split('\n');
  const index = lines.findIndex((l) => l.startsWith(`func ${name}(`));
  if (index < 0) throw new Error(`func ${name} not found in ${source}`);
  return index + 1;
}
