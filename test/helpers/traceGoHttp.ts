// `go tool trace -http` as a reference: for the filtered trace-derived profiles, the goroutine-group
// pages (`/io?name=…`, `/block?name=…`, `/syscall?name=…`, `/sched?name=…`) and the region pages
// (`/regionio?type=…`, …) serve the profile itself with `raw=1`; the goroutine, region and task pages
// (read by goTraceHttp.ts's parsers) hold the goroutine analysis. The server is Go's own, started on a
// free loopback port; its address is read from the line it logs once the trace is parsed.

import { join } from 'node:path';
import type { TraceProfileType } from '../../core/timeline';
import { goEnv, runGo, startListeningProcess } from './goToolchain';

/** The page of each profile type, without (goroutine groups) and with the `region` prefix. */
export const GO_PROFILE_PAGE: Readonly<Record<TraceProfileType, string>> = { net: 'io', sync: 'block', syscall: 'syscall', sched: 'sched' };

let binary: string | undefined;

/** The trace tool of the installed toolchain (`go tool trace` without the go command's startup). */
export function goTraceToolBinary(): string {
  binary ??= join(runGo(['env', 'GOTOOLDIR']).trim(), 'trace');
  return binary;
}

export interface GoTraceServer {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** GETs `path` (with `raw=1` added) and returns the profile bytes; throws with Go's message on an error page. */
  profile(path: string, query: Record<string, string>): Promise<Uint8Array>;
  /** GETs a page (the goroutine, region and task pages) as text; throws on a status other than 200. */
  get(path: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `go tool trace -http=127.0.0.1:0 FILE` and resolves once it says where it listens (after parsing
 * the trace). BROWSER=true makes its "open a browser" step a no-op. Rejects if it exits first (a trace it
 * cannot read), with its output.
 */
export async function startGoTraceServer(file: string): Promise<GoTraceServer> {
  const service = await startListeningProcess(goTraceToolBinary(), ['-http=127.0.0.1:0', file], { env: { ...goEnv(), BROWSER: 'true' }, timeoutMs: 120_000 });
  return {
    url: service.url,
    stop: () => service.stop(),
    async get(path) {
      const response = await fetch(service.url + path);
      const body = await response.text();
      if (response.status !== 200) throw new Error(`go tool trace answered ${response.status} to ${path}: ${body}`);
      return body;
    },
    async profile(path, query) {
      const response = await fetch(`${service.url}${path}?${new URLSearchParams({ ...query, raw: '1' }).toString()}`);
      const body = new Uint8Array(await response.arrayBuffer());
      if (!response.ok) throw new Error(`go tool trace ${path}: ${response.status} ${new TextDecoder().decode(body)}`);
      return body;
    },
  };
}
