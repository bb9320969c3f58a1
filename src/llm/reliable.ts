/**
 * The reliability wrapper every configured provider goes through. Per call: the token budget trims
 * evidence; the breaker may skip the provider; a per-provider limiter bounds concurrency; each attempt
 * has a timeout; 429/5xx/timeouts/broken connections are retried with jittered exponential backoff
 * honouring `retry-after`; the caller's AbortSignal cancels everything. Whatever goes wrong, the
 * caller gets the offline provider's answer with a one-line `notice` saying why — the only thing
 * that throws is the caller's own cancellation. When the answer's total deadline passes
 * (src/contracts/answer-deadline.ts) the request in flight is aborted and the offline answer is
 * given at once with the notice "… did not answer in time"; later calls of that answer skip the model. One info line per call: provider, outcome,
 * attempts, latency, tokens (prompt text only at debug level).
 */
import { currentAnswerDeadline, deadlineReason } from '../contracts/answer-deadline.js';
import type { GenerateRequest, GenerateResult, LlmProvider, StreamDelta } from '../contracts/llm.js';
import type { Logger } from '../log.js';
import { type ProviderFailure, toProviderFailure } from './failure.js';
import type { Breaker, Limiter } from './guards.js';
import { applyBudget } from './prompt.js';
import { redactRequest } from './redact-prompt.js';

export interface ReliableOptions {
  fallback: LlmProvider;
  logger: Logger;
  limiter: Limiter;
  breaker: Breaker;
  timeoutMs: number;
  maxRetries: number;
  maxInputTokens: number;
  /** First backoff step (doubles per retry, full jitter); default 500 ms. */
  backoffMs?: number;
  /** A `retry-after` longer than this is not waited for: the offline answer is used instead. */
  maxRetryAfterMs?: number;
  random?: () => number;
}

class Cancelled extends Error {}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Cancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Why a finished answer is not usable, or undefined when it is. */
function unusable(result: Pick<GenerateResult, 'text' | 'object' | 'toolCalls' | 'finishReason'>): string | undefined {
  if (result.finishReason === 'content_filter') return 'declined to answer (refusal or content filter)';
  if (result.finishReason === 'error') return 'reported an error instead of an answer';
  if (!result.text?.trim() && result.object === undefined && !result.toolCalls?.length) return 'returned an empty answer';
  return undefined;
}

