/**
 * A fake Mattermost server on 127.0.0.1: REST v4 (users/me, posts create/patch/delete, Bearer auth,
 * multipart file uploads that posts attach by file_ids, the server's checks on a post: permission on
 * the channel (403), a root_id that is a root post of the same channel (400), at most 16,383 runes
 * (400), only one's own posts edited or deleted (403),
 * 429 with X-Ratelimit-* and Retry-After) and /api/v4/websocket (authentication_challenge, hello,
 * `posted` events whose post is a JSON string, seq numbers). Posts by the bot are broadcast back to
 * every socket, as the real server does.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakePost {
  id: string;
  channel_id: string;
  root_id: string;
  user_id: string;
  message: string;
  props: Record<string, unknown>;
  type: string;
  create_at: number;
  edits: number;
  file_ids?: string[];
}

/** A file uploaded with POST /api/v4/files; `post_id` is set when a post attaches it. */
export interface FakeFile {
  id: string;
  name: string;
  size: number;
  mime_type: string;
  channel_id: string;
  bytes: Uint8Array;
  post_id: string;
}

export interface FakeChannel {
  id: string;
  type: 'O' | 'P' | 'D' | 'G';
  name: string;
  team_id: string;
}

/** The server's default MaxPostSize, counted in runes (code points), not UTF-16 units. */
export const MAX_POST_RUNES = 16_383;
const runes = (text: string): number => [...text].length;

