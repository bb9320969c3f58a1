/**
 * Words of a question that the whole documentation never uses ("salary", "refund", "keyboard",
 * "macaroon"): when such a word carries a good share of the question and the passages match it only
 * loosely, the documents do not cover what is asked, however many other words they share. A word
 * counts as foreign when no retrieved passage states it (nor a glossary synonym of it) and a search
 * for the word alone finds no passage that does. Short words ("gave", "didn") and numbers do not
 * count, nor verb forms and adverbs ("misbehaving", "mangled", "slowly"): paraphrases are full of them.
 */
import type { DocumentStore, Passage } from '../../src/contracts/documents.js';
import { analyseQuery, type Glossary, keysOf } from '../../src/index/index.js';

/** A word long enough to name a topic (five letters or more, a letter first). */
const TOPICAL = /^\p{L}[\p{L}\d]{4,}$/u;
/** A verb form ("misbehaving", "mangled"): how the asker tells what happened, not the topic. */
const VERB_FORM = /(?:ing|ed|ly)$/i;

/** The first half of a contraction ("couldn" of "couldn't", "wouldn" of "wouldn’t"). */
function contracted(word: string, question: string): boolean {
  const at = question.indexOf(word);
  return at >= 0 && /^['\u2019]t\b/i.test(question.slice(at + word.length));
}

export interface Foreign {
  /** The question's words the documentation never uses, as the question writes them. */
  words: string[];
  /** Their share (0–1) of the question's weighted words. */
  share: number;
}

export async function foreignWords(
  question: string,
  passages: readonly Passage[],
  store: DocumentStore,
  glossary: Glossary,
  signal?: AbortSignal,
): Promise<Foreign> {
  const query = analyseQuery(question, glossary);
  const total = query.terms.reduce((sum, t) => sum + t.weight, 0);
  if (total === 0 || passages.length === 0) return { words: [], share: 0 };
  const keysIn = (ps: readonly Passage[]): Set<string> => new Set(ps.flatMap((p) => keysOf(`${p.title} ${p.section ?? ''} ${p.text}`)));
  const near = keysIn(passages);
  const states = (keys: ReadonlySet<string>, t: (typeof query.terms)[number]): boolean =>
    keys.has(t.key) || t.alternatives.some((a) => a.keys.length > 0 && a.keys.every((k) => keys.has(k)));
  const tokens = question.match(/[\p{L}\p{N}_-]+/gu) ?? [];
  const words: string[] = [];
  let weight = 0;
  for (const t of query.terms) {
    if (t.weight < 1 || states(near, t)) continue;
    const word = tokens.find((w) => keysOf(w).includes(t.key));
    if (!word || !TOPICAL.test(word) || VERB_FORM.test(word) || contracted(word, question)) continue;
    const found = await store.search(word, { limit: 3, signal });
    if (states(keysIn(found), t)) continue;
    words.push(word);
    weight += t.weight;
  }
  return { words, share: weight / total };
}
