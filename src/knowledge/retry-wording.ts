/**
 * Wording that must agree with a retry verdict: `adviceContradicts` finds the sentences of a text
 * that say the opposite of the advice ("retry the job" next to "do not retry"), `withoutContradictions`
 * drops them. Used on explanations from the knowledge base, on the LLM's wording and by the test
 * that renders every knowledge-base category.
 */
import type { RetryAdvice } from './types.js';

const SAYS_RETRY =
  /\b(?:(?<!\bnot |n't |never |will not )retry (?:the job|it|now)\b(?! (?:only|once (?:the|you)|after))|resubmit (?:it|the job) as is|a (?:plain )?retry (?:normally|usually) (?:succeeds|works|helps)|nothing to change)/i;
const SAYS_NO_RETRY =
  /\b(?:do not retry|don't retry|(?:will|would) fail (?:again|the same way)|fix (?:your|the) (?:code|job options)|retrying (?:will not|won't) help)/i;

/** Sentences of `text` that contradict the retry advice (empty when they agree). */
export function adviceContradicts(text: string, advice: RetryAdvice): string[] {
  const sentences = text.split(/(?<=[.!?])\s+|\n+/).filter(Boolean);
  if (advice === 'no_retry') return sentences.filter((s) => SAYS_RETRY.test(s) && !SAYS_NO_RETRY.test(s));
  if (advice === 'retry' || advice === 'avoid_site') return sentences.filter((s) => SAYS_NO_RETRY.test(s));
  return [];
}

/** The text without the sentences that contradict the advice. */
export function withoutContradictions(text: string, advice: RetryAdvice): string {
  const bad = new Set(adviceContradicts(text, advice));
  if (!bad.size) return text;
  return text
    .split(/(?<=[.!?])\s+/)
    .filter((s) => !bad.has(s))
    .join(' ');
}
