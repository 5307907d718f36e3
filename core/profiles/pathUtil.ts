// Slash-separated path helpers with Go's semantics, without Node's `path` (the pprof core stays free of
// Node APIs): `cleanPath` is Go's `path.Clean`, which pprof applies to every file name it reports.

/** Go's `path.Clean`: collapse `//`, `.` and `..`; "" becomes ".". */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push('..');
      continue;
    }
    parts.push(part);
  }
  const joined = parts.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** pprof's built-in prefix trimming for file names (`/proc/self/cwd/` from Bazel builds). */
export function trimBuildPrefix(path: string): string {
  for (const prefix of ['/proc/self/cwd/./', '/proc/self/cwd/']) {
    if (path.startsWith(prefix)) return path.slice(prefix.length);
  }
  return path;
}

/** The file name pprof reports for a function's file: trimmed, then cleaned ("" stays ""). */
export function reportedFileName(path: string): string {
  if (path === '') return '';
  return cleanPath(trimBuildPrefix(path));
}

/** Last element of a slash- or backslash-separated path (Go's `filepath.Base` on Unix). */
export function baseName(path: string): string {
  if (path === '') return '.';
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  const i = trimmed.lastIndexOf('/');
  return i === -1 ? trimmed : trimmed.slice(i + 1);
}

export function joinPath(...parts: string[]): string {
  return cleanPath(parts.filter((p) => p !== '').join('/'));
}

/** True when `path` is `root` or inside it (both cleaned, absolute). */
export function isWithin(path: string, root: string): boolean {
  const p = cleanPath(path);
  const r = cleanPath(root);
  if (r === '/') return p.startsWith('/');
  return p === r || p.startsWith(r + '/');
}

export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
}
