/**
 * The offline answer: the one to three whole units (sentences, list items, table rows, command
 * lines; see units.ts) of the retrieved passages that hold the fact asked for. A unit scores by
 * the share of the question's words it states (weighted by how rare each word is among the
 * candidate units, glossary expansions counted), the words its neighbours state, whether it holds
 * the kind of fact the question asks for (a number, an identifier, an address, a step; see
 * answer-intent.ts), and the rank of its passage. Quotes keep document order and their citation.
 */
import type { Passage } from '../../src/contracts/documents.js';
import { type AnalysedQuery, analyseQuery, EMPTY_GLOSSARY, type Glossary, keysOf, proseShare } from '../../src/index/index.js';
import { type AskedKind, askedKinds, fit, holds } from './answer-intent.js';
import { splitUnits, type Unit } from './units.js';

export interface Quote {
  text: string;
  /** 1-based number of the passage (citation). */
  n: number;
  score: number;
  kind?: Unit['kind'];
  /** Position of the unit in its passage (consecutive quotes read as one paragraph). */
  at?: number;
}

export interface Selection {
  quotes: Quote[];
  /** The kinds of fact the question asks for. */
  asked: ReadonlySet<AskedKind>;
  /** Share (0–1) of the question's weighted words the best quote and its neighbours state. */
  coverage: number;
  /** Whether the best quote holds the kind of fact asked for. */
  holdsAsked: boolean;
  /** Whether the passages name an exact identifier of the question (option, file name, error code). */
  identifierFound: boolean;
}

interface Candidate {
  unit: Unit;
  n: number;
  keys: Set<string>;
  headKeys: Set<string>;
  own: number;
  score: number;
}

/** Share of the query's weight (by `weight`) that a set of stemmed keys states. */
function coverageOf(query: AnalysedQuery, keys: ReadonlySet<string>, weight: (key: string) => number): number {
  let total = 0;
  let got = 0;
  for (const t of query.terms) {
    const w = t.weight * weight(t.key);
    total += w;
    let credit = keys.has(t.key) ? 1 : 0;
    for (const a of t.alternatives) if (a.credit > credit && a.keys.length > 0 && a.keys.every((k) => keys.has(k))) credit = a.credit;
    got += w * credit;
  }
  return total > 0 ? got / total : 0;
}

/**
 * Tokens of the question that can only be names: `panda_secrets.json`, `--nFilesPerJob`,
 * `useSecrets`, `PANDAARCH`, error code `1163`, a dotted name `user.jdoe:test.file.1` (lower-cased).
 * Hyphenated words, short capitals and version numbers are not.
 */
export function strongIdentifiers(question: string): string[] {
  const out = new Set<string>();
  for (const m of question.matchAll(/(?<![\w-])-{0,2}[A-Za-z0-9][\w.:/-]*[A-Za-z0-9]/g)) {
    const t = m[0].replace(/^-+/, '');
    const strong =
      /_/.test(t) ||
      /^[a-z]+[A-Z]\w*$/.test(t) ||
      /\.[a-z]{2,5}$/.test(t) ||
      /^--?\w/.test(m[0]) ||
      /^[A-Z][A-Z0-9]{4,}$/.test(t) ||
      /^\d{3,5}$/.test(t) ||
      /^(?=.*[a-z])[\w-]+(?:[.:][\w-]+){2,}$/i.test(t);
    if (strong) out.add(t.toLowerCase());
  }
  return [...out];
}

/** Generated API reference ("pilot.util.filehandling.remove(path) … :param path:") rather than prose for users. */
const API_REFERENCE = /\b[a-z_]+(?:\.[a-z_]+){2,}\([^)]*\)|:param\b|:return:|\bReturns (?:list|boolean|exit code|string)\b/;

const MIN_LENGTH = 15;
const MAX_LENGTH = 700;

/** Characters the quotes of a normal answer may take together (a longer best unit is still quoted whole). */
const QUOTE_BUDGET = 900;
/** A list that completes a quote may take the budget this far (a fact cut in half says nothing). */
const COMPLETION_SLACK = 1.15;
/** A quote is completed when it scores at least this share of the best one. */
const COMPLETE_SHARE = 0.5;
/** A further quote that adds this share of the question's words may score down to ADDS_WORDS_FLOOR of the best. */
const ADDS_WORDS = 0.1;
const ADDS_WORDS_FLOOR = 0.4;
/** A sentence that leans on the one before it ("It contains…", "This value…", "However, …"). */
const LEANS_BACK =
  /^(?:it|its|they|their|them|this|that|these|those|such|there|here|however|otherwise|then|thus|therefore|also|in (?:this|that) case|in addition|for example|e\.g\.|the (?:previous|above|preceding|same)|as (?:shown|described|mentioned) above)\b/i;
