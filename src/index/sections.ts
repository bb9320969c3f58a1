/**
 * Splits a document into sections (heading path + lines). One reader per format: markdown (also
 * markdown-looking .txt), reStructuredText, PDF-to-text dumps and plain text. HTML is turned into
 * markdown first (see html.ts).
 */
import { cleanPdfText, looksLikePdfText, type SourceLine } from './clean.js';

export interface Section {
  /** Title of the document (page) the section belongs to. */
  title: string;
  /** Heading path below the title, outermost first. */
  path: string[];
  lines: SourceLine[];
}

export type DocFormat = 'markdown' | 'rst' | 'pdf-text' | 'text';

const MD_HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

class SectionBuilder {
  readonly sections: Section[] = [];
  private stack: Array<{ level: number; text: string }> = [];
  private current: Section;

  constructor(private title: string) {
    this.current = { title, path: [], lines: [] };
  }

  heading(level: number, text: string, line: SourceLine): void {
    this.flush();
    while (this.stack.length > 0 && (this.stack.at(-1)?.level ?? 0) >= level) this.stack.pop();
    this.stack.push({ level, text });
    this.current = { title: this.title, path: this.stack.map((s) => s.text), lines: [line] };
  }

  /** A new document inside the same file (markdown front matter `title:`). */
  document(title: string): void {
    this.flush();
    this.title = title;
    this.stack = [];
    this.current = { title, path: [], lines: [] };
  }

  line(line: SourceLine): void {
    this.current.lines.push(line);
  }

  flush(): void {
    if (this.current.lines.some((l) => l.text.trim() !== '')) this.sections.push(this.current);
    this.current = { title: this.title, path: this.stack.map((s) => s.text), lines: [] };
  }

  finish(): Section[] {
    this.flush();
    return this.sections;
  }
}

function isMarkdown(text: string): boolean {
  let fenced = false;
  let headings = 0;
  for (const line of text.split('\n', 5000)) {
    if (FENCE.test(line)) fenced = !fenced;
    else if (!fenced && MD_HEADING.test(line)) headings += 1;
  }
  return headings >= 2;
}

export function detectFormat(name: string, text: string): DocFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith('.md') || lower.endsWith('.markdown')) return 'markdown';
  if (lower.endsWith('.rst')) return 'rst';
  if (looksLikePdfText(text)) return 'pdf-text';
  if (isMarkdown(text)) return 'markdown';
  return 'text';
}

function cleanHeading(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]+/g, '')
    .replace(/<[^>]+>/g, '')
    .trim();
}

