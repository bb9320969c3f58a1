/**
 * Identifier-aware tokenisation for the full-text index. LanceDB's tokenizer splits on punctuation
 * and knows nothing of `nFilesPerJob`, `time_stagein` or `panda_secrets.json`, so both the indexed
 * text and the query are rewritten into plain words first: every identifier yields its parts
 * (`n files per job`) and its joined form (`nfilesperjob`), so a user typing either finds it.
 * LanceDB then lower-cases, stems and drops stop words on top.
 */

/** A run of characters that may form one identifier: letters, digits and inner `_ . - / :`. */
const RAW_TOKEN = /[\p{L}\p{N}]+(?:[_.\-/:'][\p{L}\p{N}]+)*/gu;

/** Splits camelCase / PascalCase / ACRONYMWord / letter–digit boundaries. */
function splitCase(word: string): string[] {
  return word
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .split(' ')
    .filter(Boolean);
}

/** Undoes PDF line-end hyphenation (`loca-\ntion` → `location`) before tokenising. */
export function dehyphenate(text: string): string {
  return text.replace(/(\p{Ll})-\n(\p{Ll})/gu, '$1$2');
}

/**
 * The words one raw token stands for: the token itself when plain, else its parts plus the joined
 * identifier. `nFilesPerJob` → `nfilesperjob n files per job`; `--check` → `check`;
 * `panda_secrets.json` → `panda secrets json pandasecretsjson`; `1163` → `1163`.
 */
export function expandToken(raw: string): string[] {
  const parts = raw.split(/[_.\-/:']+/).filter(Boolean);
  const words: string[] = [];
  for (const part of parts) words.push(...splitCase(part));
  const lower = words.map((w) => w.toLowerCase());
  if (lower.length <= 1) return lower;
  // Possessives and contractions ("pilot's", "don't") are not identifiers.
  if (/'/.test(raw) && parts.length === 2) return [parts[0]?.toLowerCase() ?? ''].filter(Boolean);
  const joined = lower.join('');
  const out = [joined, ...lower];
  // A dotted/underscored name whose pieces are themselves camelCase also keeps each piece joined.
  if (parts.length > 1) for (const p of parts) if (splitCase(p).length > 1) out.push(p.toLowerCase());
  return out;
}

/** Text → space-separated words for the index column or a query. */
export function toIndexText(text: string): string {
  const out: string[] = [];
  for (const match of dehyphenate(text).matchAll(RAW_TOKEN)) out.push(...expandToken(match[0]));
  return out.join(' ');
}

/** The raw identifier-ish tokens of a text, lower-cased (used for local scoring). */
export function words(text: string): string[] {
  return toIndexText(text).split(' ').filter(Boolean);
}
