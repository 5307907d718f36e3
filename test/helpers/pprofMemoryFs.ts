// An in-memory SourceFileSystem for the source-mapping tests: files by absolute path, and directory
// symlinks to check that a link cannot lead a resolution outside the allowed roots.

import type { SourceFileSystem } from '../../core/profiles/sourceFileSystem';

/** An in-memory file system: `files` maps absolute paths to their text. */
export function memorySourceFileSystem(files: Readonly<Record<string, string>>, links: Readonly<Record<string, string>> = {}): SourceFileSystem {
  const paths = Object.keys(files);
  const resolveLinks = (path: string): string => {
    for (const [from, to] of Object.entries(links)) {
      if (path === from || path.startsWith(from + '/')) return to + path.slice(from.length);
    }
    return path;
  };
  return {
    isFile: (path) => Object.prototype.hasOwnProperty.call(files, resolveLinks(path)),
    readText: (path) => files[resolveLinks(path)],
    readDir: (path) => {
      const dir = resolveLinks(path).replace(/\/+$/, '');
      const entries = new Map<string, boolean>();
      for (const file of paths) {
        if (!file.startsWith(dir + '/')) continue;
        const rest = file.slice(dir.length + 1);
        const slash = rest.indexOf('/');
        if (slash === -1) entries.set(rest, false);
        else entries.set(rest.slice(0, slash), true);
      }
      return entries.size === 0 ? undefined : [...entries].map(([name, isDirectory]) => ({ name, isDirectory }));
    },
    realPath: (path) => resolveLinks(path),
  };
}
