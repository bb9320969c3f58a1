/**
 * Slack channel history for support-channel ingestion through the Slack SDK's `WebClient` (the
 * client Bolt uses): `conversations.info`, then `client.paginate` over `conversations.history`
 * (roots) and `conversations.replies` (each thread) with cursor pagination. A 429 is retried by the
 * WebClient itself after its `Retry-After` seconds (`rejectRateLimitedCalls: false`, `retryConfig`);
 * SDK errors become UpstreamErrors.
 */
import { type RetryOptions, WebAPIHTTPError, WebAPIPlatformError, WebAPIRequestError, WebClient, WebClientEvent } from '@slack/web-api';
import type { DiscussionChannel, DiscussionMessage, DiscussionSource, DiscussionThread } from '../../src/contracts/discussions.js';
import { UpstreamError } from '../../src/errors.js';
import { createBoltLogger } from './bolt-logger.js';
import type { Logger } from '../../src/log.js';
import { silentLogger } from '../../src/log.js';

export interface SlackHistoryOptions {
  /** Web API base, e.g. `https://slack.com/api/` (the WebClient's `slackApiUrl`). */
  apiUrl?: string;
  token: string;
  logger?: Logger;
  /** Messages per page (Slack allows up to 999; 200 is the recommended maximum). */
  pageSize?: number;
  /** Retries of one call (after a 429, a network error or an HTTP error) before it fails. */
  maxRetries?: number;
}

interface SlackMessage {
  ts: string;
  user?: string;
  bot_id?: string;
  username?: string;
  text?: string;
  thread_ts?: string;
  reply_count?: number;
  subtype?: string;
  edited?: { ts: string };
  reactions?: Array<{ name: string; users?: string[] }>;
}

interface MessagePage {
  messages?: SlackMessage[];
}

/** Resolves with `work`, or rejects with the signal's reason as soon as it fires (a rate-limit wait included). */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export const slackTsToIso = (ts: string): string => new Date(Math.floor(Number(ts) * 1000)).toISOString().replace('.000Z', 'Z');

