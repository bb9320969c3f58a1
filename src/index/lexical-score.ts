/**
 * Local re-scoring of full-text candidates: how much of the question's (IDF-weighted) vocabulary a
 * passage covers, and how close together it appears. BM25 alone rewards a passage that repeats one
 * rare word; users' paraphrased questions are answered by the passage that mentions most of their
 * words near each other.
 */
import type { AnalysedQuery } from './query.js';
import { stem } from './stem.js';
import { words } from './tokenize.js';

const stemCache = new Map<string, string>();

export function stemmed(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = stem(word);
    if (stemCache.size < 200_000) stemCache.set(word, s);
  }
  return s;
}

/** Stemmed words of a text, in order. */
export function keysOf(text: string): string[] {
  return words(text).map(stemmed);
}

/** Document frequencies of stemmed words over the indexed chunks. */
export class TermStats {
  private readonly df = new Map<string, number>();
  private docs = 0;

  add(keys: Iterable<string>): void {
    this.docs += 1;
    for (const k of new Set(keys)) this.df.set(k, (this.df.get(k) ?? 0) + 1);
  }

  get size(): number {
    return this.docs;
  }

  idf(key: string): number {
    const df = this.df.get(key) ?? 0;
    return Math.log(1 + (this.docs - df + 0.5) / (df + 0.5));
  }
}

export interface LexicalFeatures {
  /** Share of the query weight present anywhere in the passage (0–1). */
  coverage: number;
  /** Share of the query weight present inside the best window of `window` words (0–1). */
  proximity: number;
  /** Share of the query weight present in the title / section path (0–1); a glossary synonym there earns its credit. */
  heading: number;
  /**
   * Share of the heading's own (IDF-weighted) words that the query names (0–1): "what is X" → section
   * "X". A heading word that is a glossary synonym of a query word counts at the synonym's credit:
   * "pass an API token to my jobs" → section "Using secrets".
   */
  headFit: number;
  /** Exact identifiers of the query (error codes, options) the passage lacks. */
  missingExact: number;
}

/** Share of a text's words that are plain prose words rather than code, identifiers or numbers (0–1). */
export function proseShare(text: string): number {
  let plain = 0;
  let total = 0;
  for (const m of text.matchAll(/[\p{L}\p{N}]+(?:[_.\-/:'()][\p{L}\p{N}]+)*/gu)) {
    total += 1;
    if (/^\p{L}[\p{Ll}]*(?:'\p{Ll}+)?$/u.test(m[0])) plain += 1;
  }
  return total === 0 ? 0 : plain / total;
}

/** `keys` and `heading` are stemmed word lists (see keysOf). */
export function lexicalFeatures(query: AnalysedQuery, stats: TermStats, keys: readonly string[], heading: readonly string[], window = 24): LexicalFeatures {
  let total = 0;
  const weights = query.terms.map((t) => {
    const w = t.weight * stats.idf(t.key);
    total += w;
    return w;
  });
  if (total === 0) return { coverage: 0, proximity: 0, heading: 0, headFit: 0, missingExact: 0 };
  const positions = new Map<string, number[]>();
  keys.forEach((k, pos) => {
    const list = positions.get(k);
    if (list) list.push(pos);
    else positions.set(k, [pos]);
  });
  const headSet = new Set(heading);
  // Each term: the credit it earns and where it occurs (its own word, or the first word of a matched alternative).
  let coverage = 0;
  let head = 0;
  let missingExact = 0;
  const hits: Array<{ pos: number; term: number; value: number }> = [];
  query.terms.forEach((t, i) => {
    const w = weights[i] ?? 0;
    let credit = 0;
    let at: number[] = [];
    const own = positions.get(t.key);
    if (own) {
      credit = 1;
      at = own;
    }
    for (const alt of t.alternatives) {
      if (alt.credit <= credit || alt.keys.length === 0) continue;
      if (alt.keys.every((k) => positions.has(k))) {
        credit = alt.credit;
        at = positions.get(alt.keys[0] as string) ?? [];
      }
    }
    let headCredit = headSet.has(t.key) ? 1 : 0;
    for (const a of t.alternatives) if (a.credit > headCredit && a.keys.length > 0 && a.keys.every((k) => headSet.has(k))) headCredit = a.credit;
    head += w * headCredit;
    if (credit === 0) {
      if (t.exact) missingExact += 1;
      return;
    }
    coverage += w * credit;
    for (const pos of at) hits.push({ pos, term: i, value: w * credit });
  });
  hits.sort((a, b) => a.pos - b.pos);
  // Best window: two pointers over the matched positions.
  let best = 0;
  let sum = 0;
  const counts = new Map<number, number>();
  let left = 0;
  for (const hit of hits) {
    const c = counts.get(hit.term) ?? 0;
    counts.set(hit.term, c + 1);
    if (c === 0) sum += hit.value;
    while (hit.pos - (hits[left]?.pos ?? hit.pos) >= window) {
      const gone = hits[left] as { term: number; value: number };
      const n = (counts.get(gone.term) ?? 1) - 1;
      counts.set(gone.term, n);
      if (n === 0) sum -= gone.value;
      left += 1;
    }
    if (sum > best) best = sum;
  }
  const queryKeys = new Set<string>();
  for (const t of query.terms) {
    queryKeys.add(t.key);
    for (const a of t.alternatives) if (a.credit >= 1) for (const k of a.keys) queryKeys.add(k);
  }
  const synonymKeys = new Map<string, number>();
  for (const t of query.terms) {
    for (const a of t.alternatives) {
      if (a.credit < 1) for (const k of a.keys) synonymKeys.set(k, Math.max(synonymKeys.get(k) ?? 0, a.credit));
    }
  }
  let headAll = 0;
  let headHit = 0;
  for (const k of headSet) {
    const idf = stats.idf(k);
    headAll += idf;
    if (queryKeys.has(k)) headHit += idf;
    else headHit += idf * (synonymKeys.get(k) ?? 0);
  }
  return {
    coverage: Math.min(1, coverage / total),
    proximity: Math.min(1, best / total),
    heading: Math.min(1, head / total),
    headFit: headAll > 0 ? headHit / headAll : 0,
    missingExact,
  };
}