/** A sentence that points back inside ("… you can relax this limit by …"), not at the page ("this section"). */
const POINTS_BACK = /\b(?:this|these|such)\s+(?!is\b|are\b|was\b|way\b|section\b|page\b|document\b|chapter\b|guide\b|tutorial\b|example\b|one\b)[a-z]{3,}/i;

/** Whether a unit rests on the one before it. */
function leansBack(unit: Unit): boolean {
  return LEANS_BACK.test(unit.text) || (unit.kind === 'sentence' && POINTS_BACK.test(unit.text));
}

/** "How does Rucio work out the path?", "how is the priority computed?": the answer is an explanation, read on. */
const EXPLAINS = /^\W*(?:so\s+)?how (?:does|do|is|are|did|will|would)\s+(?!i\b|we\b|you\b|one\b)/i;

/** Terminal punctuation (with closing quotes, brackets or emphasis after it). */
const ENDED = /[.!?]["')\]*_`]*$/;
/** A unit that announces a count of things listed after it ("The pilot supports three types of logging."). */
const ENUMERATES =
  /\b(twice|thrice|two|three|four|five|six|seven|eight|several|multiple|various|a few|\d)\s+(?:[\w()-]+\s+){0,3}?(?:types|kinds|ways|modes|options|steps|methods|parameters|settings|values|cases|states|levels|categories|components|parts|daemons|services|backends|possibilities|conditions|rules|reasons|fields|commands|points|stages|phases|classes|flavou?rs|variables|attributes|arguments|flags|sources|tools|workflows|scenarios|paradigms|files)\b|\btwice\b|\bthree times\b/i;
const COUNTS: Record<string, number> = { twice: 2, two: 2, thrice: 3, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8 };

/**
 * Whether a unit is only the start of what it says: it ends on a colon, a semicolon or a comma,
 * or mid-sentence ("…can be disabled by setting the option", "…at most 3 times, when"), or it
 * announces a list ("the following", "three types of…"). The units after it complete it.
 */
export function opens(unit: Pick<Unit, 'kind' | 'text'>): boolean {
  if (unit.kind === 'row' || unit.kind === 'command') return false;
  const t = unit.text.trim();
  return /[:;,]$/.test(t) || (unit.kind === 'sentence' && !ENDED.test(t)) || /\b(?:the following|as follows)\b/i.test(t) || ENUMERATES.test(t);
}

/** How many things a unit announces ("twice", "three types"), if it says. */
function announced(text: string): number | undefined {
  const m = ENUMERATES.exec(text);
  const word = m?.[1]?.toLowerCase() ?? (m ? m[0].toLowerCase().split(/\s+/)[0] : undefined);
  if (!word) return undefined;
  if (/^\d$/.test(word)) return Number(word);
  return COUNTS[word] ?? (m?.[0].toLowerCase() === 'three times' ? 3 : undefined);
}

/** Longest list an announcing unit is quoted with in full; a longer one gives its best units only. */
const LIST_WHOLE = 5;
const LIST_CHARS = 650;
/** A sentence this short right after a quoted one in its paragraph ("Please define only one.") is read with it. */
const SHORT_AFTER = 60;
/** Diagram sources (mermaid) and listings longer than this are not quoted to complete a sentence. */
const DIAGRAM = /^(?:graph|flowchart|sequenceDiagram|classDiagram|stateDiagram|erDiagram|gantt)\b/;
const LONG_LISTING = 300;
/** A name's entry (the units under its heading) of at most this size is quoted whole. */
const ENTRY_UNITS = 6;
const ENTRY_CHARS = 450;
/** A line this short after a unit that announces a count is one of the things counted. */
const SHORT_LINE = 160;

/** A unit that is itself a question ("How do I blacklist sites when submitting tasks?"). */
const ASKS = /\?["')\]*_`]*$/;
/** A heading that asks a question or names a task ("How to make group datasets"). */
const ASKING_HEADING = /\?\s*$|^\W*(?:how|what|why|where|when|which|who|can|is|are|do|does)\b/i;
/** The answer under an asking heading states this share of the words the heading states. */
const HEADING_CREDIT = 0.8;
/** The answer under a documented question: at most this many units and characters. */
const FAQ_UNITS = 2;
const FAQ_CHARS = 500;

/** Whether a sentence is the description indented under a label item (its subject is the label). */
function describedBy(c: Candidate, item: Candidate): boolean {
  return item.unit.kind === 'item' && c.unit.subject === item.unit.text.replace(/[*_`]/g, '').trim();
}

/**
 * The units that complete `anchor` inside its passage: the list, table rows or command lines an
 * opening unit announces (the whole list when it is short, else its units that state words of the
 * question), the lower-case rest of a sentence cut by a command line ("by setting the option" ·
 * `poolclass = nullpool` · "in the [database] section"), and for a list item or row, the sentence
 * that introduces its list.
 */
function completionOf(anchor: Candidate, units: readonly Candidate[], asked: ReadonlySet<AskedKind> = new Set()): Candidate[] {
  const out: Candidate[] = [];
  const i = anchor.unit.index;
  // The short entry of a name (### RUCIO_LATITUDE: what it is, its default, what it needs) is read whole.
  if (anchor.unit.subject) {
    let from = i;
    const same = (c: Candidate | undefined): boolean => c?.unit.heading === anchor.unit.heading && c?.unit.subject === anchor.unit.subject;
    while (from > 0 && same(units[from - 1])) from -= 1;
    let to = i;
    while (same(units[to + 1])) to += 1;
    const entry = units.slice(from, to + 1);
    const chars = entry.reduce((sum, c) => sum + c.unit.text.length, 0);
    if (entry.length <= ENTRY_UNITS && chars <= ENTRY_CHARS) return entry.filter((c) => c !== anchor);
  }
  if (anchor.unit.kind !== 'sentence') {
    // The introduction of the list this item or row belongs to.
    let j = i - 1;
    while (j >= 0 && units[j]?.unit.kind === anchor.unit.kind) j -= 1;
    const intro = units[j];
    if (intro && intro.unit.kind === 'sentence' && opens(intro.unit) && i - j <= 12 && intro.unit.text.length <= MAX_LENGTH) out.push(intro);
    if (!intro || !opens(intro.unit) || anchor.unit.kind === 'command') return out;
    // A short list is read whole ("Begins on the Monday…", "Ends on the Friday…").
    const run: Candidate[] = [];
    for (let k = j + 1; units[k]?.unit.kind === anchor.unit.kind; k += 1) run.push(units[k] as Candidate);
    const chars = run.reduce((sum, c) => sum + c.unit.text.length, 0);
    if (run.length <= LIST_WHOLE && chars <= LIST_CHARS) out.push(...run.filter((c) => c !== anchor));
    return out;
  }
  // A question the documentation asks itself (an FAQ entry): its answer is what follows it, when
  // that starts with the kind of fact asked for.
  if (anchor.unit.kind === 'sentence' && ASKS.test(anchor.unit.text)) {
    const first = units[i + 1];
    if (!first || fit(asked, first.unit.text) === 0) return out;
    let chars = 0;
    for (let k = i + 1; units[k] && out.length < FAQ_UNITS; k += 1) {
      const c = units[k] as Candidate;
      if (c.unit.heading !== anchor.unit.heading || ASKS.test(c.unit.text) || chars + c.unit.text.length > FAQ_CHARS) break;
      out.push(c);
      chars += c.unit.text.length;
    }
    return out;
  }
  if (!opens(anchor.unit)) return out;
  const next = units[i + 1];
  if (!next) return out;
  if (next.unit.kind === 'sentence') {
    // The rest of a cut sentence starts in lower case.
    if (!ENDED.test(anchor.unit.text) && /^[a-z(`]/.test(next.unit.text)) out.push(next);
    // "There are three parameters in panda_server.cfg." followed by three short lines (a flattened table).
    const n = announced(anchor.unit.text);
    const lines = n !== undefined && n <= LIST_WHOLE ? units.slice(i + 1, i + 1 + n) : [];
    if (out.length === 0 && lines.length === n && lines.every((c) => c.unit.text.length <= SHORT_LINE)) out.push(...lines);
    return out;
  }
  // A diagram source or a long listing says nothing to a reader.
  if (next.unit.kind === 'command' && (DIAGRAM.test(next.unit.text) || next.unit.text.length > LONG_LISTING)) return out;
  // The list, each label item with the description indented under it ("- Non-greedy" · "The reaper first checks…").
  const groups: Candidate[][] = [];
  for (let k = i + 1; units[k]; k += 1) {
    const c = units[k] as Candidate;
    const group = groups.at(-1);
    if (group && c.unit.kind === 'sentence' && c.unit.subject !== undefined && describedBy(c, group[0] as Candidate)) group.push(c);
    else if (c.unit.kind === next.unit.kind) groups.push([c]);
    else break;
  }
  const run = groups.flat();
  const after = units[i + 1 + run.length];
  const count = announced(anchor.unit.text);
  const chars = run.reduce((sum, c) => sum + c.unit.text.length, 0);
  if (count !== undefined && count <= groups.length) out.push(...groups.slice(0, count).flat());
  else if (groups.length <= LIST_WHOLE && chars <= LIST_CHARS) out.push(...run);
  else {
    // A long list or table: the units that state the question's words, best first, in document order.
    const best = [...run]
      .filter((c) => c.own > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, 3);
    out.push(...(best.length > 0 ? best.sort((a, b) => a.unit.index - b.unit.index) : run.slice(0, 2)));
  }
  // "…by setting the option" · `poolclass = nullpool` · "in the `[database]` section."
  if (after?.unit.kind === 'sentence' && out.includes(run.at(-1) as Candidate) && /^[a-z(`]/.test(after.unit.text)) out.push(after);
  return out;
}

/**
 * The units around the best one, in its passage, that complete it: the list or steps it
 * introduces, the sentence it leans on, and the next sentence (up to three units in all) when
 * that one continues the same subject, states a word of the question or holds the kind of fact
 * asked for that the best unit lacks. The answer is the fact with its context, not a lone line.
 */
function contextOf(
  best: Candidate,
  units: readonly Candidate[],
  asked: ReadonlySet<AskedKind>,
  count: number,
  leaningOnly = false,
  explains = false,
  primary = false,
): Candidate[] {
  const out: Candidate[] = [];
  const max = count > 3 ? 4 : explains ? 3 : 2;
  const i = best.unit.index;
  const limit = QUOTE_BUDGET * (count > 3 ? 2 : 1);
  const near = (c: Candidate | undefined): c is Candidate => c !== undefined && c.unit.heading === best.unit.heading && c.unit.text.length <= MAX_LENGTH;
  // Sentences continue each other only inside their paragraph; list items and rows inside their list.
  const together = (a: Candidate, b: Candidate): boolean =>
    a.unit.kind === 'sentence' && b.unit.kind === 'sentence' ? a.unit.para === b.unit.para : a.unit.kind === b.unit.kind;
  let length = 0;
  const fits = (c: Candidate): boolean => length + c.unit.text.length <= limit;
  const add = (c: Candidate): void => {
    out.push(c);
    length += c.unit.text.length;
  };
  const next = units[i + 1];
  // A bare example line (">>> show()") says nothing by itself.
  const says = (c: Candidate): boolean => (c.unit.text.match(/\p{L}{2,}/gu) ?? []).length >= 3 && !DIAGRAM.test(c.unit.text);
  if (near(next) && opens(best.unit) && next.unit.kind !== 'sentence' && says(next)) {
    add(next);
    const after = units[i + 2];
    if (near(after) && after.unit.kind === next.unit.kind && fits(after) && says(after)) add(after);
    return out;
  }
  // Backwards: the sentence a leaning one rests on (and the one before, if that leans too).
  for (let j = i; j > 0 && out.length < max; j -= 1) {
    const cur = units[j] as Candidate;
    const prev = units[j - 1];
    const leans = leansBack(cur.unit);
    // "The previous command …" rests on the command line before it, whatever its kind; "For
    // example, …" on the sentence before it, also across a paragraph break.
    const refersBack = leans && cur.unit.kind === 'sentence' && (prev?.unit.kind === 'command' || prev?.unit.kind === 'sentence');
    // A paragraph that describes a short name line before it (`is_open`: True/False) is read with it.
    const describes =
      j === cur.unit.index &&
      cur.unit.kind === 'sentence' &&
      prev?.unit.kind === 'item' &&
      prev.unit.text.length <= 80 &&
      prev.unit.para === cur.unit.para - 1 &&
      (j === i || out.length > 0);
    if (!near(prev) || (!together(prev, cur) && !refersBack && !describes) || !fits(prev)) break;
    if (leans || describes || (!leaningOnly && j === i && prev.own > 0 && prev.own >= best.own * 0.5)) add(prev);
    else break;
    if (describes) break;
  }
  // Forwards: the sentences that continue it, or state more of the question or the fact it lacks.
  const lacks = [...asked].filter((k) => !holds(k, best.unit.text));
  for (let j = i + 1; out.length < max && near(units[j]); j += 1) {
    const c = units[j] as Candidate;
    const prev = units[j - 1] as Candidate;
    // "These bad replicas are …" after a command line goes on about what it does.
    if (!together(prev, c) && !(prev.unit.kind === 'command' && c.unit.kind === 'sentence' && leansBack(c.unit))) break;
    // Rows of a table and items of a list stand alone: a neighbour comes only for the question's words.
    const alone = c.unit.kind === 'row' || c.unit.kind === 'item';
    const useful =
      leansBack(c.unit) ||
      (!leaningOnly &&
        (alone
          ? c.own >= best.own * 0.5
          : explains ||
            c.own > 0 ||
            (primary && c.unit.text.length <= SHORT_AFTER) ||
            lacks.some((k) => holds(k, c.unit.text)) ||
            best.unit.text.length < 120));
    if (!useful || !fits(c)) break;
    add(c);
  }
  return out;
}

export function selectQuotes(question: string, passages: readonly Passage[], count: number, glossary: Glossary = EMPTY_GLOSSARY): Selection {
  const query = analyseQuery(question, glossary);
  const asked = askedKinds(question);
  const explains = EXPLAINS.test(question);
  const all: Candidate[][] = passages.map((p, i) =>
    splitUnits(p.text).map((unit) => ({
      unit,
      n: i + 1,
      // A unit under a name heading states that name too ("Defaults to `/opt/rucio/`." under RUCIO_HOME).
      keys: new Set(keysOf(unit.subject ? `${unit.subject} ${unit.text}` : unit.text)),
      headKeys: new Set(keysOf(`${unit.heading ?? ''} ${p.section ?? ''}`)),
      own: 0,
      score: 0,
    })),
  );
  const flat = all.flat();
  // Proximity: pairs of question words that stand next to each other in the unit too ("job definition").
  const pairsOf = (keys: readonly string[]): Set<string> =>
    new Set(
      keys
        .slice(1)
        .map((k, i) => `${keys[i]} ${k}`)
        .filter((p) => !/^(\S+) \1$/.test(p)),
    );
  const questionPairs = pairsOf(keysOf(question));
  // Phrases the asker quotes ('Grid proxy not valid') and names only an identifier can be (pilotTiming, --nFilesPerJob).
  const phrases = [...question.matchAll(/["'\u2018\u201c`]([^"'\u2019\u201d`]{6,80})["'\u2019\u201d`]/g)].map((m) =>
    (m[1] ?? '').toLowerCase().replace(/\s+/g, ' ').trim(),
  );
  const named = strongIdentifiers(question).filter((id) => !/^\d+$/.test(id) || id.length >= 3);
  const acronyms = askedAcronyms(question);
  const exactness = (text: string): number => {
    const lower = text.toLowerCase().replace(/\s+/g, ' ');
    const phrase = phrases.some((p) => lower.includes(p)) ? 0.3 : 0;
    const ids = named.filter((id) => lower.includes(id)).length;
    // "what does iDDS stand for?": the unit that spells it out.
    const expands = acronyms.some((a) => spellsOut(a, text)) ? 0.3 : 0;
    return phrase + Math.min(0.15, 0.1 * ids) + expands;
  };
  // Rarity among the candidate units: a word every unit shares ("job") tells them apart least.
  const df = new Map<string, number>();
  for (const c of flat) for (const k of c.keys) df.set(k, (df.get(k) ?? 0) + 1);
  const size = Math.max(1, flat.length);
  const weight = (key: string): number => Math.log(1 + size / (1 + (df.get(key) ?? 0)));
  for (const units of all) {
    units.forEach((c, i) => {
      c.own = coverageOf(query, c.keys, weight);
      // The first units under a heading that asks ("How to make group datasets", "Why were my jobs
      // closed?") answer it: they state what the heading says.
      const heading = c.unit.heading;
      if (heading && ASKING_HEADING.test(heading)) {
        const first = units.findIndex((b) => b.unit.heading === heading);
        if (i - first < FAQ_UNITS) c.own = Math.max(c.own, HEADING_CREDIT * coverageOf(query, new Set(keysOf(heading)), weight));
      }
    });
  }
  for (const units of all) {
    units.forEach((c, i) => {
      const around = new Set([...c.keys, ...(units[i - 1]?.keys ?? []), ...(units[i + 1]?.keys ?? [])]);
      const window = coverageOf(query, around, weight);
      const heading = coverageOf(query, c.headKeys, weight);
      // A documented question holds what its answer (the units after it) holds.
      const answer =
        c.unit.kind === 'sentence' && ASKS.test(c.unit.text) ? units.slice(i + 1, i + 1 + FAQ_UNITS).filter((a) => a.unit.heading === c.unit.heading) : [];
      const kindFit = fit(asked, [c, ...answer].map((a) => a.unit.text).join(' '));
      const len = c.unit.text.length;
      const pairs = questionPairs.size > 0 ? [...pairsOf(keysOf(c.unit.text))].filter((p) => questionPairs.has(p)).length / questionPairs.size : 0;
      const relevance =
        0.7 * c.own + 0.3 * window + 0.1 * heading + 0.15 * pairs + exactness(c.unit.subject ? `${c.unit.subject} ${c.unit.text}` : c.unit.text);
      // Code listings and API dumps without sentence ends rarely answer a user's question.
      const prose = (c.unit.kind === 'sentence' && len > 120 ? Math.min(1, 0.4 + proseShare(c.unit.text)) : 1) * (API_REFERENCE.test(c.unit.text) ? 0.5 : 1);
      c.score =
        relevance * (0.55 + 0.45 * kindFit) * prose -
        (c.n - 1) * 0.03 -
        (len > 300 ? ((len - 300) / 400) * 0.1 : 0) -
        (c.unit.kind === 'command' && !asked.has('steps') && !asked.has('identifier') ? 0.05 : 0);
    });
  }
  const eligible = flat.filter(
    (c) => c.own > 0 && !DIAGRAM.test(c.unit.text) && c.unit.text.length >= MIN_LENGTH && c.unit.text.length <= MAX_LENGTH && /\p{L}{2}/u.test(c.unit.text),
  );
  const ranked = eligible.sort((a, b) => b.score - a.score);
  const best = ranked[0];
  const identifiers = strongIdentifiers(question);
  const identifierFound = identifiers.length > 0 && identifiers.some((id) => flat.some((c) => c.n <= 3 && c.unit.text.toLowerCase().includes(id)));
  if (!best) return { quotes: [], asked, coverage: 0, holdsAsked: false, identifierFound };
  // Overlapping passages repeat sentences: quote each once, from its best-ranked passage.
  const seen = new Set<string>();
  const norm = (t: string): string => t.replace(/\s+/g, ' ').trim().toLowerCase();
  const chosen: Candidate[] = [];
  const take = (c: Candidate): void => {
    const key = norm(c.unit.text);
    if (seen.has(key)) return;
    seen.add(key);
    chosen.push(c);
  };
  take(best);
  const units = all[best.n - 1] ?? [];
  // The units that complete the best one (the list it announces, the answer to a documented
  // question) come before any side quote: the fact itself first.
  const completed = new Set<Candidate>();
  let length = best.unit.text.length;
  const budget = count > 3 ? 2 * QUOTE_BUDGET : QUOTE_BUDGET;
  const complete = (anchor: Candidate): void => {
    const more = completionOf(anchor, all[anchor.n - 1] ?? [], asked).filter((c) => !seen.has(norm(c.unit.text)));
    const extra = more.reduce((sum, c) => sum + c.unit.text.length, 0);
    // A list is quoted whole or not at all; the quote that needed it is kept either way.
    if (more.length === 0 || length + extra > budget * COMPLETION_SLACK) return;
    for (const c of more) {
      seen.add(norm(c.unit.text));
      chosen.push(c);
      completed.add(c);
      length += c.unit.text.length;
    }
  };
  complete(best);
  completed.add(best);
  let picks = 1;
  const askedName = (subject: string | undefined): boolean => subject !== undefined && named.includes(subject.toLowerCase());
  const otherEntry = (c: Candidate): boolean =>
    askedName(best.unit.subject) && c.unit.subject !== undefined && !askedName(c.unit.subject) && !named.some((id) => c.unit.text.toLowerCase().includes(id));
  // A fuller answer ("explain it better") reaches further down the ranking.
  const cut = count > 3 ? 0.3 : 0.6;
  // Each further quote is picked for its score plus the question words it adds to those already
  // quoted: a two-part question ("how often … and is there a max size?") gets a unit for each part.
  const covered = new Set<string>(chosen.flatMap((c) => [...c.keys]));
  const pool = ranked.slice(1, 60);
  while (picks < count) {
    const base = coverageOf(query, covered, weight);
    let pick: Candidate | undefined;
    let pickValue = -Infinity;
    for (const c of pool) {
      if (seen.has(norm(c.unit.text))) continue;
      const gain = coverageOf(query, new Set([...covered, ...c.keys]), weight) - base;
      // A unit below the usual cut earns its place by the words it adds only next to what is quoted:
      // in a passage already quoted or among the best two (not a stray sentence sharing one word).
      const close = c.n <= 2 || chosen.some((x) => x.n === c.n);
      const ok = c.score >= best.score * cut || (close && gain >= ADDS_WORDS && c.score >= best.score * ADDS_WORDS_FLOOR);
      // The entry of another name (RUCIO_VO's default when SITE_NAME's is asked) is not a side quote.
      if (otherEntry(c)) continue;
      if (!ok) continue;
      const value = c.score + gain * best.score;
      if (value > pickValue) {
        pickValue = value;
        pick = c;
      }
    }
    if (!pick) break;
    take(pick);
    picks += 1;
    length += pick.unit.text.length;
    for (const k of pick.keys) covered.add(k);
  }
  // "pull vs push", "difference between X and Y": each side gets a unit that speaks of it alone.
  // Two names asked about together ("the syntax of modConfig and procConfig") are sides too.
  const pair = named.filter((id) => !/^\d+$/.test(id) && !/\.[a-z]{2,5}$/.test(id));
  const sides = comparedSides(question) ?? (pair.length === 2 ? namedSides(pair[0] as string, pair[1] as string) : null);
  if (sides) {
    for (const [side, other] of [sides, [sides[1], sides[0]] as const]) {
      const alone = (c: Candidate): boolean => c.keys.has(side) && !c.keys.has(other);
      if (chosen.some(alone)) continue;
      const found = ranked.find((c) => alone(c) && (c.n <= 2 || chosen.some((x) => x.n === c.n)) && !seen.has(norm(c.unit.text)));
      if (found) {
        seen.add(norm(found.unit.text));
        chosen.push(found);
      }
    }
  }
  // Then the units that complete the quoted ones (the list a quoted unit announces, the
  // introduction of a quoted item's list; see completionOf), and the units around them (see
  // contextOf), within a length budget: first the sentences that lean on a quoted one or that a
  // quoted one leans on, then the rest.
  const room = count + 3;
  for (const anchor of [...chosen]) {
    // Only the quotes that answer are completed; a side quote does not bring its whole list.
    if (completed.has(anchor) || anchor.score < best.score * COMPLETE_SHARE) continue;
    complete(anchor);
  }
  for (const leaningOnly of [true, false]) {
    for (const anchor of [...chosen]) {
      for (const c of contextOf(anchor, all[anchor.n - 1] ?? [], asked, count, leaningOnly, explains && anchor === best, anchor.score >= best.score * 0.9)) {
        if (chosen.length >= room || length + c.unit.text.length > budget) break;
        const key = norm(c.unit.text);
        if (seen.has(key)) continue;
        seen.add(key);
        chosen.push(c);
        length += c.unit.text.length;
      }
    }
  }
  const holdsAsked = fit(asked, chosen.map((c) => c.unit.text).join(' ')) > 0 && asked.size > 0 ? true : asked.size === 0;
  // A unit under a name heading is quoted with the name, once per run of units under it.
  const withName = (c: Candidate, prev: Candidate | undefined): string => {
    const subject = c.unit.subject;
    if (!subject || c.unit.text.toLowerCase().includes(subject.toLowerCase())) return c.unit.text;
    if (prev && prev.n === c.n && prev.unit.subject === subject) return c.unit.text;
    return `${subject}: ${c.unit.text}`;
  };
  const quotes = chosen
    .sort((a, b) => a.n - b.n || a.unit.index - b.unit.index)
    // A label item quoted with its description is said once, as the name the description starts with.
    .filter((c, i, all) => !(all[i + 1]?.n === c.n && all[i + 1]?.unit.index === c.unit.index + 1 && describedBy(all[i + 1] as Candidate, c)))
    .map((c, i, all) => ({ text: withName(c, all[i - 1]), n: c.n, at: c.unit.index, score: Number(c.score.toFixed(4)), kind: c.unit.kind }));
  // Coverage of the best unit with its neighbours (not of every quote): the same figure whatever the quote count.
  const near = [units[best.unit.index - 1], best, units[best.unit.index + 1]].filter((c): c is Candidate => c !== undefined);
  const around = new Set(near.flatMap((c) => [...c.keys]));
  return { quotes, asked, coverage: coverageOf(query, around, weight), holdsAsked, identifierFound };
}

/**
 * Whether `text` spells out `acronym` ("intelligent Data Delivery Service" for iDDS, "Data
 * Identifier" for DID): consecutive words whose initials give its letters, a word lending a second
 * letter from inside it at most once ("IDentifier").
 */
const FUNCTION_WORD = /^(?:and|or|of|the|for|in|on|a|an|to|is|are|with|by|at|as)$/i;

export function spellsOut(acronym: string, text: string): boolean {
  const letters = acronym.replace(/[^\p{L}]/gu, '').toLowerCase();
  if (letters.length < 2) return false;
  const words = text.split(/[^\p{L}]+/u).filter(Boolean);
  const from = (w: number, l: number, lent: boolean): boolean => {
    if (l === letters.length) return true;
    const word = words[w];
    if (!word) return false;
    // Function words inside an expansion give no letter ("Job Execution and Definition Interface").
    if (FUNCTION_WORD.test(word)) return l > 0 && from(w + 1, l, lent);
    if (word[0]?.toLowerCase() !== letters[l]) return false;
    // This word gives letter l; the next letter comes from the next word or, once, from inside this one.
    if (from(w + 1, l + 1, lent)) return true;
    if (!lent && l + 1 < letters.length) {
      const inner = word
        .slice(1)
        .toLowerCase()
        .indexOf(letters[l + 1] as string);
      if (inner >= 0 && from(w + 1, l + 2, true)) return true;
    }
    return false;
  };
  for (let w = 0; w < words.length; w += 1) {
    const word = words[w] as string;
    if (word[0]?.toLowerCase() === letters[0] && word !== acronym && !FUNCTION_WORD.test(word) && from(w, 0, false)) return true;
  }
  return false;
}

/** Acronyms of a question that asks what they stand for or are ("what does iDDS stand for?", "what's a DID?"). */
function askedAcronyms(question: string): string[] {
  if (!/\bstands? for\b|\bmean(?:s|ing)?\b|\babbreviat|\bacronym\b|^\W*what(?:'s| is| are| does)\b/i.test(question)) return [];
  return [...question.matchAll(/(?<![\w-])[a-z]?\p{Lu}{2,}[a-z]?s?(?![\w-])/gu)].map((m) => m[0].replace(/(?<=\p{Lu})s$/u, ''));
}

/** The two things a question compares ("pull vs push mode", "difference between X and Y"), as stemmed keys. */
export function comparedSides(question: string): readonly [string, string] | null {
  const q = question.toLowerCase();
  const m =
    /\b([\w-]+)\s+(?:vs\.?|versus|compared (?:to|with))\s+([\w-]+)/.exec(q) ??
    /\b(?:difference|differences|differ)\s+between\s+(?:the\s+|a\s+)?([\w-]+)(?:\s+[\w-]+)?\s+and\s+(?:the\s+|a\s+)?([\w-]+)/.exec(q);
  if (!m?.[1] || !m[2]) return null;
  const [a] = keysOf(m[1]);
  const [b] = keysOf(m[2]);
  return a && b && a !== b ? [a, b] : null;
}

function namedSides(a: string, b: string): readonly [string, string] | null {
  const [ka] = keysOf(a);
  const [kb] = keysOf(b);
  return ka && kb && ka !== kb ? [ka, kb] : null;
}

/** The best quotes only (kept for callers that need no abstention signals). */
export function bestSentences(question: string, passages: readonly Passage[], count: number, glossary: Glossary = EMPTY_GLOSSARY): Quote[] {
  return selectQuotes(question, passages, count, glossary).quotes;
}
