// `go-trace-lens pprof top|lines`: a profile's top functions or lines, with go tool pprof's numbers and
// filters, as text laid out like `go tool pprof -top` or as JSON with raw integer values. `lines` also maps
// each file to a local path (workspace modules, GOROOT, GOMODCACHE). `get` (merged profiles from Pyroscope
// and Parca) lives in backendCommands.ts.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { goEnvLocations } from '../core/analysis/index.node';
import { decodeProfileFile, nodeSourceFileSystem } from '../core/profiles/index.node';
import { DEFAULT_MAX_DECOMPRESSED_BYTES, type Profile, ProfileError, prepareQuery, type ProfileQuery, SourcePathResolver, type PathSubstitution, DEFAULT_NODE_FRACTION, topReport, type TopReport, renderTopText } from '../core/profiles';
import { UsageError, flag, flagList, intFlag, parseArgs, type FlagSpec } from './args';
import { PPROF_BACKEND_USAGE, PPROF_BACKEND_USAGE_LINES, pprofGet } from './backendCommands';
import type { CliCommand, CliIO } from './io';

const FLAGS: Record<string, FlagSpec> = {
  'sample-index': { value: true },
  nodecount: { value: true },
  'node-fraction': { value: true },
  focus: { value: true },
  ignore: { value: true },
  tag: { value: true, repeatable: true },
  base: { value: true },
  cum: {},
  format: { value: true, choices: ['text', 'json'] },
  'max-decompressed-bytes': { value: true },
  workspace: { value: true, repeatable: true },
  goroot: { value: true },
  gomodcache: { value: true },
  substitute: { value: true, repeatable: true },
  help: {},
};

const LINES_ONLY = ['workspace', 'goroot', 'gomodcache', 'substitute'];

/** Set this environment variable to have the command print its peak memory (maxRSS) on stderr. */
export const REPORT_MAXRSS_ENV = 'GO_TRACE_LENS_REPORT_MAXRSS';

async function readProfile(file: string, io: CliIO, maxBytes: number): Promise<Profile> {
  const full = path.resolve(io.cwd, file);
  try {
    if (!fs.statSync(full).isFile()) throw new UsageError(`${file}: not a file.`);
    return await decodeProfileFile(full, { maxDecompressedBytes: maxBytes });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof ProfileError) throw new ProfileError(error.code, `${file}: ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: no such file.` : `${file}: cannot be read (${code ?? String(error)}).`);
  }
}

function parseFraction(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_NODE_FRACTION;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) throw new UsageError(`--node-fraction must be a number between 0 and 1 (got "${raw}").`);
  return value;
}

/** GOROOT and GOMODCACHE from flags, else `go env`, else the environment and Go's defaults. */
async function goLocations(goroot: string | undefined, gomodcache: string | undefined): Promise<{ goroot?: string; gomodcache?: string }> {
  if (goroot && gomodcache) return { goroot, gomodcache };
  const found = await goEnvLocations();
  return { goroot: goroot ?? found.goroot, gomodcache: gomodcache ?? found.gomodcache };
}

function parseSubstitutions(values: readonly string[]): PathSubstitution[] {
  return values.map((value) => {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new UsageError(`--substitute takes FROM=TO (got "${value}").`);
    return { from: value.slice(0, eq), to: value.slice(eq + 1) };
  });
}

function activeFilters(focus: string | undefined, ignore: string | undefined, tags: readonly string[]): string[] {
  const filters: string[] = [];
  if (focus) filters.push(`focus=${focus}`);
  if (ignore) filters.push(`ignore=${ignore}`);
  for (const tag of tags) filters.push(`tagfocus=${tag}`);
  return filters;
}

function warnUnmatched(query: ProfileQuery, focus: string | undefined, ignore: string | undefined, tags: readonly string[], io: CliIO): void {
  if (focus && !query.matches.focusMatched) io.err('go-trace-lens pprof: focus expression matched no samples\n');
  if (ignore && !query.matches.ignoreMatched) io.err('go-trace-lens pprof: ignore expression matched no samples\n');
  tags.forEach((tag, i) => {
    if (!query.matches.tagMatched[i]) io.err(`go-trace-lens pprof: tag filter ${tag} matched no samples\n`);
  });
}

function topJson(report: TopReport): string {
  return JSON.stringify({
    sampleType: { type: report.sampleType.type, unit: report.sampleType.unit },
    total: report.total,
    rows: report.rows.map((r) => ({ function: r.functionName || r.name, file: r.file, flat: r.flat, cum: r.cum })),
  });
}

const USAGE = `usage: go-trace-lens pprof top [options] FILE
       go-trace-lens pprof lines [options] FILE
${PPROF_BACKEND_USAGE_LINES}

top lists functions, lines lists source lines (go tool pprof -top, and -top -lines), with the same
numbers as go tool pprof. FILE is a profile from /debug/pprof (gzipped or not).

  --sample-index NAME     sample type by name or index (default: the profile's default, as pprof)
  --nodecount N           show at most N rows (default: all)
  --node-fraction F       hide rows whose |cum| is below F of the total (default ${DEFAULT_NODE_FRACTION}, as pprof; 0 shows all)
  --focus RE              only samples with a frame matching RE (Go regexp on function or file names)
  --ignore RE             drop samples with a frame matching RE
  --tag KEY=VALUE         only samples whose label KEY matches VALUE (as -tagfocus; repeatable, all must hold)
  --base FILE             subtract FILE first (as -diff_base; percentages are of the base)
  --cum                   sort by cum instead of flat
  --format text|json      text (default) looks like go tool pprof -top; json:
                            top:   {"sampleType":{"type","unit"},"total":N,"rows":[{"function","file","flat","cum"}]}
                            lines: {"sampleType":{…},"total":N,"rows":[{"function","file","line","flat","cum","localPath"}],
                                    "unresolvedFiles":[…]}
                          values are raw integers in the sample type's unit
  --max-decompressed-bytes N   refuse profiles that decompress to more (default ${DEFAULT_MAX_DECOMPRESSED_BYTES})

lines only (mapping profile file names to local files):
  --workspace DIR         a workspace folder with go.mod files (repeatable; default: the current directory)
  --goroot DIR            GOROOT (default: go env GOROOT)
  --gomodcache DIR        GOMODCACHE (default: go env GOMODCACHE)
  --substitute FROM=TO    replace the path prefix FROM with TO (repeatable)

${PPROF_BACKEND_USAGE}

Exit status: 0 success, 2 usage error or unreadable profile.`;

