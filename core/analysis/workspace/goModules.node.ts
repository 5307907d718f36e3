// Finds the go.mod files that govern a set of folders (walking up from each, as the go tool does), so the
// workspace index can map import paths to folders. Node-only (fs): used by the CLI and the language server.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseModulePath } from './callGraph';

/** Reads the module path of `<dir>/go.mod`, or undefined when there is none (or it names no module). */
export function readModulePath(dir: string): string | undefined {
  try {
    return parseModulePath(fs.readFileSync(path.join(dir, 'go.mod'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The modules (folder → module path) containing the given folders. */
export function modulesFor(dirs: Iterable<string>): Map<string, string> {
  const modules = new Map<string, string>();
  const visited = new Set<string>();
  for (const start of dirs) {
    for (let dir = path.resolve(start); !visited.has(dir); dir = path.dirname(dir)) {
      visited.add(dir);
      const modulePath = readModulePath(dir);
      if (modulePath) {
        modules.set(dir, modulePath);
        break;
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  return modules;
}
