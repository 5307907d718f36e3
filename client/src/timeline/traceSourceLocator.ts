// Where a file named in a trace (a path on the machine that ran the program) is on this machine, when
// the language server's resolver has no answer: a workspace file whose path ends the same way (the
// longest common tail of folders wins, so `/build/src/shop/orders.go` finds `shop/orders.go`), or the
// path itself when it exists here (opened read-only, it is outside the workspace).

import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { bestTailMatch } from './pathTail';
import { baseNameOf } from './traceFileDetection';

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
