// Where the lines of a profiled file are now. A profile's line numbers describe the file as it was built;
// once the file is edited, heat and lenses must follow the code: a line-level diff (Myers, on interned
// lines, after trimming the common prefix and suffix) maps each old line to its new line. When too little
// of the file survives, the map says so and the overlay is cleared instead of painting the wrong code.

export interface LineMap {
  /** New 0-based line of each old 0-based line, or -1 when the line was changed or removed. */
  readonly oldToNew: Int32Array;
  /** Share of the old lines that are still there, 0..1. */
  readonly kept: number;
}

/** Below this share of surviving lines, a file "changed beyond recognition". */
export const RECOGNITION_THRESHOLD = 0.5;

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** Maps old lines to new ones. Gives up (kept = 0) when the edit distance exceeds `maxEdits`. */
export function mapLines(oldLines: readonly string[], newLines: readonly string[], maxEdits = 4000): LineMap {
  const n = oldLines.length;
  const m = newLines.length;
  const oldToNew = new Int32Array(n).fill(-1);
  let prefix = 0;
  while (prefix < n && prefix < m && oldLines[prefix] === newLines[prefix]) {
    oldToNew[prefix] = prefix;
    prefix++;
  }
  let suffix = 0;
  while (suffix < n - prefix && suffix < m - prefix && oldLines[n - 1 - suffix] === newLines[m - 1 - suffix]) {
    oldToNew[n - 1 - suffix] = m - 1 - suffix;
    suffix++;
  }
  const a = intern(oldLines, newLines, prefix, n - suffix, prefix, m - suffix);
  const matched = myers(a.old, a.new, Math.min(maxEdits, a.old.length + a.new.length));
  if (matched === null) return { oldToNew: new Int32Array(n).fill(-1), kept: 0 };
  for (const [i, j] of matched) oldToNew[prefix + i] = prefix + j;
  const keptLines = prefix + suffix + matched.length;
  return { oldToNew, kept: n === 0 ? 1 : keptLines / n };
}

function intern(oldLines: readonly string[], newLines: readonly string[], os: number, oe: number, ns: number, ne: number) {
  const ids = new Map<string, number>();
  const id = (line: string) => {
    let v = ids.get(line);
    if (v === undefined) ids.set(line, (v = ids.size));
    return v;
  };
  const oldIds = new Int32Array(Math.max(0, oe - os));
  for (let i = os; i < oe; i++) oldIds[i - os] = id(oldLines[i]!);
  const newIds = new Int32Array(Math.max(0, ne - ns));
  for (let j = ns; j < ne; j++) newIds[j - ns] = id(newLines[j]!);
  return { old: oldIds, new: newIds };
}

/**
 * Myers' O((N+M)·D) shortest edit script; returns the matched (old, new) index pairs, or null when more
 * than `maxD` edits are needed.
 */
function myers(a: Int32Array, b: Int32Array, maxD: number): [number, number][] | null {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return [];
  const offset = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= maxD; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d, offset);
    }
  }
  return null;
}

function backtrack(trace: Int32Array[], a: Int32Array, b: Int32Array, dEnd: number, offset: number): [number, number][] {
  const pairs: [number, number][] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d >= 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : v[offset + prevK]!;
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      pairs.push([x, y]);
    }
    x = prevX;
    y = prevY;
  }
  return pairs.reverse();
}
