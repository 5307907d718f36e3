// Comments that change what is reported: `//go-trace-lens:ignore <rule-id>[,<rule-id>…] <reason>` on the
// flagged line or the line above it, and Go's generated-file marker.

const IGNORE_DIRECTIVE = /^\/\/\s*go-trace-lens:ignore\s+([a-z0-9,-]+)/;
const GENERATED_MARKER = /^\/\/ Code generated .* DO NOT EDIT\.$/m;

export class Suppressions {
  private readonly byLine = new Map<number, Set<string>>();

  /** Records a comment; returns true when it was an ignore directive. */
  addComment(line: number, commentText: string): boolean {
    const match = IGNORE_DIRECTIVE.exec(commentText);
    if (!match) return false;
    let rules = this.byLine.get(line);
    if (!rules) this.byLine.set(line, (rules = new Set()));
    for (const id of match[1]!.split(',')) if (id) rules.add(id);
    return true;
  }

  /** True when a directive on `line` or the line above names `ruleId`. */
  isSuppressed(ruleId: string, line: number): boolean {
    return !!(this.byLine.get(line)?.has(ruleId) || this.byLine.get(line - 1)?.has(ruleId));
  }
}

/** Go's convention: a `// Code generated … DO NOT EDIT.` line before the package clause. */
export function isGeneratedSource(source: string): boolean {
  const packageAt = source.search(/^package\s/m);
  const header = packageAt >= 0 ? source.slice(0, packageAt) : source.slice(0, 4096);
  return GENERATED_MARKER.test(header);
}
