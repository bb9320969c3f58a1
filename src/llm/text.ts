/** Small text utilities shared by the offline provider and the token budget. */

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my of on or our please should so than that the their them then there these they this to was we were ' +
    'what when where which who why will with would you your tell show give explain about'
  ).split(' '),
);

/** Lower-cased content words: identifiers split on `_ - .`, stop words dropped, crude plural stem. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (STOP_WORDS.has(raw)) continue;
    out.push(raw.length > 4 && raw.endsWith('s') && !raw.endsWith('ss') ? raw.slice(0, -1) : raw);
  }
  return out;
}

/** Words of an identifier or description: `get_job_status` / `getJobStatus` → get job status. */
export function identifierTerms(text: string): string[] {
  return terms(text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' '));
}

/** How many distinct query terms occur in the candidate (with a bonus for numbers, which are specific). */
export function overlap(queryTerms: readonly string[], candidate: readonly string[]): number {
  const have = new Set(candidate);
  let score = 0;
  for (const term of new Set(queryTerms)) if (have.has(term)) score += /^\d+$/.test(term) ? 2 : 1;
  return score;
}

/** Splits prose and log text into sentences / lines, keeping each piece's original text. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n+/)) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    for (const piece of trimmed.split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])/)) if (piece.trim()) out.push(piece.trim());
  }
  return out;
}

/** Rough token estimate (≈4 characters a token for English and logs); used for budgets only. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
