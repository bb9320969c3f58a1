/**
 * A light English suffix stripper used by the local re-ranker to conflate word forms
 * (jobs/job, retrying/retry, configured/configure). It only needs to be consistent between query
 * and passage, not linguistically exact; the full-text index does its own (Snowball) stemming.
 */
const VOWEL = /[aeiouy]/;

export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  for (const suffix of ['ations', 'ation', 'ingly', 'ings', 'ing', 'edly', 'ed', 'ly', 'ers', 'er']) {
    if (w.endsWith(suffix)) {
      const base = w.slice(0, -suffix.length);
      if (base.length >= 3 && VOWEL.test(base)) {
        w = base;
        break;
      }
    }
  }
  if (/([^aeiouslz])\1$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}
