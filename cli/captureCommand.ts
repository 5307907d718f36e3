// `go-trace-lens capture KIND URL`: one profile or execution trace from a running service's /debug/pprof,
// through the same capture core as the extension. Prints where the file went (stdout, one line, for
// scripts) and a summary (stderr); on failure prints the core's message and exits non-zero.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { captureToFile, DEFAULT_MAX_CAPTURE_BYTES, type CaptureResult } from '../core/capture/index.node';
import { CaptureError, USAGE_ERROR_CODES, parseHeaderLine, CAPTURE_KINDS, CAPTURE_KIND_IDS, findCaptureKind, formatBytes } from '../core/capture';
import { UsageError, flag, flagList, intFlag, parseArgs } from './args';
import type { CliCommand, CliIO } from './io';

/** Where captures go when --out is not given: the same folder the extension uses. */
export const DEFAULT_CAPTURE_FOLDER = '.pprof';

const KIND_LINES = CAPTURE_KINDS.map((k) => `  ${k.id.padEnd(13)} ${k.description}${k.timed ? ` (default ${k.defaultSeconds} s)` : ''}`).join('\n');

function describe(result: CaptureResult): string {
  // The capture decoded the whole profile (wholeProfile), so its sample count is known.
  const samples = result.format.type === 'pprof' && result.format.sampleCount !== undefined ? `, ${result.format.sampleCount} samples` : '';
  const what = result.format.type === 'trace' ? `execution trace (Go ${result.format.goVersion})` : `${result.kind.label} profile${samples}`;
  return `saved ${what}, ${formatBytes(result.bytes)}, to ${result.path}`;
}

/** Resolves --out into a folder and, when it names a file, the file name. */
function destinationOf(out: string | undefined, cwd: string): { folder: string; fileName?: string } {
  if (out === undefined) return { folder: path.resolve(cwd, DEFAULT_CAPTURE_FOLDER) };
  const full = path.resolve(cwd, out);
  let isDirectory = out.endsWith('/') || out.endsWith(path.sep);
  try {
    isDirectory ||= fs.statSync(full).isDirectory();
  } catch {
    // Does not exist yet: a file name unless it ends with a slash.
  }
  return isDirectory ? { folder: full } : { folder: path.dirname(full), fileName: path.basename(full) };
}

