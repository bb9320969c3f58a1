/**
 * Discord channel history for support-channel ingestion, read through discord.js's REST client
 * (`REST` + `Routes` v10, bot token): the channel (its privacy from an @everyone VIEW_CHANNEL
 * deny), messages paged newest-first with `before`, grouped into threads by reply references, and
 * the users behind check-mark and opt-out reactions. Threads are channels of their own
 * (discord.com/developers/docs/topics/threads): the active ones (per guild) and the archived public
 * ones (per parent) are read too; a thread started from a channel message continues that message's
 * conversation, a forum's posts (and threads without a starter in the channel) are conversations of
 * their own. Rate limits (per-bucket X-RateLimit-* headers, 429 with Retry-After, the global limit)
 * are the REST client's: it queues each bucket's requests and waits as Discord asks.
 */
import { DiscordAPIError, HTTPError, REST, type RouteLike, Routes } from 'discord.js';
import type { DiscussionChannel, DiscussionMessage, DiscussionSource, DiscussionThread } from '../../src/contracts/discussions.js';
import { UpstreamError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { silentLogger } from '../../src/log.js';
import { discordRestAgent } from './rest-agent.js';

export interface DiscordHistoryOptions {
  /** REST base, with or without the version (default `https://discord.com/api`, v10). */
  apiUrl?: string;
  token: string;
  logger?: Logger;
  /** Retries of a request that failed with a 5xx or a network error (default 3); 429s are always waited out. */
  retries?: number;
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
const iso = (t: string): string => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** `https://host/api/v10` → api `https://host/api`, version `10`; without a version, v10. */
export function discordApiBase(apiUrl = 'https://discord.com/api'): { api: string; version: string } {
  const trimmed = apiUrl.replace(/\/+$/, '');
  const versioned = /^(.*)\/v(\d+)$/.exec(trimmed);
  return versioned ? { api: versioned[1] as string, version: versioned[2] as string } : { api: trimmed, version: '10' };
}

export function createDiscordHistory(options: DiscordHistoryOptions): DiscussionSource {
  const { api, version } = discordApiBase(options.apiUrl);
  const logger = options.logger ?? silentLogger();
  let rest: REST | undefined;
  const client = (): REST => {
    if (rest) return rest;
    rest = new REST({ api, version, retries: options.retries ?? 3, agent: discordRestAgent() }).setToken(options.token);
    rest.on('rateLimited', (info) =>
      logger.warn(
        { route: info.route, retryAfterMs: info.retryAfter, scope: info.scope, global: info.global },
        'discord history: rate limited, waiting as asked',
      ),
    );
    return rest;
  };
  async function get<T>(route: RouteLike, signal: AbortSignal | undefined, query?: Record<string, string | undefined>): Promise<T> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, value);
    try {
      return (await client().get(route, { ...(query ? { query: params } : {}), ...(signal ? { signal } : {}) })) as T;
    } catch (error) {
      throw upstream(route, error, api, signal);
    }
  }

  async function channelRecord(channelId: string, signal?: AbortSignal) {
    return get<{ id: string; type?: number; name?: string; guild_id?: string; permission_overwrites?: Array<{ id: string; deny: string }> }>(
      Routes.channel(channelId),
      signal,
    );
  }

  /** A channel's (or thread's) messages, newest first, back to `since`. */
  async function readMessages(channelId: string, since?: string, signal?: AbortSignal): Promise<DcMessage[]> {
    const all: DcMessage[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await get<DcMessage[]>(Routes.channelMessages(channelId), signal, { limit: '100', before });
      all.push(...page.map((m) => ({ ...m, channel_id: m.channel_id ?? channelId })));
      if (page.length < 100) break;
      before = page.at(-1)?.id;
      if (since && page.at(-1) && Date.parse(page.at(-1)?.timestamp ?? '') < Date.parse(since)) break;
    }
    return all;
  }

  /** The parent's threads: active ones (listed per guild) and archived public ones (paged by archive time). */
  async function listThreads(channelId: string, guildId: string | undefined, since?: string, signal?: AbortSignal): Promise<DcThread[]> {
    const out: DcThread[] = [];
    if (guildId) {
      const active = await get<{ threads: DcThread[] }>(Routes.guildActiveThreads(guildId), signal);
      out.push(...active.threads.filter((t) => t.parent_id === channelId));
    }
    let before: string | undefined;
    for (;;) {
      const page = await get<{ threads: DcThread[]; has_more?: boolean }>(Routes.channelThreads(channelId, 'public'), signal, { limit: '100', before });
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
    async channelInfo(channelId, signal) {
      const ch = await channelRecord(channelId, signal);
      return { platform: 'discord', id: ch.id, name: ch.name ?? channelId, private: privacy(ch) };
    },
    async readThreads(channelId, opts = {}) {
      const { signal } = opts;
      const ch = await channelRecord(channelId, signal);
      const channel: DiscussionChannel = { platform: 'discord', id: ch.id, name: ch.name ?? channelId, private: privacy(ch) };
      // A forum (or media channel) has no messages of its own: every post is a thread.
      const all: DcMessage[] = ch.type === FORUM || ch.type === MEDIA ? [] : await readMessages(channelId, opts.since, signal);
      const byId = new Map(all.map((m) => [m.id, m]));
      const inThreads = new Map<string, DcMessage[]>();
      for (const t of await listThreads(channelId, ch.guild_id, opts.since, signal)) {
        inThreads.set(
          t.id,
          (await readMessages(t.id, opts.since, signal)).filter((m) => m.type !== THREAD_STARTER),
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
                  await get<Array<{ id: string }>>(Routes.channelMessageReaction(m.channel_id ?? channelId, m.id, encodeURIComponent(r.emoji.name)), signal, {
                    limit: '100',
                  })
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

/** A failed REST call as the project's error: Discord's own answer (status, code, message) or the network failure. */
function upstream(route: string, error: unknown, api: string, signal: AbortSignal | undefined): Error {
  if (error instanceof DiscordAPIError) {
    const code = error.status === 429 ? 'rate_limited' : 'upstream_error';
    return new UpstreamError(code, `Discord GET ${route} failed with HTTP ${error.status} (${error.message}).`, { status: error.status, cause: error });
  }
  if (error instanceof HTTPError)
    return new UpstreamError('upstream_error', `Discord GET ${route} failed with HTTP ${error.status}.`, { status: error.status, cause: error });
  if (signal?.aborted) return error instanceof Error ? error : new Error(String(error));
  if (error instanceof Error && error.name === 'AbortError')
    return new UpstreamError('upstream_timeout', `Discord GET ${route} did not answer in time.`, { cause: error });
  const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error instanceof Error ? error.message : String(error));
  return new UpstreamError('upstream_unreachable', `Discord ${route} could not be reached at ${new URL(api).host} (${reason}).`, { cause: error });
}
