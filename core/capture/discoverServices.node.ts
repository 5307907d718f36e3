// "Discover local services": lists the TCP ports listening on loopback (from /proc/net/tcp and
// /proc/net/tcp6) and asks each, in parallel and with a short timeout, for a Go pprof index at
// /debug/pprof/. What answers with one is offered as an endpoint. Linux only; elsewhere it fails with
// `discovery-unavailable`.

import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaptureError } from './captureError';
import { DEFAULT_PPROF_PATH } from './endpointUrl';
import { parsePprofIndex, type PprofIndexEntry } from './pprofIndex';
import { loopbackListeners, parseProcNetTcp, type LoopbackListener, type TcpSocketEntry } from './procNetTcp';

export interface DiscoveredService {
  /** Endpoint base URL, e.g. `http://127.0.0.1:6060/debug/pprof`. */
  readonly baseUrl: string;
  readonly port: number;
  readonly host: string;
  /** The profiles its index lists. */
  readonly profiles: readonly PprofIndexEntry[];
}

export interface DiscoveryResult {
  /** Services that answered with a pprof index, by port. */
  readonly services: DiscoveredService[];
  /** How many listening loopback ports were probed. */
  readonly probedPorts: number;
}

export interface DiscoveryOptions {
  /** Per-port time limit for connecting and reading the index (default 1 s). */
  readonly timeoutMs?: number;
  /** Probes in flight at once (default 16). */
  readonly concurrency?: number;
  /** Where the kernel's tables are (default /proc/net). */
  readonly procNetDir?: string;
  /** Ports not to probe (e.g. the editor's own). */
  readonly excludePorts?: readonly number[];
  /** Probe only these ports (when they listen); all listening loopback ports otherwise. */
  readonly onlyPorts?: readonly number[];
  readonly signal?: AbortSignal;
}

const INDEX_LIMIT_BYTES = 256 * 1024;

async function readTable(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The listening loopback ports of this machine, from the kernel's TCP tables. */
export async function listLoopbackListeners(procNetDir = '/proc/net'): Promise<LoopbackListener[]> {
  const littleEndian = os.endianness() === 'LE';
  const [tcp, tcp6] = await Promise.all([readTable(path.join(procNetDir, 'tcp')), readTable(path.join(procNetDir, 'tcp6'))]);
  if (tcp === undefined && tcp6 === undefined) {
    throw new CaptureError(
      'discovery-unavailable',
      `Discovering local services reads ${path.join(procNetDir, 'tcp')}, which this system does not have (it works on Linux). Enter the service's URL instead, e.g. http://localhost:6060/debug/pprof.`,
    );
  }
  const entries: TcpSocketEntry[] = [...parseProcNetTcp(tcp ?? '', 4, littleEndian), ...parseProcNetTcp(tcp6 ?? '', 6, littleEndian)];
  return loopbackListeners(entries);
}

/** GETs the pprof index on one port; resolves to its profiles, or undefined for anything else. */
export function probePprofIndex(listener: LoopbackListener, timeoutMs: number, signal?: AbortSignal): Promise<PprofIndexEntry[] | undefined> {
  return new Promise((resolve) => {
    const host = listener.host === '::1' ? '[::1]' : listener.host;
    let settled = false;
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: PprofIndexEntry[] | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish(undefined);
    const req = http.get(`http://${host}:${listener.port}${DEFAULT_PPROF_PATH}/`, { agent: false, headers: { 'User-Agent': 'go-trace-lens', Accept: 'text/html' } }, (response) => {
      if (response.statusCode !== 200) return finish(undefined);
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size > INDEX_LIMIT_BYTES) finish(undefined);
      });
      response.on('end', () => finish(parsePprofIndex(Buffer.concat(chunks).toString('utf8'))));
      response.on('error', () => finish(undefined));
    });
    req.on('error', () => finish(undefined));
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    if (signal?.aborted) finish(undefined);
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Probes every listening loopback port for a pprof index. */
export async function discoverLocalServices(options: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const timeoutMs = options.timeoutMs ?? 1000;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const excluded = new Set(options.excludePorts ?? []);
  const only = options.onlyPorts ? new Set(options.onlyPorts) : undefined;
  const listeners = (await listLoopbackListeners(options.procNetDir)).filter((l) => !excluded.has(l.port) && (!only || only.has(l.port)));
  const found: (DiscoveredService | undefined)[] = new Array(listeners.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < listeners.length && !options.signal?.aborted) {
      const index = next++;
      const listener = listeners[index]!;
      const profiles = await probePprofIndex(listener, timeoutMs, options.signal);
      if (profiles) {
        const host = listener.host === '::1' ? '[::1]' : listener.host;
        found[index] = { baseUrl: `http://${host}:${listener.port}${DEFAULT_PPROF_PATH}`, port: listener.port, host: listener.host, profiles };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, listeners.length) }, worker));
  if (options.signal?.aborted) throw new CaptureError('cancelled', 'Discovering local services was cancelled.');
  return { services: found.filter((s): s is DiscoveredService => s !== undefined), probedPorts: listeners.length };
}
