/**
 * Discord REST v10 history on 127.0.0.1 for ingestion tests: `GET /channels/{id}`, `GET
 * /channels/{id}/messages?limit&before` (newest first), `GET .../reactions/{emoji}`, `Bot` auth,
 * and rate limits as Discord applies them: one bucket per route and major parameter (channel or
 * guild id) with X-RateLimit-Limit / Remaining / Reset / Reset-After / Bucket / Scope headers, and a
 * 429 with a `retry_after` JSON body and a Retry-After header when a bucket is overdrawn (or when a
 * test asks for a shared-resource limit). Errors carry Discord's `{ message, code }` bodies.
 * A separate server from fake-discord.ts.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeDcMessage {
  id: string;
  channel_id: string;
  author: { id: string; username: string; global_name: string | null };
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  message_reference?: { message_id: string; channel_id?: string };
  reactions?: Array<{ emoji: string; users: string[] }>;
  /** Message type when not the default (0, or 19 for a reply): 21 is a thread's starter-message stub. */
  type?: number;
}

export class FakeDiscordHistory {
  readonly calls: Array<{ path: string; at: number; status: number }> = [];
  /** Text channels (type 0) and forums (type 15, whose posts are all threads). */
  readonly channels = new Map<string, { name: string; guild_id: string; private: boolean; type?: 0 | 15; hidden?: boolean }>();
  /**
   * Threads: channels of their own (type 11) under a parent. A thread started from a message has
   * that message's id; a forum post's starter message has the thread's id. Active threads are listed
   * per guild (`GET /guilds/{id}/threads/active`), archived ones per parent
   * (`GET /channels/{id}/threads/archived/public`), as Discord does.
   */
  readonly threads = new Map<string, { parent_id: string; guild_id: string; name: string; archived: boolean; archive_timestamp: string }>();
  readonly messages: FakeDcMessage[] = [];
  /** Requests per bucket (route + major parameter) and window. */
  budget = Number.POSITIVE_INFINITY;
  windowMs = 1000;
  /** Requests that arrived while their bucket (or a shared limit) was known to be spent. */
  earlyCalls = 0;
  private readonly buckets = new Map<string, { windowStart: number; used: number; blockedUntil: number }>();
  private sharedLimit: number | undefined;
  private sharedUntil = 0;
  private readonly server: Server;
  private port = 0;

