// The quick pick of a trace search's results: it shows at once, each row saying "counting broken
// chains…", and rows are redrawn as the language server counts each trace's broken chains (Tempo's
// traces are fetched for it first, a few at a time). Picking a row or closing the pick cancels what is
// still under way. Resolves with the picked trace's ID.

import * as vscode from 'vscode';
import type { TraceSearchResult } from '../../../core/backends';
import { countSearchProblems, type ProblemCount, type ProblemCountDeps } from './searchProblems';
import { traceRows, type TraceRow } from './searchItems';

type RowItem = vscode.QuickPickItem & TraceRow;

export async function pickSearchedTrace(title: string, result: TraceSearchResult, deps: ProblemCountDeps, log: vscode.LogOutputChannel): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<RowItem>();
  pick.title = title;
  pick.placeholder = 'Pick a trace to open it in the timeline; each row says how many broken chains it has.';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.ignoreFocusOut = true;
  const counts = new Map<string, ProblemCount>();
  const render = (): void => {
    const active = pick.activeItems[0]?.traceId;
    pick.items = traceRows(result.summaries, counts);
    const again = active === undefined ? undefined : pick.items.find((item) => item.traceId === active);
    if (again) pick.activeItems = [again];
  };
  const controller = new AbortController();
  const subscriptions: vscode.Disposable[] = [];
  const picked = new Promise<string | undefined>((resolve) => {
    subscriptions.push(
      pick.onDidAccept(() => {
        resolve(pick.selectedItems[0]?.traceId);
        pick.hide();
      }),
      pick.onDidHide(() => resolve(undefined)),
    );
  });
  render();
  pick.busy = true;
  pick.show();
  void countSearchProblems(result, deps, controller.signal, (traceId, count) => {
    counts.set(traceId, count);
    if (count.state === 'failed') log.warn(`Broken chains of trace ${traceId} not counted: ${count.message}`);
    if (count.state !== 'counting') render();
  }).then(
    () => {
      if (!controller.signal.aborted) log.info(`Counted the broken chains of ${counts.size} trace${counts.size === 1 ? '' : 's'}.`);
    },
    (error: unknown) => log.error(`Counting broken chains failed: ${error instanceof Error ? error.message : String(error)}`),
  ).finally(() => {
    if (!controller.signal.aborted) pick.busy = false;
  });
  try {
    return await picked;
  } finally {
    // Fetches under way stop; a count the server is busy with is let finish, unawaited and unreported.
    controller.abort();
    for (const subscription of subscriptions) subscription.dispose();
    pick.dispose();
  }
}
