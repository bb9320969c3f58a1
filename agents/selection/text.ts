/**
 * Text preparation for routing: Unicode folding, URL/ID spans, and a small typo corrector for the
 * handful of keywords the rules depend on ("eror", "piolt", "taks", "queu").
 */

/** The text as a literal inside a regular expression. */
export const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const FOLD: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u00a0': ' ',
};

/** NFKC, typographic quotes/dashes folded to ASCII, whitespace collapsed. Case is kept. */
export function foldText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201c\u201d\u2013\u2014\u00a0]/g, (c) => FOLD[c] ?? c)
    .replace(/\s+/g, ' ')
    .trim();
}

/** Keywords worth correcting: misspelling one of these changes a routing decision. */
const KEYWORDS = [
  'error',
  'errors',
  'pilot',
  'queue',
  'queues',
  'failed',
  'failing',
  'failure',
  'failures',
  'status',
  'task',
  'tasks',
  'job',
  'jobs',
  'copytool',
  'copytools',
  'corepower',
  'corecount',
  'container',
  'transform',
  'explain',
  'meaning',
  'documentation',
  'priority',
  'brokerage',
  'harvester',
  'rucio',
  'pathena',
  'panda',
  'dataset',
  'maxrss',
  'maxtime',
  'offline',
  'pending',
  'running',
  'activated',
  'finished',
  'exhausted',
  'throttled',
  'memory',
  'walltime',
  'payload',
  'athena',
  'piloterrorcode',
  'transexitcode',
  'jeditaskid',
  'pandaid',
  'online',
  'thanks',
  'hello',
  'morning',
];
const KEYWORD_SET = new Set(KEYWORDS);
/** Real words one edit away from a keyword: never "correct" these. */
const PROTECTED = new Set([
  'states',
  'state',
  'stated',
  'plot',
  'plots',
  'filed',
  'filing',
  'spending',
  'upending',
  'stratus',
  'athens',
  'cunning',
  'punning',
  'sending',
  'bending',
  'tending',
  'mending',
  'lending',
  'vending',
  'fending',
  'falling',
  'filling',
  'railing',
  'wailing',
  'leaning',
  'moaning',
  'errol',
  'statues',
  'payloads',
  'containers',
  'datasets',
  'queen',
  'pivot',
  'terror',
  'mirror',
  'tasty',
  'jobe',
  'panda',
  'pandas',
  'fading',
  'hailing',
  'sailing',
  'mailing',
  'failed',
  'fault',
  'meaningful',
  'statue',
  'status',
  'taste',
  'mask',
  'pilots',
  'stats',
  'stat',
  'tank',
  'take',
  'lob',
  'jab',
  'joy',
  'fob',
  'bob',
  'rob',
  'mob',
  'sob',
]);

/** True when `a` and `b` differ by exactly one edit: substitution, insertion, deletion or adjacent swap. */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1); // deletion / insertion
}

function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push(i);
  const [x, y] = diff;
  return diff.length === 2 && x !== undefined && y === x + 1 && a[x] === b[y] && a[y] === b[x];
}

/** The keyword a lower-case token is a misspelling of, or the token itself. */
export function correctWord(token: string): string {
  if (KEYWORD_SET.has(token) || PROTECTED.has(token) || !/^[a-z]+$/.test(token)) return token;
  for (const word of KEYWORDS) {
    if (word.length >= 5 && token.length >= 4) {
      if (oneEditApart(token, word)) return word;
    } else if (isTransposition(token, word)) {
      return word;
    }
  }
  return token;
}

/** Lower-cases and corrects keyword typos word by word, keeping every other character in place. */
export function lowerAndCorrect(text: string): string {
  return text.toLowerCase().replace(/[a-z]+/g, (word) => correctWord(word));
}