export const pprofCommand: CliCommand = {
  name: 'pprof',
  summary: 'top functions or lines of a pprof profile, with go tool pprof\'s numbers; get merged profiles from Pyroscope, Parca',
  usage: USAGE,

  async run(argv: readonly string[], io: CliIO): Promise<number> {
    try {
      return await runPprof(argv, io);
    } catch (error) {
      if (error instanceof ProfileError) {
        io.err(`go-trace-lens pprof: ${error.message}\n`);
        return 2;
      }
      throw error;
    } finally {
      if (process.env[REPORT_MAXRSS_ENV]) io.err(`go-trace-lens: maxRSS ${process.resourceUsage().maxRSS} kB\n`);
    }
  },
};

async function runPprof(argv: readonly string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(USAGE + '\n');
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'get') return pprofGet(rest, io, USAGE);
  if (sub !== 'top' && sub !== 'lines') throw new UsageError(`unknown subcommand "${sub}": use "pprof top", "pprof lines" or "pprof get".`);
  const args = parseArgs(rest, FLAGS, 'pprof');
  if (flag(args, 'help')) {
    io.out(USAGE + '\n');
    return 0;
  }
  if (sub === 'top') {
    for (const name of LINES_ONLY) if (args.flags.has(name)) throw new UsageError(`--${name} only applies to "pprof lines".`);
  }
  if (args.positionals.length !== 1) {
    throw new UsageError(args.positionals.length === 0 ? 'no profile FILE given. Example: go-trace-lens pprof top cpu.pb.gz' : `expected one profile FILE, got ${args.positionals.length}.`);
  }
  const file = args.positionals[0]!;
  const maxBytes = intFlag(args, 'max-decompressed-bytes') ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const nodeCount = intFlag(args, 'nodecount') ?? 0;
  const nodeFraction = parseFraction(flag(args, 'node-fraction'));
  const focus = flag(args, 'focus');
  const ignore = flag(args, 'ignore');
  const tags = flagList(args, 'tag');
  for (const tag of tags) if (!tag.includes('=') || tag.startsWith('=')) throw new UsageError(`--tag takes KEY=VALUE (got "${tag}"), e.g. --tag worker=cpu.`);
  const json = flag(args, 'format') === 'json';
  const baseFile = flag(args, 'base');

  const profile = await readProfile(file, io, maxBytes);
  const base = baseFile ? await readProfile(baseFile, io, maxBytes) : undefined;
  const sampleIndex = flag(args, 'sample-index');
  const query = prepareQuery(profile, { sampleIndex, focus, ignore, tags, base });
  warnUnmatched(query, focus, ignore, tags, io);
  const granularity = sub === 'top' ? 'functions' : 'lines';
  const report = topReport(query, { granularity, nodeCount, nodeFraction, sortByCum: args.flags.has('cum'), inlineMarkers: !json });

  if (sub === 'top') {
    io.out(json ? topJson(report) + '\n' : renderTopText(report, profile, { activeFilters: activeFilters(focus, ignore, tags) }));
    return 0;
  }

  const workspaces = flagList(args, 'workspace').map((w) => path.resolve(io.cwd, w));
  const locations = await goLocations(flag(args, 'goroot'), flag(args, 'gomodcache'));
  const resolver = new SourcePathResolver(nodeSourceFileSystem, {
    workspaceFolders: workspaces.length > 0 ? workspaces : [io.cwd],
    goroot: locations.goroot,
    gomodcache: locations.gomodcache,
    substitutions: parseSubstitutions(flagList(args, 'substitute')),
  });
  const { resolved, unresolved } = resolver.resolveAll(report.rows.map((r) => r.file).filter((f) => f !== ''));
  if (json) {
    io.out(JSON.stringify({
      sampleType: { type: report.sampleType.type, unit: report.sampleType.unit },
      total: report.total,
      rows: report.rows.map((r) => ({ function: r.functionName || r.name, file: r.file, line: r.line, flat: r.flat, cum: r.cum, localPath: resolved.get(r.file) ?? null })),
      unresolvedFiles: unresolved,
    }) + '\n');
  } else {
    io.out(renderTopText(report, profile, { activeFilters: activeFilters(focus, ignore, tags) }));
  }
  if (report.rows.length > 0 && report.rows.every((r) => r.file === '')) {
    io.err('go-trace-lens pprof: the profile has no source information (its locations carry addresses only)\n');
  } else if (unresolved.length > 0) {
    const shown = unresolved.slice(0, 10).join('\n  ');
    io.err(`go-trace-lens pprof: ${unresolved.length} source file${unresolved.length === 1 ? '' : 's'} could not be found locally:\n  ${shown}${unresolved.length > 10 ? '\n  …' : ''}\n`);
  }
  return 0;
}
