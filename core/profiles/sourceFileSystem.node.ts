// The SourceFileSystem backed by Node's fs, for the language server and the CLI. Node-only: the pure pprof
// modules never import this file.

import * as fs from 'node:fs';
import type { DirectoryEntry, SourceFileSystem } from './sourceFileSystem';

const MAX_TEXT_BYTES = 1024 * 1024;

export const nodeSourceFileSystem: SourceFileSystem = {
  isFile(path: string): boolean {
    try {
      return fs.statSync(path).isFile();
    } catch {
      return false;
    }
  },
  readText(path: string): string | undefined {
    try {
      if (fs.statSync(path).size > MAX_TEXT_BYTES) return undefined;
      return fs.readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  readDir(path: string): DirectoryEntry[] | undefined {
    try {
      return fs.readdirSync(path, { withFileTypes: true }).map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
    } catch {
      return undefined;
    }
  },
  realPath(path: string): string | undefined {
    try {
      return fs.realpathSync(path);
    } catch {
      return undefined;
    }
  },
};
