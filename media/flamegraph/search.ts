// Search: which frames match what the user typed, and how much of the profile they account for. Plain
// text matches function names case-insensitively anywhere; `/…/` is a regular expression (case-sensitive,
// as pprof's focus). Matching runs over the string table once, then per node by name index.

import type { FlameModel } from './model';

export interface SearchResult {
  readonly query: string;
  /** Per string index: 1 when that function name matches. */
  readonly matchedNames: Uint8Array;
  /** Distinct functions among the graph's frames that match. */
  readonly functionCount: number;
  /** Sum of the outermost matching frames' totals (a frame inside a matching frame is not counted again). */
  readonly matchedTotal: number;
  /** The same in the base profile, in diff mode. */
  readonly matchedBaseTotal: number;
}

export type SearchOutcome = { readonly ok: true; readonly result: SearchResult | null } | { readonly ok: false; readonly message: string };

/** A predicate for the query, or an error message when a `/regex/` does not compile. */
export function compileSearch(query: string): { ok: true; test: (name: string) => boolean } | { ok: false; message: string } {
  const regex = /^\/(.+)\/([imsu]*)$/.exec(query);
  if (regex) {
    try {
      const compiled = new RegExp(regex[1]!, regex[2]);
      return { ok: true, test: (name) => compiled.test(name) };
    } catch (error) {
      return { ok: false, message: `Not a valid regular expression: ${(error as Error).message}` };
    }
  }
  const needle = query.toLowerCase();
  return { ok: true, test: (name) => name.toLowerCase().includes(needle) };
}

/** Runs `query` over the graph; a blank query is no search (result null). */
export function searchGraph(model: FlameModel, query: string): SearchOutcome {
  const trimmed = query.trim();
  if (trimmed === '') return { ok: true, result: null };
  const compiled = compileSearch(trimmed);
  if (!compiled.ok) return compiled;

  const isName = new Uint8Array(model.strings.length);
  for (let node = 1; node < model.nodeCount; node++) isName[model.name[node]!] = 1;
  const matchedNames = new Uint8Array(model.strings.length);
  let functionCount = 0;
  for (let i = 1; i < model.strings.length; i++) {
    if (isName[i] && compiled.test(model.strings[i]!)) {
      matchedNames[i] = 1;
      functionCount++;
    }
  }

  let matchedTotal = 0;
  let matchedBaseTotal = 0;
  const base = model.diff?.baseTotalValue;
  // Pre-order walk that jumps over a matching frame's subtree once counted.
  for (let node = 1; node < model.nodeCount; ) {
    if (matchedNames[model.name[node]!]) {
      matchedTotal += model.totalValue[node]!;
      if (base) matchedBaseTotal += base[node]!;
      node += model.subtreeSize[node]!;
    } else {
      node++;
    }
  }
  return { ok: true, result: { query: trimmed, matchedNames, functionCount, matchedTotal, matchedBaseTotal } };
}
