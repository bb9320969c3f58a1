/**
 * A small lexical index over error-code entries (BM25 over weighted fields, plus a boost for
 * quoted or whole-query phrases found verbatim), for questions like "what does 'lost heartbeat' mean".
 */
import { nameWords } from './rules.js';
import type { ErrorCodeEntry } from './types.js';

export interface SearchHit {
  entry: ErrorCodeEntry;
  score: number;
}

const STOPWORDS = new Set(
  (
    'a about all also an and any are as at be been but by can could code codes did do does error errors exit explain for from get ' +
    'got had has have hello hey hi how i if in into is it its job jobs just know me mean meaning means my no not of on or our ' +
    'panda please say so some tell than thank thanks that the their them then there these they this those to us was we were what ' +
    'when where which who why will with would you your'
  ).split(' '),
);

/** Lower-cases, splits on non-alphanumerics and strips a plural `s` (`timeouts` → `timeout`). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    out.push(raw.length > 4 && raw.endsWith('s') && !raw.endsWith('ss') ? raw.slice(0, -1) : raw);
  }
  return out;
}

interface Doc {
  entry: ErrorCodeEntry;
  tf: Map<string, number>;
  length: number;
  /** Lower-cased text of the main fields, for phrase matches. */
  haystack: string;
}

const FIELD_WEIGHTS = { name: 3, message: 3, typicalDiag: 2, aliases: 2, explanation: 1, description: 0.5 } as const;

function fieldsOf(entry: ErrorCodeEntry): Array<[keyof typeof FIELD_WEIGHTS, string]> {
  return [
    ['name', nameWords(entry.name)],
    ['message', entry.message ?? ''],
    ['typicalDiag', (entry.typicalDiag ?? []).join(' ')],
    ['aliases', (entry.aliases ?? []).join(' ')],
    ['explanation', entry.explanation ?? ''],
    ['description', entry.description ?? ''],
  ];
}

export interface LexicalIndex {
  search(text: string, limit: number): SearchHit[];
}

export function createLexicalIndex(entries: readonly ErrorCodeEntry[]): LexicalIndex {
  const docs: Doc[] = entries.map((entry) => {
    const tf = new Map<string, number>();
    let length = 0;
    for (const [field, text] of fieldsOf(entry)) {
      for (const token of tokenize(text)) {
        tf.set(token, (tf.get(token) ?? 0) + FIELD_WEIGHTS[field]);
        length += FIELD_WEIGHTS[field];
      }
    }
    const haystack = [entry.name ?? '', nameWords(entry.name), entry.message ?? '', ...(entry.typicalDiag ?? []), entry.explanation ?? '']
      .join(' \n ')
      .toLowerCase();
    return { entry, tf, length, haystack };
  });
  const df = new Map<string, number>();
  for (const doc of docs) for (const token of doc.tf.keys()) df.set(token, (df.get(token) ?? 0) + 1);
  const avgLength = docs.reduce((sum, d) => sum + d.length, 0) / Math.max(1, docs.length);
  const k1 = 1.2;
  const b = 0.75;

  return {
    search(text, limit) {
      const phrases = [...text.matchAll(/["'“‘]([^"'”’]{3,})["'”’]/g)].map((m) => (m[1] ?? '').toLowerCase().trim());
      const terms = [...new Set(tokenize(text).filter((t) => !STOPWORDS.has(t)))];
      if (terms.length === 0) return [];
      if (phrases.length === 0 && terms.length > 1) phrases.push(terms.join(' '));
      const hits: SearchHit[] = [];
      for (const doc of docs) {
        let score = 0;
        let matched = 0;
        for (const term of terms) {
          const f = doc.tf.get(term);
          if (!f) continue;
          matched += 1;
          const n = df.get(term) ?? 0;
          const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
          score += (idf * (f * (k1 + 1))) / (f + k1 * (1 - b + (b * doc.length) / avgLength));
        }
        // A hit must match at least half of the question's words.
        if (score === 0 || matched < Math.ceil(terms.length / 2)) continue;
        for (const phrase of phrases) if (phrase && doc.haystack.includes(phrase)) score *= 2;
        // Current codes before historical ones when the text matches equally well.
        if (doc.entry.status !== 'legacy') score *= 1.1;
        hits.push({ entry: doc.entry, score });
      }
      hits.sort((x, y) => y.score - x.score);
      return hits.slice(0, Math.max(0, limit));
    },
  };
}