export function createSlackHistory(options: SlackHistoryOptions): DiscussionSource {
  const apiUrl = (options.apiUrl ?? 'https://slack.com/api/').replace(/\/?$/, '/');
  const logger = options.logger ?? silentLogger();
  const pageSize = options.pageSize ?? 200;
  const retryConfig: RetryOptions = { retries: options.maxRetries ?? 5, factor: 2, minTimeout: 200, maxTimeout: 5_000, randomize: true };
  let workspaceUrl: Promise<string> | null = null;

  /**
   * One WebClient for every call of this source, so a 429 pauses its whole request queue (the SDK
   * waits `Retry-After`, then retries) and no other call reaches Slack while it is limited.
   */
  const client = new WebClient(options.token, {
    slackApiUrl: apiUrl,
    logger: createBoltLogger(logger),
    rejectRateLimitedCalls: false,
    retryConfig,
  });
  client.on(WebClientEvent.RATE_LIMITED, (seconds: number, { url }: { url: string }) => {
    logger.warn({ method: url.slice(apiUrl.length), waitMs: seconds * 1000 }, 'slack history: rate limited, waiting as asked');
  });

  /** SDK errors as UpstreamErrors, with the method that failed. */
  function upstream(method: string, error: unknown): unknown {
    if (error instanceof WebAPIPlatformError)
      return new UpstreamError('upstream_error', `Slack ${method} failed (${error.data.error}).`, { status: 200, cause: error });
    if (error instanceof WebAPIHTTPError)
      return new UpstreamError(error.statusCode === 429 ? 'rate_limited' : 'upstream_error', `Slack ${method} failed (HTTP ${error.statusCode}).`, {
        status: error.statusCode,
        cause: error,
      });
    if (error instanceof WebAPIRequestError) {
      // Once its retries are spent after 429s, the WebClient gives up with its own "rate limit was exceeded" error.
      if (/^A rate limit was exceeded/.test(error.original.message))
        return new UpstreamError('rate_limited', `Slack ${method} failed (HTTP 429, still rate limited after ${retryConfig.retries} retries).`, {
          status: 429,
          cause: error,
        });
      const reason = (error.original as { cause?: { code?: string } }).cause?.code ?? error.original.message;
      return new UpstreamError('upstream_unreachable', `Slack ${method} could not be reached at ${new URL(apiUrl).host} (${reason}).`, { cause: error });
    }
    return error;
  }

  /**
   * One SDK call (or pagination). A fired signal rejects at once, a Retry-After wait included; a
   * request already handed to the WebClient then finishes in the background and is dropped.
   */
  async function call<T>(method: string, work: (c: WebClient) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    try {
      return await abortable(work(client), signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw upstream(method, error);
    }
  }

  async function pages(
    method: 'conversations.history' | 'conversations.replies',
    params: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<SlackMessage[]> {
    return call(
      method,
      async (c) => {
        const out: SlackMessage[] = [];
        for await (const page of c.paginate(method, { ...params, limit: pageSize })) {
          signal?.throwIfAborted();
          out.push(...((page as MessagePage).messages ?? []));
        }
        return out;
      },
      signal,
    );
  }

  const toMessage = (m: SlackMessage): DiscussionMessage => ({
    id: m.ts,
    user: m.user ?? m.bot_id ?? 'unknown',
    ...(m.username ? { userDisplay: m.username } : {}),
    ts: slackTsToIso(m.ts),
    text: m.text ?? '',
    reactions: (m.reactions ?? []).map((r) => ({ name: r.name, users: r.users ?? [] })),
    ...(m.edited ? { edited: true } : {}),
  });

  const source: DiscussionSource = {
    platform: 'slack',
    async channelInfo(channelId, signal) {
      const info = await call('conversations.info', (c) => c.conversations.info({ channel: channelId }), signal);
      const channel = info.channel ?? {};
      return { platform: 'slack', id: channel.id ?? channelId, name: channel.name ?? channelId, private: Boolean(channel.is_private) };
    },
    async readThreads(channelId, opts = {}) {
      const { signal } = opts;
      const channel = await source.channelInfo(channelId, signal);
      workspaceUrl ??= call('auth.test', (c) => c.auth.test(), signal).then((r) => (r.url ?? 'https://slack.com/').replace(/\/?$/, '/'));
      const pending = workspaceUrl;
      // A failed look-up is asked again on the next read instead of being remembered.
      pending.catch(() => {
        if (workspaceUrl === pending) workspaceUrl = null;
      });
      const base = await pending;
      const since = opts.since ? String(Date.parse(opts.since) / 1000) : undefined;
      const roots = (await pages('conversations.history', { channel: channelId, ...(since ? { oldest: since } : {}) }, signal)).filter(
        (m) => !m.subtype || m.subtype === 'thread_broadcast' || m.subtype === 'bot_message',
      );
      const threads: DiscussionThread[] = [];
      for (const root of roots.sort((a, b) => Number(a.ts) - Number(b.ts))) {
        if (root.thread_ts && root.thread_ts !== root.ts) continue;
        const messages = root.reply_count ? await pages('conversations.replies', { channel: channelId, ts: root.ts }, signal) : [root];
        threads.push(threadOf(channel, base, root.ts, messages.map(toMessage)));
      }
      return threads;
    },
  };
  return source;
}

function threadOf(channel: DiscussionChannel, base: string, rootTs: string, messages: DiscussionMessage[]): DiscussionThread {
  const sorted = [...messages].sort((a, b) => Number(a.id) - Number(b.id));
  return { platform: 'slack', channel, threadId: rootTs, permalink: `${base}archives/${channel.id}/p${rootTs.replace('.', '')}`, messages: sorted };
}
