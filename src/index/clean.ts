/**
 * Cleans PDF-to-text dumps: running headers and footers with page numbers, "(continued …)" markers,
 * tables of contents and back-of-book indexes. Every kept line remembers the page it was printed on.
 * The text of kept lines is not changed, so a phrase quoted from one line still matches verbatim.
 */

export interface SourceLine {
  text: string;
  page?: number;
  /** An unnumbered sub-heading of a PDF dump ("How to manage secrets"): names the lines after it, does not cut the section. */
  subheading?: boolean;
}

const PAGE_NUMBER = /^\d{1,4}$/;
const CONTINUATION = /^\((continues on next page|continued from previous page)\)$/;
/** Footer lines naming the chapter or section: "Chapter 4. User Guide", "4.1. For end-users". */
const FOOTER_TITLE = /^(Chapter \d+\.|\d+(\.\d+)*\.)\s+\S/;

/** The short line printed next to page numbers on most pages ("PanDAWMS"), or null for non-PDF text. */
export function findRunningHeader(lines: readonly string[]): string | null {
  const counts = new Map<string, number>();
  let pageNumbers = 0;
  for (let i = 0; i < lines.length; i += 1) {
    if (!PAGE_NUMBER.test(lines[i]?.trim() ?? '')) continue;
    pageNumbers += 1;
    for (const j of [i + 1, i + 2]) {
      const next = lines[j]?.trim();
      if (next && next.length <= 60 && !PAGE_NUMBER.test(next)) counts.set(next, (counts.get(next) ?? 0) + 1);
    }
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [line, count] of counts) {
    if (count > bestCount) {
      best = line;
      bestCount = count;
    }
  }
  return bestCount >= 5 && bestCount >= pageNumbers * 0.1 ? best : null;
}

/** True when the text looks like a PDF dump (page numbers beside a running header). */
export function looksLikePdfText(text: string): boolean {
  return findRunningHeader(text.split('\n')) !== null;
}

/** Lines that belong to an index or table of contents rather than prose. */
function isListingLine(line: string): boolean {
  const t = line.trim();
  return PAGE_NUMBER.test(t) || /[,)]\s*\d{1,4}$/.test(t) || (t.length > 0 && t.length <= 4 && !/^[{}[\]()]+,?$/.test(t));
}

function dropListings(lines: SourceLine[], window = 20, share = 0.5): SourceLine[] {
  const inListing = new Uint8Array(lines.length);
  for (let start = 0; start < lines.length; start += window / 4) {
    const slice = lines.slice(start, start + window);
    const listing = slice.filter((l) => isListingLine(l.text)).length;
    if (slice.length >= 6 && listing >= slice.length * share) inListing.fill(1, start, start + slice.length);
  }
  // Inside a listing only the entries go (numbers, "title, 123", short titles); prose lines and
  // chapter markers stay.
  const drop = new Uint8Array(lines.length);
  for (let i = 0; i < lines.length; i += 1) {
    const t = lines[i]?.text.trim() ?? '';
    const chapterMarker = t === 'CHAPTER' || lines[i - 1]?.text.trim() === 'CHAPTER' || lines[i - 2]?.text.trim() === 'CHAPTER';
    const entry = isListingLine(t) || (t.split(/\s+/).length <= 5 && !/[.;!?]$/.test(t));
    if (inListing[i] && entry && !chapterMarker) drop[i] = 1;
  }
  return lines.filter((_, i) => drop[i] === 0);
}

/** Removes page furniture from a PDF-to-text dump and attaches page numbers to the remaining lines. */
export function cleanPdfText(text: string): SourceLine[] {
  const lines = text.split('\n');
  const header = findRunningHeader(lines);
  if (!header) return lines.map((t) => ({ text: t }));
  const drop = new Uint8Array(lines.length);
  const pageAt = new Int32Array(lines.length);
  const breaks: Array<{ at: number; page: number }> = [];
  for (let i = 0; i < lines.length; i += 1) {
    const t = lines[i]?.trim() ?? '';
    if (!PAGE_NUMBER.test(t)) continue;
    const h1 = lines[i + 1]?.trim();
    const h2 = lines[i + 2]?.trim();
    if (h1 !== header && h2 !== header) continue;
    drop[i] = 1;
    breaks.push({ at: i, page: Number(t) });
    if (h1 === header) drop[i + 1] = 1;
    else {
      drop[i + 2] = 1;
      if (FOOTER_TITLE.test(h1 ?? '')) drop[i + 1] = 1;
    }
    if (FOOTER_TITLE.test(lines[i - 1]?.trim() ?? '')) drop[i - 1] = 1;
  }
  // Lines before a page break are on that page; the last page continues past the last break.
  let b = 0;
  for (let i = 0; i < lines.length; i += 1) {
    while (b < breaks.length && (breaks[b]?.at ?? 0) < i) b += 1;
    const next = breaks[b];
    pageAt[i] = next ? next.page : (breaks.at(-1)?.page ?? 0) + 1;
  }
  const kept: SourceLine[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const t = lines[i] ?? '';
    if (drop[i] || CONTINUATION.test(t.trim()) || t.trim() === header) continue;
    kept.push({ text: t, page: pageAt[i] || undefined });
  }
  return dropListings(kept);
}
