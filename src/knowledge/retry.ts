/** Wording and mapping of retry advice. */
import type { RetryAdvice, RetryHelps } from './types.js';

/** Short user-facing label of each retry advice. */
export const RETRY_LABELS: Readonly<Record<RetryAdvice, string>> = {
  retry: 'Likely to help',
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

/** What already happened to the failed work: attempts of the same job, and for a task how often retries recovered. */
export interface RetryHistory {
  attempt?: number | null;
  maxAttempt?: number | null;
  /** Earlier attempts of the same job (same `jobname`), oldest first. */
  earlier?: Array<{ pandaid: number; attempt: number | null; site: string | null; status: string; sameFailure: boolean }>;
  /** This attempt's site (to tell "failed again at the same site" apart). */
  site?: string | null;
  /** For a failure signature of a task: failed attempts and how many a later attempt recovered. */
  recovered?: { recovered: number; of: number };
}

/** The retry verdict a reply shows: advice (yes / no / maybe), why, what PanDA does, what history says. */
export interface RetryVerdict {
  advice: RetryAdvice;
  helps: RetryHelps;
  /** Why: the cause's reason, amended by the history when it changed the advice. */
  reason: string;
  /** What PanDA's retry module does with this kind of failure. */
  panda: string;
  /** Facts from the history that bear on the verdict ("attempt 2 of 5", "recovered 3 of 4"). */
  history: string[];
}

/**
 * What PanDA's job retry module does (panda-server taskbuffer/retryModule.py: actions no_retry,
 * limit_retry, increase_memory, increase_cputime; JEDI re-runs unprocessed input while attempts remain).
 */
export function pandaRetryAction(advice: RetryAdvice, category: string): string {
  if (advice === 'no_retry') return "Errors like this are what PanDA's retry module marks final (no_retry): more attempts only repeat the failure.";
  if (advice === 'retry_more_memory') return "For memory errors PanDA's retry module gives the next attempt a higher memory requirement (increase_memory).";
  if (category === 'resource-limit-walltime')
    return "For time-limit errors PanDA's retry module can give the next attempt a longer walltime (increase_cputime); a plain rerun hits the same limit.";
  if (advice === 'avoid_site') return 'JEDI re-runs the input in a new attempt automatically, and the new attempt can be brokered to another site.';
  if (advice === 'retry') return 'JEDI re-runs the failed input in a new attempt automatically while attempts remain.';
  return 'JEDI re-runs the failed input automatically while attempts remain; whether that succeeds depends on the cause.';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The verdict for a cause's retry advice in the light of what already happened. Rules: retries of
 * the same signature that recovered overrule "do not retry" (all recovered → retry, some → maybe);
 * a transient-looking cause that already failed the same way at the same site becomes "retry at
 * another site", at several sites "maybe"; the last attempt is stated, since PanDA then stops.
 */
export function retryVerdict(base: { advice: RetryAdvice; reason: string; category: string }, history: RetryHistory = {}): RetryVerdict {
  let advice = base.advice;
  let reason = base.reason;
  const facts: string[] = [];
  const { attempt, maxAttempt } = history;
  if (attempt && maxAttempt) {
    facts.push(
      attempt >= maxAttempt
        ? `This was attempt ${attempt} of ${maxAttempt}, the last one: PanDA will not retry it automatically; to run it again, retry the task (pbook: retry) once the cause is dealt with.`
        : base.advice === 'no_retry'
          ? `This was attempt ${attempt} of ${maxAttempt}: unless a no_retry rule stops it, PanDA runs the remaining attempts, and they will fail the same way.`
          : `This was attempt ${attempt} of ${maxAttempt}: PanDA creates the next attempt by itself.`,
    );
  }
  const same = (history.earlier ?? []).filter((e) => e.sameFailure);
  if (same.length) {
    const sites = [...new Set(same.map((e) => e.site ?? '?'))];
    facts.push(
      `${plural(same.length, 'earlier attempt')} of this job failed the same way (${same.map((e) => `${e.pandaid} at ${e.site ?? '?'}`).join(', ')}).`,
    );
    const allHere = history.site && sites.length === 1 && sites[0] === history.site;
    if (advice === 'retry' && allHere) {
      advice = 'avoid_site';
      reason = `It already failed the same way at ${history.site} before: retry it elsewhere.`;
    } else if ((advice === 'retry' || advice === 'avoid_site') && sites.length > 1) {
      advice = 'maybe';
      reason = `It failed the same way at ${plural(sites.length, 'site')} already, so it is not a passing problem of one site.`;
    }
  }
  const rec = history.recovered;
  if (rec && rec.of > 0) {
    facts.push(`Retries recovered ${rec.recovered} of ${rec.of} failed attempts with this signature.`);
    if (rec.recovered > 0 && advice === 'no_retry') {
      advice = rec.recovered === rec.of && rec.of >= 2 ? 'retry' : 'maybe';
      reason = `Failures like this usually repeat, but here retries recovered ${rec.recovered} of ${rec.of}, so retrying does help.`;
    } else if (rec.recovered === rec.of && rec.of >= 2 && advice === 'maybe') {
      advice = 'retry';
      reason = `Retries recovered all ${rec.of} failed attempts with this signature.`;
    }
  }
  return { advice, helps: retryHelps(advice), reason, panda: pandaRetryAction(advice, base.category), history: facts };
}
