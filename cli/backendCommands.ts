// `go-trace-lens trace get|search` and `go-trace-lens pprof get`: traces from Jaeger, Tempo and Zipkin,
// merged profiles from Pyroscope and Parca, through the backends core the extension uses. Files are written
// whole or not at all (a temporary file renamed into place) and only after they were read back as a span
// trace or a profile. Credentials come from --header or the environment and are never printed.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { BACKEND_KINDS, BACKEND_USAGE_ERROR_CODES, BackendError, PROFILE_BACKEND_KINDS, TRACE_BACKEND_KINDS, parseDuration, parseTimeRange, type BackendCredentials, type BackendKind, type BackendSource, type TraceApi, type TraceSummary } from '../core/backends';
import { fetchProfile, fetchTrace, searchTraces, type TransportOptions } from '../core/backends/index.node';
import { CaptureError, formatBytes, parseHeaderLine } from '../core/capture';
import { decodeProfileBytes } from '../core/profiles/index.node';
import { isProfileError } from '../core/profiles';
import { TraceError, parseSpanTrace, summarizeSpanTrace } from '../core/timeline';
import { UsageError, flag, flagList, intFlag, parseArgs, type FlagSpec, type ParsedArgs } from './args';
import type { CliIO } from './io';

/** Environment variables the backend commands read credentials from. */
export const TOKEN_ENV = 'GO_TRACE_LENS_TOKEN';
export const BASIC_AUTH_ENV = 'GO_TRACE_LENS_BASIC_AUTH';
export const TENANT_ENV = 'GO_TRACE_LENS_TENANT';

/** Where `pprof get` saves when --out is not given: the folder captures go to. */
const DEFAULT_PROFILE_FOLDER = '.pprof';

const CONNECTION_FLAGS: Record<string, FlagSpec> = {
  backend: { value: true },
  url: { value: true },
  header: { value: true, repeatable: true },
  timeout: { value: true },
  'max-size': { value: true },
  verbose: {},
  help: {},
};

const RANGE_FLAGS: Record<string, FlagSpec> = { since: { value: true }, from: { value: true }, to: { value: true } };

function connectionUsage(kinds: readonly BackendKind[]): string {
  const examples = BACKEND_KINDS.filter((k) => kinds.includes(k.kind)).map((k) => `${k.exampleUrl} (${k.label})`).join(', ');
  return `  --backend KIND       ${kinds.join(', ')}
  --url URL            the backend's query API, e.g. ${examples}
  --header 'K: V'      send a request header (repeatable)
  --timeout S          seconds one request may take (default 120)
  --max-size MB        size cap of an answer (default 512)
  --verbose            log each request to stderr (credentials are never printed)
Credentials: ${TOKEN_ENV} (a bearer token) or ${BASIC_AUTH_ENV} (user:password), and
${TENANT_ENV} (sent as X-Scope-OrgID, for multi-tenant backends); --header overrides them.`;
}

const RANGE_USAGE = `  --since DURATION     look back this far from now or from --to (default 1h; 30m, 6h, 2d)
  --from T, --to T     the time range, RFC 3339 (2026-08-21T10:00:00Z) or Unix seconds`;

/** Usage lines `trace --help` lists under its own, and the section describing them. */
export const TRACE_BACKEND_USAGE_LINES = `       go-trace-lens trace get --backend jaeger|tempo|zipkin --url URL [--out FILE] TRACE_ID
       go-trace-lens trace search --backend jaeger|tempo|zipkin --url URL --service S [options]`;

export const TRACE_BACKEND_USAGE = `get       one trace by ID from a backend, written as a span file that "trace summary" and the timeline
          read (to FILE, replaced whole, or to stdout). TRACE_ID: 32 or 16 hex digits (any case, dashes
          allowed), a traceparent header, or base64.
  --out FILE           write here instead of stdout (the path is printed on stdout)
  --api v1|v2|v3       which API to ask (Jaeger v1 or v3, Tempo v1 or v2; default: the newest that answers)
search    traces of a service in a time range: trace ID, start, duration, span count, root span.
  --service S          the service (required)
  --operation O        only traces with a span of this name
  --tag KEY=VALUE      only traces with a span having this tag (repeatable)
  --min-duration D     only traces with a span at least this long (100ms, 1.5s)
  --limit N            most traces listed (default 20)
  --format text|json   json: {"traces":[{"traceId","rootService","rootName","startUnixNano","durationNs",
                       "spanCount","services"}]} (spanCount null when the backend does not say)
${RANGE_USAGE}
get and search:
${connectionUsage(TRACE_BACKEND_KINDS)}
get and search exit 1 when the backend fails or has no such trace.`;

