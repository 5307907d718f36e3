// Where captures are saved: `goTraceLens.capture.folder` when set (absolute, `~/…`, `${workspaceFolder}/…`
// or relative to the first workspace folder), else `<first workspace folder>/.pprof`; with no folder
// open, the extension's own storage. Also says whether that folder lies inside a workspace folder (the
// Captures view then offers "Reveal in Explorer View"). Pure: no vscode import.

import * as path from 'node:path';

export const DEFAULT_CAPTURE_FOLDER_NAME = '.pprof';

export interface CaptureFolderInput {
  /** The setting's effective value (empty or absent: the default). */
  readonly setting: string | undefined;
  /** File-system paths of the open workspace folders, in order. */
  readonly workspaceFolders: readonly string[];
  readonly home: string;
  /** Used when no workspace folder is open and the setting does not give an absolute path. */
  readonly fallback: string;
}

export interface CaptureFolder {
  readonly folder: string;
  /** The workspace folder containing it, if any. */
  readonly workspaceFolder?: string;
  /** Its path relative to that workspace folder, with `/` separators (`.pprof`); '' for the folder itself. */
  readonly relativePath?: string;
}

function within(parent: string, child: string): string | undefined {
  const relative = path.relative(parent, child);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

export function resolveCaptureFolder(input: CaptureFolderInput): CaptureFolder {
  const first = input.workspaceFolders[0];
  let raw = (input.setting ?? '').trim();
  let folder: string;
  if (raw === '') {
    folder = first !== undefined ? path.join(first, DEFAULT_CAPTURE_FOLDER_NAME) : input.fallback;
  } else {
    if (raw.includes('${workspaceFolder}')) {
      if (first === undefined) return { folder: input.fallback };
      raw = raw.split('${workspaceFolder}').join(first);
    }
    if (raw === '~' || raw.startsWith('~/') || raw.startsWith(`~${path.sep}`)) raw = path.join(input.home, raw.slice(1));
    if (path.isAbsolute(raw)) folder = path.normalize(raw);
    else folder = first !== undefined ? path.resolve(first, raw) : input.fallback;
  }
  for (const workspaceFolder of input.workspaceFolders) {
    const relativePath = within(workspaceFolder, folder);
    if (relativePath !== undefined) return { folder, workspaceFolder, relativePath };
  }
  return { folder };
}
