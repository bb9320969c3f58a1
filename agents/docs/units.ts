/**
 * The quotable units of a passage: whole sentences of prose (PDF line wrapping undone), each list
 * item, each table row (read with its header, "default value: 20000"), each command line. A heading
 * is not a unit but names the units under it. Quoting a unit never cuts a sentence in two.
 */

export type UnitKind = 'sentence' | 'item' | 'row' | 'command';

export interface Unit {
  text: string;
  kind: UnitKind;
  /** Order inside the passage. */
  index: number;
  /** The heading the unit sits under inside the passage, if any. */
  heading?: string;
  /** Paragraph number inside the passage (sentences of one paragraph share it). */
  para: number;
  /**
   * The name the unit describes when its heading is one (`### RUCIO_HOME`, `proc_lifetime`): the
   * sentences under it ("Defaults to `/opt/rucio/`.") do not repeat it.
   */
  subject?: string;
}

/** A heading that is a name (an environment variable, an option, a key), not a title in words. */
export function subjectOf(heading: string | undefined): string | undefined {
  const t = heading?.trim().replace(/^[`*]+|[`*]+$/g, '');
  if (!t || !/^-{0,2}[A-Za-z][\w.-]*$/.test(t)) return undefined;
  return /_|^-|[a-z][A-Z]|^[A-Z][A-Z0-9]{2,}$/.test(t) ? t : undefined;
}

const BULLET = /^\s*(?:[-*•–◦▪]|\d{1,2}[.)])\s+/;
const TABLE_ROW = /^\s*\|.*\|?\s*$/;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$/;
/** The border of a reStructuredText grid table: `+-----+----+` (`+=====+` under the header). */
const GRID_RULE = /^\s*\+(?:[-=]{2,}\+)+\s*$/;
const COMMAND = /^\s*(?:\$|>>>|%)\s+\S/;
const MD_HEADING = /^\s*#{1,6}\s+/;
const QA_MARKER = /^\s*(?:Question|Answer|Q|A)\s*:\s*$/i;
/** "4.1.5 Bookkeeping", "Introduction", "Table of Contents": short, no closing punctuation. */
const NUMBERED_HEADING = /^\s*\d+(?:\.\d+)+\.?\s+\p{Lu}[^.!?:]{0,70}$/u;
const FENCE = /^\s*```/;
/** A sentence that goes on about the one before it ("This is typically done when…"). */
const CONTINUES = /^(?:this|it|its|they|these|those|such|then|otherwise|however|in (?:this|that|which) case)\b/i;
/** A list item that only names something: a few words, no sentence punctuation ("Non-greedy", "Passive mode"). */
const LABEL = /^[*_`]*[\p{L}\d][\w\s()/.-]{0,38}[*_`]*$/u;
/** A line that stops inside a phrase: on a function word or a hyphenated word break. */
const CUT_MID_PHRASE = /(?:\b(?:the|a|an|of|in|on|to|for|with|and|or|by|at|from|where|which|that|than|as|is|are|be|into|per)|\p{L}-)$/iu;
/** A list item up to this many characters is one unit, however many sentences it holds. */
const ITEM_WHOLE = 450;

/** A wrapped PDF line ends mid-sentence; a short line without punctuation followed by a capital is a heading. */
function looksLikeHeading(line: string, next: string | undefined): boolean {
  const t = line.trim();
  if (NUMBERED_HEADING.test(t)) return true;
  if (t.length > 60 || /[.,;:!?)\]'"`]$/.test(t) || !/^\p{Lu}/u.test(t)) return false;
  if (t.split(/\s+/).length > 8) return false;
  return next === undefined || /^\s*(?:\p{Lu}|[-*•–]|\$)/u.test(next);
}

