/**
 * Names in a question that none of the retrieved passages mention: an acronym or proper name
 * written in capitals (GDPR, SWAN, HL-LHC), a token only a name can be (`--maxAttempt`,
 * `some_option`, `iPhone`), or a proper name (a capitalised word inside the sentence: Kafka,
 * CephFS, OpenTelemetry). Search always returns the nearest passages; when they never name the
 * thing asked about, the documents do not cover it, however many other words they share.
 * Acronyms the glossary expands (PQ → PanDA queue) are known by their expansion and do not count.
 */
import type { Passage } from '../../src/contracts/documents.js';
import type { Glossary } from '../../src/index/index.js';
import { strongIdentifiers } from './extractive.js';

/** Acronyms of the medium, not of a topic ("the API", "a URL"): passages rarely spell them out. */
const GENERIC = new Set([
  'API',
  'APIS',
  'URL',
  'URLS',
  'ID',
  'IDS',
  'CLI',
  'GUI',
  'UI',
  'FAQ',
  'OS',
  'HTTP',
  'HTTPS',
  'JSON',
  'YAML',
  'PC',
  'TL',
  'DR',
  'TLDR',
  'FYI',
  'ASAP',
  'OK',
  'PS',
]);

const flat = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

export function unmentionedNames(question: string, passages: readonly Passage[], glossary: Glossary): string[] {
  if (passages.length === 0) return [];
  const letters = question.replace(/[^\p{L}]/gu, '');
  // A shouted question is not a list of acronyms.
  if (letters.length > 0 && letters.replace(/\P{Lu}/gu, '').length / letters.length > 0.5) return [];
  const capitals = [...question.matchAll(/(?<![\w-])\p{Lu}[\p{Lu}\d]*(?:-[\p{Lu}\d]+)*[\p{Lu}\d](?![\w-])/gu)]
    .map((m) => m[0])
    .filter((t) => /\p{Lu}.*\p{Lu}|\p{Lu}\d/u.test(t) && !GENERIC.has(t) && !glossary.acronyms.has(t) && !glossary.acronyms.has(t.replace(/S$/, '')));
  // A plural or mixed-case acronym the glossary knows ("WNs", "PQs", "iDDS") is not an unknown name either.
  const names = [...strongIdentifiers(question).filter((t) => !/^\d+$/.test(t)), ...properNames(question)].filter(
    (t) => !glossary.acronyms.has(t.toUpperCase()),
  );
  const hay = ` ${passages.map((p) => flat(`${p.title} ${p.section ?? ''} ${p.text}`)).join(' ')} `;
  const joined = hay.replace(/ /g, '');
  const missing = new Set<string>();
  for (const name of [...capitals, ...names]) {
    const f = flat(name);
    if (!f || hay.includes(` ${f} `) || joined.includes(f.replace(/ /g, ''))) continue;
    missing.add(name);
  }
  // The same name found as a capital word and as an identifier is reported once.
  return [...missing].filter((m, _, all) => !all.some((o) => o !== m && o.toLowerCase() === m.toLowerCase() && o < m));
}

/**
 * Proper names of a question: a capitalised word inside a sentence ("Kafka", "Christmas") and a
 * word with capitals inside it ("CephFS", "OpenTelemetry", "HEPscore23"). Sentence-initial words
 * and all-capital words (handled as acronyms above) are not.
 */
export function properNames(question: string): string[] {
  const out: string[] = [];
  for (const m of question.matchAll(/(?<![\w.-])(\p{Lu}[\p{Ll}\d]+(?:\p{Lu}[\p{L}\d]*)*|\p{Lu}{2,}[\p{Ll}][\p{L}\d]*)(?![\w-])/gu)) {
    const word = m[1] as string;
    const before = question.slice(0, m.index).trimEnd();
    if (before === '' || /[.!?:;"(\u201c]$/.test(before) || word.length < 3) continue;
    out.push(word);
  }
  return out;
}
