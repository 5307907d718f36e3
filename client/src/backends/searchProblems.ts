// The broken chains of each trace a search listed, counted while the list is showing. Jaeger and Zipkin
// answered the search with whole traces, so their span files are at hand; Tempo answered summaries only,
// so each of its traces is fetched by ID first, a few at a time. The counting itself is the language
// server's (the extension host never parses a trace): `count` sends it a span file. Each trace's state
// is reported as it changes; a failure marks that trace only; aborting stops what is under way and
// starts nothing more. Pure: no vscode import.

import type { FetchedTrace, SearchedSpanFile, TraceSearchResult } from '../../../core/backends';
import { isBackendError } from '../../../core/backends';
import type { CountSpanProblemsResult } from '../../../common/backendProtocol';

export type ProblemCount =
  | { readonly state: 'counting' }
  | { readonly state: 'counted'; readonly count: number; readonly titles: readonly string[]; readonly spanCount: number }
  | { readonly state: 'failed'; readonly message: string };

export interface ProblemCountDeps {
  /** Fetches a trace the search did not answer whole (Tempo's), by ID. */
  readonly fetch: (traceId: string, signal: AbortSignal) => Promise<FetchedTrace>;
  /** The language server's count of one trace's broken chains in a span file. */
  readonly count: (text: string, traceId: string) => Promise<CountSpanProblemsResult>;
  /** Traces fetched or counted at once (default 4). */
  readonly concurrency?: number;
}

export const DEFAULT_COUNT_CONCURRENCY = 4;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Counts the broken chains of every listed trace, reporting each one's state through `report` (first
 * `counting` for all, then `counted` or `failed` as each is done). Resolves when all are done or, once
 * `signal` aborts, when the work under way has stopped; nothing is reported after the abort.
 */
export async function countSearchProblems(result: TraceSearchResult, deps: ProblemCountDeps, signal: AbortSignal, report: (traceId: string, count: ProblemCount) => void): Promise<void> {
  const ids = result.summaries.map((s) => s.traceId);
  for (const id of ids) report(id, { state: 'counting' });
  let next = 0;
  const one = async (traceId: string): Promise<ProblemCount> => {
    let file: SearchedSpanFile | undefined = result.spanFiles.get(traceId);
    try {
      file ??= await deps.fetch(traceId, signal);
    } catch (error) {
      return { state: 'failed', message: isBackendError(error) ? `the trace could not be fetched: ${error.message}` : messageOf(error) };
    }
    if (signal.aborted) return { state: 'failed', message: 'cancelled' };
    try {
      const counted = await deps.count(file.text, traceId);
      return counted.ok ? { state: 'counted', count: counted.count, titles: counted.titles, spanCount: counted.spanCount } : { state: 'failed', message: counted.message };
    } catch (error) {
      return { state: 'failed', message: `the language server did not answer: ${messageOf(error)}` };
    }
  };
  const worker = async (): Promise<void> => {
    while (!signal.aborted && next < ids.length) {
      const traceId = ids[next++]!;
      const count = await one(traceId);
      if (!signal.aborted) report(traceId, count);
    }
  };
  const workers = Math.max(1, Math.min(deps.concurrency ?? DEFAULT_COUNT_CONCURRENCY, ids.length));
  await Promise.all(Array.from({ length: workers }, worker));
}
