/**
 * The HTTP transport shared by the monitor and CRIC clients: undici with an Agent (client
 * certificate/key or X.509 proxy), auth headers, per-attempt timeouts, jittered retries on 5xx/429
 * honouring Retry-After, a per-host concurrency limit, response-size caps, and recognition of an
 * HTML page where JSON was expected (login page vs. "not found" page).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher, request } from 'undici';
import { AskPandaError } from '../errors.js';
import type { Logger } from '../log.js';
import { JsonArrayScanner, JsonArrayStreamError } from './json-array-stream.js';
import { createKeyedLimiter } from './limiter.js';
import { pandaErrors } from './panda-errors.js';

export interface HttpTransportOptions {
  /** How the service is named in messages, e.g. `the monitor at https://bigpanda.cern.ch`. */
  where: string;
  authScheme?: 'Bearer' | 'Token';
  token?: string;
  /** Re-read on every request, so a renewed IAM token is picked up. */
  tokenFile?: string;
  /** The environment variable users set for the token (named in the login message). */
  tokenVariable?: string;
  certFile?: string;
  keyFile?: string;
  /** X.509 proxy: certificate and key in one PEM file. */
  proxyFile?: string;
  caFile?: string;
  timeoutMs?: number;
  retries?: number;
  maxConcurrency?: number;
  maxResponseBytes?: number;
  /** Base of the exponential backoff (jittered ×0.5–1.5). */
  retryBaseMs?: number;
  /** A Retry-After longer than this is not waited for: the call fails as rate limited. */
  maxRetryAfterMs?: number;
  userAgent?: string;
  logger?: Logger;
}

export interface OpenedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  url: URL;
}

/** Per-request overrides: a longer timeout for a slow view, and whether a timed-out attempt is retried. */
export interface RequestOptions {
  timeoutMs?: number;
  retryTimeouts?: boolean;
}

/** Receives the elements of one array of a JSON answer as they arrive (see json-array-stream.ts). */
export interface JsonItemSink {
  /** The array's key in the top-level object, e.g. `jobs`. */
  key: string;
  /** Called before every attempt: a retried request starts the list again. */
  reset(): void;
  item(value: unknown): void;
}

export interface HttpTransport {
  /** GET a JSON document. Errors are UpstreamErrors naming `subject`. */
  getJson(url: URL, subject: string, signal?: AbortSignal, options?: RequestOptions): Promise<unknown>;
  /** GET a JSON object and stream-parse the elements of one of its arrays into `sink`; nothing else is kept. */
  getJsonItems(url: URL, subject: string, sink: JsonItemSink, signal?: AbortSignal, options?: RequestOptions): Promise<{ items: number }>;
  /**
   * GET without following redirects, retrying 5xx/429 and network failures; any other status is
   * returned for the caller to handle. The per-host slot is released once the headers arrived.
   */
  open(url: URL, subject: string, options?: { headers?: Record<string, string>; signal?: AbortSignal; authOrigin?: URL }): Promise<OpenedResponse>;
  readonly timeoutMs: number;
  close(): Promise<void>;
}

const DEFAULT_UA = `askpanda/0.1.0 (Node ${process.versions.node}; ${process.platform} ${process.arch})`;

