/**
 * The Mattermost SDK client (`@mattermost/client` Client4) set up with the server URL and bot token,
 * plus one small wrapper around SDK calls that honours the server's rate limit: Client4 neither
 * retries a 429 nor exposes the response headers, so the client built here keeps the HTTP status
 * and headers on its errors and reports every response's `X-Ratelimit-*` budget to the wrapper.
 */
import type { Client4 } from '@mattermost/client';
// @mattermost/client is CommonJS whose names Node's ESM loader cannot detect: take them from the default export.
import mattermostClient from '@mattermost/client';
import { UpstreamError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';

type FetchOptions = Parameters<Client4['getOptions']>[0];
interface SdkResponse {
  response: Response;
  data: unknown;
}

/** Client4's ClientError plus what it leaves out: the HTTP status and the response headers. */
export class MattermostHttpError extends mattermostClient.ClientError {
  constructor(
    baseUrl: string,
    url: string,
    readonly status: number,
    readonly headers: Headers,
    body: unknown,
  ) {
    // Mattermost error bodies are AppError JSON ({id, message, status_code}); the rate limiter's 429 may be plain text.
    const json = typeof body === 'object' && body !== null ? (body as { id?: string; message?: string; status_code?: number; detailed_error?: string }) : {};
    super(baseUrl, {
      message: json.message ?? (typeof body === 'string' && body.trim() ? body.trim().slice(0, 200) : `HTTP ${status}`),
      server_error_id: json.id,
      status_code: json.status_code ?? status,
      detailed_error: json.detailed_error,
      url,
    });
  }
}

export interface MattermostClient {
  readonly client: Client4;
  /** Runs one SDK call, waiting out a spent rate-limit budget first and retrying a 429 after the delay the server asks for. */
  call<T>(what: string, fn: (client: Client4) => Promise<T>): Promise<T>;
}

/** Milliseconds to wait from a 429: `Retry-After`, else `X-Ratelimit-Reset` (seconds until the window resets), else 1 s. */
export function retryDelayMs(headers: Headers): number {
  const retryAfter = Number(headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return retryAfter * 1000;
  const reset = Number(headers.get('x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? reset * 1000 : 1000;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createMattermostClient(options: { url: string; token: string; logger: Logger; maxRetries?: number }): MattermostClient {
  const base = options.url.replace(/\/$/, '');
  const maxRetries = options.maxRetries ?? 5;
  let waitUntil = 0;
  const observe = (headers: Headers): void => {
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (headers.get('x-ratelimit-remaining') === '0' && reset > 0) waitUntil = Math.max(waitUntil, Date.now() + reset * 1000);
  };

  const client = new mattermostClient.Client4();
  client.setUrl(base);
  client.setToken(options.token);
  // Every Client4 route method goes through doFetch, whose errors drop the status and headers: run the SDK's own
  // request (auth headers, body parsing) with its documented `ignoreStatus` option and throw an error that keeps them.
  const sdk = client as unknown as {
    doFetch: <T>(url: string, init: FetchOptions) => Promise<T>;
    doFetchWithResponse: (url: string, init: FetchOptions) => Promise<SdkResponse>;
  };
  const withResponse = sdk.doFetchWithResponse;
  sdk.doFetch = async <T>(url: string, init: FetchOptions): Promise<T> => {
    const { response, data } = await withResponse(url, { ...init, ignoreStatus: true });
    observe(response.headers);
    if (!response.ok) throw new MattermostHttpError(base, url, response.status, response.headers, data);
    return data as T;
  };

  async function call<T>(what: string, fn: (c: Client4) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (Date.now() < waitUntil) await sleep(waitUntil - Date.now());
      try {
        return await fn(client);
      } catch (error) {
        if (error instanceof MattermostHttpError) {
          if (error.status === 429 && attempt < maxRetries) {
            const wait = retryDelayMs(error.headers);
            options.logger.warn({ what, waitMs: wait }, 'mattermost: rate limited, retrying after the delay the server asked for');
            waitUntil = Math.max(waitUntil, Date.now() + wait);
            continue;
          }
          throw new UpstreamError(
            error.status === 429 ? 'rate_limited' : 'upstream_error',
            `Mattermost ${what} failed with HTTP ${error.status}: ${error.message}`,
            {
              status: error.status_code ?? error.status,
              cause: error,
            },
          );
        }
        if (error instanceof mattermostClient.ClientError)
          throw new UpstreamError('upstream_error', `Mattermost ${what} failed: ${error.message}`, { cause: error });
        const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
        throw new UpstreamError('upstream_unreachable', `Mattermost ${what} could not be reached at ${new URL(base).host} (${code}).`, { cause: error });
      }
    }
  }

  return { client, call };
}
