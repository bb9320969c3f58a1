/**
 * Turns a user question into weighted search terms: identifier-aware words minus question filler,
 * plus acronym expansions and synonyms from the glossary (at a lower weight).
 */
import type { Glossary } from './glossary.js';
import { stem } from './stem.js';
import { expandToken, words } from './tokenize.js';

/** English stop words plus the filler of questions ("how do I", "can you", "please explain"). */
export const QUERY_STOP_WORDS = new Set(
  (
    'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with ' +
    'how what whats which who whom why when where does do did doing done can could would should shall may might must ' +
    'i me my mine we our us you your yours he she him her his its im ive id dont doesnt isnt cant wont am been being ' +
    'have has had having get gets got getting any some all just only also very really actually exactly even still yet so than too ' +
    'about from again further once here there more most other own same s t now want wanted need needed like know tell ' +
    'explain please thing things stuff way one go lets let hi hello thanks thank anyone someone something ok okay sure ' +
    'e g eg ie etc vs instead'
  ).split(/\s+/),
);

export interface QueryTerm {
  /** Light stem of the word (see stem.ts), compared with a passage's stemmed words. */
  key: string;
  /** 1 for the user's words; lower for words only the glossary added. */
  weight: number;
  /**
   * Other ways the passage may say it: the parts of an identifier, an acronym's expansion, a
   * synonym. Each alternative is a list of keys that must all be present; `credit` is the share of
   * the weight it earns.
   */
  alternatives: Array<{ keys: string[]; credit: number }>;
  /** An exact identifier (error code, option, parameter, file name): passages without it are demoted. */
  exact: boolean;
}

export interface AnalysedQuery {
  terms: QueryTerm[];
  /** Original words, for the full-text query. */
  text: string;
  /** Expansion words (acronyms, synonyms), searched at a lower weight. */
  expansionText: string;
  /** The question asks for a quantity: a duration, size, count, limit, period or priority (see RankWeights.quantity). */
  asksQuantity?: boolean;
  /** The question asks whom to contact or where to ask (see RankWeights.contact). */
  asksContact?: boolean;
}

const ASKS_CONTACT =
  /\b(?:who|whom)\b[^?]*\b(?:contact|write|ask|e-?mail|mail|report|talk|reach)\b|\b(?:contact|mailing list|e-?mail address|support list|support channel)\b/i;

const ASKS_QUANTITY =
  /\bhow (?:long|many|much|often|big|large|early|late|soon|frequently|old)\b|\b(?:limit|limits|maximum|max|minimum|min|timeout|time-?out|size|period|interval|frequency|priority|priorities|lifetime|threshold|cap|quota)\b/i;

const RAW = /[\p{L}\p{N}]+(?:[_.\-/:'][\p{L}\p{N}]+)*/gu;

const keysOfPhrase = (phrase: string): string[] =>
  words(phrase)
    .filter((w) => !QUERY_STOP_WORDS.has(w))
    .map(stem);

export function analyseQuery(question: string, glossary: Glossary, synonymCredit = 0.6): AnalysedQuery {
  const terms: QueryTerm[] = [];
  const byKey = new Map<string, QueryTerm>();
  const originals: string[] = [];
  const expansions: string[] = [];
  const addTerm = (key: string): QueryTerm | undefined => {
    if (!key) return undefined;
    const found = byKey.get(key);
    if (found) return found;
    const term: QueryTerm = { key, weight: 1, alternatives: [], exact: false };
    byKey.set(key, term);
    terms.push(term);
    return term;
  };
  for (const raw of question.matchAll(RAW)) {
    const token = raw[0];
    const parts = expandToken(token).filter((w) => !QUERY_STOP_WORDS.has(w));
    if (parts.length === 0) {
      // An acronym spelled like a stop word ("what's a DID?") is still a term when the glossary knows it.
      const expansion = /^\p{Lu}{2,}s?$/u.test(token) ? glossary.acronyms.get(token.toUpperCase()) : undefined;
      const term = expansion ? addTerm(stem(token.toLowerCase())) : undefined;
      if (term && expansion) {
        expansions.push(...words(expansion));
        term.alternatives.push({ keys: keysOfPhrase(expansion), credit: 1 });
      }
      continue;
    }
    originals.push(...parts);
    // An identifier is one term (its joined form) that its parts, all present, also match.
    const term = addTerm(stem(parts[0] as string));
    if (term && parts.length > 1) term.alternatives.push({ keys: parts.slice(1).map(stem), credit: 1 });
    if (term && (parts.length > 1 || /\d/.test(token))) term.exact = true;
    const upper = token.toUpperCase();
    const acronymForm = token === upper || !QUERY_STOP_WORDS.has(token.toLowerCase());
    const expansion = acronymForm ? (glossary.acronyms.get(upper) ?? glossary.acronyms.get(token.toUpperCase().replace(/S$/, ''))) : undefined;
    if (term && expansion) {
      expansions.push(...words(expansion));
      term.alternatives.push({ keys: keysOfPhrase(expansion), credit: 1 });
    }
  }
  // Synonyms of single words and of two-word phrases of the question.
  const keys = originals.map(stem);
  for (let i = 0; i < keys.length; i += 1) {
    for (const span of [1, 2]) {
      if (i + span > keys.length) continue;
      const phrase = keys.slice(i, i + span).join(' ');
      const others = glossary.synonyms.get(phrase) ?? [];
      // A synonym of a two-word phrase stands for both of its words.
      const covered = keys.slice(i, i + span).map((k) => byKey.get(k));
      for (const other of others) {
        expansions.push(...words(other));
        const alt = keysOfPhrase(other);
        if (alt.length === 0) continue;
        for (const term of new Set(covered)) if (term) term.alternatives.push({ keys: alt, credit: synonymCredit });
      }
    }
  }
  return {
    terms,
    asksQuantity: ASKS_QUANTITY.test(question),
    asksContact: ASKS_CONTACT.test(question),
    text: [...new Set(originals)].join(' '),
    expansionText: [...new Set(expansions.filter((w) => !QUERY_STOP_WORDS.has(w)))].join(' '),
  };
}
