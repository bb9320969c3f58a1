/**
 * The offline answer: the sentences of the retrieved passages that share the most (IDF-free,
 * stemmed) question words, quoted in the order of their passages, each with its citation number.
 */
import type { Passage } from '../../src/contracts/documents.js';
import { analyseQuery, EMPTY_GLOSSARY, type Glossary, keysOf } from '../../src/index/index.js';

export interface Quote {
  text: string;
  /** 1-based number of the passage (citation). */
  n: number;
  score: number;
}

/** Splits a passage into sentences, treating table rows and list items as sentences of their own. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const block of text.split(/\n(?=\s*(?:[-*•|#]|\d+\.\s|[A-Z]))/)) {
    const flat = block.replace(/\s*\n\s*/g, ' ').trim();
    if (!flat) continue;
    for (const s of flat.split(/(?<=[.!?])\s+(?=[A-Z(`"'])/)) if (s.trim().length > 0) out.push(s.trim());
  }
  return out;
}

export function bestSentences(question: string, passages: readonly Passage[], count: number, glossary: Glossary = EMPTY_GLOSSARY): Quote[] {
  const query = analyseQuery(question, glossary);
  const keys = new Map<string, number>();
  for (const t of query.terms) {
    keys.set(t.key, 1);
    for (const a of t.alternatives) for (const k of a.keys) if (!keys.has(k)) keys.set(k, a.credit * 0.8);
  }
  const scored: Quote[] = [];
  passages.forEach((p, i) => {
    for (const sentence of splitSentences(p.text)) {
      if (sentence.length < 20 || sentence.length > 600 || sentence.startsWith('#')) continue;
      const words = new Set(keysOf(sentence));
      let score = 0;
      for (const [k, w] of keys) if (words.has(k)) score += w;
      // Earlier (better-ranked) passages win ties; very long sentences are slightly penalised.
      score = score - i * 0.15 - sentence.length / 4000;
      if (score > 0.5) scored.push({ text: sentence, n: i + 1, score });
    }
  });
  // Overlapping passages repeat sentences: quote each sentence once, from its best-ranked passage.
  const seen = new Set<string>();
  const chosen = scored
    .sort((a, b) => b.score - a.score)
    .filter((q) => {
      const key = q.text.replace(/\s+/g, ' ').trim().toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, count);
  const at = (q: Quote): number => passages[q.n - 1]?.text.indexOf(q.text) ?? 0;
  return chosen.sort((a, b) => a.n - b.n || at(a) - at(b));
}
