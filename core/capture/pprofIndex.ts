// Recognises the HTML index Go's net/http/pprof serves at /debug/pprof/ and lists the profiles it
// offers, with their counts. Discovery uses it to tell a pprof endpoint from any other web server.

export interface PprofIndexEntry {
  readonly name: string;
  /** The count the index shows (goroutines, heap samples…; Go shows 0 for cmdline, profile and trace). */
  readonly count?: number;
}

/** The profiles listed by a pprof index page, or undefined when `html` is not one. */
export function parsePprofIndex(html: string): PprofIndexEntry[] | undefined {
  const looksLikeIndex = /<title>\s*\/debug\/pprof\/\s*<\/title>/i.test(html) || /Types of profiles available/i.test(html);
  if (!looksLikeIndex) return undefined;
  const entries: PprofIndexEntry[] = [];
  const seen = new Set<string>();
  const row = /(?:<td[^>]*>\s*(\d+)\s*(?:<\/td>)?\s*)?<td[^>]*>\s*<a href=['"]([A-Za-z0-9_.-]+)\?debug=1['"]>/gi;
  for (let match = row.exec(html); match; match = row.exec(html)) {
    const name = match[2]!;
    if (seen.has(name)) continue;
    seen.add(name);
    entries.push(match[1] !== undefined ? { name, count: Number(match[1]) } : { name });
  }
  return entries.length > 0 ? entries : undefined;
}