/** The usage line `pprof --help` lists under its own, and the section describing it. */
export const PPROF_BACKEND_USAGE_LINES = `       go-trace-lens pprof get --backend pyroscope|parca --url URL --type TYPE --selector SEL [options]`;

export const PPROF_BACKEND_USAGE = `get       the profile merged over a selector and time range, saved gzipped for "pprof top" and the editor.
  --type TYPE          process_cpu:cpu:nanoseconds:cpu:nanoseconds, or a sample type the backend has once
                       (cpu, alloc_space, inuse_space); the error lists the types when it is not found
  --selector SEL       label selector, e.g. '{service_name="checkout"}'
  --out FILE           save as FILE (default ${DEFAULT_PROFILE_FOLDER}/<kind>-<sample type>-<time>.pb.gz); the path is printed
${RANGE_USAGE}
${connectionUsage(PROFILE_BACKEND_KINDS)}
get exits 1 when the backend fails or has no matching profiles.`;

const UNAUTHORIZED_HINT = ` On the command line: ${TOKEN_ENV}=TOKEN or ${BASIC_AUTH_ENV}=user:password (or --header 'Authorization: …'), and ${TENANT_ENV}=TENANT for a multi-tenant backend.`;

function kindFlag(args: ParsedArgs, allowed: readonly BackendKind[], example: string): BackendKind {
  const kind = flag(args, 'backend');
  if (kind === undefined) throw new UsageError(`--backend is required: one of ${allowed.join(', ')}. Example: ${example}`);
  if (!allowed.includes(kind as BackendKind)) {
    const other = BACKEND_KINDS.find((k) => k.kind === kind);
    throw new UsageError(other ? `${other.label} serves ${other.serves}: use it with "${other.serves === 'traces' ? 'trace get/search' : 'pprof get'}". Here --backend takes ${allowed.join(', ')}.` : `--backend must be one of ${allowed.join(', ')} (got "${kind}").`);
  }
  return kind as BackendKind;
}

function credentialsFromEnvironment(): BackendCredentials | undefined {
  const token = process.env[TOKEN_ENV];
  const basic = process.env[BASIC_AUTH_ENV];
  if (token && basic) throw new UsageError(`both ${TOKEN_ENV} and ${BASIC_AUTH_ENV} are set; set one.`);
  if (token) return { bearerToken: token };
  if (basic) {
    const colon = basic.indexOf(':');
    if (colon <= 0) throw new UsageError(`${BASIC_AUTH_ENV} must be user:password.`);
    return { username: basic.slice(0, colon), password: basic.slice(colon + 1) };
  }
  return undefined;
}

function sourceOf(args: ParsedArgs, kind: BackendKind): BackendSource {
  const url = flag(args, 'url');
  if (url === undefined) throw new UsageError(`--url is required, e.g. --url ${BACKEND_KINDS.find((k) => k.kind === kind)!.exampleUrl}`);
  let headers: Record<string, string>;
  try {
    headers = Object.fromEntries(flagList(args, 'header').map(parseHeaderLine));
  } catch (error) {
    throw error instanceof CaptureError ? new UsageError(`--header: ${error.message}`) : error;
  }
  const credentials = credentialsFromEnvironment();
  const tenant = process.env[TENANT_ENV];
  return { kind, url, headers, ...(credentials ? { credentials } : {}), ...(tenant ? { tenant } : {}) };
}

function transportOptions(args: ParsedArgs, io: CliIO, signal: AbortSignal): TransportOptions {
  const timeout = intFlag(args, 'timeout');
  if (timeout === 0) throw new UsageError('--timeout must be at least 1 (second).');
  const maxSize = intFlag(args, 'max-size');
  if (maxSize === 0) throw new UsageError('--max-size must be at least 1 (MB).');
  return {
    signal,
    ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
    ...(maxSize !== undefined ? { maxBytes: maxSize * 1024 * 1024 } : {}),
    ...(flag(args, 'verbose') ? { log: (line: string) => io.err(`  ${line}\n`) } : {}),
  };
}

function rangeOf(args: ParsedArgs): ReturnType<typeof parseTimeRange> {
  return parseTimeRange({ since: flag(args, 'since'), from: flag(args, 'from'), to: flag(args, 'to') });
}

