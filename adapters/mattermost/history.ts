/**
 * Mattermost channel history for support-channel ingestion (REST v4 with the bot token): the
 * channel and its team (for permalinks), every post via `/channels/{id}/posts?page&per_page`
 * (roots and replies, grouped into threads by `root_id`), and the authors' usernames. A 429 waits
 * `Retry-After` / `X-Ratelimit-Reset`; a spent budget (`X-Ratelimit-Remaining: 0`) waits for the reset first.
 */
import type { DiscussionChannel, DiscussionMessage, DiscussionSource, DiscussionThread } from '../../src/contracts/discussions.js';
import { UpstreamError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { silentLogger } from '../../src/log.js';

export interface MattermostHistoryOptions {
  /** Server URL, e.g. `https://mattermost.web.cern.ch`. */
  url: string;
  token: string;
  logger?: Logger;
  perPage?: number;
  maxRetries?: number;
}

interface MmPost {
  id: string;
  create_at: number;
  edit_at?: number;
  delete_at?: number;
  user_id: string;
  channel_id: string;
  root_id?: string;
  message: string;
  type?: string;
  metadata?: { reactions?: Array<{ user_id: string; emoji_name: string }> };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function createMattermostHistory(options: MattermostHistoryOptions): DiscussionSource {
  const base = options.url.replace(/\/$/, '');
  const logger = options.logger ?? silentLogger();
  const perPage = options.perPage ?? 200;
  const maxRetries = options.maxRetries ?? 5;
  let waitUntil = 0;

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (Date.now() < waitUntil) await sleep(waitUntil - Date.now());
      const response = await fetch(`${base}/api/v4${path}`, {
        method,
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }).catch((error: unknown) => {
        throw new UpstreamError(
          'upstream_unreachable',
          `Mattermost ${path} could not be reached at ${new URL(base).host} (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}).`,
          { cause: error },
        );
      });
      const reset = Number(response.headers.get('x-ratelimit-reset'));
      if (response.headers.get('x-ratelimit-remaining') === '0' && reset > 0) waitUntil = Date.now() + reset * 1000;
      if (response.status === 429 && attempt < maxRetries) {
        const retry = Number(response.headers.get('retry-after'));
        const wait = (retry > 0 ? retry : reset > 0 ? reset : 1) * 1000;
        logger.warn({ path, waitMs: wait }, 'mattermost history: rate limited, waiting as asked');
        await response.body?.cancel();
        waitUntil = Date.now() + wait;
        continue;
      }
      const text = await response.text();
      if (!response.ok)
        throw new UpstreamError(response.status === 429 ? 'rate_limited' : 'upstream_error', `Mattermost GET ${path} failed with HTTP ${response.status}.`, {
          status: response.status,
        });
      return JSON.parse(text) as T;
    }
  }

  async function channelRecord(channelId: string) {
    const ch = await request<{ id: string; name: string; type: string; team_id: string }>('GET', `/channels/${encodeURIComponent(channelId)}`);
    return ch;
  }

  return {
    platform: 'mattermost',
    async channelInfo(channelId) {
      const ch = await channelRecord(channelId);
      return { platform: 'mattermost', id: ch.id, name: ch.name, private: ch.type === 'P' };
    },
    async readThreads(channelId, opts = {}) {
      const ch = await channelRecord(channelId);
      const team = await request<{ name: string }>('GET', `/teams/${encodeURIComponent(ch.team_id)}`);
      const channel: DiscussionChannel = { platform: 'mattermost', id: ch.id, name: ch.name, private: ch.type === 'P' };
      const since = opts.since ? `&since=${Date.parse(opts.since)}` : '';
      const posts = new Map<string, MmPost>();
      for (let page = 0; ; page++) {
        const batch = await request<{ order: string[]; posts: Record<string, MmPost> }>(
          'GET',
          `/channels/${encodeURIComponent(channelId)}/posts?page=${page}&per_page=${perPage}${since}`,
        );
        for (const id of batch.order) {
          const p = batch.posts[id];
          if (p && !p.delete_at && !p.type?.startsWith('system_')) posts.set(id, p);
        }
        if (since || batch.order.length < perPage) break;
      }
      const userIds = [...new Set([...posts.values()].map((p) => p.user_id))];
      const users = userIds.length ? await request<Array<{ id: string; username: string }>>('POST', '/users/ids', userIds) : [];
      const names = new Map(users.map((u) => [u.id, u.username]));
      const byRoot = new Map<string, MmPost[]>();
      for (const p of posts.values()) {
        const root = p.root_id || p.id;
        byRoot.set(root, [...(byRoot.get(root) ?? []), p]);
      }
      const toMessage = (p: MmPost): DiscussionMessage => {
        const reactions = new Map<string, string[]>();
        for (const r of p.metadata?.reactions ?? []) reactions.set(r.emoji_name, [...(reactions.get(r.emoji_name) ?? []), r.user_id]);
        const name = names.get(p.user_id);
        return {
          id: p.id,
          user: p.user_id,
          ...(name ? { userDisplay: name } : {}),
          ts: iso(p.create_at),
          text: p.message,
          reactions: [...reactions].map(([n, u]) => ({ name: n, users: u })),
          ...(p.edit_at ? { edited: true } : {}),
        };
      };
      const threads: DiscussionThread[] = [];
      for (const [rootId, list] of byRoot) {
        const root = posts.get(rootId);
        if (!root) continue; // replies to a root outside the window (or deleted): nothing to anchor them to
        const sorted = list.sort((a, b) => a.create_at - b.create_at || (a.id === rootId ? -1 : 1));
        threads.push({ platform: 'mattermost', channel, threadId: rootId, permalink: `${base}/${team.name}/pl/${rootId}`, messages: sorted.map(toMessage) });
      }
      return threads.sort((a, b) => (a.messages[0]?.ts ?? '').localeCompare(b.messages[0]?.ts ?? ''));
    },
  };
}
