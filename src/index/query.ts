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
  /** The word as indexed (before LanceDB's stemming). */
  word: string;
  /** Light stem used for local scoring. */
  key: string;
  weight: number;
  expansion: boolean;
}

export interface AnalysedQuery {
  terms: QueryTerm[];
  /** Original words, for the full-text query. */
  text: string;
  /** Expansion words (acronyms, synonyms), searched at a lower weight. */
  expansionText: string;
}

const RAW = /[\p{L}\p{N}]+(?:[_.\-/:'][\p{L}\p{N}]+)*/gu;

export function analyseQuery(question: string, glossary: Glossary, expansionWeight = 0.3): AnalysedQuery {
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  const add = (word: string, weight: number, expansion: boolean): void => {
    if (!word || QUERY_STOP_WORDS.has(word)) return;
    const key = stem(word);
    if (seen.has(key)) return;
    seen.add(key);
    terms.push({ word, key, weight, expansion });
  };
  const originals: string[] = [];
  const expansions: string[] = [];
  const rawTokens = [...question.matchAll(RAW)].map((m) => m[0]);
  for (const raw of rawTokens) {
    for (const w of expandToken(raw)) {
      add(w, 1, false);
      if (!QUERY_STOP_WORDS.has(w)) originals.push(w);
    }
    const upper = raw.toUpperCase();
    const isAcronymForm = raw === upper || !QUERY_STOP_WORDS.has(raw.toLowerCase());
    const expansion = isAcronymForm ? glossary.acronyms.get(upper) : undefined;
    if (expansion) for (const w of words(expansion)) expansions.push(w);
  }
  // Synonyms of single words and of two-word phrases of the question.
  const keys = originals.map(stem);
  for (let i = 0; i < keys.length; i += 1) {
    for (const span of [1, 2]) {
      if (i + span > keys.length) continue;
      const phrase = keys.slice(i, i + span).join(' ');
      for (const other of glossary.synonyms.get(phrase) ?? []) expansions.push(...words(other));
    }
  }
  for (const w of expansions) add(w, expansionWeight, true);
  return {
    terms,
    text: [...new Set(originals)].join(' '),
    expansionText: [...new Set(expansions.filter((w) => !QUERY_STOP_WORDS.has(w)))].join(' '),
  };
}
