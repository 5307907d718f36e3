// File chores of saving captures: reading the head of a file to check it, and making the captures folder
// such that a capture that keeps nothing can take back the folders it made.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** The first `maxBytes` of the file (all of a smaller one), and its size. Throws what fs throws. */
export async function readFileHead(file: string, maxBytes: number): Promise<{ head: Uint8Array; size: number }> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(maxBytes, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { head: buffer.subarray(0, bytesRead), size };
  } finally {
    await handle.close();
  }
}

/**
 * Makes `folder` and the missing folders above it; returns what removes those it made, innermost first,
 * stopping at one someone else has put something in meanwhile (rmdir fails on it).
 */
export async function makeFolder(folder: string): Promise<() => Promise<void>> {
  const created = await fs.mkdir(folder, { recursive: true });
  return async () => {
    if (created === undefined) return;
    for (let dir = folder; dir.length >= created.length; dir = path.dirname(dir)) {
      try {
        await fs.rmdir(dir);
      } catch {
        return;
      }
    }
  };
}