const LOGIN_HINTS = [
  /<title>[^<]*(log ?in|sign ?in|single sign-on|authenticat|keycloak)[^<]*<\/title>/i,
  /<input[^>]+type=["']?password/i,
  /id=["']kc-form-login/i,
];

/** Decides what an HTML page in place of JSON means. */
export function classifyHtml(html: string, url: URL): 'login' | 'not_found' {
  if (/\/login\b|\/oauth|\/auth\/realms\//i.test(url.pathname) || /auth\.cern\.ch$/i.test(url.hostname)) return 'login';
  return LOGIN_HINTS.some((re) => re.test(html)) ? 'login' : 'not_found';
}

function header(headers: OpenedResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Milliseconds to wait from a Retry-After header (seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);

function isTimeout(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 3;
  const maxBytes = options.maxResponseBytes ?? 256 * 1024 * 1024;
  const retryBaseMs = options.retryBaseMs ?? 500;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const tokenVariable = options.tokenVariable ?? 'ASKPANDA_PANDA_TOKEN';
  const where = options.where;
  const limiter = createKeyedLimiter(options.maxConcurrency ?? 4);
  const log = options.logger;

  const certPem = options.proxyFile ? readFileSync(options.proxyFile) : options.certFile ? readFileSync(options.certFile) : undefined;
  const keyPem = options.proxyFile ? readFileSync(options.proxyFile) : options.keyFile ? readFileSync(options.keyFile) : undefined;
  const caPem = options.caFile ? readFileSync(options.caFile) : undefined;
  const agent = new Agent({
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: { timeout: timeoutMs, ...(certPem ? { cert: certPem } : {}), ...(keyPem ? { key: keyPem } : {}), ...(caPem ? { ca: caPem } : {}) },
  });

  async function authHeaders(target: URL, origin: URL): Promise<Record<string, string>> {
    const headers: Record<string, string> = { 'user-agent': options.userAgent ?? DEFAULT_UA };
    if (target.origin !== origin.origin) return headers; // never hand the token to another host
    let token = options.token;
    if (!token && options.tokenFile) token = (await readFile(options.tokenFile, 'utf8')).trim();
    if (token) headers.authorization = `${options.authScheme ?? 'Bearer'} ${token}`;
    return headers;
  }

  function backoff(attempt: number): number {
    return Math.round(retryBaseMs * 2 ** attempt * (0.5 + Math.random()));
  }

  /** One attempt's signal: the caller's, plus our timeout. */
  function attemptSignal(signal?: AbortSignal, ms = timeoutMs): { signal: AbortSignal; timedOut: () => boolean } {
    const timer = AbortSignal.timeout(ms);
    return { signal: signal ? AbortSignal.any([signal, timer]) : timer, timedOut: () => timer.aborted };
  }

  /**
   * Drops a body not worth reading. undici's body emits an AbortError when destroyed before its end;
   * without a listener that is an uncaught exception (the process would crash on a too-large answer).
   */
  function discard(body: OpenedResponse['body']): void {
    body.on('error', () => undefined);
    body.destroy();
  }

  async function readCapped(body: OpenedResponse['body'], subject: string, declared: string | undefined): Promise<Buffer> {
    if (declared && Number(declared) > maxBytes) {
      discard(body);
      throw pandaErrors.tooLarge(subject, where, maxBytes);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of body) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) {
        discard(body);
        throw pandaErrors.tooLarge(subject, where, maxBytes);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /** Shared retry loop. `handle` returns a value, or `retry` with an optional server-given delay. */
  async function withRetries<T>(
    subject: string,
    signal: AbortSignal | undefined,
    run: (attempt: number) => Promise<{ value: T } | { retry: AskPandaError; afterMs?: number | null }>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let outcome: { value: T } | { retry: AskPandaError; afterMs?: number | null };
      try {
        outcome = await run(attempt);
      } catch (error) {
        if (error instanceof AskPandaError) throw error;
        if (signal?.aborted) throw error;
        const code = (error as { code?: string } | undefined)?.code ?? '';
        if (isTimeout(error) || (error as Error)?.name === 'TimeoutError') outcome = { retry: pandaErrors.timeout(subject, where, timeoutMs, error) };
        else if (TRANSIENT_CODES.has(code) || code.startsWith('UND_ERR')) outcome = { retry: pandaErrors.unreachable(subject, where, error) };
        else throw pandaErrors.unreachable(subject, where, error);
      }
      if ('value' in outcome) return outcome.value;
      if (attempt >= retries) throw outcome.retry;
      const afterMs = outcome.afterMs ?? null;
      if (afterMs !== null && afterMs > maxRetryAfterMs) throw outcome.retry;
      const wait = afterMs !== null ? afterMs : backoff(attempt);
      log?.debug({ subject, attempt: attempt + 1, waitMs: wait, reason: outcome.retry.code }, 'retrying request');
      await sleep(wait, undefined, signal ? { signal } : undefined);
    }
  }

  async function send(url: URL, origin: URL, extra: Record<string, string>, signal: AbortSignal | undefined, ms?: number) {
    const headers = { ...(await authHeaders(url, origin)), ...extra };
    const timeouts = ms && ms !== timeoutMs ? { headersTimeout: ms, bodyTimeout: ms } : {};
    return request(url, { method: 'GET', headers, dispatcher: agent, ...timeouts, ...(signal ? { signal } : {}) });
  }

  function retryable(status: number, headers: OpenedResponse['headers'], subject: string) {
    if (status === 429) {
      const afterMs = parseRetryAfter(header(headers, 'retry-after'));
      // BigPanDA limits requests per IP per hour and sends no Retry-After: retrying in seconds only
      // spends more of the budget, so say so at once.
      if (afterMs === null) throw pandaErrors.rateLimitedPerHour(subject, where);
      return { retry: pandaErrors.rateLimited(subject, where, afterMs), afterMs };
    }
    const afterMs = parseRetryAfter(header(headers, 'retry-after'));
    return { retry: pandaErrors.status(subject, where, status), afterMs };
  }

  /**
   * One JSON GET attempt up to its status line: a timeout (retried when asked), 401/403 (thrown),
   * 429/5xx (retried) are handled here; any other response is returned for the body to be read.
   */
  async function jsonAttempt(
    url: URL,
    origin: URL,
    subject: string,
    attempt: { signal: AbortSignal; timedOut: () => boolean },
    ms: number,
    retryTimeouts: boolean | undefined,
  ): Promise<{ res: Dispatcher.ResponseData } | { retry: AskPandaError; afterMs?: number | null }> {
    let res: Dispatcher.ResponseData;
    try {
      res = await send(url, origin, { accept: 'application/json' }, attempt.signal, ms);
    } catch (error) {
      if (attempt.timedOut() || isTimeout(error)) {
        if (retryTimeouts) return { retry: pandaErrors.timeout(subject, where, ms, error) };
        throw pandaErrors.timeout(subject, where, ms, error);
      }
      throw error;
    }
    const { statusCode: status, headers, body } = res;
    if (status === 401 || status === 403) {
      await body.dump();
      throw pandaErrors.unauthorized(subject, where, status, tokenVariable);
    }
    if (status === 429 || status >= 500) {
      await body.dump();
      return retryable(status, headers, subject);
    }
    return { res };
  }

  return {
    timeoutMs,
    async getJson(start, subject, signal, requestOptions = {}) {
      let url = start;
      let redirects = 0;
      const ms = requestOptions.timeoutMs ?? timeoutMs;
      return withRetries(subject, signal, async () => {
        for (;;) {
          const release = await limiter.acquire(url.host, signal);
          const attempt = attemptSignal(signal, ms);
          try {
            const sent = await jsonAttempt(url, start, subject, attempt, ms, requestOptions.retryTimeouts);
            if ('retry' in sent) return sent;
            const { statusCode: status, headers, body } = sent.res;
            if (status >= 300 && status < 400) {
              await body.dump();
              const location = header(headers, 'location');
              if (!location) throw pandaErrors.status(subject, where, status, 'redirect without a location');
              const next = new URL(location, url);
              if (classifyHtml('', next) === 'login') throw pandaErrors.loginRequired(subject, where, tokenVariable);
              if (++redirects > 3) throw pandaErrors.status(subject, where, status, 'too many redirects');
              url = next;
              continue;
            }
            let buffer: Buffer;
            try {
              buffer = await readCapped(body, subject, header(headers, 'content-length'));
            } catch (error) {
              if (error instanceof AskPandaError) throw error;
              if (attempt.timedOut()) return { retry: pandaErrors.timeout(subject, where, ms, error) };
              return { retry: pandaErrors.invalid(subject, where, 'the answer was cut off', error) };
            }
            const textBody = buffer.toString('utf8');
            const trimmed = textBody.trimStart();
            if (trimmed.startsWith('<')) {
              if (classifyHtml(trimmed, url) === 'login') throw pandaErrors.loginRequired(subject, where, tokenVariable);
              throw pandaErrors.notFound(subject, `on ${where}`);
            }
            let parsed: unknown;
            try {
              parsed = JSON.parse(textBody);
            } catch (error) {
              if (status >= 400) throw pandaErrors.status(subject, where, status);
              return { retry: pandaErrors.invalid(subject, where, 'the JSON is incomplete or invalid', error) };
            }
            if (status === 404) throw pandaErrors.notFound(subject, `on ${where}`, errorText(parsed));
            if (status >= 400) throw pandaErrors.status(subject, where, status, errorText(parsed));
            return { value: parsed };
          } finally {
            release();
          }
        }
      });
    },
    async getJsonItems(url, subject, sink, signal, requestOptions = {}) {
      const ms = requestOptions.timeoutMs ?? timeoutMs;
      return withRetries<{ items: number }>(subject, signal, async () => {
        sink.reset();
        const release = await limiter.acquire(url.host, signal);
        const attempt = attemptSignal(signal, ms);
        try {
          const sent = await jsonAttempt(url, url, subject, attempt, ms, requestOptions.retryTimeouts);
          if ('retry' in sent) return sent;
          const { statusCode: status, headers, body } = sent.res;
          if (status >= 300 && status < 400) {
            await body.dump();
            const next = new URL(header(headers, 'location') ?? '/', url);
            if (classifyHtml('', next) === 'login') throw pandaErrors.loginRequired(subject, where, tokenVariable);
            throw pandaErrors.status(subject, where, status, 'unexpected redirect');
          }
          const declared = header(headers, 'content-length');
          if (declared && Number(declared) > maxBytes) {
            discard(body);
            throw pandaErrors.tooLarge(subject, where, maxBytes);
          }
          const scanner = new JsonArrayScanner(sink.key, (v) => sink.item(v));
          let total = 0;
          let first = true;
          const head: Buffer[] = [];
          try {
            for await (const raw of body) {
              const chunk = raw as Buffer;
              total += chunk.length;
              if (total > maxBytes) {
                discard(body);
                throw pandaErrors.tooLarge(subject, where, maxBytes);
              }
              if (first) {
                first = false;
                const start = chunk.toString('utf8', 0, Math.min(chunk.length, 64)).trimStart();
                if (start.startsWith('<') || status >= 400) head.push(chunk);
              } else if (head.length > 0) {
                head.push(chunk);
                continue;
              }
              if (head.length === 0) scanner.push(chunk);
            }
          } catch (error) {
            if (error instanceof AskPandaError) throw error;
            if (error instanceof JsonArrayStreamError) return { retry: pandaErrors.invalid(subject, where, error.message, error) };
            if (attempt.timedOut()) return { retry: pandaErrors.timeout(subject, where, ms, error) };
            return { retry: pandaErrors.invalid(subject, where, 'the answer was cut off', error) };
          }
          if (head.length > 0) {
            const text = Buffer.concat(head).toString('utf8');
            if (text.trimStart().startsWith('<')) {
              if (classifyHtml(text, url) === 'login') throw pandaErrors.loginRequired(subject, where, tokenVariable);
              throw pandaErrors.notFound(subject, `on ${where}`);
            }
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = undefined;
            }
            if (status === 404) throw pandaErrors.notFound(subject, `on ${where}`, errorText(parsed));
            throw pandaErrors.status(subject, where, status, errorText(parsed));
          }
          try {
            scanner.end();
          } catch (error) {
            return { retry: pandaErrors.invalid(subject, where, (error as Error).message, error) };
          }
          return { value: { items: scanner.count } };
        } finally {
          release();
        }
      });
    },
    async open(url, subject, opts = {}) {
      return withRetries(subject, opts.signal, async () => {
        const release = await limiter.acquire(url.host, opts.signal);
        try {
          const res = await send(url, opts.authOrigin ?? url, opts.headers ?? {}, opts.signal);
          const { statusCode: status, headers, body } = res;
          if (status === 429 || status >= 500) {
            await body.dump();
            return retryable(status, headers, subject);
          }
          if (status === 401 || status === 403) {
            await body.dump();
            throw pandaErrors.unauthorized(subject, where, status, tokenVariable);
          }
          return { value: { status, headers, body, url } };
        } finally {
          release();
        }
      });
    },
    async close() {
      await agent.close();
    },
  };
}

/** The `error` / `detail` text of a JSON error answer, if any. */
export function errorText(body: unknown): string | undefined {
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const value = record.error ?? record.detail ?? record.message;
    if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 200);
  }
  return undefined;
}
