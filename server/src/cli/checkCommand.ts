// `go-trace-lens check`: the context-chain analyzer over files and directories, for CI and terminals.

import * as fs from 'node:fs';
import type { Parser } from 'web-tree-sitter';
import { RULE_IDS, isRuleId, type RuleId } from '../../../common/rules';
import { analyzeGoFile } from '../analysis/analyzer';
import type { Finding } from '../analysis/findings';
import { createGoParser } from '../analysis/goParser';
import { skipReason } from '../lsp/documentStore';
import { UsageError, flag, flagList, parseArgs } from './args';
import { displayPath, expandGoSources } from './goSources';
import type { CliCommand, CliIO } from './io';

const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface CheckDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly rule: RuleId;
  readonly severity: string;
  readonly message: string;
}

export interface CheckResult {
  readonly diagnostics: CheckDiagnostic[];
  filesChecked: number;
  readonly skipped: { file: string; reason: string }[];
}

function toCheckDiagnostic(file: string, finding: Finding): CheckDiagnostic {
  return {
    file,
    line: finding.range.start.line + 1,
    column: finding.range.start.character + 1,
    endLine: finding.range.end.line + 1,
    endColumn: finding.range.end.character + 1,
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
  };
}

/** Analyzes files one after another with one parser; `file` in results is the display path. */
export function checkFiles(parser: Parser, files: readonly string[], cwd: string, only?: readonly RuleId[]): CheckResult {
  const result: CheckResult = { diagnostics: [], filesChecked: 0, skipped: [] };
  for (const file of files) {
    const shown = displayPath(file, cwd);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      result.skipped.push({ file: shown, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
      continue;
    }
    const source = bytes.toString('utf8');
    const reason = skipReason(source, MAX_FILE_BYTES);
    if (reason) {
      result.skipped.push({ file: shown, reason });
      continue;
    }
    const tree = parser.parse(source);
    if (!tree) {
      result.skipped.push({ file: shown, reason: 'the parser gave up on it' });
      continue;
    }
    try {
      for (const finding of analyzeGoFile(source, tree, only ? { only } : {})) {
        result.diagnostics.push(toCheckDiagnostic(shown, finding));
      }
    } finally {
      tree.delete();
    }
    result.filesChecked++;
  }
  return result;
}

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'find broken context chains in Go files (exit 1 when there are findings)',
  usage: `usage: go-trace-lens check [--format text|json] [--rule ID]... PATH...

PATH is a Go file, a directory (checked recursively) or a Go pattern such as ./...
Directories named vendor or testdata, or starting with "." or "_", are skipped when walking.

  --format text|json   text (default): file:line:col: severity: message (rule)
                       json: {"version":1,"diagnostics":[{file,line,column,endLine,endColumn,rule,severity,message}]}
  --rule ID            only this rule (repeatable). Rules: ${RULE_IDS.join(', ')}

Lines and columns are 1-based; columns count UTF-16 code units.
Exit status: 0 no findings, 1 findings, 2 usage or input error.`,

  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, { format: { value: true, choices: ['text', 'json'] }, rule: { value: true, repeatable: true }, help: {} }, 'check');
    if (flag(args, 'help')) {
      io.out(this.usage + '\n');
      return 0;
    }
    const rules = flagList(args, 'rule');
    for (const rule of rules) if (!isRuleId(rule)) throw new UsageError(`unknown rule "${rule}". Rules: ${RULE_IDS.join(', ')}.`);
    if (args.positionals.length === 0) throw new UsageError('no PATH given. Example: go-trace-lens check ./...');
    const files = expandGoSources(args.positionals, io.cwd);
    const parser = await createGoParser();
    const result = checkFiles(parser, files, io.cwd, rules.length ? (rules as RuleId[]) : undefined);
    parser.delete();

    for (const { file, reason } of result.skipped) io.err(`go-trace-lens: skipped ${file}: ${reason}\n`);
    if (flag(args, 'format') === 'json') {
      io.out(JSON.stringify({ version: 1, diagnostics: result.diagnostics }, null, 2) + '\n');
    } else {
      for (const d of result.diagnostics) io.out(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} (${d.rule})\n`);
      const n = result.diagnostics.length;
      io.err(`${n === 0 ? 'No findings' : `${n} finding${n === 1 ? '' : 's'}`} in ${result.filesChecked} Go file${result.filesChecked === 1 ? '' : 's'}.\n`);
    }
    return result.diagnostics.length > 0 ? 1 : 0;
  },
};
