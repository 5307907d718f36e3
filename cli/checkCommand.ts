// `go-trace-lens check`: the context-chain analyzer over files and directories, for CI and terminals. Every
// file is summarised into a workspace index (so call-chain-break sees across files, as in the editor); files
// whose imports can lead to a finding are parsed and analysed, in worker threads when there are many.
// Output as text, JSON or SARIF 2.1.0 (GitHub code scanning).

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RULE_IDS, isRuleId, type RuleId } from '../common/rules';
import { modulesFor, indexDependencies, goEnvLocations } from '../core/analysis/index.node';
import { type Finding, CallGraphIndex, resolveCallChainBreaks, resolveProgramFindings, withoutIgnoredContextUses } from '../core/analysis';
import { UsageError, flag, flagList, intFlag, parseArgs } from './args';
import { checkAll, defaultJobs } from './checkRunner';
import type { FileCheck, LineKeyed } from './checkFile';
import { displayPath, expandGoSources } from './goSources';
import type { CliCommand, CliIO } from './io';
import { sarifLog } from './sarif';

declare const GO_TRACE_LENS_VERSION: string | undefined;

function version(): string {
  return typeof GO_TRACE_LENS_VERSION === 'string' ? GO_TRACE_LENS_VERSION : 'dev';
}

export interface CheckDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly rule: RuleId;
  readonly severity: string;
  readonly message: string;
  readonly related: readonly { file: string; line: number; column: number; message: string }[];
}

export interface CheckOutcome {
  /** Findings per file, in file order, each file's sorted by position. */
  readonly findings: { readonly file: string; readonly findings: (Finding & LineKeyed)[] }[];
  readonly skipped: { readonly file: string; readonly reason: string }[];
  readonly filesChecked: number;
  readonly filesParsed: number;
  readonly threads: number;
}

