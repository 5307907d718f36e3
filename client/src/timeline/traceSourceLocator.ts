// Where a file named in a trace (a path on the machine that ran the program) is on this machine, when
// the language server's resolver has no answer: a workspace file whose path ends the same way (the
// longest common tail of folders wins, so `/build/src/shop/orders.go` finds `shop/orders.go`), or the
// path itself when it exists here (opened read-only, it is outside the workspace).

import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { baseNameOf } from './traceFileDetection';

/** How many trailing path segments two paths share. */
export function commonTailSegments(a: string, b: string): number {
  const left = a.split(/[\\/]+/).filter(Boolean);
  const right = b.split(/[\\/]+/).filter(Boolean);
  let n = 0;
  while (n < left.length && n < right.length && left[left.length - 1 - n] === right[right.length - 1 - n]) n++;
  return n;
}

/** The candidate sharing the longest tail with `tracePath` (at least the file name), undefined if none or a tie. */
export function bestTailMatch(tracePath: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = 0;
  let tie = false;
  for (const candidate of candidates) {
    const score = commonTailSegments(tracePath, candidate);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
      tie = false;
    } else if (score === bestScore && score > 0) {
      tie = true;
    }
  }
  return best && !tie ? best : undefined;
}

export async function locateTraceSource(tracePath: string): Promise<{ path: string; readOnly: boolean } | undefined> {
  const name = baseNameOf(tracePath);
  if (!name) return undefined;
  const found = await vscode.workspace.findFiles(`**/${name.replace(/[[\]{}*?!]/g, '?')}`, '**/node_modules/**', 200);
  const local = bestTailMatch(tracePath, found.filter((uri) => uri.scheme === 'file').map((uri) => uri.fsPath));
  if (local) return { path: local, readOnly: false };
  try {
    if ((await stat(tracePath)).isFile()) return { path: tracePath, readOnly: vscode.workspace.getWorkspaceFolder(vscode.Uri.file(tracePath)) === undefined };
  } catch {
    // Not on this machine.
  }
  return undefined;
}
