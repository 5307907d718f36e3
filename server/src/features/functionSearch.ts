// The find-functions request (common/timelineProtocol.ts): workspace functions whose names match a name from a trace (a span's name
// or its code.function attribute), so a span without code attributes can still be one click from its
// code. Candidates are the files of the workspace index (their per-function summaries, re-read only
// when a file changes on disk; an open document's text wins); the ranking is pure and tested on its own.
//
// "gateway.checkout" finds the method checkout of type gateway (or function checkout of package
// gateway) before any other checkout; "main.(*Server).HandleOrder" reads as package main, type Server,
// method HandleOrder; "GET /api/orders" ends up offering functions named like "orders".

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Connection } from 'vscode-languageserver';
import { FindFunctionsRequest, type FindFunctionsParams, type FunctionMatch, type FunctionSearchResult } from '../../../common/timelineProtocol';
import { onRequest } from '../lsp/handlers';
import { summarizeGoSource, type FileSummary } from '../../../core/analysis';

export interface FunctionCandidate {
  /** `load`, or `Server.load` for a method (as the index's summaries name them). */
  readonly name: string;
  readonly packageName: string;
  readonly path: string;
  /** 0-based line of the name. */
  readonly line: number;
}

const DEFAULT_LIMIT = 8;
const MAX_LIMIT = 50;

/** The identifier-like words of a name from a trace, in order. */
export function nameTokens(query: string): string[] {
  // A Go import path's last element is the package name: "github.com/acme/shop/orders.Create" → orders.Create.
  const lastPathPart = query.includes('/') && /^[\w.-]+\.\w+\//.test(query) ? query.slice(query.lastIndexOf('/') + 1) : query;
  return lastPathPart.split(/[^\p{L}\p{N}_]+/u).filter((t) => t !== '');
}

function scoreOf(candidate: FunctionCandidate, tokens: readonly string[], joined: string): { score: number; reason: string } {
  const dot = candidate.name.indexOf('.');
  const receiver = dot >= 0 ? candidate.name.slice(0, dot) : undefined;
  const method = dot >= 0 ? candidate.name.slice(dot + 1) : candidate.name;
  const what = receiver ? `method ${method} of ${receiver}` : `function ${method} of package ${candidate.packageName}`;
  const last = tokens[tokens.length - 1] ?? '';
  const prev = tokens[tokens.length - 2];
  const lower = (s: string | undefined) => (s ?? '').toLowerCase();
  const qualified = [candidate.name, `${candidate.packageName}.${candidate.name}`].map(lower).map((s) => s.replace(/[^\p{L}\p{N}_]+/gu, '.'));
  if (qualified.includes(joined)) return { score: 100, reason: `${what}: same name` };
  if (lower(method) === lower(last) && prev !== undefined && (lower(receiver) === lower(prev) || lower(candidate.packageName) === lower(prev))) {
    return { score: 90 + (method === last ? 1 : 0), reason: `${what}: same ${lower(receiver) === lower(prev) ? 'type' : 'package'} and name` };
  }
  if (lower(method) === lower(last)) return { score: 60 + (method === last ? 1 : 0), reason: `${what}: same name` };
  const glued = tokens.slice(-2).join('').toLowerCase();
  if (tokens.length >= 2 && lower(method) === glued) return { score: 50, reason: `${what}: the words of the name` };
  if (last.length >= 4 && lower(method).includes(lower(last))) return { score: 30, reason: `${what}: contains "${last}"` };
  if (method.length >= 4 && lower(last).includes(lower(method))) return { score: 20, reason: `${what}: part of "${last}"` };
  return { score: 0, reason: '' };
}

/** Candidates ranked for a name, best first; ties by package, file and line. */
export function rankFunctions(query: string, candidates: Iterable<FunctionCandidate>, limit = DEFAULT_LIMIT): FunctionMatch[] {
  const tokens = nameTokens(query);
  if (tokens.length === 0) return [];
  const joined = tokens.join('.').toLowerCase();
  const matches: FunctionMatch[] = [];
  for (const candidate of candidates) {
    const { score, reason } = scoreOf(candidate, tokens, joined);
    if (score <= 0) continue;
    // Tests are rarely what a span is about.
    const adjusted = candidate.path.endsWith('_test.go') ? score - 5 : score;
    matches.push({ name: candidate.name, packageName: candidate.packageName, path: candidate.path, line: candidate.line + 1, score: adjusted, reason });
  }
  matches.sort((a, b) => b.score - a.score || a.packageName.localeCompare(b.packageName) || a.path.localeCompare(b.path) || a.line - b.line);
  return matches.slice(0, Math.max(1, Math.min(MAX_LIMIT, limit)));
}

export interface FunctionSearchSources {
  /** The Go files of the workspace index. */
  paths(): readonly string[];
  /** The editor's text of a file open in the editor, undefined otherwise. */
  openText(file: string): string | undefined;
  /** Whether the index is still crawling the workspace. */
  indexing(): boolean;
}

export class FunctionSearch {
  private readonly summaries = new Map<string, { readonly mtimeMs: number; readonly size: number; readonly summary: FileSummary }>();

  constructor(private readonly sources: FunctionSearchSources) {}

  private async summaryOf(file: string): Promise<FileSummary | undefined> {
    const open = this.sources.openText(file);
    if (open !== undefined) return summarizeGoSource(open);
    let stat;
    try {
      stat = await fs.stat(file);
    } catch {
      this.summaries.delete(file);
      return undefined;
    }
    const cached = this.summaries.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.summary;
    try {
      const summary = summarizeGoSource(await fs.readFile(file, 'utf8'));
      this.summaries.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, summary });
      return summary;
    } catch {
      return undefined;
    }
  }

  async search(params: FindFunctionsParams): Promise<FunctionSearchResult> {
    const name = typeof params?.name === 'string' ? params.name : '';
    const limit = typeof params?.limit === 'number' && params.limit > 0 ? params.limit : DEFAULT_LIMIT;
    const files = this.sources.paths();
    const known = new Set(files.map((f) => path.normalize(f)));
    for (const cached of [...this.summaries.keys()]) if (!known.has(cached)) this.summaries.delete(cached);
    const candidates: FunctionCandidate[] = [];
    for (const file of files) {
      const normal = path.normalize(file);
      const summary = await this.summaryOf(normal);
      if (!summary) continue;
      for (const fn of summary.functions) candidates.push({ name: fn.name, packageName: summary.packageName, path: normal, line: fn.line });
    }
    return { matches: rankFunctions(name, candidates, limit), indexing: this.sources.indexing() };
  }
}

export function registerFunctionSearch(connection: Connection, sources: FunctionSearchSources): void {
  const search = new FunctionSearch(sources);
  onRequest(connection, FindFunctionsRequest, (params) => search.search(params));
}
