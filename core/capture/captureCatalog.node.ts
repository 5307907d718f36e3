// The captures saved in a folder, as the Captures view lists them: newest first, partial (in-progress or
// abandoned) files skipped, and "the previous capture" of one, i.e. the newest older capture of the same
// kind from the same endpoint, which "Compare with previous capture" diffs against.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isPartialCaptureFile, parseCaptureFileName, type CaptureFileNameParts } from './captureFileName';

export interface SavedCapture extends CaptureFileNameParts {
  readonly path: string;
  readonly fileName: string;
  readonly bytes: number;
}

/** Newest first: by the time in the name, then by sequence, then by name. */
export function compareNewestFirst(a: SavedCapture, b: SavedCapture): number {
  return b.time.getTime() - a.time.getTime() || b.sequence - a.sequence || (a.fileName < b.fileName ? 1 : a.fileName > b.fileName ? -1 : 0);
}

/** The captures in `folder` (not its subfolders), newest first; an absent folder has none. */
export async function listCaptures(folder: string): Promise<SavedCapture[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const captures: SavedCapture[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || isPartialCaptureFile(entry.name)) continue;
    const parts = parseCaptureFileName(entry.name);
    if (!parts) continue;
    const full = path.join(folder, entry.name);
    try {
      const stat = await fs.stat(full);
      captures.push({ ...parts, path: full, fileName: entry.name, bytes: stat.size });
    } catch {
      // Deleted while listing.
    }
  }
  return captures.sort(compareNewestFirst);
}

/** The newest capture older than `capture` with the same kind and endpoint, if any. */
export function previousCapture(captures: readonly SavedCapture[], capture: SavedCapture): SavedCapture | undefined {
  return [...captures]
    .sort(compareNewestFirst)
    .find((c) => c.kind === capture.kind && c.endpointName === capture.endpointName && compareNewestFirst(capture, c) < 0);
}
