// Test helpers for the analyzer: parse Go source, analyze it, read `// want:` annotations, apply fixes.

import type { Finding, TextEdit } from '../../core/analysis/findings';
import { analyzeGoFile, type AnalyzeOptions } from '../../core/analysis/analyzer';
import { createGoParser } from '../../core/analysis/goParser.node';
import type { Parser } from 'web-tree-sitter';

let parser: Parser | undefined;

export async function parseGo(source: string) {
  parser ??= await createGoParser();
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

export async function analyzeSource(source: string, options?: AnalyzeOptions): Promise<Finding[]> {
  const tree = await parseGo(source);
  try {
    return analyzeGoFile(source, tree, options);
  } finally {
    tree.delete();
  }
}

export interface Expectation {
  /** 0-based line. */
  readonly line: number;
  readonly rule: string;
}

/**
 * Expected findings written next to the code: `// want: rule-id` (or several, comma-separated) at the
 * end of the line where the finding starts. Unannotated lines must not be flagged.
 */
export function expectationsOf(source: string): Expectation[] {
  const out: Expectation[] = [];
  source.split('\n').forEach((text, line) => {
    const match = /\/\/\s*want:\s*([a-z0-9, -]+)$/.exec(text.trimEnd());
    if (!match) return;
    for (const rule of match[1]!.split(',').map((r) => r.trim()).filter(Boolean)) out.push({ line, rule });
  });
  return out;
}

export function describeFindings(findings: readonly { line: number; rule: string }[]): string[] {
  return findings.map((f) => `${f.line + 1}: ${f.rule}`).sort();
}

/** Applies non-overlapping edits to a text (positions are 0-based line/UTF-16 column). */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => lineStarts[p.line]! + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = source;
  for (const edit of sorted) {
    out = out.slice(0, offset(edit.range.start)) + edit.newText + out.slice(offset(edit.range.end));
  }
  return out;
}