/** Runs a backend command: SIGINT cancels it; BackendErrors print their message (exit 2 for usage, 1 otherwise). */
async function runBackendCommand(command: string, io: CliIO, body: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  try {
    return await body(controller.signal);
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    if (BACKEND_USAGE_ERROR_CODES.has(error.code)) throw new UsageError(error.message);
    io.err(`go-trace-lens ${command}: ${error.message}${error.code === 'unauthorized' ? UNAUTHORIZED_HINT : ''}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
}

/** Writes `data` to `file` whole: into a temporary file beside it, then renamed over it. */
async function writeWhole(file: string, data: string | Uint8Array): Promise<void> {
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial-${randomBytes(6).toString('hex')}`);
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(partial, data, { flag: 'wx' });
    await fs.rename(partial, file);
  } catch (error) {
    await fs.rm(partial, { force: true }).catch(() => undefined);
    throw new UsageError(`cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}); choose a file in a folder you can write to.`);
  }
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

export async function traceGet(argv: readonly string[], io: CliIO, usage: string): Promise<number> {
  const args = parseArgs(argv, { ...CONNECTION_FLAGS, out: { value: true }, api: { value: true, choices: ['v1', 'v2', 'v3'] } }, 'trace get');
  if (flag(args, 'help')) {
    io.out(`${usage}\n`);
    return 0;
  }
  const kind = kindFlag(args, TRACE_BACKEND_KINDS, 'go-trace-lens trace get --backend tempo --url http://localhost:3200 TRACE_ID');
  if (args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? 'no TRACE_ID given.' : `expected one TRACE_ID, got ${args.positionals.length}.`);
  const source = sourceOf(args, kind);
  const out = flag(args, 'out');
  const api = flag(args, 'api') as TraceApi | undefined;
  return runBackendCommand('trace get', io, async (signal) => {
    const trace = await fetchTrace(source, args.positionals[0]!, { ...transportOptions(args, io, signal), ...(api ? { api } : {}) });
    let model;
    try {
      model = parseSpanTrace(trace.text);
    } catch (error) {
      if (!(error instanceof TraceError)) throw error;
      io.err(`go-trace-lens trace get: the trace ${trace.traceId} from ${trace.url} cannot be read: ${error.message}\n`);
      return 1;
    }
    const summary = summarizeSpanTrace(model);
    const problems = summary.problems.length > 0 ? `, ${plural(summary.problems.length, 'broken-chain problem')} (see "trace summary")` : '';
    const where = out !== undefined ? path.resolve(io.cwd, out) : undefined;
    if (where !== undefined) await writeWhole(where, trace.text);
    io.err(`fetched trace ${trace.traceId}: ${plural(summary.spans, 'span')}, ${plural(summary.services, 'service')}${problems}, ${formatBytes(trace.bytes)} from ${trace.url}${where ? `, saved to ${where}` : ''}\n`);
    if (trace.partial) io.err(`note: the backend returned part of the trace only: ${trace.partial}\n`);
    io.out(where !== undefined ? `${where}\n` : trace.text.endsWith('\n') ? trace.text : `${trace.text}\n`);
    return 0;
  });
}

function parseTags(values: readonly string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new UsageError(`--tag takes KEY=VALUE (got "${value}"), e.g. --tag http.status_code=500.`);
    tags[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return tags;
}

function durationText(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  return `${(ns / 1e6).toFixed(ns >= 1e7 ? 1 : 2)} ms`;
}

function searchTable(traces: readonly TraceSummary[]): string {
  const rows = traces.map((t) => [
    t.traceId,
    new Date(Number(BigInt(t.startUnixNano) / 1_000_000n)).toISOString().replace('T', ' '),
    durationText(t.durationNs),
    t.spanCount === undefined ? '?' : String(t.spanCount),
    `${t.rootService}: ${t.rootName}${t.services.length > 1 ? `  (${t.services.length} services)` : ''}`,
  ]);
  const header = ['TRACE ID', 'START (UTC)', 'DURATION', 'SPANS', 'ROOT'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : i === 2 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export async function traceSearch(argv: readonly string[], io: CliIO, usage: string): Promise<number> {
  const args = parseArgs(
    argv,
    { ...CONNECTION_FLAGS, ...RANGE_FLAGS, service: { value: true }, operation: { value: true }, tag: { value: true, repeatable: true }, 'min-duration': { value: true }, limit: { value: true }, format: { value: true, choices: ['text', 'json'] } },
    'trace search',
  );
  if (flag(args, 'help')) {
    io.out(`${usage}\n`);
    return 0;
  }
  const kind = kindFlag(args, TRACE_BACKEND_KINDS, 'go-trace-lens trace search --backend jaeger --url http://localhost:16686 --service checkout');
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}".`);
  const service = flag(args, 'service');
  if (!service) throw new UsageError('--service is required: the service whose traces to list.');
  const source = sourceOf(args, kind);
  const minDuration = flag(args, 'min-duration');
  const operation = flag(args, 'operation');
  const limit = intFlag(args, 'limit');
  return runBackendCommand('trace search', io, async (signal) => {
    const query = {
      service,
      ...(operation ? { operation } : {}),
      tags: parseTags(flagList(args, 'tag')),
      ...(minDuration !== undefined ? { minDurationNs: parseDuration(minDuration, 'minimum duration') } : {}),
      range: rangeOf(args),
      ...(limit !== undefined ? { limit } : {}),
    };
    const traces = await searchTraces(source, query, transportOptions(args, io, signal));
    if (flag(args, 'format') === 'json') {
      io.out(`${JSON.stringify({ traces: traces.map((t) => ({ ...t, spanCount: t.spanCount ?? null })) })}\n`);
    } else if (traces.length === 0) {
      io.err(`No traces of ${service} match in ${new Date(query.range.startMs).toISOString()} to ${new Date(query.range.endMs).toISOString()}.\n`);
    } else {
      io.out(searchTable(traces));
    }
    return 0;
  });
}

function defaultProfileFile(cwd: string, kind: BackendKind, sampleType: string): string {
  const time = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return path.join(cwd, DEFAULT_PROFILE_FOLDER, `${kind}-${sampleType.replace(/[^\w.-]+/g, '_')}-${time}.pb.gz`);
}

export async function pprofGet(argv: readonly string[], io: CliIO, usage: string): Promise<number> {
  const args = parseArgs(argv, { ...CONNECTION_FLAGS, ...RANGE_FLAGS, type: { value: true }, selector: { value: true }, out: { value: true } }, 'pprof get');
  if (flag(args, 'help')) {
    io.out(`${usage}\n`);
    return 0;
  }
  const kind = kindFlag(args, PROFILE_BACKEND_KINDS, `go-trace-lens pprof get --backend pyroscope --url http://localhost:4040 --type cpu --selector '{service_name="checkout"}'`);
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}".`);
  const type = flag(args, 'type');
  if (!type) throw new UsageError('--type is required, e.g. --type process_cpu:cpu:nanoseconds:cpu:nanoseconds or --type cpu.');
  const selector = flag(args, 'selector');
  if (!selector) throw new UsageError(`--selector is required, e.g. --selector '{service_name="checkout"}'.`);
  const source = sourceOf(args, kind);
  const out = flag(args, 'out');
  return runBackendCommand('pprof get', io, async (signal) => {
    const range = rangeOf(args);
    const fetched = await fetchProfile(source, { type, selector, range }, transportOptions(args, io, signal));
    let samples: number;
    try {
      samples = decodeProfileBytes(fetched.bytes).samples.count;
    } catch (error) {
      if (!isProfileError(error)) throw error;
      io.err(`go-trace-lens pprof get: the profile from ${fetched.url} cannot be read: ${error.message}\n`);
      return 1;
    }
    if (samples === 0) {
      io.err(`go-trace-lens pprof get: ${fetched.url} sent a profile with no samples: no ${fetched.type.id} profiles match ${fetched.selector} in that time range. Check the selector, the type, or widen the range.\n`);
      return 1;
    }
    const file = out !== undefined ? path.resolve(io.cwd, out) : defaultProfileFile(io.cwd, kind, fetched.type.sampleType);
    const gzipped = fetched.gzipped ? fetched.bytes : await promisify(gzip)(fetched.bytes);
    await writeWhole(file, gzipped);
    const span = `${new Date(range.startMs).toISOString()} to ${new Date(range.endMs).toISOString()}`;
    io.err(`saved the merged ${fetched.type.id} profile of ${fetched.selector} (${plural(samples, 'sample')}, ${span}, ${formatBytes(gzipped.length)}) from ${fetched.url} to ${file}\n`);
    io.out(`${file}\n`);
    return 0;
  });
}
