/** Edit distance between names: the monitor client's "did you mean …?" and the router's typo matching. */

/**
 * The edit distance of `a` and `b` in insertions, deletions and substitutions; with `swaps`, a swap
 * of two neighbouring letters is one edit too ("tirumf" → "triumf"). With `max`, it stops once every
 * cell of a row exceeds `max` and returns `max + 1`.
 */
export function editDistance(a: string, b: string, options: { swaps?: boolean; max?: number } = {}): number {
  const { swaps = false, max = Number.POSITIVE_INFINITY } = options;
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (swaps && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (before[j - 2] ?? 0) + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    before = prev;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** True when `a` and `b` are at most `max` edits apart, a swap of neighbouring letters counting as one. */
export const withinEdits = (a: string, b: string, max: number): boolean => editDistance(a, b, { swaps: true, max }) <= max;
