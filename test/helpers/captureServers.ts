// Misbehaving local servers for the capture tests: each stands for one way a /debug/pprof endpoint goes
// wrong in real life (refusing, hanging, dripping, 404, HTML, 401/403, Go's 500s with Go's exact texts,
// truncated bodies, oversized bodies, redirects to another host). They are real sockets on 127.0.0.1 that
// record what they were sent, and they close every connection when stopped.

import * as http from 'node:http';
import * as net from 'node:net';
import { gzipSync } from 'node:zlib';

export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  /** The pprof base URL on this server. */
  readonly baseUrl: string;
  /** Headers of every request received, in order. */
  readonly requests: http.IncomingHttpHeaders[];
  /** Paths (with query) of every request received. */
  readonly paths: string[];
  /** Connections accepted so far (also counts connections that never sent a request). */
  connections(): number;
  close(): Promise<void>;
}

function track(server: net.Server): { sockets: Set<net.Socket>; count: () => number } {
  const sockets = new Set<net.Socket>();
  let count = 0;
  server.on('connection', (socket: net.Socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return { sockets, count: () => count };
}

function listen(server: net.Server, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port));
  });
}

function closer(server: net.Server, sockets: Set<net.Socket>, timers: Set<NodeJS.Timeout>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

/** An HTTP server on 127.0.0.1 running `handler`; `timers` registered through `every` stop on close. */
export async function startHttpServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, every: (ms: number, fn: () => void) => NodeJS.Timeout) => void): Promise<TestServer> {
  const requests: http.IncomingHttpHeaders[] = [];
  const paths: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const every = (ms: number, fn: () => void): NodeJS.Timeout => {
    const timer = setInterval(fn, ms);
    timers.add(timer);
    return timer;
  };
  const server = http.createServer((req, res) => {
    requests.push(req.headers);
    paths.push(req.url ?? '');
    handler(req, res, every);
  });
  const { sockets, count } = track(server);
  const port = await listen(server);
  const origin = `http://127.0.0.1:${port}`;
  return { origin, port, baseUrl: `${origin}/debug/pprof`, requests, paths, connections: count, close: closer(server, sockets, timers) };
}

/** A port on 127.0.0.1 where nothing listens (it was bound and released): connections are refused. */
export async function refusingPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Accepts TCP connections and never answers. */
export async function startHangingServer(): Promise<TestServer> {
  const server = net.createServer(() => undefined);
  const { sockets, count } = track(server);
  const port = await listen(server);
  const origin = `http://127.0.0.1:${port}`;
  return { origin, port, baseUrl: `${origin}/debug/pprof`, requests: [], paths: [], connections: count, close: closer(server, sockets, new Set()) };
}

/** Answers 200 with a large Content-Length, then sends one byte a second. */
export function startDrippingServer(): Promise<TestServer> {
  return startHttpServer((_req, res, every) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': '100000' });
    res.write(Buffer.from([0x1f]));
    every(1000, () => res.write(Buffer.from([0x8b])));
  });
}

/** Answers every request with `status`, `body` and `headers`. */
export function startStatusServer(status: number, body: string, headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' }): Promise<TestServer> {
  return startHttpServer((_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  });
}

/** What Go's net/http/pprof serveError writes: text/plain, X-Go-Pprof: 1, the text and a newline. */
export function startGoErrorServer(status: number, text: string): Promise<TestServer> {
  return startStatusServer(status, `${text}\n`, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Go-Pprof': '1', 'X-Content-Type-Options': 'nosniff' });
}

/** Go's exact 500 when a CPU profile is already running (net/http/pprof.Profile). */
export const GO_CPU_IN_USE = 'Could not enable CPU profiling: cpu profiling already in use';
/** Go's exact 500 when an execution trace is already running (net/http/pprof.Trace). */
export const GO_TRACE_IN_USE = 'Could not enable tracing: tracing is already enabled';

/** A login page where a profile was expected. */
export const LOGIN_PAGE = '<!DOCTYPE html>\n<html><head><title>Sign in - Example SSO</title></head><body><form>…</form></body></html>\n';

/** Announces twice the body's length, sends the body, then closes the connection. */
export function startShortBodyServer(body: Uint8Array): Promise<TestServer> {
  return startHttpServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length * 2) });
    res.write(body, () => setTimeout(() => res.socket?.destroy(), 50));
  });
}

/** Serves `body` as a complete, chunked (no Content-Length) 200 response in 16 KB writes. */
export function startChunkedServer(body: Uint8Array, contentType = 'application/octet-stream'): Promise<TestServer> {
  return startHttpServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': contentType });
    for (let i = 0; i < body.length; i += 16384) res.write(body.subarray(i, i + 16384));
    res.end();
  });
}

/** Serves `body` with its Content-Length. */
export function startBytesServer(body: Uint8Array, contentType = 'application/octet-stream'): Promise<TestServer> {
  return startHttpServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(body.length) });
    res.end(body);
  });
}

/** Redirects every request to `location(req)` with `status`. */
export function startRedirectServer(location: (path: string) => string, status = 302): Promise<TestServer> {
  return startHttpServer((req, res) => {
    res.writeHead(status, { Location: location(req.url ?? '/') });
    res.end();
  });
}

/** A gzip stream of `size` pseudo-random bytes, cut to its first `keep` bytes. */
export function cutGzip(data: Uint8Array, keep: number): Buffer {
  return gzipSync(data).subarray(0, keep);
}
