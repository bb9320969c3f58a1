/**
 * Cuts sections into chunks of a few hundred tokens. Chunks never cross a document (page) boundary,
 * prefer to end at a section boundary or a sentence end, and overlap by whole lines so that a
 * sentence cut at one chunk's end is whole at the next one's start.
 */
import type { SourceLine } from './clean.js';
import type { Section } from './sections.js';

export interface ChunkOptions {
  /** Target size in characters (about 4 characters per token). */
  targetChars?: number;
  /** Hard cap; a chunk never exceeds it (the passage handed to an LLM). */
  maxChars?: number;
  /** Characters of whole lines repeated at the start of the next chunk of the same section run. */
  overlapChars?: number;
}

export interface Chunk {
  text: string;
  title: string;
  /** Heading path, " > " separated. */
  section: string;
  page?: number;
  /** Position in the document (0-based). */
  ordinal: number;
  /**
   * The chunk with the lines around it, up to `maxChars`: the passage handed to a reader. Search
   * matches the focused chunk; the answer often sits a sentence before or after it.
   */
  context: string;
}

export const DEFAULT_CHUNK_OPTIONS: Required<ChunkOptions> = { targetChars: 400, maxChars: 2000, overlapChars: 80 };

/** Splits one over-long line at sentence ends (or spaces) into pieces of at most `max` characters. */
function splitLongLine(line: SourceLine, max: number): SourceLine[] {
  if (line.text.length <= max) return [line];
  const out: SourceLine[] = [];
  let rest = line.text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = Math.max(window.lastIndexOf('. '), window.lastIndexOf('? '), window.lastIndexOf('! '));
    if (cut < max * 0.4) cut = window.lastIndexOf(' ');
    if (cut <= 0) cut = max - 1;
    out.push({ text: rest.slice(0, cut + 1), page: line.page });
    rest = rest.slice(cut + 1);
  }
  if (rest.trim()) out.push({ text: rest, page: line.page });
  return out;
}

interface Unit {
  line: SourceLine;
  sectionStart: boolean;
  title: string;
  section: string;
}

function endsSentence(text: string): boolean {
  return /[.!?:;)]["']?\s*$/.test(text) || text.trim() === '';
}

/** Chunks the sections of one file. */
export function chunkSections(sections: readonly Section[], options: ChunkOptions = {}): Chunk[] {
  const { targetChars, maxChars, overlapChars } = { ...DEFAULT_CHUNK_OPTIONS, ...options };
  const pieceMax = Math.min(maxChars - overlapChars, Math.max(200, targetChars));
  const units: Unit[] = [];
  for (const s of sections) {
    const base = s.path.join(' > ');
    let section = base;
    let first = true;
    for (const line of s.lines) {
      // A sub-heading names the lines under it (the chunk's heading path) without cutting the section.
      if (line.subheading) section = base ? `${base} > ${line.text.trim()}` : line.text.trim();
      for (const piece of splitLongLine(line, pieceMax)) {
        units.push({ line: piece, sectionStart: first, title: s.title, section });
        first = false;
      }
    }
  }
  const chunks: Chunk[] = [];
  const spans: Array<[number, number]> = [];
  let current: Unit[] = [];
  let start = 0;
  let size = 0;
  let index = 0;
  const emit = (overlap: boolean): void => {
    const text = current
      .map((u) => u.line.text)
      .join('\n')
      .trim();
    const head = current.find((u) => u.line.text.trim()) ?? current[0];
    if (text && head) {
      chunks.push({ text, title: head.title, section: head.section, page: head.line.page, ordinal: chunks.length, context: text });
      spans.push([start, index]);
    }
    const carry: Unit[] = [];
    if (overlap) {
      let carried = 0;
      for (let i = current.length - 1; i > 0; i -= 1) {
        const u = current[i] as Unit;
        if (carried + u.line.text.length + 1 > overlapChars) break;
        carry.unshift(u);
        carried += u.line.text.length + 1;
      }
    }
    current = carry;
    start = index - carry.length;
    size = carry.reduce((n, u) => n + u.line.text.length + 1, 0);
  };
  for (const unit of units) {
    const len = unit.line.text.length + 1;
    const last = current.at(-1);
    const newDocument = last !== undefined && last.title !== unit.title;
    if (newDocument) emit(false);
    else if (unit.sectionStart && size >= targetChars * 0.5) emit(false);
    else if (size + len > maxChars) emit(true);
    else if (size >= targetChars && last && endsSentence(last.line.text)) emit(true);
    else if (size >= targetChars * 1.3) emit(true);
    current.push(unit);
    size += len;
    index += 1;
  }
  emit(false);
  chunks.forEach((chunk, i) => {
    chunk.context = contextOf(units, spans[i] as [number, number], maxChars);
  });
  return chunks;
}

/** Grows a chunk's line span forwards (two thirds) and backwards within its document, up to `max` characters. */
function contextOf(units: readonly Unit[], [from, to]: [number, number], max: number): string {
  const title = units[from]?.title;
  let size = 0;
  for (let i = from; i < to; i += 1) size += (units[i]?.line.text.length ?? 0) + 1;
  let lo = from;
  let hi = to;
  const room = (): number => max - size;
  const forwardBudget = size + (max - size) * (2 / 3);
  while (hi < units.length && units[hi]?.title === title && size + (units[hi]?.line.text.length ?? 0) + 1 <= forwardBudget) {
    size += (units[hi]?.line.text.length ?? 0) + 1;
    hi += 1;
  }
  while (lo > 0 && units[lo - 1]?.title === title && (units[lo - 1]?.line.text.length ?? 0) + 1 <= room()) {
    lo -= 1;
    size += (units[lo]?.line.text.length ?? 0) + 1;
  }
  while (hi < units.length && units[hi]?.title === title && (units[hi]?.line.text.length ?? 0) + 1 <= room()) {
    size += (units[hi]?.line.text.length ?? 0) + 1;
    hi += 1;
  }
  return units
    .slice(lo, hi)
    .map((u) => u.line.text)
    .join('\n')
    .trim()
    .slice(0, max);
}
