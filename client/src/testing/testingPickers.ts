// The questions a profiling run asks: which profile (cpu, memory, block, mutex, or an execution trace;
// the one chosen last comes first), and for a whole package, which folder and whether its tests or its
// benchmarks. A folder is a package when it holds `_test.go` files; the active editor's comes first.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { TEST_PROFILE_KINDS, type TestProfileKind, type TestTarget } from './goTestArgs';

const LAST_KIND_KEY = 'goTraceLens.testing.lastProfileKind';

/** Asks for the profile to write; undefined when dismissed. */
export async function pickProfileKind(title: string, memory: vscode.Memento): Promise<TestProfileKind | undefined> {
  const last = memory.get<string>(LAST_KIND_KEY);
  const items = TEST_PROFILE_KINDS.map((profile) => ({ label: profile.label, description: profile.description, detail: `go test ${profile.flag}`, profile }));
  const ordered = [...items.filter((item) => item.profile.id === last), ...items.filter((item) => item.profile.id !== last)];
  const picked = await vscode.window.showQuickPick(ordered, { title, placeHolder: 'What to record while go test runs', matchOnDescription: true });
  if (picked) await memory.update(LAST_KIND_KEY, picked.profile.id);
  return picked?.profile;
}

/** Asks whether to run the package's tests or its benchmarks. */
export async function pickPackageRun(packageLabel: string): Promise<Extract<TestTarget, { kind: 'package' }> | undefined> {
  const items = [
    { label: 'Tests', description: 'every test of the package (go test)', run: 'tests' as const },
    { label: 'Benchmarks', description: 'every benchmark, without the tests (go test -run ^$ -bench .)', run: 'benchmarks' as const },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Profile ${packageLabel}: run what?` });
  return picked ? { kind: 'package', run: picked.run } : undefined;
}

/** The folders of the workspace that hold `_test.go` files, the active editor's first; undefined when dismissed. */
export async function pickPackageFolder(): Promise<string | undefined> {
  const files = await vscode.workspace.findFiles('**/*_test.go', '{**/vendor/**,**/testdata/**,**/node_modules/**}');
  const counts = new Map<string, number>();
  for (const file of files) {
    if (file.scheme !== 'file') continue;
    const folder = path.dirname(file.fsPath);
    counts.set(folder, (counts.get(folder) ?? 0) + 1);
  }
  if (counts.size === 0) {
    void vscode.window.showInformationMessage('This workspace has no _test.go files: there is no test or benchmark to profile.');
    return undefined;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  const activeFolder = active?.scheme === 'file' ? path.dirname(active.fsPath) : undefined;
  const folders = [...counts.keys()].sort((a, b) => (a === activeFolder ? -1 : b === activeFolder ? 1 : a.localeCompare(b)));
  const items = folders.map((folder) => ({
    label: vscode.workspace.asRelativePath(folder, true),
    description: `${counts.get(folder)} test file${counts.get(folder) === 1 ? '' : 's'}${folder === activeFolder ? ' · active editor' : ''}`,
    folder,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Profile a package\'s tests or benchmarks', placeHolder: 'The package (a folder with _test.go files)' });
  return picked?.folder;
}