/** Sentences of one prose paragraph (already flattened to one line). */
export function sentencesOf(paragraph: string): string[] {
  const flat = paragraph.replace(/\s+/g, ' ').trim();
  if (!flat) return [];
  // A full stop ends a sentence unless it belongs to an abbreviation, a number or a file name.
  const parts = flat.split(/(?<=(?<!\b(?:e\.g|i\.e|etc|vs|cf|approx|no|Fig|Sec|Eq))[.!?])\s+(?=[\p{Lu}(`"'$[\d])/u);
  return parts.map((s) => s.trim()).filter((s) => s.length > 0);
}

function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

/** A table row read with its header: "`allowed_schemas` — type: list; default value: any". */
function rowText(header: string[] | null, row: string[]): string {
  if (!header || header.length !== row.length) return row.filter(Boolean).join(' | ');
  // A cell that is only a link to another page ("[Details](bin/rucio-bb8.md)") says nothing.
  const [first, ...rest] = row.map((c) => (/^\[[^\]]*\]\((?!https?:)[^)]*\)$/.test(c) ? '' : c));
  const pairs = rest.map((c, i) => (c ? `${header[i + 1] || 'value'}: ${c}` : '')).filter(Boolean);
  return `${first ?? ''}${pairs.length ? ` — ${pairs.join('; ')}` : ''}`.trim();
}

/** A line of prose: three words and a sentence end (not code, not a config line). */
const PROSE_LINE = /\p{L}{2,}\s+\p{L}{2,}\s+\p{L}{2,}.*[.!?:]["')]?$/u;

/**
 * Whether a passage starts inside a code block: a chunk cut from a longer page can open with the
 * end of a listing, so its first fence line closes a block rather than opening one. With an odd
 * number of fence lines either the start or the end is inside a block; the side with less prose is.
 */
function startsInFence(lines: readonly string[]): boolean {
  const fences = lines.flatMap((l, i) => (FENCE.test(l) ? [i] : []));
  if (fences.length % 2 === 0) return false;
  const prose = (part: readonly string[]): number => part.filter((l) => PROSE_LINE.test(l.trim()) && !/^\s*#/.test(l)).length;
  const before = lines.slice(0, fences[0]);
  const after = lines.slice((fences.at(-1) as number) + 1);
  return before.some((l) => l.trim()) && prose(before) < prose(after);
}

export function splitUnits(text: string): Unit[] {
  const lines = text.replace(/\r/g, '').split('\n');
  const units: Unit[] = [];
  let heading: string | undefined;
  let para = 0;
  let paragraph: string[] = [];
  let header: string[] | null = null;
  // The body of a bare label item, indented under it ("- Non-greedy" · "    The reaper first checks…"), is about that label.
  let label: string | undefined;
  const push = (t: string, kind: UnitKind): void => {
    const clean = t.replace(/\s+/g, ' ').trim();
    if (clean.length === 0) return;
    const subject = label ?? subjectOf(heading);
    units.push({ text: clean, kind, index: units.length, para, ...(heading ? { heading } : {}), ...(subject ? { subject } : {}) });
    if (kind !== 'sentence') para += 1;
  };
  const flush = (): void => {
    if (paragraph.length === 0) return;
    for (const s of sentencesOf(paragraph.join(' '))) push(s, 'sentence');
    paragraph = [];
    para += 1;
  };
  let inFence = startsInFence(lines);
  let fence: string[] = [];
  // A grid-table row spans several lines (cells wrap inside their column) up to the next border.
  let grid: string[][] | null = null;
  let gridHeader: string[] | null = null;
  const endGridRow = (isHeader: boolean): void => {
    const rows = grid;
    if (rows && rows.length > 0) {
      const width = Math.max(...rows.map((r) => r.length));
      const merged = Array.from({ length: width }, (_, c) =>
        rows
          .map((r) => r[c] ?? '')
          .filter(Boolean)
          .join(' ')
          .trim(),
      );
      if (isHeader) gridHeader = merged;
      else if (merged.some(Boolean)) push(rowText(gridHeader, merged), 'row');
    }
    grid = null;
  };
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as string;
    if (label !== undefined && line.trim() && !/^\s{2,}/.test(line)) {
      flush();
      label = undefined;
    }
    if (FENCE.test(line)) {
      if (inFence) {
        push(fence.join('; '), 'command');
        fence = [];
      } else flush();
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      if (line.trim() && !line.trim().startsWith('#')) fence.push(line.trim());
      continue;
    }
    const t = line.trim();
    if (GRID_RULE.test(t)) {
      flush();
      endGridRow(t.includes('='));
      grid = [];
      continue;
    }
    if (grid !== null) {
      if (TABLE_ROW.test(t)) {
        grid.push(cells(t));
        continue;
      }
      endGridRow(false);
      gridHeader = null;
    }
    if (!t) {
      flush();
      header = null;
      continue;
    }
    if (TABLE_RULE.test(t)) continue;
    // A row of a table written without outer pipes ("rucio-bb8 | Replica | Rebalance data"): it
    // heads a table (the next line is its rule) or continues one.
    const bare = !TABLE_ROW.test(t) && /\S\s*\|.*\|/.test(t) && (header !== null || TABLE_RULE.test(lines[i + 1]?.trim() ?? ''));
    if (bare || (TABLE_ROW.test(t) && t.includes('|', 1))) {
      flush();
      const row = cells(t);
      const next = lines[i + 1]?.trim() ?? '';
      if (header === null && TABLE_RULE.test(next)) header = row;
      else push(rowText(header, row), 'row');
      continue;
    }
    header = null;
    if (MD_HEADING.test(t) || QA_MARKER.test(t)) {
      flush();
      if (MD_HEADING.test(t)) heading = t.replace(MD_HEADING, '').trim();
      continue;
    }
    if (COMMAND.test(t)) {
      flush();
      push(t, 'command');
      continue;
    }
    if (BULLET.test(t)) {
      flush();
      paragraph = [t.replace(BULLET, '')];
      // A list item is its own unit; its wrapped continuation lines join it.
      while (i + 1 < lines.length) {
        const next = (lines[i + 1] as string).trim();
        if (!next || BULLET.test(next) || TABLE_ROW.test(next) || COMMAND.test(next) || MD_HEADING.test(next) || FENCE.test(next)) break;
        // A line after an item cut mid-phrase ("…where laststart in the" · "SiteData table is older…") continues it.
        if (!CUT_MID_PHRASE.test(paragraph.at(-1) ?? '') && looksLikeHeading(next, lines[i + 2])) break;
        // A wrapped item line ends mid-sentence; after a full stop, an unindented capitalised line
        // starts the prose that follows the list.
        if (/[.!?]["')]?$/.test(paragraph.at(-1) ?? '') && /^\p{Lu}/u.test(next) && !CONTINUES.test(next) && !/^\s/.test(lines[i + 1] as string)) break;
        paragraph.push(next);
        i += 1;
      }
      const item = paragraph.join(' ');
      paragraph = [];
      const sentences = sentencesOf(item);
      // A short item ("proc_lifetime: … Default is 28800 seconds") stays whole: its later sentences
      // say nothing without the name it starts with. A long one is quoted sentence by sentence.
      if (sentences.length <= 2 || item.length <= ITEM_WHOLE) push(item, 'item');
      else for (const s of sentences) push(s, 'item');
      // "- Greedy", "- Non-greedy": a label whose description follows, indented, after a blank line.
      if (LABEL.test(item) && lines[i + 1]?.trim() === '' && /^\s{2,}\S/.test(lines[i + 2] ?? '')) label = item.replace(/[*_`]/g, '').trim();
      continue;
    }
    const ended = paragraph.length === 0 || /[.!?:]["')]?$/.test(paragraph.at(-1) ?? '');
    if (ended && looksLikeHeading(t, lines[i + 1])) {
      flush();
      heading = t;
      continue;
    }
    paragraph.push(t);
  }
  if (inFence && fence.length > 0) push(fence.join('; '), 'command');
  endGridRow(false);
  flush();
  return units;
}