export const captureCommand: CliCommand = {
  name: 'capture',
  summary: 'capture a profile or execution trace from a running service\'s /debug/pprof',
  usage: `usage: go-trace-lens capture KIND [--seconds N] [--header 'K: V']... [--out FILE|DIR] URL

URL is the service's pprof base, e.g. http://localhost:6060/debug/pprof (http and https only; a bare
http://HOST:PORT means HOST:PORT/debug/pprof). KIND is one of:
${KIND_LINES}

  --seconds N        duration of cpu, trace and the *-delta kinds
  --header 'K: V'    send a request header (repeatable), e.g. 'Authorization: Bearer TOKEN'
  --auth-env VAR     send the Authorization header from the environment variable VAR
                     (keeps the token out of the process list and shell history)
  --out FILE|DIR     save as FILE (replacing it), or into DIR with the generated name
                     (default: ${DEFAULT_CAPTURE_FOLDER}/<endpoint>-<kind>-<timestamp>.<ext> in the current directory)
  --name NAME        endpoint name for the generated file name (default: HOST-PORT)
  --max-size MB      size cap of the download (default ${DEFAULT_MAX_CAPTURE_BYTES / 1024 / 1024})
  --timeout S        seconds allowed beyond the capture's duration (default 120)
  --ca FILE          trust this PEM CA certificate for https (besides the system's)
  --allow-redirect URL  follow a redirect to this other host (not followed otherwise)
  --verbose          log each step to stderr (credentials are never printed)

The path of the saved file is printed on stdout; nothing is kept when the capture fails or is cancelled.
Exit status: 0 saved, 1 the capture failed, 2 usage error.`,

  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseArgs(
      argv,
      {
        seconds: { value: true },
        header: { value: true, repeatable: true },
        'auth-env': { value: true },
        out: { value: true },
        name: { value: true },
        'max-size': { value: true },
        timeout: { value: true },
        ca: { value: true },
        'allow-redirect': { value: true, repeatable: true },
        verbose: {},
        help: {},
      },
      'capture',
    );
    if (flag(args, 'help')) {
      io.out(this.usage + '\n');
      return 0;
    }
    const [kindId, url, ...extra] = args.positionals;
    if (kindId === undefined) throw new UsageError(`no KIND given. Kinds: ${CAPTURE_KIND_IDS.join(', ')}. Example: go-trace-lens capture heap http://localhost:6060/debug/pprof`);
    const kind = findCaptureKind(kindId);
    if (!kind) throw new UsageError(`unknown kind "${kindId}". Kinds: ${CAPTURE_KIND_IDS.join(', ')}.`);
    if (url === undefined) throw new UsageError(`no URL given. Example: go-trace-lens capture ${kind.id} http://localhost:6060/debug/pprof`);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}": give one KIND and one URL.`);

    const headers: Record<string, string> = {};
    try {
      for (const line of flagList(args, 'header')) {
        const [name, value] = parseHeaderLine(line);
        headers[name] = value;
      }
    } catch (error) {
      if (error instanceof CaptureError) throw new UsageError(`--header: ${error.message}`);
      throw error;
    }
    const authEnv = flag(args, 'auth-env');
    if (authEnv !== undefined) {
      const value = process.env[authEnv];
      if (value === undefined || value === '') throw new UsageError(`--auth-env ${authEnv}: the environment variable ${authEnv} is not set.`);
      headers.Authorization = value;
    }
    const maxSizeMb = intFlag(args, 'max-size');
    if (maxSizeMb === 0) throw new UsageError('--max-size must be at least 1 (MB).');
    const timeoutSeconds = intFlag(args, 'timeout');
    if (timeoutSeconds === 0) throw new UsageError('--timeout must be at least 1 (second).');
    const rawSeconds = flag(args, 'seconds');
    if (rawSeconds !== undefined && !/^\d+$/.test(rawSeconds)) throw new UsageError(`--seconds must be a whole number of seconds (got "${rawSeconds}").`);
    const caFile = flag(args, 'ca');
    let ca: Buffer | undefined;
    if (caFile !== undefined) {
      try {
        ca = fs.readFileSync(path.resolve(io.cwd, caFile));
      } catch (error) {
        throw new UsageError(`--ca ${caFile}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
      }
    }
    const { folder, fileName } = destinationOf(flag(args, 'out'), io.cwd);
    const name = flag(args, 'name');
    const verbose = flag(args, 'verbose') !== undefined;

    const controller = new AbortController();
    const onInterrupt = (): void => controller.abort();
    process.once('SIGINT', onInterrupt);
    process.once('SIGTERM', onInterrupt);
    try {
      const seconds = rawSeconds !== undefined ? Number(rawSeconds) : kind.timed ? kind.defaultSeconds : undefined;
      io.err(`capturing ${kind.label}${seconds !== undefined && kind.timed ? ` for ${seconds} s` : ''}…\n`);
      const result = await captureToFile(
        { endpoint: { baseUrl: url, headers, ...(name !== undefined ? { name } : {}) }, kind, ...(rawSeconds !== undefined ? { seconds: Number(rawSeconds) } : {}), destination: folder },
        {
          signal: controller.signal,
          ...(fileName !== undefined ? { fileName } : {}),
          ...(maxSizeMb !== undefined ? { maxBytes: maxSizeMb * 1024 * 1024 } : {}),
          ...(timeoutSeconds !== undefined ? { timeoutMs: timeoutSeconds * 1000 } : {}),
          ...(ca !== undefined ? { ca } : {}),
          allowRedirectTo: flagList(args, 'allow-redirect'),
          wholeProfile: true,
          ...(verbose ? { log: (line: string) => io.err(`  ${line}\n`) } : {}),
        },
      );
      io.err(`${describe(result)}\n`);
      if (result.notice) io.err(`note: ${result.notice}\n`);
      io.out(`${result.path}\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof CaptureError)) throw error;
      const hint = error.code === 'redirect-to-other-host' && error.details.redirectOrigin ? ` On the command line: --allow-redirect ${error.details.redirectOrigin}` : '';
      io.err(`go-trace-lens capture: ${error.message}${hint}\n`);
      return USAGE_ERROR_CODES.has(error.code) ? 2 : 1;
    } finally {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onInterrupt);
    }
  },
};
