/** Edit distance for matching mistyped queue and site names against CRIC. */

/**
 * True when `a` and `b` are at most `max` edits apart: insertions, deletions, substitutions and
 * swaps of two neighbouring letters ("tirumf" → "triumf" is one edit). Stops early once every
 * cell of a row exceeds `max`.
 */
export function within(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (before[j - 2] ?? 0) + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return false;
    before = prev;
    prev = cur;
  }
  return (prev[b.length] ?? max + 1) <= max;
}
