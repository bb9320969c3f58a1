/**
 * Slack history on 127.0.0.1 for ingestion tests: `auth.test`, `conversations.info`,
 * `conversations.history` and `conversations.replies` with cursor pagination (`cursor`/`limit` in a
 * form-encoded POST body, as the SDK's WebClient sends them, or a GET query), Bearer auth, and a
 * per-window request budget that answers 429 with `Retry-After` (and records calls made while
 * limited). Messages can be edited and deleted between syncs. A separate server from fake-slack.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSlackMessage {
  ts: string;
  user?: string;
  text: string;
  /** e.g. `bot_message` (with `bot_id`/`username`), `channel_join`, `thread_broadcast`. */
  subtype?: string;
  bot_id?: string;
  username?: string;
  thread_ts?: string;
  reactions?: Array<{ name: string; users: string[]; count: number }>;
  edited?: { ts: string; user: string };
}

export interface HistoryCall {
  method: string;
  at: number;
  status: number;
}

export class FakeSlackHistory {
  readonly calls: HistoryCall[] = [];
  readonly channels = new Map<string, { name: string; is_private: boolean; messages: FakeSlackMessage[] }>();
  /** Requests allowed in one burst; the next one gets 429 with `Retry-After` of one window. */
  budget = Number.POSITIVE_INFINITY;
  windowMs = 1000;
  /**
   * The token's granted scopes, checked per method as Slack does (docs.slack.dev/reference/methods):
   * `conversations.info` needs channels:read (public) or groups:read (private);
   * `conversations.history`/`replies` need channels:history or groups:history. A missing one answers
   * `{ ok: false, error: 'missing_scope', needed, provided }`. Undefined: every scope granted.
   */
  scopes: Set<string> | undefined;
  /** Calls that arrived while the client had been told to wait (must stay 0). */
  earlyCalls = 0;
  private used = 0;
  private blockedUntil = 0;
  private readonly server: Server;
  private port = 0;

  constructor(private readonly token: string) {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = url.pathname.replace(/^\/api\//, '');
      const now = Date.now();
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        this.calls.push({ method, at: now, status });
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      };
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        // A burst of `budget` calls, then 429 for one window; the next burst starts when the wait is over.
        // Counted in calls, not in wall time, so a slow (loaded) machine meets the limit as a fast one does.
        if (now < this.blockedUntil) {
          this.earlyCalls++;
          return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(Math.max(1, Math.ceil((this.blockedUntil - now) / 1000))) });
        }
        if (this.used >= this.budget) {
          this.used = 0;
          const retry = Math.max(1, Math.ceil(this.windowMs / 1000));
          this.blockedUntil = now + retry * 1000 - 50;
          return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retry) });
        }
        this.used++;
        const params = this.params(req.method ?? 'GET', req.headers['content-type'], Buffer.concat(chunks).toString(), url.searchParams);
        if (typeof params === 'string') return send(200, { ok: false, error: params });
        if (req.headers.authorization !== `Bearer ${this.token}`) return send(200, { ok: false, error: 'invalid_auth' });
        send(200, this.answer(method, params));
      });
    });
  }

  /**
   * The arguments as the Web API reads them (docs.slack.dev/apis/web-api): the query string of a GET,
   * or the body of a POST, which the SDK's WebClient sends as application/x-www-form-urlencoded
   * (JSON is accepted too; multipart and text/plain bodies are not modelled). Another Content-Type
   * answers `invalid_post_type`, unreadable JSON `invalid_json`. The token is read from the
   * Authorization header only.
   */
  private params(httpMethod: string, contentType: string | undefined, body: string, query: URLSearchParams): URLSearchParams | string {
    if (httpMethod !== 'POST') return query;
    const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
    const params = new URLSearchParams(query);
    if (type === 'application/x-www-form-urlencoded') {
      for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
      return params;
    }
    if (type === 'application/json') {
      try {
        for (const [k, v] of Object.entries(JSON.parse(body || '{}') as Record<string, unknown>)) params.set(k, String(v));
      } catch {
        return 'invalid_json';
      }
      return params;
    }
    return body ? 'invalid_post_type' : params;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  private answer(method: string, q: URLSearchParams): Record<string, unknown> {
    if (method === 'auth.test') return { ok: true, url: 'https://fake-ws.slack.com/', team_id: 'T0FAKE' };
    const channel = this.channels.get(q.get('channel') ?? '');
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const kind = channel.is_private ? 'groups' : 'channels';
    const needed = method === 'conversations.info' ? `${kind}:read` : `${kind}:history`;
    if (this.scopes && !this.scopes.has(needed)) return { ok: false, error: 'missing_scope', needed, provided: [...this.scopes].join(',') };
    if (method === 'conversations.info') return { ok: true, channel: { id: q.get('channel'), name: channel.name, is_private: channel.is_private } };
    const limit = Math.min(Number(q.get('limit') ?? 100), 999);
    const offset = Number(
      q.get('cursor')
        ? Buffer.from(q.get('cursor') as string, 'base64')
            .toString()
            .replace('next:', '')
        : 0,
    );
    let list: Array<Record<string, unknown>>;
    if (method === 'conversations.history') {
      // Newest first, roots (and un-threaded messages) only, with reply counts.
      list = channel.messages
        .filter((m) => !m.thread_ts || m.thread_ts === m.ts)
        .sort((a, b) => Number(b.ts) - Number(a.ts))
        .map((m) => {
          const replies = channel.messages.filter((r) => r.thread_ts === m.ts && r.ts !== m.ts).length;
          return { type: 'message', ...m, ...(replies ? { thread_ts: m.ts, reply_count: replies } : {}) };
        });
    } else if (method === 'conversations.replies') {
      const ts = q.get('ts');
      const root = channel.messages.find((m) => m.ts === ts);
      if (!root) return { ok: false, error: 'thread_not_found' };
      list = [root, ...channel.messages.filter((m) => m.thread_ts === ts && m.ts !== ts).sort((a, b) => Number(a.ts) - Number(b.ts))].map((m) => ({
        type: 'message',
        ...m,
      }));
    } else return { ok: false, error: 'unknown_method' };
    const page = list.slice(offset, offset + limit);
    const next = offset + limit < list.length ? Buffer.from(`next:${offset + limit}`).toString('base64') : '';
    return { ok: true, messages: page, has_more: Boolean(next), response_metadata: { next_cursor: next } };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function createFakeSlackHistory(token: string): Promise<FakeSlackHistory> {
  return new FakeSlackHistory(token).listen();
}
