/**
 * Slack channel history for support-channel ingestion: `conversations.info`, `conversations.history`
 * (roots, cursor pagination) and `conversations.replies` (each thread, cursor pagination) over the
 * Web API with the bot token. A 429 is retried after its `Retry-After` seconds.
 */
import type { DiscussionChannel, DiscussionMessage, DiscussionSource, DiscussionThread } from '../../src/contracts/discussions.js';
import { UpstreamError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { silentLogger } from '../../src/log.js';

export interface SlackHistoryOptions {
  /** Web API base, e.g. `https://slack.com/api/`. */
  apiUrl?: string;
  token: string;
  logger?: Logger;
  /** Messages per page (Slack allows up to 999; 200 is the recommended maximum). */
  pageSize?: number;
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

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

export const slackTsToIso = (ts: string): string => new Date(Math.floor(Number(ts) * 1000)).toISOString().replace('.000Z', 'Z');

export function createSlackHistory(options: SlackHistoryOptions): DiscussionSource {
  const apiUrl = (options.apiUrl ?? 'https://slack.com/api/').replace(/\/?$/, '/');
  const logger = options.logger ?? silentLogger();
  const pageSize = options.pageSize ?? 200;
  const maxRetries = options.maxRetries ?? 5;
  let workspaceUrl: Promise<string> | null = null;

  async function call<T>(method: string, params: Record<string, string>, signal?: AbortSignal): Promise<T> {
    const url = `${apiUrl}${method}?${new URLSearchParams(params)}`;
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(url, { headers: { authorization: `Bearer ${options.token}` }, signal }).catch((error: unknown) => {
        throw new UpstreamError(
          'upstream_unreachable',
          `Slack ${method} could not be reached at ${new URL(apiUrl).host} (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}).`,
          { cause: error },
        );
      });
      if (response.status === 429 && attempt < maxRetries) {
        const seconds = Number(response.headers.get('retry-after'));
        const wait = (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000;
        logger.warn({ method, waitMs: wait }, 'slack history: rate limited, waiting as asked');
        await response.body?.cancel();
        await sleep(wait, signal);
        continue;
      }
      const body = (await response.json().catch(() => ({}))) as { ok?: boolean; error?: string } & T;
      if (!response.ok || !body.ok) {
        throw new UpstreamError(
          response.status === 429 ? 'rate_limited' : 'upstream_error',
          `Slack ${method} failed (${body.error ?? `HTTP ${response.status}`}).`,
          { status: response.status },
        );
      }
      return body;
    }
  }

  async function pages(method: string, params: Record<string, string>, signal?: AbortSignal): Promise<SlackMessage[]> {
    const out: SlackMessage[] = [];
    let cursor = '';
    do {
      const page = await call<{ messages?: SlackMessage[]; response_metadata?: { next_cursor?: string } }>(
        method,
        { ...params, limit: String(pageSize), ...(cursor ? { cursor } : {}) },
        signal,
      );
      out.push(...(page.messages ?? []));
      cursor = page.response_metadata?.next_cursor ?? '';
    } while (cursor);
    return out;
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
      const info = await call<{ channel: { id: string; name?: string; is_private?: boolean } }>('conversations.info', { channel: channelId }, signal);
      return { platform: 'slack', id: info.channel.id, name: info.channel.name ?? channelId, private: Boolean(info.channel.is_private) };
    },
    async readThreads(channelId, opts = {}) {
      const { signal } = opts;
      workspaceUrl ??= call<{ url?: string }>('auth.test', {}, signal).then((r) => (r.url ?? 'https://slack.com/').replace(/\/?$/, '/'));
      const [channel, base] = await Promise.all([source.channelInfo(channelId, signal), workspaceUrl]);
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
