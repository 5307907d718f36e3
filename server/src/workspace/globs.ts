// Glob patterns for the workspace index's include/exclude settings, matched against workspace-relative
// paths with forward slashes: `**` (any number of folders), `*` and `?` (within one path segment), `{a,b}`
// alternatives and `[...]` classes, as VS Code's files.exclude understands them.

export type GlobMatcher = (relativePath: string) => boolean;

export class GlobSyntaxError extends Error {
  override readonly name = 'GlobSyntaxError';
}

function toRegExpSource(glob: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        const atSegmentStart = i === 0 || glob[i - 1] === '/';
        if (atSegmentStart && slashAfter) {
          out += '(?:[^/]*/)*';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) {
      out += '|';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close === -1) throw new GlobSyntaxError(`"${glob}": "[" at ${i + 1} is never closed`);
      const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
      out += `[${body}]`;
      i = close;
    } else {
      out += c.replace(/[.+^$()|\\\]]/g, '\\$&');
    }
  }
  if (braces > 0) throw new GlobSyntaxError(`"${glob}": "{" is never closed`);
  return out;
}

/** A matcher for one glob; a pattern without a slash also matches at any depth (`*.pb.go`). */
export function globMatcher(glob: string): GlobMatcher {
  const trimmed = glob.replace(/^\.\//, '').replace(/^\//, '');
  const source = toRegExpSource(trimmed);
  const anyDepth = !trimmed.includes('/');
  const regexp = new RegExp(`^${anyDepth ? '(?:[^/]*/)*' : ''}${source}$`);
  return (relativePath) => regexp.test(relativePath);
}

/** True when any of the globs matches. */
export function anyGlob(globs: readonly string[]): GlobMatcher {
  const matchers = globs.map(globMatcher);
  return (relativePath) => matchers.some((m) => m(relativePath));
}
