/**
 * Checks a generated answer against its passages: every number and identifier it states (a limit,
 * an option, a file name, an error mnemonic, an address) must occur in the passages it was given.
 * Sentences that state one the passages do not hold are removed, and reported.
 */
import { normText } from '../../src/index/index.js';

/** Numbers (not citation markers or list numbers) and identifier-shaped tokens of a text. */
export function factTokens(text: string): string[] {
  const body = text.replace(/\[\d+\]/g, ' ').replace(/^\s*\d+[.)]\s+/gm, ' ');
  const out = new Set<string>();
  for (const m of body.matchAll(/[\w.+-]+@[\w-]+\.[\w.]+/g)) out.add(m[0]);
  const rest = body.replace(/[\w.+-]+@[\w-]+\.[\w.]+/g, ' ').replace(/https?:\/\/\S+/g, ' ');
  for (const m of rest.matchAll(/`([^`]+)`/g)) if (m[1]) out.add(m[1].trim());
  const plain = rest.replace(/`[^`]+`/g, ' ');
  for (const m of plain.matchAll(/(?<![\w.])\d+(?:[.,]\d+)*(?![\w.]*\d)/g)) out.add(m[0].replace(/,(?=\d{3}\b)/g, ''));
  for (const m of plain.matchAll(
    /(?<![\w-])(?:--?[A-Za-z][\w-]*|[A-Za-z]+_[\w]+|[a-z]+[A-Z]\w*|[A-Z]+[_\d][A-Z0-9_]*|[A-Z]{6,}|[\w-]+\.(?:json|ya?ml|cfg|conf|py|sh|txt|cwl|xml|out|log))(?![\w-])/g,
  ))
    out.add(m[0]);
  return [...out];
}

export interface Grounded {
  /** The answer without the sentences that state unsupported facts. */
  text: string;
  /** Numbers and identifiers the passages do not hold. */
  unsupported: string[];
}

/** Removes the sentences of `answer` that state a number or identifier absent from `passages`. */
export function groundAnswer(answer: string, passages: readonly string[]): Grounded {
  const haystack = normText(passages.join('\n')).replace(/,(?=\d{3}\b)/g, '');
  const supported = (token: string): boolean => {
    const t = normText(token);
    return haystack.includes(t) || haystack.includes(t.replace(/^-+/, ''));
  };
  const unsupported = factTokens(answer).filter((t) => !supported(t));
  if (unsupported.length === 0) return { text: answer, unsupported };
  const bad = new Set(unsupported);
  const kept = answer.split(/(?<=[.!?])\s+(?=[A-Z`*\-[(])|\n+/).filter((sentence) => !factTokens(sentence).some((t) => bad.has(t)));
  return { text: kept.join(' ').replace(/\s+\n/g, '\n').trim(), unsupported };
}
