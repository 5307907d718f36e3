// The backend stand-ins an end-to-end scenario talks to, in a child process (the e2e lib is plain ESM;
// the stand-ins are TypeScript, loaded through tsx): Grafana Tempo with one trace, a second Tempo with
// another behind a bearer token (401 without it, as an authenticating proxy in front of Tempo answers), and
// Grafana Pyroscope serving a merged CPU profile for service_name="shop"; with `search`, a third Tempo
// holding the traces of test/helpers/searchStandIns.ts (one clean, the others with broken chains), with
// the problem count the timeline core finds in each. Reads its configuration as JSON from argv[2], prints
// one JSON line with the URLs, and stops when stdin closes.

import * as http from 'node:http';
import type * as net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSpanTrace } from '../../../core/timeline';
import { generateOtlpTrace, splitOtlpTraces, startPyroscopeServer, startTempoServer, type BackendServer } from '../../helpers/backendServers';
import { searchStandInTraces } from '../../helpers/searchStandIns';

interface StandInConfig {
  /** The bearer token the guarded Tempo wants. */
  readonly token: string;
  /** A raw (not gzipped) pprof profile Pyroscope serves for service_name="shop"; without it, no Pyroscope. */
  readonly profileFile?: string;
  /** Also start the Tempo that "Search Traces…" is run against. */
  readonly search?: boolean;
}

/** The Tempo a search runs against, and each of its traces' broken chains as the timeline core counts them. */
async function startSearchTempo(): Promise<{ server: BackendServer; problems: Record<string, number> }> {
  const { otlp } = searchStandInTraces();
  const problems: Record<string, number> = {};
  for (const [id, document] of otlp) problems[id] = parseSpanTrace(JSON.stringify(document)).problems.filter((p) => p.traceId === id).length;
  return { server: await startTempoServer({ traces: otlp }), problems };
}

/** A proxy that answers 401 unless the request carries `Bearer token`, else passes it to `target`. */
function guard(target: string, token: string): Promise<{ url: string; authorizations: (string | undefined)[]; close(): Promise<void> }> {
  const upstream = new URL(target);
  const authorizations: (string | undefined)[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer realm="tempo"' });
      res.end('Unauthorized\n');
      return;
    }
    const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        authorizations,
        close: () => new Promise<void>((done) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => done());
        }),
      });
    });
  });
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as StandInConfig;
  const tempoTrace = generateOtlpTrace(40, 11);
  const guardedTrace = generateOtlpTrace(25, 23);
  const tempo = await startTempoServer({ traces: splitOtlpTraces(tempoTrace.document) });
  const behindGuard = await startTempoServer({ traces: splitOtlpTraces(guardedTrace.document) });
  const guarded = await guard(behindGuard.url, config.token);
  const pyroscope = config.profileFile === undefined ? undefined : await startPyroscopeServer({
    profileTypes: JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'backends', 'pyroscope-profile-types.json'), 'utf8')),
    labelValues: { service_name: ['shop'] },
    profile: readFileSync(config.profileFile),
  });
  const search = config.search ? await startSearchTempo() : undefined;
  const searchUrls = search ? { search: search.server.url, searchProblems: search.problems } : {};
  process.stdout.write(`${JSON.stringify({ tempo: tempo.url, tempoTraceId: tempoTrace.traceId, guarded: guarded.url, guardedTraceId: guardedTrace.traceId, pyroscope: pyroscope?.url, ...searchUrls })}\n`);
  process.stdin.on('data', (chunk: Buffer) => {
    // "searches\n" asks what the search Tempo's /api/search was sent.
    if (chunk.toString().includes('searches')) process.stdout.write(`${JSON.stringify({ searches: (search?.server.requests ?? []).filter((r) => r.path === '/api/search').map((r) => Object.fromEntries(r.query)) })}\n`);
    // "authorizations\n" asks what the guarded Tempo saw (tokens are compared, never printed in full).
    if (chunk.toString().includes('authorizations')) process.stdout.write(`${JSON.stringify({ authorizations: guarded.authorizations.map((a) => (a === undefined ? null : a === `Bearer ${config.token}` ? 'token' : 'other')) })}\n`);
  });
  process.stdin.on('end', () => {
    void Promise.all([tempo.close(), behindGuard.close(), guarded.close(), pyroscope?.close(), search?.server.close()]).then(() => process.exit(0));
  });
}

void main();
