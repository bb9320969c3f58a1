/**
 * Reciprocal-rank fusion: each ranked list gives an item 1 / (k + rank); items are ordered by the
 * sum. Robust to lists whose scores are on different scales (BM25 vs cosine similarity).
 */
export interface Ranked<T> {
  key: string;
  item: T;
}

export function reciprocalRankFusion<T>(
  lists: ReadonlyArray<ReadonlyArray<Ranked<T>>>,
  k = 60,
  weights?: readonly number[],
): Array<{ key: string; item: T; score: number }> {
  const fused = new Map<string, { key: string; item: T; score: number }>();
  lists.forEach((list, li) => {
    const w = weights?.[li] ?? 1;
    list.forEach((entry, rank) => {
      const add = w / (k + rank + 1);
      const found = fused.get(entry.key);
      if (found) found.score += add;
      else fused.set(entry.key, { key: entry.key, item: entry.item, score: add });
    });
  });
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
