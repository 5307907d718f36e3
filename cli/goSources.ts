// Expands the CLI's PATH arguments into Go files: a file, a directory (recursively), or Go's `./...`
// pattern. Like the go tool, directories named testdata or vendor, or starting with "." or "_", are
// skipped when walking (a file named explicitly is always taken).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './args';

const SKIPPED_DIRS = new Set(['testdata', 'vendor', 'node_modules']);

function skipDir(name: string): boolean {
  return SKIPPED_DIRS.has(name) || name.startsWith('.') || name.startsWith('_');
}

function walk(dir: string, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    throw new UsageError(`cannot read directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipDir(entry.name)) walk(full, out);
    } else if (entry.isFile() && entry.name.endsWith('.go')) {
      out.push(full);
    }
  }
}

/** Absolute paths of the Go files named by `patterns`, in a stable order, without duplicates. */
export function expandGoSources(patterns: readonly string[], cwd: string): string[] {
  const files: string[] = [];
  for (const pattern of patterns) {
    const recursive = pattern === '...' || pattern.endsWith('/...');
    const base = recursive ? pattern.slice(0, -3) || '.' : pattern;
    const full = path.resolve(cwd, base);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      throw new UsageError(`${pattern}: no such file or directory.`);
    }
    if (stat.isDirectory()) walk(full, files);
    else if (recursive) throw new UsageError(`${pattern}: ${base} is not a directory.`);
    else files.push(full);
  }
  return [...new Set(files)];
}

/** The path to print for a file: relative to the working directory when below it. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
