// A CPU profile of the example shop taken while its tracer exports spans: the shop labels the goroutine
// of every sampled span with span_id, trace_id and span_name, so the profile's samples name the spans of
// the span file. Shared by the span-profile tests, with `go tool pprof -tags` as their reference.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPprofTool } from './pprofTool';
import { startShop } from './shopService';

export interface ShopSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentId: string;
  readonly name: string;
}

export interface ShopSpanProfile {
  readonly profile: string;
  readonly spans: readonly ShopSpan[];
}

/** Runs the shop with spans for `seconds` of CPU profiling; the files are in a fresh temporary folder. */
export async function captureShopSpanProfile(seconds = 3): Promise<ShopSpanProfile> {
  const dir = mkdtempSync(join(tmpdir(), 'gtl-span-profile-'));
  const spansFile = join(dir, 'shop-spans.jsonl');
  const profile = join(dir, 'shop-cpu.pb.gz');
  const shop = await startShop({ spans: spansFile });
  try {
    const response = await fetch(`${shop.pprof}/profile?seconds=${seconds}`);
    if (response.status !== 200) throw new Error(`/debug/pprof/profile answered ${response.status}`);
    writeFileSync(profile, new Uint8Array(await response.arrayBuffer()));
  } finally {
    await shop.stop();
  }
  return { profile, spans: readShopSpans(spansFile) };
}

/** The spans of the shop's OTLP/JSON lines (one export request per line). */
export function readShopSpans(file: string): ShopSpan[] {
  const spans: ShopSpan[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const request = JSON.parse(line) as { resourceSpans: { scopeSpans: { spans: { traceId: string; spanId: string; parentSpanId?: string; name: string }[] }[] }[] };
    for (const rs of request.resourceSpans) for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push({ traceId: s.traceId, spanId: s.spanId, parentId: s.parentSpanId ?? '', name: s.name });
  }
  return spans;
}

/** The span and every span below it, in the order of the file. */
export function spanAndDescendants(spans: readonly ShopSpan[], spanId: string): string[] {
  const ids = new Set([spanId]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of spans) {
      if (!ids.has(s.spanId) && ids.has(s.parentId)) {
        ids.add(s.spanId);
        grew = true;
      }
    }
  }
  return [...ids];
}

export interface ToolTags {
  readonly total: number;
  readonly values: ReadonlyMap<string, number>;
}

/** `go tool pprof -tags` of a file in nanoseconds (or the sample type's unit): key → total and value totals. */
export function toolTags(file: string, options: { readonly tagfocus?: string; readonly unit?: string } = {}): Map<string, ToolTags> {
  const args = [`-unit=${options.unit ?? 'ns'}`, '-tags'];
  if (options.tagfocus) args.push(`-tagfocus=${options.tagfocus}`);
  const text = runPprofTool([...args, file]);
  const keys = new Map<string, ToolTags>();
  let current: { total: number; values: Map<string, number> } | undefined;
  for (const line of text.split('\n')) {
    const head = /^ (.+): Total (-?[\d.]+)[A-Za-z]*$/.exec(line);
    if (head) {
      current = { total: Number(head[2]), values: new Map() };
      keys.set(head[1]!, current);
      continue;
    }
    const row = /^\s+(-?[\d.]+)[A-Za-z]* \(\s*[\d.]+%\): (.*)$/.exec(line);
    if (row && current) current.values.set(row[2]!, Number(row[1]));
  }
  return keys;
}
