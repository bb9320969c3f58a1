/** Maps whatever a vendor SDK throws to an LlmError that says whether retrying may help. */
import { LlmError } from '../errors.js';

/** An LlmError with the retry decision attached (the reliability wrapper reads `retryable`). */
export class ProviderFailure extends LlmError {
  readonly retryable: boolean;
  /** A few words for the user-facing notice, e.g. `failed (HTTP 500)`. */
  readonly reason: string;
  constructor(
    code: 'llm_error' | 'llm_timeout' | 'rate_limited',
    message: string,
    options: { status?: number; retryAfterMs?: number; retryable: boolean; reason?: string; cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'ProviderFailure';
    this.retryable = options.retryable;
    this.reason =
      options.reason ??
      (code === 'rate_limited'
        ? 'is rate limiting requests'
        : code === 'llm_timeout'
          ? 'did not answer in time'
          : options.status
            ? `failed (HTTP ${options.status})`
            : 'failed');
  }
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** `retry-after-ms`, else `retry-after` in seconds (fractions allowed) or as an HTTP date. */
export function retryAfterMs(headers: unknown, now = Date.now()): number | undefined {
  const ms = Number(header(headers, 'retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && header(headers, 'retry-after-ms') !== undefined) return ms;
  const raw = header(headers, 'retry-after');
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function statusOf(error: Record<string, unknown>): number | undefined {
  for (const key of ['status', 'statusCode', 'status_code', 'code']) {
    const value = error[key];
    if (typeof value === 'number' && value >= 100 && value < 600) return value;
  }
  return undefined;
}

function headersOf(error: Record<string, unknown>): unknown {
  if (error.headers) return error.headers;
  const raw = error.rawResponse ?? error.response;
  return raw && typeof raw === 'object' ? (raw as Record<string, unknown>).headers : undefined;
}

/**
 * `provider` is the `provider:model` id. `timedOut` tells whether our own timeout fired (the SDKs
 * report both a timeout and a user abort as an abort).
 */
export function toProviderFailure(provider: string, error: unknown, timedOut = false): ProviderFailure {
  if (timedOut) return new ProviderFailure('llm_timeout', `${provider} did not answer in time.`, { retryable: true, cause: error });
  if (error instanceof ProviderFailure) return error;
  const record = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const status = statusOf(record);
  const detail = error instanceof Error ? error.message.split('\n')[0]?.slice(0, 160) : String(error);
  if (status === 429) {
    return new ProviderFailure('rate_limited', `${provider} is rate limiting requests (HTTP 429).`, {
      status,
      retryAfterMs: retryAfterMs(headersOf(record)),
      retryable: true,
      cause: error,
    });
  }
  if (status !== undefined && status >= 400) {
    const retryable = status >= 500 || status === 408 || status === 409;
    return new ProviderFailure('llm_error', `${provider} answered HTTP ${status}: ${detail}`, {
      status,
      retryAfterMs: retryAfterMs(headersOf(record)),
      retryable,
      cause: error,
    });
  }
  // No HTTP status: connection refused/reset, a body that is not JSON, a stream that broke off.
  const reason = error instanceof SyntaxError || /json|valid/i.test(detail ?? '') ? 'failed (malformed response)' : 'failed (connection error)';
  return new ProviderFailure('llm_error', `${provider} failed: ${detail}`, { retryable: true, reason, cause: error });
}

/** The stream ended without the vendor's end-of-answer marker. */
export function truncatedStream(provider: string): ProviderFailure {
  return new ProviderFailure('llm_error', `${provider} stream ended before the answer was complete.`, { retryable: true, reason: 'broke off its answer' });
}
