// Matching a path from another machine to local files by their common tail: `/build/src/shop/orders.go`
// and `/home/me/shop/orders.go` share `shop/orders.go`. Pure.

/** How many trailing path segments two paths share. */
export function commonTailSegments(a: string, b: string): number {
  const left = a.split(/[\\/]+/).filter(Boolean);
  const right = b.split(/[\\/]+/).filter(Boolean);
  let n = 0;
  while (n < left.length && n < right.length && left[left.length - 1 - n] === right[right.length - 1 - n]) n++;
  return n;
}

/** The candidate sharing the longest tail with `tracePath` (at least the file name), undefined if none or a tie. */
export function bestTailMatch(tracePath: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = 0;
  let tie = false;
  for (const candidate of candidates) {
    const score = commonTailSegments(tracePath, candidate);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
      tie = false;
    } else if (score === bestScore && score > 0) {
      tie = true;
    }
  }
  return best && !tie ? best : undefined;
}
