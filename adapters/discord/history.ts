/**
 * Discord channel history for support-channel ingestion (REST v10, bot token): the channel (its
 * privacy from an @everyone VIEW_CHANNEL deny), messages paged newest-first with `before`
 * (`after` for a `since` read), grouped into threads by reply references, and the users behind
 * check-mark and opt-out reactions. Threads are channels of their own (discord.com/developers/docs/
 * topics/threads): the active ones (per guild) and the archived public ones (per parent) are read
 * too; a thread started from a channel message continues that message's conversation, a forum's
 * posts (and threads without a starter in the channel) are conversations of their own. Rate limits: a 429 waits `retry_after`; a spent bucket
 * (`X-RateLimit-Remaining: 0`) waits `X-RateLimit-Reset-After` before the next request.
 */
import type { DiscussionChannel, DiscussionMessage, DiscussionSource, DiscussionThread } from '../../src/contracts/discussions.js';
import { UpstreamError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { silentLogger } from '../../src/log.js';

export interface DiscordHistoryOptions {
  /** REST base, default `https://discord.com/api/v10`. */
  apiUrl?: string;
  token: string;
  logger?: Logger;
  maxRetries?: number;
}

interface DcMessage {
  id: string;
  channel_id?: string;
  /** 21: the stub a thread opens with, pointing at its starter message in the parent. */
  type?: number;
  author: { id: string; username: string; global_name?: string | null; bot?: boolean };
  content: string;
  timestamp: string;
  edited_timestamp?: string | null;
  message_reference?: { message_id?: string };
  reactions?: Array<{ count: number; emoji: { id: string | null; name: string } }>;
}

interface DcThread {
  id: string;
  parent_id?: string;
  thread_metadata?: { archived?: boolean; archive_timestamp?: string };
}

const VIEW_CHANNEL = 1n << 10n;
const FORUM = 15;
const MEDIA = 16;
const THREAD_STARTER = 21;
/** Reactions whose users matter to the classifier (the asker's check mark, anyone's opt-out). */
const TRACKED = new Set(['✅', '✔️', '☑️', '🚫', '⛔']);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const iso = (t: string): string => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function createDiscordHistory(options: DiscordHistoryOptions): DiscussionSource {
  const base = (options.apiUrl ?? 'https://discord.com/api/v10').replace(/\/$/, '');
  const logger = options.logger ?? silentLogger();
  const maxRetries = options.maxRetries ?? 5;
  let waitUntil = 0;

  async function get<T>(path: string): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (Date.now() < waitUntil) await sleep(waitUntil - Date.now());
      const response = await fetch(`${base}${path}`, { headers: { authorization: `Bot ${options.token}` } }).catch((error: unknown) => {
        throw new UpstreamError(
          'upstream_unreachable',
          `Discord ${path} could not be reached at ${new URL(base).host} (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}).`,
          { cause: error },
        );
      });
      const resetAfter = Number(response.headers.get('x-ratelimit-reset-after'));
      if (response.headers.get('x-ratelimit-remaining') === '0' && resetAfter > 0) waitUntil = Date.now() + resetAfter * 1000;
      if (response.status === 429 && attempt < maxRetries) {
        const body = (await response.json().catch(() => ({}))) as { retry_after?: number };
        const seconds = body.retry_after ?? Number(response.headers.get('retry-after'));
        const wait = (seconds > 0 ? seconds : 1) * 1000;
        logger.warn({ path, waitMs: wait }, 'discord history: rate limited, waiting as asked');
        waitUntil = Date.now() + wait;
        continue;
      }
      if (!response.ok)
        throw new UpstreamError(response.status === 429 ? 'rate_limited' : 'upstream_error', `Discord GET ${path} failed with HTTP ${response.status}.`, {
          status: response.status,
        });
      return (await response.json()) as T;
    }
  }

  async function channelRecord(channelId: string) {
    return get<{ id: string; type?: number; name?: string; guild_id?: string; permission_overwrites?: Array<{ id: string; deny: string }> }>(
      `/channels/${channelId}`,
    );
  }

  /** A channel's (or thread's) messages, newest first, back to `since`. */
  async function readMessages(channelId: string, since?: string): Promise<DcMessage[]> {
    const all: DcMessage[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await get<DcMessage[]>(`/channels/${channelId}/messages?limit=100${before ? `&before=${before}` : ''}`);
      all.push(...page.map((m) => ({ ...m, channel_id: m.channel_id ?? channelId })));
      if (page.length < 100) break;
      before = page.at(-1)?.id;
      if (since && page.at(-1) && Date.parse(page.at(-1)?.timestamp ?? '') < Date.parse(since)) break;
    }
    return all;
  }

  /** The parent's threads: active ones (listed per guild) and archived public ones (paged by archive time). */
  async function listThreads(channelId: string, guildId: string | undefined, since?: string): Promise<DcThread[]> {
    const out: DcThread[] = [];
    if (guildId) {
      const active = await get<{ threads: DcThread[] }>(`/guilds/${guildId}/threads/active`);
      out.push(...active.threads.filter((t) => t.parent_id === channelId));
    }
    let before: string | undefined;
    for (;;) {
      const page = await get<{ threads: DcThread[]; has_more?: boolean }>(
        `/channels/${channelId}/threads/archived/public?limit=100${before ? `&before=${encodeURIComponent(before)}` : ''}`,
      );
      // Archived before `since`: nothing in it changed since then.
      const fresh = page.threads.filter((t) => !since || Date.parse(t.thread_metadata?.archive_timestamp ?? '') >= Date.parse(since));
      out.push(...fresh);
      before = page.threads.at(-1)?.thread_metadata?.archive_timestamp;
      if (!page.has_more || !before || fresh.length < page.threads.length) break;
    }
    return out;
  }
  const privacy = (ch: Awaited<ReturnType<typeof channelRecord>>): boolean =>
    (ch.permission_overwrites ?? []).some((o) => o.id === ch.guild_id && (BigInt(o.deny) & VIEW_CHANNEL) !== 0n);

  return {
    platform: 'discord',
    async channelInfo(channelId) {
      const ch = await channelRecord(channelId);
      return { platform: 'discord', id: ch.id, name: ch.name ?? channelId, private: privacy(ch) };
    },
    async readThreads(channelId, opts = {}) {
      const ch = await channelRecord(channelId);
      const channel: DiscussionChannel = { platform: 'discord', id: ch.id, name: ch.name ?? channelId, private: privacy(ch) };
      // A forum (or media channel) has no messages of its own: every post is a thread.
      const all: DcMessage[] = ch.type === FORUM || ch.type === MEDIA ? [] : await readMessages(channelId, opts.since);
      const byId = new Map(all.map((m) => [m.id, m]));
      const inThreads = new Map<string, DcMessage[]>();
      for (const t of await listThreads(channelId, ch.guild_id, opts.since)) {
        inThreads.set(
          t.id,
          (await readMessages(t.id, opts.since)).filter((m) => m.type !== THREAD_STARTER),
        );
      }
      const rootOf = (m: DcMessage): string => {
        let cur = m;
        for (let hops = 0; hops < 50; hops++) {
          const parent = cur.message_reference?.message_id ? byId.get(cur.message_reference.message_id) : undefined;
          if (!parent) return cur.id;
          cur = parent;
        }
        return cur.id;
      };
      const groups = new Map<string, DcMessage[]>();
      for (const m of all) groups.set(rootOf(m), [...(groups.get(rootOf(m)) ?? []), m]);
      // A thread started from a channel message has that message's id: its replies continue that
      // conversation. Other threads (forum posts, starters older than the read) stand alone.
      for (const [threadId, list] of inThreads) {
        const starter = byId.get(threadId);
        const key = starter ? rootOf(starter) : threadId;
        groups.set(key, [...(groups.get(key) ?? []), ...list]);
      }
      const linkOf = (rootId: string): string =>
        inThreads.has(rootId) && !byId.has(rootId)
          ? `https://discord.com/channels/${ch.guild_id ?? '@me'}/${rootId}`
          : `https://discord.com/channels/${ch.guild_id ?? '@me'}/${ch.id}/${rootId}`;
      const threads: DiscussionThread[] = [];
      for (const [rootId, list] of groups) {
        const sorted = list.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
        const messages: DiscussionMessage[] = [];
        for (const m of sorted) {
          const reactions = [];
          for (const r of m.reactions ?? []) {
            const users = TRACKED.has(r.emoji.name)
              ? (
                  await get<Array<{ id: string }>>(
                    `/channels/${m.channel_id ?? channelId}/messages/${m.id}/reactions/${encodeURIComponent(r.emoji.name)}?limit=100`,
                  )
                ).map((u) => u.id)
              : [];
            reactions.push({ name: r.emoji.name, users });
          }
          messages.push({
            id: m.id,
            user: m.author.id,
            userDisplay: m.author.global_name ?? m.author.username,
            ts: iso(m.timestamp),
            text: m.content,
            reactions,
            ...(m.edited_timestamp ? { edited: true } : {}),
          });
        }
        threads.push({
          platform: 'discord',
          channel,
          threadId: rootId,
          permalink: linkOf(rootId),
          messages,
        });
      }
      return threads.sort((a, b) => (BigInt(a.threadId) < BigInt(b.threadId) ? -1 : 1));
    },
  };
}
