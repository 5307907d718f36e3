// Per-declaration analysis results of one document, reused across edits. A keystroke changes one function;
// every other top-level declaration has the same text as before, so its findings are taken from here and
// moved to where the declaration now starts, instead of walking its syntax tree again. Results depend on the
// file's imports and package-level facts and on the rule settings, which together form the cache's key: when
// it changes, everything is dropped.

import { shiftLineRefs, type CallSite, type Finding, type Position, type Range } from './findings';

export interface DeclarationResult {
  readonly findings: readonly Finding[];
  readonly callSites: readonly CallSite[];
  /** Ignore directives inside the declaration: line → rule ids. */
  readonly suppressions: readonly { readonly line: number; readonly rules: readonly string[] }[];
}

interface Entry {
  /** The syntax node's type: the same text parses as another kind of node after an edit elsewhere
   * breaks the file (a function declaration becomes a function literal inside an ERROR node). */
  readonly kind: string;
  readonly text: string;
  readonly start: Position;
  readonly result: DeclarationResult;
  usedInRun: number;
}

function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A copy of a string that does not keep the (much larger) document it was sliced from alive. */
function detached(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

function shiftPosition(p: Position, from: Position, to: Position): Position {
  if (p.line < from.line || (p.line === from.line && p.character < from.character)) return p;
  return p.line === from.line
    ? { line: to.line, character: p.character - from.character + to.character }
    : { line: p.line - from.line + to.line, character: p.character };
}

function shiftRange(r: Range, from: Position, to: Position): Range {
  return { start: shiftPosition(r.start, from, to), end: shiftPosition(r.end, from, to) };
}

/** Moves a declaration's results from where it started (`from`) to where it starts now (`to`). */
export function moveResult(result: DeclarationResult, from: Position, to: Position): DeclarationResult {
  if (from.line === to.line && from.character === to.character) return result;
  const lines = (text: string) => shiftLineRefs(text, from.line, to.line - from.line);
  return {
    findings: result.findings.map((f) => ({
      ...f,
      message: lines(f.message),
      range: shiftRange(f.range, from, to),
      fixes: f.fixes.map((fix) => ({ ...fix, title: lines(fix.title), edits: fix.edits.map((e) => ({ ...e, range: shiftRange(e.range, from, to) })) })),
      related: f.related.map((r) => (r.file ? r : { ...r, message: lines(r.message), range: shiftRange(r.range, from, to) })),
    })),
    callSites: result.callSites.map((c) => ({ ...c, contextOrigin: lines(c.contextOrigin), range: shiftRange(c.range, from, to) })),
    suppressions: result.suppressions.map((s) => ({ ...s, line: shiftPosition({ line: s.line, character: 0 }, { line: from.line, character: 0 }, { line: to.line, character: 0 }).line })),
  };
}

export class DeclarationCache {
  private entries = new Map<number, Entry[]>();
  private key = '';
  private run = 0;
  /** Declarations taken from the cache, and walked, in the last run. */
  reused = 0;
  analysed = 0;

  /** Starts an analysis of the document; a different key (imports, facts, settings) empties the cache. */
  beginRun(key: string): void {
    if (key !== this.key) {
      this.entries.clear();
      this.key = key;
    }
    this.run++;
    this.reused = 0;
    this.analysed = 0;
  }

  /** The results of a declaration of this kind with this text, moved to `start`, or undefined. */
  lookup(kind: string, text: string, start: Position): DeclarationResult | undefined {
    const bucket = this.entries.get(hashText(text));
    const entry = bucket?.find((e) => e.kind === kind && e.text === text);
    if (!entry) return undefined;
    entry.usedInRun = this.run;
    this.reused++;
    return moveResult(entry.result, entry.start, start);
  }

  store(kind: string, text: string, start: Position, result: DeclarationResult): void {
    const hash = hashText(text);
    let bucket = this.entries.get(hash);
    if (!bucket) this.entries.set(hash, (bucket = []));
    bucket.push({ kind, text: detached(text), start, result, usedInRun: this.run });
    this.analysed++;
  }

  /** Drops the declarations the last run did not see (edited away). */
  endRun(): void {
    for (const [hash, bucket] of this.entries) {
      const kept = bucket.filter((e) => e.usedInRun === this.run);
      if (kept.length === 0) this.entries.delete(hash);
      else if (kept.length !== bucket.length) this.entries.set(hash, kept);
    }
  }

  get size(): number {
    let n = 0;
    for (const bucket of this.entries.values()) n += bucket.length;
    return n;
  }
}