export const newId = (): string => randomBytes(13).toString('hex').slice(0, 26);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export class FakeMattermost {
  readonly bot = { id: newId(), username: 'askpanda' };
  readonly posts: FakePost[] = [];
  readonly requests: Array<{ method: string; path: string; status: number; at: number }> = [];
  readonly rateLimited: Array<{ at: number; seconds: number }> = [];
  readonly channels = new Map<string, FakeChannel>();
  readonly files: FakeFile[] = [];
  /** When set, POST /api/v4/files answers this HTTP status. */
  failUploadsWith: number | undefined;
  /**
   * Channels the bot is a member of. When set, creating a post or uploading a file elsewhere answers
   * 403 as Mattermost does (a bot must be a channel member to post and upload). Undefined: all.
   */
  botMemberOf: Set<string> | undefined;
  /** Slash-command response URLs: where delayed answers land (the thread the command was typed in). */
  readonly hooks = new Map<string, { channel_id: string; root_id: string; created: number; used: number }>();
  /** Ephemeral delayed responses (seen only by the user who typed the command). */
  readonly ephemeral: Array<{ hook: string; text: string }> = [];
  /** The user who created the slash command (delayed responses are posted as this user, from_webhook). */
  readonly commandCreator = newId();
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Map<WebSocket, { seq: number }>();
  private nextLimit: number | undefined;
  private port = 0;
  lastEvent: Record<string, unknown> | undefined;

  constructor(private readonly token: string) {
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/api/v4/websocket')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, req.headers.authorization));
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

  get socketCount(): number {
    return this.sockets.size;
  }

  addChannel(channel: FakeChannel): void {
    this.channels.set(channel.id, channel);
  }

  rateLimitNextPost(seconds: number): void {
    this.nextLimit = seconds;
  }

  /** Closes every socket as a network failure would (the bot must reconnect). */
  dropConnections(): void {
    for (const ws of this.sockets.keys()) ws.terminate();
  }

  private onSocket(ws: WebSocket, authorization: string | undefined): void {
    const state = { seq: 0, authed: (authorization ?? '').replace(/^bearer /i, '') === this.token };
    ws.on('message', (data) => {
      let msg: { seq?: number; action?: string; data?: { token?: string } };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        return;
      }
      if (msg.action === 'authentication_challenge') {
        const ok = msg.data?.token === this.token;
        ws.send(JSON.stringify({ status: ok ? 'OK' : 'FAIL', seq_reply: msg.seq }));
        if (!ok) ws.close(4001);
        else if (!state.authed) {
          state.authed = true;
          this.hello(ws, state);
        }
      }
    });
    ws.on('close', () => this.sockets.delete(ws));
    if (state.authed) this.hello(ws, state);
  }

  private hello(ws: WebSocket, state: { seq: number }): void {
    this.sockets.set(ws, state);
    ws.send(JSON.stringify({ event: 'hello', data: { server_version: '10.5.0', connection_id: newId() }, broadcast: {}, seq: state.seq++ }));
  }

  /** Sends an event to every authenticated socket, each with its own sequence number. */
  broadcast(event: Record<string, unknown>): void {
    this.lastEvent = event;
    for (const [ws, state] of this.sockets) ws.send(JSON.stringify({ ...event, seq: state.seq++ }));
  }

  /** Raw text on every socket (malformed-frame tests). */
  sendRaw(text: string): void {
    for (const ws of this.sockets.keys()) ws.send(text);
  }

  postedEvent(post: FakePost, senderName: string): Record<string, unknown> {
    const channel = this.channels.get(post.channel_id);
    return {
      event: 'posted',
      data: {
        channel_display_name: channel?.name ?? '',
        channel_name: channel?.name ?? '',
        channel_type: channel?.type ?? 'O',
        post: JSON.stringify(post),
        sender_name: senderName,
        set_online: true,
        team_id: channel?.team_id ?? '',
      },
      broadcast: { omit_users: null, user_id: '', channel_id: post.channel_id, team_id: '' },
    };
  }

  /** A user posts: stored and broadcast as `posted`. */
  userPost(
    fields: { user_id: string; channel_id: string; message: string; root_id?: string; props?: Record<string, unknown> },
    senderName = '@alice',
    attach: Array<{ name: string; mime_type: string; text: string }> = [],
  ): FakePost {
    const post: FakePost = { id: newId(), root_id: '', props: {}, type: '', create_at: Date.now(), edits: 0, ...fields };
    // Files the user attached: stored in the post's channel, listed in the post's file_ids.
    for (const f of attach) {
      const bytes = new TextEncoder().encode(f.text);
      const file: FakeFile = {
        id: newId(),
        name: f.name,
        size: bytes.byteLength,
        mime_type: f.mime_type,
        channel_id: post.channel_id,
        bytes,
        post_id: post.id,
      };
      this.files.push(file);
      post.file_ids = [...(post.file_ids ?? []), file.id];
    }
    this.posts.push(post);
    this.broadcast(this.postedEvent(post, senderName));
    return post;
  }

  /**
   * A response_url for a command typed in `channel_id` (in the thread `root_id`, or ''): the hook
   * takes 5 responses within 30 minutes (developers.mattermost.com/integrate/slash-commands).
   */
  commandHook(channel_id: string, root_id = ''): string {
    const id = newId();
    this.hooks.set(id, { channel_id, root_id, created: Date.now(), used: 0 });
    return `${this.url}/hooks/commands/${id}`;
  }

  private hookResponse(res: ServerResponse, id: string, raw: string): void {
    const hook = this.hooks.get(id);
    if (!hook) return this.json(res, 404, { id: 'web.command_webhook.invalid.app_error', message: 'Unable to find the webhook.', status_code: 404 });
    if (hook.used >= 5 || Date.now() - hook.created > 30 * 60_000)
      return this.json(res, 400, { id: 'web.command_webhook.command.app_error', message: 'Too many responses or expired.', status_code: 400 });
    let body: { response_type?: string; text?: string; props?: Record<string, unknown> };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return this.json(res, 400, { id: 'web.command_webhook.parse.app_error', message: 'Unable to parse incoming data', status_code: 400 });
    }
    hook.used += 1;
    if (body.response_type !== 'in_channel') {
      this.ephemeral.push({ hook: id, text: body.text ?? '' });
      return void res.writeHead(200).end();
    }
    const post: FakePost = {
      id: newId(),
      channel_id: hook.channel_id,
      root_id: hook.root_id,
      user_id: this.commandCreator,
      message: body.text ?? '',
      props: { ...(body.props ?? {}), from_webhook: 'true' },
      type: '',
      create_at: Date.now(),
      edits: 0,
    };
    this.posts.push(post);
    this.broadcast(this.postedEvent(post, '@askpanda'));
    res.writeHead(200).end();
  }

  private forbidden(res: ServerResponse): void {
    this.json(res, 403, { id: 'api.context.permissions.app_error', message: 'You do not have the appropriate permissions.', status_code: 403 });
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const method = req.method ?? 'GET';
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    const at = performance.now();
    const hook = /^\/hooks\/commands\/([a-z0-9]+)$/.exec(path);
    if (method === 'POST' && hook?.[1]) {
      this.requests.push({ method, path, status: 200, at });
      return this.hookResponse(res, hook[1], raw);
    }
    if ((req.headers.authorization ?? '').replace(/^bearer /i, '') !== this.token) {
      this.requests.push({ method, path, status: 401, at });
      return this.json(res, 401, { id: 'api.context.session_expired.app_error', message: 'Invalid or expired session, please login again.', status_code: 401 });
    }
    if (method === 'POST' && path === '/api/v4/posts' && this.nextLimit !== undefined) {
      const seconds = this.nextLimit;
      this.nextLimit = undefined;
      this.rateLimited.push({ at, seconds });
      this.requests.push({ method, path, status: 429, at });
      res
        .writeHead(429, {
          'Content-Type': 'text/plain; charset=utf-8',
          'X-Ratelimit-Limit': '10',
          'X-Ratelimit-Remaining': '0',
          'X-Ratelimit-Reset': String(seconds),
          'Retry-After': String(seconds),
        })
        .end('limit exceeded\n');
      return;
    }
    this.requests.push({ method, path, status: 200, at });
    if (method === 'GET' && path === '/api/v4/users/me')
      return this.json(res, 200, { id: this.bot.id, username: this.bot.username, is_bot: true, roles: 'system_user' });
    if (method === 'POST' && path === '/api/v4/files') return this.upload(res, bytes, req.headers['content-type']);
    if (method === 'POST' && path === '/api/v4/posts') {
      const body = JSON.parse(raw) as Partial<FakePost>;
      const attached = (body.file_ids ?? []).map((id) => this.files.find((f) => f.id === id && f.channel_id === body.channel_id && !f.post_id));
      if (attached.some((f) => !f))
        return this.json(res, 400, { id: 'api.post.create_post.file_ids.app_error', message: 'Invalid file_ids', status_code: 400 });
      if (!body.channel_id || typeof body.message !== 'string') return this.json(res, 400, { message: 'Invalid post', status_code: 400 });
      // No permission on a channel the server does not know, or (when membership is set) is not a member of.
      if (!this.channels.has(body.channel_id) || (this.botMemberOf && !this.botMemberOf.has(body.channel_id))) return this.forbidden(res);
      if (runes(body.message) > MAX_POST_RUNES)
        return this.json(res, 400, { id: 'model.post.is_valid.msg.app_error', message: 'Invalid message', status_code: 400 });
      if (body.root_id) {
        // Mattermost: the root must exist, be a root itself (no replies to replies) and be in the post's channel.
        const root = this.posts.find((p) => p.id === body.root_id);
        if (!root || root.root_id)
          return this.json(res, 400, { id: 'api.post.create_post.root_id.app_error', message: 'Invalid RootId parameter.', status_code: 400 });
        if (root.channel_id !== body.channel_id)
          return this.json(res, 400, {
            id: 'api.post.create_post.channel_root_id.app_error',
            message: 'Invalid ChannelId for RootId parameter.',
            status_code: 400,
          });
      }
      const post: FakePost = {
        id: newId(),
        channel_id: body.channel_id,
        root_id: body.root_id ?? '',
        user_id: this.bot.id,
        message: body.message,
        props: { ...(body.props ?? {}), from_bot: 'true' },
        type: '',
        create_at: Date.now(),
        edits: 0,
        ...(attached.length ? { file_ids: body.file_ids } : {}),
      };
      for (const f of attached) if (f) f.post_id = post.id;
      this.posts.push(post);
      this.broadcast(this.postedEvent(post, `@${this.bot.username}`));
      return this.json(res, 201, post);
    }
    const file = /^\/api\/v4\/files\/([a-z0-9]+)(\/info)?$/.exec(path);
    if (method === 'GET' && file) {
      // Mattermost: 404 for an unknown id, 403 unless the user can read the file's channel.
      const found = this.files.find((f) => f.id === file[1] && f.post_id);
      if (!found) return this.json(res, 404, { id: 'app.file_info.get.app_error', message: 'Unable to get the file info.', status_code: 404 });
      if (this.botMemberOf && !this.botMemberOf.has(found.channel_id)) return this.forbidden(res);
      if (file[2]) {
        const { bytes: _bytes, channel_id: _channel, ...info } = found;
        return this.json(res, 200, { ...info, user_id: '', extension: info.name.split('.').pop() ?? '' });
      }
      res
        .writeHead(200, { 'Content-Type': found.mime_type || 'application/octet-stream', 'Content-Disposition': `attachment; filename="${found.name}"` })
        .end(found.bytes);
      return;
    }
    const patch = /^\/api\/v4\/posts\/([a-z0-9]+)\/patch$/.exec(path);
    if (method === 'PUT' && patch) {
      const post = this.posts.find((p) => p.id === patch[1]);
      if (!post) return this.json(res, 404, { message: 'not found', status_code: 404 });
      // Editing another user's post needs edit_others_posts, which a bot account does not have.
      if (post.user_id !== this.bot.id) return this.forbidden(res);
      const body = JSON.parse(raw) as Partial<FakePost>;
      if (typeof body.message === 'string' && runes(body.message) > MAX_POST_RUNES)
        return this.json(res, 400, { id: 'model.post.is_valid.msg.app_error', message: 'Invalid message', status_code: 400 });
      if (typeof body.message === 'string') post.message = body.message;
      if (body.props) post.props = { ...body.props, from_bot: 'true' };
      post.edits += 1;
      return this.json(res, 200, post);
    }
    const one = /^\/api\/v4\/posts\/([a-z0-9]+)$/.exec(path);
    if (method === 'DELETE' && one) {
      const index = this.posts.findIndex((p) => p.id === one[1]);
      if (index < 0) return this.json(res, 404, { message: 'not found', status_code: 404 });
      if (this.posts[index]?.user_id !== this.bot.id) return this.forbidden(res);
      this.posts.splice(index, 1);
      return this.json(res, 200, { status: 'OK' });
    }
    this.json(res, 404, { message: `no route ${method} ${path}`, status_code: 404 });
  }

  /** POST /api/v4/files: multipart with `channel_id` and one `files` part per file. */
  private async upload(res: ServerResponse, raw: Buffer, contentType: string | undefined): Promise<void> {
    if (this.failUploadsWith !== undefined) return this.json(res, this.failUploadsWith, { message: 'upload failed', status_code: this.failUploadsWith });
    if (!contentType?.startsWith('multipart/form-data')) return this.json(res, 400, { message: 'Expected multipart/form-data', status_code: 400 });
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const channel = form.get('channel_id');
    const parts = form.getAll('files').filter((v): v is File => typeof v !== 'string');
    if (typeof channel !== 'string' || !this.channels.has(channel) || parts.length === 0)
      return this.json(res, 400, { id: 'api.file.upload_file.incorrect_channelId.app_error', message: 'Invalid channel_id or no files', status_code: 400 });
    if (this.botMemberOf && !this.botMemberOf.has(String(channel))) return this.forbidden(res);
    const infos: FakeFile[] = [];
    for (const part of parts) {
      const bytes = new Uint8Array(await part.arrayBuffer());
      infos.push({ id: newId(), name: part.name, size: bytes.byteLength, mime_type: part.type, channel_id: channel, bytes, post_id: '' });
    }
    this.files.push(...infos);
    this.json(res, 201, {
      file_infos: infos.map(({ bytes: _bytes, channel_id: _channel, ...info }) => ({ ...info, user_id: this.bot.id, extension: info.name.split('.').pop() })),
      client_ids: [],
    });
  }

  async close(): Promise<void> {
    for (const ws of this.sockets.keys()) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function createFakeMattermost(token: string): Promise<FakeMattermost> {
  return new FakeMattermost(token).listen();
}
