/**
 * Mattermost REST v4 history on 127.0.0.1 for ingestion tests: `GET /channels/{id}`, `GET
 * /teams/{id}`, `GET /channels/{id}/posts?page&per_page` (newest first, `{order, posts}`), `POST
 * /users/ids`, Bearer auth, and X-Ratelimit-* headers with 429 when a window's budget is spent.
 * A separate server from fake-mattermost.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMmPost {
  id: string;
  create_at: number;
  edit_at: number;
  delete_at: number;
  user_id: string;
  channel_id: string;
  root_id: string;
  message: string;
  metadata?: { reactions?: Array<{ user_id: string; emoji_name: string; post_id: string; create_at: number }> };
}

/** The body of a Mattermost error (model.AppError as the server serialises it). */
const appError = (id: string, message: string, status: number) => ({
  id,
  message,
  detailed_error: '',
  request_id: 'fakerequestid00000000000000',
  status_code: status,
});

export class FakeMattermostHistory {
  readonly calls: Array<{ path: string; at: number; status: number }> = [];
  readonly channels = new Map<string, { name: string; type: 'O' | 'P'; team_id: string }>();
  readonly posts: FakeMmPost[] = [];
  budget = Number.POSITIVE_INFINITY;
  windowMs = 1000;
  earlyCalls = 0;
  /** Answer the next n requests with 429 and `Retry-After: 1`, as when another client on the token spent the budget. */
  throttleNext = 0;
  private windowStart = 0;
  private used = 0;
  private blockedUntil = 0;
  private readonly server: Server;
  private port = 0;

  constructor(private readonly token: string) {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => {
        raw += c.toString();
      });
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const now = Date.now();
        if (now < this.blockedUntil) this.earlyCalls++;
        if (now - this.windowStart >= this.windowMs) {
          this.windowStart = now;
          this.used = 0;
        }
        this.used++;
        const resetS = Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000));
        const remaining = Math.max(0, this.budget - this.used);
        const headers = {
          'content-type': 'application/json',
          'x-ratelimit-limit': String(this.budget),
          'x-ratelimit-remaining': String(remaining),
          'x-ratelimit-reset': String(resetS),
        };
        const send = (status: number, body: unknown, extra: Record<string, string> = {}) => {
          this.calls.push({ path: url.pathname, at: now, status });
          res.writeHead(status, { ...headers, ...extra }).end(JSON.stringify(body));
        };
        if (this.throttleNext > 0) {
          this.throttleNext--;
          this.blockedUntil = now + 1000 - 50;
          return send(429, appError('api.context.rate_limit', 'too many requests', 429), { 'retry-after': '1', 'x-ratelimit-remaining': '0' });
        }
        if (this.used > this.budget) {
          this.blockedUntil = now + resetS * 1000 - 50;
          return send(429, appError('api.context.rate_limit', 'too many requests', 429), { 'retry-after': String(resetS) });
        }
        if (remaining === 0) this.blockedUntil = now + resetS * 1000 - 50;
        // The server takes the scheme in any case (Client4 sends `BEARER`).
        if ((req.headers.authorization ?? '').replace(/^bearer /i, '') !== this.token)
          return send(401, appError('api.context.session_expired.app_error', 'Invalid or expired session, please login again.', 401));
        const [status, body] = this.answer(req.method ?? 'GET', url, raw);
        send(status, body);
      });
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private answer(method: string, url: URL, raw: string): [number, unknown] {
    const path = url.pathname.replace(/^\/api\/v4/, '');
    let m = /^\/channels\/([^/]+)$/.exec(path);
    if (m) {
      const ch = this.channels.get(m[1] as string);
      return ch
        ? [200, { id: m[1], ...ch, display_name: ch.name }]
        : [404, appError('app.channel.get.existing.app_error', 'Unable to find the existing channel.', 404)];
    }
    m = /^\/teams\/([^/]+)$/.exec(path);
    if (m) return [200, { id: m[1], name: `team-${m[1]}` }];
    if (method === 'POST' && path === '/users/ids') {
      const ids = JSON.parse(raw || '[]') as string[];
      return [200, ids.map((id) => ({ id, username: `user_${id.slice(0, 6)}` }))];
    }
    m = /^\/channels\/([^/]+)\/posts$/.exec(path);
    if (m) {
      const page = Number(url.searchParams.get('page') ?? 0);
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 60), 200);
      const list = this.posts.filter((p) => p.channel_id === m?.[1] && !p.delete_at).sort((a, b) => b.create_at - a.create_at);
      const slice = list.slice(page * perPage, (page + 1) * perPage);
      return [200, { order: slice.map((p) => p.id), posts: Object.fromEntries(slice.map((p) => [p.id, p])), next_post_id: '', prev_post_id: '' }];
    }
    return [404, appError('api.context.404.app_error', 'Sorry, we could not find the page.', 404)];
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function createFakeMattermostHistory(token: string): Promise<FakeMattermostHistory> {
  return new FakeMattermostHistory(token).listen();
}
