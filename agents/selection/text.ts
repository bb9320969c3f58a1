/**
 * Text preparation for routing: Unicode folding, URL/ID spans, and a small typo corrector for the
 * handful of keywords the rules depend on ("eror", "piolt", "taks", "queu").
 */

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
];
const KEYWORD_SET = new Set(KEYWORDS);
/** Real words one edit away from a keyword: never "correct" these. */
const PROTECTED = new Set(['athens', 'cunning', 'punning', 'sending', 'bending', 'tending', 'mending', 'lending', 'vending', 'fending', 'falling', 'filling', 'railing', 'wailing', 'leaning', 'moaning', 'errol', 'statues', 'payloads', 'containers', 'datasets', 'queen', 'pivot', 'terror', 'mirror', 'tasty', 'jobe', 'panda', 'pandas', 'fading', 'hailing', 'sailing', 'mailing', 'failed', 'fault', 'meaningful', 'statue', 'status', 'taste', 'mask', 'pilots', 'stats', 'stat', 'tank', 'take', 'lob', 'jab', 'joy', 'fob', 'bob', 'rob', 'mob', 'sob']);

/** Damerau-Levenshtein distance capped at 2 (enough for a one-edit check). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 1) return 2;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push(new Array<number>(b.length + 1).fill(0));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? 0;
  for (let i = 0; i <= a.length; i++) (rows[i] as number[])[0] = i;
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = value;
    }
  }
  return at(a.length, b.length);
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
      if (editDistance(token, word) === 1) return word;
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
