/**
 * The total deadline of one answer. The core opens one per message (and per agent call handed out to
 * MCP) and runs the whole answer inside it; every LLM call made on behalf of that answer — the
 * router, the agent's analysis or summary, the memory summariser — sees it through
 * `currentAnswerDeadline()` without each call site threading it. When it passes, the LLM layer
 * aborts the model request in flight and answers with the offline provider and a notice, so the
 * agent finishes on its own offline path; nothing waits for the model any longer.
 *
 * Ambient (AsyncLocalStorage) on purpose: a call site that forgets a parameter would otherwise wait
 * for the model past the deadline. A caller's own `signal` still means "cancel": it makes calls throw.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** The abort reason of an answer deadline. */
export class AnswerDeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`the answer deadline of ${formatDeadline(ms)} passed`);
    this.name = 'AnswerDeadlineExceeded';
  }
}

export interface AnswerDeadline {
  /** Aborts (reason `AnswerDeadlineExceeded`) when the deadline passes. */
  readonly signal: AbortSignal;
  /** The deadline's length, for notices. */
  readonly ms: number;
  /** Set by the LLM layer when it gave an offline answer because the deadline had passed. */
  cut: boolean;
}

/** `1500` → `1.5 s`, `60000` → `60 s`. */
export function formatDeadline(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** Words every deadline notice contains (the core adds its own notice only when no block says them). */
export const NOT_IN_TIME = 'did not answer in time';

/** Why a model's answer was replaced: `… did not answer in time (answer deadline 60 s)`. */
export function deadlineReason(ms: number): string {
  return `${NOT_IN_TIME} (answer deadline ${formatDeadline(ms)})`;
}

const storage = new AsyncLocalStorage<AnswerDeadline>();

/** Runs `fn` (and everything it starts) inside `deadline`. */
export function withAnswerDeadline<T>(deadline: AnswerDeadline, fn: () => Promise<T>): Promise<T> {
  return storage.run(deadline, fn);
}

/** The deadline of the answer being computed, if any. */
export function currentAnswerDeadline(): AnswerDeadline | undefined {
  return storage.getStore();
}

/** A deadline that passes `ms` from now; `clear()` stops its timer when the answer is done. */
export function startAnswerDeadline(ms: number): AnswerDeadline & { clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new AnswerDeadlineExceeded(ms)), ms);
  timer.unref?.();
  return {
    signal: controller.signal,
    ms,
    cut: false,
    clear: () => clearTimeout(timer),
  };
}
