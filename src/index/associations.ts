/**
 * A term-association table derived from the indexed documentation itself (no model weights): which
 * words the documentation writes near a given word. A user who asks in their own words often names
 * one rare word of the topic ("compile", "stdout", "lifetime") while the passage that answers says
 * the rest in the documentation's vocabulary ("buildJob", "size limit"); the words that habitually
 * surround the rare word, added to the query at a low weight, reach that passage.
 *
 * Built when the term statistics are rebuilt (an inverted list of chunks per word: one pass over
 * the stemmed words already read for the statistics); the associates of a word are computed on
 * first use from those lists and cached until the next rebuild.
 */
import type { TermStats } from './lexical-score.js';
import { QUERY_STOP_WORDS } from './query.js';

export interface AssociationOptions {
  /** Words at most this far apart (in words) co-occur. Default 8. */
  window: number;
  /** A word in more than this share of the chunks is too common to have telling associates. Default 0.02. */
  maxDfShare: number;
  /** An associate must occur near the word in at least this many chunks. Default 3. */
  minCount: number;
  /** … and in at least this share of the word's chunks. Default 0.5. */
  minShare: number;
  /** … and be in at least this many chunks overall (not a one-off). Default 3. */
  minDf: number;
  /** At most this many chunks of a word are read (the first ones; deterministic). Default 300. */
  maxChunks: number;
}

export const DEFAULT_ASSOCIATION_OPTIONS: AssociationOptions = { window: 8, maxDfShare: 0.02, minCount: 3, minShare: 0.5, minDf: 3, maxChunks: 300 };

/** Words worth associating: not stop words, numbers or one- and two-letter fragments. */
export const isContentKey = (key: string): boolean => key.length >= 3 && !/\d/.test(key) && !QUERY_STOP_WORDS.has(key);

export interface Associate {
  key: string;
  /** Strength relative to the word's strongest associate (0–1]. */
  weight: number;
}

export class TermAssociations {
  private readonly postings = new Map<string, number[]>();
  private readonly cache = new Map<string, Associate[]>();
  private readonly options: AssociationOptions;

  /** `chunks`: each chunk's stemmed words in order (see keysOf); `stats`: their document frequencies. */
  constructor(
    private readonly chunks: ReadonlyArray<readonly string[]>,
    private readonly stats: TermStats,
    options: Partial<AssociationOptions> = {},
  ) {
    this.options = { ...DEFAULT_ASSOCIATION_OPTIONS, ...options };
    chunks.forEach((keys, index) => {
      for (const k of new Set(keys)) {
        if (!isContentKey(k)) continue;
        const list = this.postings.get(k);
        if (list) list.push(index);
        else this.postings.set(k, [index]);
      }
    });
  }

  /** Chunks that hold the word. */
  df(key: string): number {
    return this.postings.get(key)?.length ?? 0;
  }

  /**
   * The words most associated with `key`, strongest first: the share of its chunks that have them
   * within `window` words of it, weighted by their rarity in the whole documentation (a word that is
   * near everything says nothing). Empty for unknown and for common words. Deterministic: ties are
   * ordered by the word.
   */
  related(key: string, count: number): Associate[] {
    const cached = this.cache.get(key);
    if (cached) return cached.slice(0, count);
    const list = this.postings.get(key) ?? [];
    const { window, maxDfShare, minCount, minShare, minDf, maxChunks } = this.options;
    let out: Associate[] = [];
    if (list.length >= minCount && list.length <= Math.max(minCount, maxDfShare * this.stats.size)) {
      const near = new Map<string, number>();
      for (const index of list.slice(0, maxChunks)) {
        const keys = this.chunks[index] ?? [];
        const seen = new Set<string>();
        keys.forEach((k, pos) => {
          if (k !== key) return;
          const from = Math.max(0, pos - window);
          const to = Math.min(keys.length, pos + window + 1);
          for (let i = from; i < to; i += 1) {
            const other = keys[i] as string;
            if (other !== key && isContentKey(other)) seen.add(other);
          }
        });
        for (const other of seen) near.set(other, (near.get(other) ?? 0) + 1);
      }
      const scored: Array<{ key: string; value: number }> = [];
      for (const [other, n] of near) {
        if (n < minCount || n / list.length < minShare || this.df(other) < minDf) continue;
        // Share of the word's chunks that have the other word near it, times the other word's rarity.
        scored.push({ key: other, value: (n / list.length) * this.stats.idf(other) });
      }
      scored.sort((a, b) => b.value - a.value || (a.key < b.key ? -1 : 1));
      const max = scored[0]?.value ?? 0;
      out = max > 0 ? scored.slice(0, 20).map((s) => ({ key: s.key, weight: s.value / max })) : [];
    }
    if (this.cache.size < 50_000) this.cache.set(key, out);
    return out.slice(0, count);
  }
}
