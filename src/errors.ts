import type { Reply } from './contracts/reply.js';
import type { Intent } from './contracts/routing.js';

/** Error codes: each maps to one user-visible sentence (`errorText`). */
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

export interface ErrorReplyOptions {
  /** The id under which the full error was logged; the user sees it to quote it. */
  ref?: string;
  /** What failed, for unexpected errors: "answering" (default), "analysing the job", "running the analyze_job tool". */
  doing?: string;
  intent?: Intent;
}

/**
 * The one sentence a user sees for an error, on every path (chat core, adapters, MCP, HTTP, agents).
 * Errors the project throws on purpose carry a message written for users (the monitor's and CRIC's
 * "not found", "rejected the credentials", "did not answer within", "larger than the cap", "could not
 * be reached" come from `src/panda/panda-errors.ts`); anything else is an apology, its detail logged.
 */
export function errorText(error: unknown, options: ErrorReplyOptions = {}): string {
  const e = asAskPandaError(error);
  const ref = options.ref ? ` (ref ${options.ref})` : '';
  if (e.code === 'internal') return `Sorry, something went wrong while ${options.doing ?? 'answering'}${ref}. The error was logged.`;
  const message = e.message.trim();
  return message.endsWith('.') ? `${message.slice(0, -1)}${ref}.` : `${message}${ref}`;
}

/** `errorText` as an error notice reply (with the correlation id when there is one). */
export function errorReply(error: unknown, options: ErrorReplyOptions = {}): Reply {
  const text = errorText(error, options);
  return {
    ...(options.intent ? { intent: options.intent } : {}),
    blocks: [{ kind: 'notice', level: 'error', text }],
    summary: text,
    ...(options.ref ? { correlationId: options.ref } : {}),
  };
}
