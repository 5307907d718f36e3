// What `check` does with one file, in the main thread or in a worker: read it, summarise its functions for
// the workspace index, and (only when its imports can lead to a finding) parse and analyse it. Results are
// plain data, so they cross worker boundaries unchanged.

import * as fs from 'node:fs';
import type { Parser } from 'web-tree-sitter';
import type { RuleId } from '../common/rules';
import { analyzeGoFileDetailed, type CallSite, type Finding, hasRelevantImport, summarizeGoSource, type FileSummary, skipReason } from '../core/analysis';

export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface LineKeyed {
  /** A hash of the rule and the trimmed text of the line the finding starts on (stable when lines move). */
  readonly lineHash: string;
}

export interface FileCheck {
  readonly path: string;
  readonly summary?: FileSummary;
  readonly findings: (Finding & LineKeyed)[];
  readonly callSites: (CallSite & LineKeyed)[];
  /** Set when the file was not analysed. */
  readonly skipped?: string;
  /** Whether the syntax tree was built (the file's imports made it worth analysing). */
  readonly parsed: boolean;
}

export interface CheckFileOptions {
  readonly only?: readonly RuleId[];
}

/** 64-bit FNV-1a, as 16 hex digits (two 32-bit halves with different offsets). */
export function stableHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (a >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

function lineHasher(source: string): (rule: string, line: number) => string {
  let lines: string[] | undefined;
  return (rule, line) => {
    lines ??= source.split('\n');
    return stableHash(`${rule}\u0000${(lines[line] ?? '').trim()}`);
  };
}

export function checkFile(parser: Parser, path: string, options: CheckFileOptions = {}): FileCheck {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (error) {
    return { path, findings: [], callSites: [], parsed: false, skipped: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  if (bytes.length > MAX_FILE_BYTES) {
    return { path, findings: [], callSites: [], parsed: false, skipped: `it is larger than ${MAX_FILE_BYTES / 1024} KiB` };
  }
  const source = bytes.toString('utf8');
  const reason = skipReason(source, MAX_FILE_BYTES);
  if (reason) return { path, findings: [], callSites: [], parsed: false, skipped: reason };
  const summary = summarizeGoSource(source);
  if (!hasRelevantImport(summary.imports.map((i) => i.path))) return { path, summary, findings: [], callSites: [], parsed: false };
  const tree = parser.parse(source);
  if (!tree) return { path, summary, findings: [], callSites: [], parsed: false, skipped: 'the parser gave up on it' };
  try {
    const { findings, callSites } = analyzeGoFileDetailed(source, tree, { filePath: path, ...(options.only ? { only: options.only } : {}) });
    const hash = lineHasher(source);
    return {
      path, summary, parsed: true,
      findings: findings.map((f) => ({ ...f, lineHash: hash(f.rule, f.range.start.line) })),
      callSites: callSites.map((c) => ({ ...c, lineHash: hash('call-chain-break', c.range.start.line) })),
    };
  } finally {
    tree.delete();
  }
}