export function createReliableProvider(inner: LlmProvider, options: ReliableOptions): LlmProvider {
  const { fallback, limiter, breaker } = options;
  const log = options.logger.child({ component: 'llm', provider: inner.id });
  const backoffMs = options.backoffMs ?? 500;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const random = options.random ?? Math.random;

  function delayFor(failure: ProviderFailure, attempt: number): number | undefined {
    if (!failure.retryable || attempt >= options.maxRetries) return undefined;
    if (failure.retryAfterMs !== undefined) return failure.retryAfterMs <= maxRetryAfterMs ? failure.retryAfterMs : undefined;
    return Math.round(backoffMs * 2 ** attempt * (0.5 + random() / 2));
  }

  /** The caller's signal joined with the answer deadline's: what waiting (limiter, backoff) stops on. */
  function stopSignal(request: GenerateRequest, deadline: AbortSignal | undefined): AbortSignal | undefined {
    const signals = [request.signal, deadline].filter((s): s is AbortSignal => s !== undefined);
    return signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  }

  /** Runs `body` with a per-attempt timeout signal joined to the caller's and the deadline's; maps every error. */
  async function attempt<R>(request: GenerateRequest, deadline: AbortSignal | undefined, body: (signal: AbortSignal) => Promise<R>): Promise<R> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error('timeout')), options.timeoutMs);
    const stop = stopSignal(request, deadline);
    const signal = stop ? AbortSignal.any([stop, timeout.signal]) : timeout.signal;
    try {
      return await body(signal);
    } catch (error) {
      if (request.signal?.aborted || deadline?.aborted) throw new Cancelled();
      throw toProviderFailure(inner.id, error, timeout.signal.aborted);
    } finally {
      clearTimeout(timer);
    }
  }

  function notice(reason: string): string {
    return `${inner.id} ${reason}; this is the offline answer.`;
  }

  async function offline<T>(request: GenerateRequest<T>, reason: string): Promise<GenerateResult<T>> {
    const result = await fallback.generate(request);
    return { ...result, notice: notice(reason) };
  }

  async function generate<T>(original: GenerateRequest<T>): Promise<GenerateResult<T>> {
    const started = performance.now();
    const deadline = currentAnswerDeadline();
    const { request, trimmed } = applyBudget(redactRequest(original), options.maxInputTokens);
    log.debug({ system: request.system, messages: request.messages, evidence: request.evidence?.length ?? 0 }, 'llm prompt');
    const report = (outcome: string, result: GenerateResult | undefined, attempts: number, extra: Record<string, unknown> = {}): void =>
      log.info(
        {
          outcome,
          attempts,
          latencyMs: Math.round(performance.now() - started),
          inputTokens: result?.usage.inputTokens,
          outputTokens: result?.usage.outputTokens,
          finishReason: result?.finishReason,
          trimmed,
          ...extra,
        },
        'llm call',
      );
    /** The deadline passed: the offline answer now, with the notice (`inFlight`: a model request was cut). */
    const late = async (attempts: number, inFlight: boolean): Promise<GenerateResult<T>> => {
      if (!deadline) throw new Error('no deadline');
      deadline.cut = true;
      if (inFlight) breaker.failure();
      else breaker.abandon();
      const result = await offline(request, deadlineReason(deadline.ms));
      report('deadline', result, attempts);
      return result;
    };
    if (deadline?.signal.aborted) return late(0, false);
    if (breaker.isOpen()) {
      const result = await offline(request, `is paused after ${breaker.consecutiveFailures} failures in a row`);
      report('breaker_open', result, 0);
      return result;
    }
    let release: (() => void) | undefined;
    let attempts = 0;
    let inFlight = false;
    try {
      release = await limiter.acquire(stopSignal(request, deadline?.signal));
      for (;;) {
        attempts++;
        let failure: ProviderFailure;
        try {
          inFlight = true;
          const result = await attempt(request, deadline?.signal, (signal) => inner.generate({ ...request, signal }));
          inFlight = false;
          const why = unusable(result);
          if (!why) {
            breaker.success();
            report('ok', result, attempts);
            return result;
          }
          breaker.failure();
          const fell = await offline(request, why);
          report('fallback', fell, attempts, { reason: why });
          return fell;
        } catch (error) {
          if (error instanceof Cancelled) throw error;
          inFlight = false;
          failure = error as ProviderFailure;
        }
        const delay = delayFor(failure, attempts - 1);
        log.warn({ attempt: attempts, code: failure.code, status: failure.status, retryInMs: delay }, failure.message);
        if (delay === undefined) {
          breaker.failure();
          const fell = await offline(request, failure.reason);
          report('fallback', fell, attempts, { reason: failure.message });
          return fell;
        }
        await sleep(delay, stopSignal(request, deadline?.signal));
      }
    } catch (error) {
      if (deadline?.signal.aborted && !request.signal?.aborted) return await late(attempts, inFlight);
      if (!(error instanceof Cancelled) && !request.signal?.aborted) throw error;
      breaker.abandon();
      report('cancelled', undefined, attempts);
      throw request.signal?.reason ?? new Error('cancelled');
    } finally {
      release?.();
    }
  }

  async function* stream(original: GenerateRequest): AsyncIterable<StreamDelta> {
    const started = performance.now();
    const { request, trimmed } = applyBudget(redactRequest(original), options.maxInputTokens);
    if (request.schema || breaker.isOpen()) {
      // Structured answers are validated as a whole; an open breaker means offline anyway.
      const result = await generate(request);
      if (result.text) yield { type: 'text', text: result.text };
      if (result.object !== undefined) yield { type: 'text', text: JSON.stringify(result.object) };
      for (const call of result.toolCalls ?? []) yield { type: 'tool_call', call };
      yield { type: 'done', usage: result.usage, model: result.model, finishReason: result.finishReason, notice: result.notice };
      return;
    }
    const deadline = currentAnswerDeadline();
    const stop = stopSignal(request, deadline?.signal);
    let release: (() => void) | undefined;
    let attempts = 0;
    let emitted = false;
    let reason: string | undefined;
    /** False when the deadline passed before any model request was made (the model is not to blame). */
    let modelFailed = true;
    try {
      if (deadline?.signal.aborted) throw new Cancelled();
      release = await limiter.acquire(stop);
      for (;;) {
        attempts++;
        const timeout = new AbortController();
        const timer = setTimeout(() => timeout.abort(new Error('timeout')), options.timeoutMs);
        const signal = stop ? AbortSignal.any([stop, timeout.signal]) : timeout.signal;
        let failure: ProviderFailure | undefined;
        try {
          for await (const delta of inner.stream({ ...request, signal })) {
            if (delta.type === 'done') {
              const why = unusable({ text: emitted ? 'x' : '', finishReason: delta.finishReason });
              if (why) throw Object.assign(new Error(why), { unusable: why });
              breaker.success();
              log.info({ outcome: 'ok', attempts, latencyMs: Math.round(performance.now() - started), ...delta.usage, trimmed }, 'llm stream');
              yield delta;
              return;
            }
            if (delta.type === 'text' && !delta.text) continue;
            emitted = true;
            yield delta;
          }
          throw toProviderFailure(inner.id, new Error('stream ended without a final event'));
        } catch (error) {
          if (request.signal?.aborted || deadline?.signal.aborted) throw new Cancelled();
          const why = (error as { unusable?: string }).unusable;
          if (why) reason = why;
          else failure = toProviderFailure(inner.id, error, timeout.signal.aborted);
        } finally {
          clearTimeout(timer);
        }
        const delay = failure && !emitted ? delayFor(failure, attempts - 1) : undefined;
        if (failure) log.warn({ attempt: attempts, code: failure.code, status: failure.status, retryInMs: delay }, failure.message);
        if (delay === undefined) {
          reason ??= emitted ? 'stopped in mid-answer' : (failure?.reason ?? 'failed');
          break;
        }
        await sleep(delay, stop);
      }
    } catch (error) {
      if (deadline?.signal.aborted && !request.signal?.aborted) {
        deadline.cut = true;
        reason = deadlineReason(deadline.ms);
        modelFailed = attempts > 0;
      } else {
        if (!(error instanceof Cancelled) && !request.signal?.aborted) throw error;
        breaker.abandon();
        log.info({ outcome: 'cancelled', attempts, latencyMs: Math.round(performance.now() - started) }, 'llm stream');
        return;
      }
    } finally {
      release?.();
    }
    if (modelFailed) breaker.failure();
    else breaker.abandon();
    const result = await fallback.generate(request);
    if (emitted) yield { type: 'text', text: '\n\n' };
    if (result.text) yield { type: 'text', text: result.text };
    for (const call of result.toolCalls ?? []) yield { type: 'tool_call', call };
    const line = emitted ? `${inner.id} ${reason}; the rest is the offline answer.` : notice(reason ?? 'failed');
    log.info({ outcome: 'fallback', attempts, reason, latencyMs: Math.round(performance.now() - started) }, 'llm stream');
    yield { type: 'done', usage: result.usage, model: result.model, finishReason: result.finishReason, notice: line };
  }

  return { id: inner.id, generate, stream };
}