export function markdownSections(text: string, title: string): Section[] {
  const b = new SectionBuilder(title);
  const lines = text.split('\n');
  let fenced = false;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    // Front matter of a concatenated docs page: ---\nid: x\ntitle: y\n---
    if (!fenced && line.trim() === '---') {
      const end = lines.indexOf('---', i + 1);
      const block = end > i && end - i <= 12 ? lines.slice(i + 1, end) : [];
      if (block.length > 0 && block.every((l) => /^[A-Za-z_-]+:/.test(l) || l.trim() === '')) {
        const t = block
          .find((l) => l.startsWith('title:'))
          ?.slice(6)
          .trim()
          .replace(/^["']|["']$/g, '');
        b.document(t || title);
        i = end;
        continue;
      }
    }
    if (FENCE.test(line)) fenced = !fenced;
    const m = fenced ? null : MD_HEADING.exec(line);
    if (m?.[1] && m[2]) b.heading(m[1].length, cleanHeading(m[2]), { text: line });
    else b.line({ text: line });
  }
  return b.finish();
}

const RST_UNDERLINE = /^([=\-~^"'`#*+_.:])\1{2,}\s*$/;

export function rstSections(text: string, title: string): Section[] {
  const b = new SectionBuilder(title);
  const lines = text.split('\n');
  const levels: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const next = lines[i + 1] ?? '';
    const u = RST_UNDERLINE.exec(next);
    if (u?.[1] && line.trim() && !RST_UNDERLINE.test(line) && next.trim().length >= line.trim().length) {
      if (!levels.includes(u[1])) levels.push(u[1]);
      b.heading(levels.indexOf(u[1]) + 1, line.trim(), { text: line });
      i += 1;
      continue;
    }
    if (u && RST_UNDERLINE.test(line)) continue; // overline of an over-and-underlined title
    b.line({ text: line });
  }
  return b.finish();
}

const NUMBER_WORDS = [
  'ZERO',
  'ONE',
  'TWO',
  'THREE',
  'FOUR',
  'FIVE',
  'SIX',
  'SEVEN',
  'EIGHT',
  'NINE',
  'TEN',
  'ELEVEN',
  'TWELVE',
  'THIRTEEN',
  'FOURTEEN',
  'FIFTEEN',
  'SIXTEEN',
  'SEVENTEEN',
  'EIGHTEEN',
  'NINETEEN',
  'TWENTY',
];

function chapterNumber(word: string): number {
  const parts = word
    .trim()
    .toUpperCase()
    .split(/[-\s]+/);
  return parts.reduce((sum, p) => sum + Math.max(0, NUMBER_WORDS.indexOf(p)), 0);
}

const NUMBERED_HEADING = /^(\d+(?:\.\d+)+)\.?\s+([A-Z][\s\S]{1,80})$/;

function titleCase(text: string): string {
  return text.toLowerCase().replace(/(^|\s)(\p{L})/gu, (_, s: string, c: string) => s + c.toUpperCase());
}

/** Sections of a PDF dump: "CHAPTER / TWO / BASIC CONCEPTS" chapters and numbered headings ("2.1 Job"). */
export function pdfSections(text: string, title: string): Section[] {
  const lines = cleanPdfText(text);
  const b = new SectionBuilder(title);
  let chapter = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as SourceLine;
    const t = line.text.trim();
    if (t === 'CHAPTER' && lines[i + 2]) {
      chapter = chapterNumber(lines[i + 1]?.text ?? '');
      const name = titleCase(lines[i + 2]?.text.trim() ?? '');
      b.heading(1, `${chapter}. ${name}`, { text: name, page: line.page });
      i += 2;
      continue;
    }
    const m = NUMBERED_HEADING.exec(t);
    if (m?.[1] && m[2] && !/[.,;:]$/.test(m[2]) && m[2].split(/\s+/).length <= 12 && Number(m[1].split('.')[0]) === chapter) {
      b.heading(m[1].split('.').length, `${m[1]} ${m[2]}`, line);
      continue;
    }
    const prev = lines[i - 1]?.text.trim() ?? '';
    const next = lines[i + 1]?.text.trim() ?? '';
    if (looksLikeSubheading(t, prev, next)) b.line({ ...line, subheading: true });
    else b.line(line);
  }
  return b.finish();
}

/**
 * An unnumbered sub-heading inside a numbered section of a PDF dump: a short capitalised line
 * without closing punctuation between a finished sentence and a new one ("How to manage secrets").
 */
function looksLikeSubheading(t: string, prev: string, next: string): boolean {
  if (t.length < 4 || t.length > 50 || !/^\p{Lu}\p{Ll}/u.test(t) || /[.,;:!?)\]=(/<>'"`]$/.test(t) || /[=(){}<>_|$:]/.test(t)) return false;
  if (t.split(/\s+/).length > 6 || /\d|[-\u2013\u2014]/.test(t) || /^(?:Parameters?|Returns?|None|Name|Description|Type|Value)\b/.test(t)) return false;
  // A line that stops on a function word is a wrapped sentence ("They must be something like").
  if (/\b(?:a|an|the|of|to|and|or|for|by|with|like|in|on|is|are|be)$/i.test(t)) return false;
  const ended = prev === '' || /[.:!?)]["']?$/.test(prev) || NUMBERED_HEADING.test(prev);
  // A heading introduces prose; a short next line is a table cell.
  return ended && /^\p{L}/u.test(next) && next.length > 25 && next.split(/\s+/).length >= 4;
}

/** Plain text: separator lines (---- / ====) start a new section named by the line after them. */
export function textSections(text: string, title: string): Section[] {
  const b = new SectionBuilder(title);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (/^\s*[-=_*]{4,}\s*$/.test(line)) {
      const next = lines[i + 1]?.trim() ?? '';
      if (next && next.length <= 80) {
        b.heading(1, next.replace(/^[A-Z ]+:\s*/, '') || next, { text: next });
        i += 1;
      } else b.flush();
      continue;
    }
    b.line({ text: line });
  }
  return b.finish();
}

export function splitSections(name: string, text: string, title: string): Section[] {
  const normalised = text.replace(/\r\n?/g, '\n');
  switch (detectFormat(name, normalised)) {
    case 'markdown':
      return markdownSections(normalised, title);
    case 'rst':
      return rstSections(normalised, title);
    case 'pdf-text':
      return pdfSections(normalised, title);
    default:
      return textSections(normalised, title);
  }
}