/** Checks the files (with the index of all of them) and returns every finding, call-chain-break included. */
export async function runCheck(files: readonly string[], options: { only?: readonly RuleId[]; jobs?: number; gomodcache?: string } = {}): Promise<CheckOutcome> {
  const jobs = options.jobs ?? defaultJobs(files.length);
  const { results, threads } = await checkAll(files, options.only ? { only: options.only } : {}, jobs);
  const index = new CallGraphIndex();
  const modules = modulesFor(new Set(files.map((f) => path.dirname(f))));
  for (const [dir, modulePath] of modules) index.setModule(dir, modulePath);
  for (const result of results) if (result.summary) index.setFile(result.path, result.summary);
  // The packages of required modules the files import, from the module cache (as the language server does).
  const imported = new Set(results.flatMap((r) => r.summary?.imports.map((i) => i.path) ?? []));
  const goMods = new Map<string, string>();
  for (const dir of modules.keys()) {
    try {
      goMods.set(dir, readFileSync(path.join(dir, 'go.mod'), 'utf8'));
    } catch {
      // a go.mod that went away meanwhile: its requirements are not followed
    }
  }
  if (goMods.size > 0) await indexDependencies(index, goMods, imported, options.gomodcache ?? (await goEnvLocations()).gomodcache);
  const findings = results.map((result: FileCheck) => {
    const breaks = result.callSites.flatMap((site) =>
      resolveCallChainBreaks([site], result.path, index).map((f) => ({ ...f, lineHash: site.lineHash })));
    const all = [...resolveProgramFindings(withoutIgnoredContextUses(result.findings, result.path, index), result.path, index), ...breaks].sort((a, b) =>
      a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    return { file: result.path, findings: all };
  });
  return {
    findings,
    skipped: results.filter((r) => r.skipped).map((r) => ({ file: r.path, reason: r.skipped! })),
    filesChecked: results.filter((r) => !r.skipped).length,
    filesParsed: results.filter((r) => r.parsed).length,
    threads,
  };
}

function toCheckDiagnostic(file: string, finding: Finding, cwd: string): CheckDiagnostic {
  return {
    file: displayPath(file, cwd),
    line: finding.range.start.line + 1,
    column: finding.range.start.character + 1,
    endLine: finding.range.end.line + 1,
    endColumn: finding.range.end.character + 1,
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
    related: finding.related.map((r) => ({
      file: displayPath(r.file ?? file, cwd), line: r.range.start.line + 1, column: r.range.start.character + 1, message: r.message,
    })),
  };
}

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'find broken context chains in Go files (exit 1 when there are findings)',
  usage: `usage: go-trace-lens check [--format text|json|sarif] [--rule ID]... [--jobs N] PATH...

PATH is a Go file, a directory (checked recursively) or a Go pattern such as ./...
Directories named vendor or testdata, or starting with "." or "_", are skipped when walking.
All files checked together form the workspace index that call-chain-break follows across files and packages
(import paths are mapped to folders with the go.mod files above them).

  --format text|json|sarif  text (default): file:line:col: severity: message (rule)
                            json: {"version":1,"diagnostics":[{file,line,column,endLine,endColumn,rule,severity,message,related}]}
                            sarif: SARIF 2.1.0 for GitHub code scanning (paths relative to the working directory)
  --rule ID                 only this rule (repeatable). Rules: ${RULE_IDS.join(', ')}
  --jobs N                  worker threads (default: one per core when there are many files; 1 = no workers)

Lines and columns are 1-based; columns count UTF-16 code units.
Exit status: 0 no findings, 1 findings, 2 usage or input error.`,

  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, {
      format: { value: true, choices: ['text', 'json', 'sarif'] }, rule: { value: true, repeatable: true }, jobs: { value: true }, help: {},
    }, 'check');
    if (flag(args, 'help')) {
      io.out(this.usage + '\n');
      return 0;
    }
    const rules = flagList(args, 'rule');
    for (const rule of rules) if (!isRuleId(rule)) throw new UsageError(`unknown rule "${rule}". Rules: ${RULE_IDS.join(', ')}.`);
    const jobs = intFlag(args, 'jobs');
    if (jobs === 0) throw new UsageError('--jobs must be at least 1.');
    if (args.positionals.length === 0) throw new UsageError('no PATH given. Example: go-trace-lens check ./...');
    const files = expandGoSources(args.positionals, io.cwd);
    const outcome = await runCheck(files, { only: rules.length ? (rules as RuleId[]) : undefined, jobs });

    for (const { file, reason } of outcome.skipped) io.err(`go-trace-lens: skipped ${displayPath(file, io.cwd)}: ${reason}\n`);
    const count = outcome.findings.reduce((n, f) => n + f.findings.length, 0);
    const format = flag(args, 'format') ?? 'text';
    if (format === 'sarif') {
      const findings = outcome.findings.flatMap(({ file, findings: list }) => list.map((f) => ({ ...f, file })));
      io.out(JSON.stringify(sarifLog(findings, io.cwd, version()), null, 2) + '\n');
    } else if (format === 'json') {
      const diagnostics = outcome.findings.flatMap(({ file, findings: list }) => list.map((f) => toCheckDiagnostic(file, f, io.cwd)));
      io.out(JSON.stringify({ version: 1, diagnostics }, null, 2) + '\n');
    } else {
      for (const { file, findings: list } of outcome.findings) {
        for (const f of list) {
          const d = toCheckDiagnostic(file, f, io.cwd);
          io.out(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} (${d.rule})\n`);
        }
      }
    }
    io.err(
      `${count === 0 ? 'No findings' : `${count} finding${count === 1 ? '' : 's'}`} in ${outcome.filesChecked} Go ` +
      `file${outcome.filesChecked === 1 ? '' : 's'} (${outcome.filesParsed} analysed in full, ${outcome.threads} thread${outcome.threads === 1 ? '' : 's'}).\n`,
    );
    return count > 0 ? 1 : 0;
  },
};
