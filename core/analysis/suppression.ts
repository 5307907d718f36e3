// Comments that change what is reported: `//go-trace-lens:ignore <rule-id>[,<rule-id>…] <reason>` on the
// flagged line or the line above it, and Go's generated-file marker.

const IGNORE_DIRECTIVE = /^\/\/\s*go-trace-lens:ignore\s+([a-z0-9,-]+)/;
const GENERATED_MARKER = /^\/\/ Code generated .* DO NOT EDIT\.$/m;

/** The rule ids an ignore directive names, or undefined when the comment is not one. */
export function parseIgnoreDirective(commentText: string): string[] | undefined {
  const match = IGNORE_DIRECTIVE.exec(commentText);
  return match ? match[1]!.split(',').filter(Boolean) : undefined;
}

export class Suppressions {
  private readonly byLine = new Map<number, Set<string>>();

  /** Records a comment; returns true when it was an ignore directive. */
  addComment(line: number, commentText: string): boolean {
    const rules = parseIgnoreDirective(commentText);
    if (!rules) return false;
    this.add(line, rules);
    return true;
  }

  add(line: number, rules: readonly string[]): void {
    let set = this.byLine.get(line);
    if (!set) this.byLine.set(line, (set = new Set()));
    for (const id of rules) set.add(id);
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
