// Captures a set of real profiles from the Go test service (plain fetch of /debug/pprof/*), saved under
// test/.cache/pprof/, for the pprof conformance tests: CPU, heap, allocs, goroutine, mutex, block,
// threadcreate, delta profiles (`?seconds=1`), and a second allocs/goroutine capture to diff against.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, buildGoProgram, startGoService } from './goToolchain';

export const PPROF_CACHE = join(CACHE_DIR, 'pprof');

export interface CapturedProfile {
  /** e.g. "cpu", "heap", "heap-delta". */
  readonly name: string;
  readonly file: string;
  /** The endpoint kind, for kind inference checks. */
  readonly kind: string;
}

async function download(url: string, file: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
}

/** Runs the service with background load and a goroutine leak, and captures every profile kind. */
export async function captureServiceProfiles(): Promise<CapturedProfile[]> {
  mkdirSync(PPROF_CACHE, { recursive: true });
  const service = await startGoService(buildGoProgram('service'), ['-leak', '7']);
  const captured: CapturedProfile[] = [];
  const get = async (name: string, kind: string, path: string) => {
    const file = join(PPROF_CACHE, `${name}.pb.gz`);
    await download(`${service.url}${path}`, file);
    captured.push({ name, kind, file });
  };
  try {
    // Let the load run so that allocation, lock and blocking profiles have samples.
    await new Promise((resolve) => setTimeout(resolve, 700));
    await get('allocs-before', 'allocs', '/debug/pprof/allocs');
    await get('goroutine-before', 'goroutine', '/debug/pprof/goroutine');
    await Promise.all([
      get('cpu', 'cpu', '/debug/pprof/profile?seconds=2'),
      get('heap-delta', 'heap', '/debug/pprof/heap?seconds=1'),
      get('mutex-delta', 'mutex', '/debug/pprof/mutex?seconds=1'),
      get('block-delta', 'block', '/debug/pprof/block?seconds=1'),
      get('allocs-delta', 'allocs', '/debug/pprof/allocs?seconds=1'),
      get('goroutine-delta', 'goroutine', '/debug/pprof/goroutine?seconds=1'),
    ]);
    for (const kind of ['heap', 'allocs', 'goroutine', 'mutex', 'block', 'threadcreate']) await get(kind, kind, `/debug/pprof/${kind}`);
  } finally {
    await service.stop();
  }
  return captured.sort((a, b) => (a.name < b.name ? -1 : 1));
}
