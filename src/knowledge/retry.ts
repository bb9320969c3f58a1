/** Wording and mapping of retry advice. */
import type { RetryAdvice, RetryHelps } from './types.js';

/** Short user-facing label of each retry advice. */
export const RETRY_LABELS: Readonly<Record<RetryAdvice, string>> = {
  retry: 'Retry: likely to help',
  no_retry: 'Do not retry as is: it will fail the same way',
  retry_more_memory: 'Retry with more memory',
  avoid_site: 'Retry at another site',
  maybe: 'Retry may help: depends on the cause',
};

/**
 * The diagnosis set's `retry_helps` for an advice: `retry` and `avoid_site` (another attempt,
 * elsewhere, is likely to succeed) → true; `no_retry` → false; `retry_more_memory` and `maybe`
 * → "maybe" (it depends on whether the memory use or the site problem was a fluctuation).
 */
export function retryHelps(advice: RetryAdvice): RetryHelps {
  if (advice === 'retry' || advice === 'avoid_site') return true;
  if (advice === 'no_retry') return false;
  return 'maybe';
}