  constructor(private readonly token: string) {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const now = Date.now();
      const { route, major } = bucketOf(url.pathname);
      const bucket = this.buckets.get(`${route}:${major}`) ?? { windowStart: 0, used: 0, blockedUntil: 0 };
      this.buckets.set(`${route}:${major}`, bucket);
      if (now < bucket.blockedUntil || now < this.sharedUntil) this.earlyCalls++;
      if (now - bucket.windowStart >= this.windowMs) {
        bucket.windowStart = now;
        bucket.used = 0;
      }
      bucket.used++;
      const resetAfter = Math.max(0.05, (bucket.windowStart + this.windowMs - now) / 1000);
      const remaining = Math.max(0, this.budget - bucket.used);
      const headers = {
        'content-type': 'application/json',
        'x-ratelimit-limit': String(this.budget),
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-reset': ((now + resetAfter * 1000) / 1000).toFixed(3),
        'x-ratelimit-reset-after': resetAfter.toFixed(3),
        'x-ratelimit-bucket': createHash('sha1').update(route).digest('hex').slice(0, 16),
      };
      const send = (status: number, body: unknown, extra: Record<string, string> = {}) => {
        this.calls.push({ path: url.pathname, at: now, status });
        res.writeHead(status, { ...headers, ...extra }).end(JSON.stringify(body));
      };
      const limited = (seconds: number, scope: 'user' | 'shared') =>
        send(
          429,
          { message: 'You are being rate limited.', retry_after: seconds, global: false },
          { 'retry-after': String(Math.ceil(seconds)), 'x-ratelimit-scope': scope },
        );
      if (this.sharedLimit !== undefined) {
        const seconds = this.sharedLimit;
        this.sharedLimit = undefined;
        this.sharedUntil = now + seconds * 1000 - 50;
        return limited(seconds, 'shared');
      }
      if (bucket.used > this.budget) {
        bucket.blockedUntil = now + resetAfter * 1000 - 50;
        return limited(resetAfter, 'user');
      }
      if (remaining === 0) bucket.blockedUntil = now + resetAfter * 1000 - 50;
      if (req.headers.authorization !== `Bot ${this.token}`) return send(401, { message: '401: Unauthorized', code: 0 });
      const [status, body] = this.answer(url);
      send(status, body);
    });
  }

  /** The next request meets a 429 of a shared resource (`X-RateLimit-Scope: shared`) for `seconds`. */
  rateLimitNext(seconds: number): void {
    this.sharedLimit = seconds;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/v10`;
  }

  private answer(url: URL): [number, unknown] {
    const path = url.pathname.replace(/^\/api\/v10/, '');
    let m = /^\/guilds\/(\d+)\/threads\/active$/.exec(path);
    if (m) {
      const threads = [...this.threads.entries()].filter(([, t]) => t.guild_id === m?.[1] && !t.archived).map(([id, t]) => this.threadWire(id, t));
      return [200, { threads, members: [] }];
    }
    m = /^\/channels\/(\d+)\/threads\/archived\/public$/.exec(path);
    if (m) {
      const before = url.searchParams.get('before');
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 50), 100);
      const all = [...this.threads.entries()]
        .filter(([, t]) => t.parent_id === m?.[1] && t.archived && (!before || t.archive_timestamp < before))
        .sort((a, b) => (a[1].archive_timestamp < b[1].archive_timestamp ? 1 : -1));
      return [200, { threads: all.slice(0, limit).map(([id, t]) => this.threadWire(id, t)), members: [], has_more: all.length > limit }];
    }
    m = /^\/channels\/(\d+)$/.exec(path);
    if (m && this.threads.has(m[1] as string)) return [200, this.threadWire(m[1] as string, this.threads.get(m[1] as string) as never)];
    if (m) {
      const ch = this.channels.get(m[1] as string);
      if (!ch) return [404, { message: 'Unknown Channel', code: 10003 }];
      if (ch.hidden) return [403, { message: 'Missing Access', code: 50001 }];
      const overwrites = ch.private ? [{ id: ch.guild_id, type: 0, allow: '0', deny: String(1 << 10) }] : [];
      return [200, { id: m[1], type: ch.type ?? 0, name: ch.name, guild_id: ch.guild_id, permission_overwrites: overwrites }];
    }
    m = /^\/channels\/(\d+)\/messages\/(\d+)\/reactions\/([^/]+)$/.exec(path);
    if (m) {
      const msg = this.messages.find((x) => x.id === m?.[2]);
      const emoji = decodeURIComponent(m[3] as string);
      const users = msg?.reactions?.find((r) => r.emoji === emoji)?.users ?? [];
      return [200, users.map((id) => ({ id, username: `u${id}` }))];
    }
    m = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (m) {
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 50), 100);
      const before = url.searchParams.get('before');
      const list = this.messages
        .filter((x) => x.channel_id === m?.[1] && (!before || BigInt(x.id) < BigInt(before)))
        .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
        .slice(0, limit)
        .map(({ reactions, ...rest }) => ({
          ...rest,
          type: rest.type ?? (rest.message_reference ? 19 : 0),
          reactions: (reactions ?? []).map((r) => ({ count: r.users.length, me: false, emoji: { id: null, name: r.emoji } })),
        }));
      return [200, list];
    }
    return [404, { message: '404: Not Found', code: 0 }];
  }

  private threadWire(id: string, t: { parent_id: string; guild_id: string; name: string; archived: boolean; archive_timestamp: string }) {
    return {
      id,
      type: 11,
      guild_id: t.guild_id,
      parent_id: t.parent_id,
      name: t.name,
      thread_metadata: { archived: t.archived, archive_timestamp: t.archive_timestamp, auto_archive_duration: 1440, locked: false },
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function createFakeDiscordHistory(token: string): Promise<FakeDiscordHistory> {
  return new FakeDiscordHistory(token).listen();
}

/** Discord's rate-limit key: the route with ids as placeholders, and its major parameter (channel or guild id). */
function bucketOf(pathname: string): { route: string; major: string } {
  const path = pathname.replace(/^\/api\/v\d+/, '');
  const major = /^\/(?:channels|guilds)\/(\d+)/.exec(path)?.[1] ?? 'global';
  const route = path
    .replace(/^\/(channels|guilds)\/\d+/, '/$1/:major')
    .replace(/\/reactions\/[^/]+/, '/reactions/:emoji')
    .replace(/\/\d+/g, '/:id');
  return { route, major };
}
