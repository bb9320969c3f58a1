/**
 * Mattermost channel history for support-channel ingestion through the SDK client (Client4 with the
 * bot token): the channel and its team (for permalinks), every post via `getPosts(channel, page,
 * per_page)` (or `getPostsSince` for an incremental read; roots and replies, grouped into threads by
 * `root_id`), and the authors' usernames via `getProfilesByIds`. Rate limits: see client.ts (a 429
 * waits `Retry-After` / `X-Ratelimit-Reset`; a spent budget waits for the reset first).
 */
import type { DiscussionChannel, DiscussionMessage, DiscussionSource, DiscussionThread } from '../../src/contracts/discussions.js';
import type { Logger } from '../../src/log.js';
import { silentLogger } from '../../src/log.js';
import { createMattermostClient } from './client.js';

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

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function createMattermostHistory(options: MattermostHistoryOptions): DiscussionSource {
  const base = options.url.replace(/\/$/, '');
  const perPage = options.perPage ?? 200;
  const { call } = createMattermostClient({
    url: base,
    token: options.token,
    logger: options.logger ?? silentLogger(),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  });

  const channelRecord = (channelId: string) => call(`GET /channels/${channelId}`, (c) => c.getChannel(channelId));

  return {
    platform: 'mattermost',
    async channelInfo(channelId) {
      const ch = await channelRecord(channelId);
      return { platform: 'mattermost', id: ch.id, name: ch.name, private: ch.type === 'P' };
    },
    async readThreads(channelId, opts = {}) {
      const ch = await channelRecord(channelId);
      const team = await call(`GET /teams/${ch.team_id}`, (c) => c.getTeam(ch.team_id));
      const channel: DiscussionChannel = { platform: 'mattermost', id: ch.id, name: ch.name, private: ch.type === 'P' };
      const since = opts.since ? Date.parse(opts.since) : undefined;
      const posts = new Map<string, MmPost>();
      for (let page = 0; ; page++) {
        // The server ignores paging with `since` and returns every post changed since then.
        const batch =
          since === undefined
            ? await call(`GET /channels/${channelId}/posts page ${page}`, (c) => c.getPosts(channelId, page, perPage))
            : await call(`GET /channels/${channelId}/posts since ${opts.since}`, (c) => c.getPostsSince(channelId, since));
        for (const id of batch.order) {
          const p = batch.posts[id] as MmPost | undefined;
          if (p && !p.delete_at && !p.type?.startsWith('system_')) posts.set(id, p);
        }
        if (since !== undefined || batch.order.length < perPage) break;
      }
      const userIds = [...new Set([...posts.values()].map((p) => p.user_id))];
      const users = userIds.length ? await call('POST /users/ids', (c) => c.getProfilesByIds(userIds)) : [];
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
