/** Error codes: each maps to one user-visible sentence in the core's error rendering. */
export type ErrorCode =
  | 'config_invalid'
  | 'input_invalid'
  | 'not_found'
  | 'login_required'
  | 'unauthorized'
  | 'upstream_unreachable'
  | 'upstream_timeout'
  | 'upstream_error'
  | 'rate_limited'
  | 'too_large'
  | 'llm_error'
  | 'llm_timeout'
  | 'not_configured'
  | 'internal';

/** Base of every error the project throws on purpose. `message` is safe to show to a user. */
export class AskPandaError extends Error {
  readonly code: ErrorCode;
  override readonly cause?: unknown;

  constructor(code: ErrorCode, message: string, cause?: unknown) {
    super(message);
    this.name = 'AskPandaError';
    this.code = code;
    this.cause = cause;
  }
}

export class ConfigError extends AskPandaError {
  constructor(message: string, cause?: unknown) {
    super('config_invalid', message, cause);
    this.name = 'ConfigError';
  }
}

export class InputError extends AskPandaError {
  constructor(message: string, cause?: unknown) {
    super('input_invalid', message, cause);
    this.name = 'InputError';
  }
}

/** A remote service (monitor, CRIC, chat platform) failed; `code` says how. */
export class UpstreamError extends AskPandaError {
  readonly status?: number;
  constructor(code: ErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(code, message, options.cause);
    this.name = 'UpstreamError';
    this.status = options.status;
  }
}

export class LlmError extends AskPandaError {
  readonly status?: number;
  readonly retryAfterMs?: number;
  constructor(
    code: 'llm_error' | 'llm_timeout' | 'rate_limited' | 'not_configured',
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(code, message, options.cause);
    this.name = 'LlmError';
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Turns anything thrown into an AskPandaError (unknown throws become `internal`). */
export function asAskPandaError(error: unknown): AskPandaError {
  if (error instanceof AskPandaError) return error;
  if (error instanceof Error && error.name === 'AbortError') {
    return new AskPandaError('upstream_timeout', 'The request was cancelled or timed out.', error);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AskPandaError('internal', message, error);
}
