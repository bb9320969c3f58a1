/**
 * A fake Slack on 127.0.0.1: the Web API (`/api/<method>`, form or JSON bodies, Bearer tokens, 429 with
 * Retry-After), Socket Mode (`apps.connections.open` → ws:// URL, hello, envelopes acknowledged by
 * envelope_id) and signed Events API / slash-command / interactivity requests sent to the bot's HTTP
 * Request URL, and the external file upload flow (file-routes.ts). It records what the bot posts.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FakeSlackFiles } from './file-routes.js';
import { slackSignature } from './signing.js';

export interface SlackPost {
  ts: string;
  channel: string;
  thread_ts?: string;
  text: string;
  blocks: Array<Record<string, unknown>>;
  user: string;
  ephemeralFor?: string;
  edits: number;
}

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  status: number;
}

export interface Delivery {
  status: number;
  body: unknown;
  /** Milliseconds from sending to the HTTP response or the Socket Mode acknowledgement. */
  ms: number;
}

/**
 * Block Kit limits Slack enforces with `invalid_blocks` (docs.slack.dev/reference/block-kit): at
 * most 50 blocks, section text ≤ 3000 characters, an actions block ≤ 25 elements whose action_ids
 * are unique within the block (≤ 255 characters), button text ≤ 75 and value ≤ 2000 characters.
 */
export function invalidBlocks(blocks: unknown): string | null {
  if (blocks === undefined) return null;
  const list = (Array.isArray(blocks) ? blocks : []) as Array<Record<string, unknown>>;
  if (list.length > 50) return 'no more than 50 items allowed [json-pointer:/blocks]';
  for (const [i, block] of list.entries()) {
    const text = (block.text as { text?: string } | undefined)?.text;
    if (block.type === 'section' && typeof text === 'string' && text.length > 3000)
      return `must be less than 3001 characters [json-pointer:/blocks/${i}/text/text]`;
    if (block.type !== 'actions') continue;
    const elements = (block.elements ?? []) as Array<{ action_id?: string; value?: string; text?: { text?: string } }>;
    if (elements.length > 25) return `no more than 25 items allowed [json-pointer:/blocks/${i}/elements]`;
    const ids = new Set<string>();
    for (const [j, e] of elements.entries()) {
      const where = `[json-pointer:/blocks/${i}/elements/${j}`;
      if (e.action_id !== undefined && (e.action_id.length > 255 || ids.has(e.action_id)))
        return `action_id must be unique and at most 255 characters ${where}/action_id]`;
      if (e.action_id) ids.add(e.action_id);
      if ((e.text?.text ?? '').length > 75) return `must be less than 76 characters ${where}/text/text]`;
      if ((e.value ?? '').length > 2000) return `must be less than 2001 characters ${where}/value]`;
    }
  }
  return null;
}

export interface FakeSlackOptions {
  botToken: string;
  appToken: string;
  signingSecret: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = v.startsWith('[') || v.startsWith('{') ? JSON.parse(v) : v;
  }
  return out;
}

export class FakeSlack {
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly posts: SlackPost[] = [];
  readonly calls: ApiCall[] = [];
  readonly responseUrlPosts: Array<{ hook: string; body: Record<string, unknown>; at: number }> = [];
  readonly rateLimited: Array<{ method: string; at: number; retryAfter: number }> = [];
  /** Files uploaded through files.getUploadURLExternal → upload URL → files.completeUploadExternal. */
  readonly files = new FakeSlackFiles(() => `http://127.0.0.1:${this.port}`);
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly pendingAcks = new Map<string, (payload: unknown) => void>();
  private readonly limits = new Map<string, number>();
  private clock = 1_700_000_000;
  private counter = 0;
  private port = 0;

  constructor(private readonly options: FakeSlackOptions) {
    this.teamId = options.teamId ?? 'T0FAKE';
    this.botUserId = options.botUserId ?? 'UBOT';
    this.botId = options.botId ?? 'BBOT';
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket-mode')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Files people shared (file_share events point at them), served at url_private_download. */
  readonly shared = new Map<string, { name: string; mimetype: string; content: string }>();
  /** Downloads of shared files: with the bot token, or not (Slack then serves its HTML login page). */
  readonly downloads: Array<{ id: string; authorized: boolean }> = [];

  /** A file a user shared, as message events describe it (`files[]` of a file_share event). */
  shareFile(name: string, content: string, mimetype = 'text/plain'): Record<string, unknown> {
    const id = `F${(this.shared.size + 1).toString().padStart(8, '0')}`;
    this.shared.set(id, { name, mimetype, content });
    const url = `http://127.0.0.1:${this.port}/files-pri/${this.teamId}-${id}`;
    return {
      id,
      created: Math.floor(Date.now() / 1000),
      name,
      title: name,
      mimetype,
      filetype: 'text',
      pretty_type: 'Plain Text',
      user: 'UALICE',
      mode: 'hosted',
      is_external: false,
      size: Buffer.byteLength(content),
      url_private: `${url}/${name}`,
      url_private_download: `${url}/download/${name}`,
    };
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A fresh message ts, as Slack formats them. */
  nextTs(): string {
    this.counter += 1;
    return `${this.clock}.${String(this.counter).padStart(6, '0')}`;
  }

  /** The next call of `method` answers 429 with `Retry-After: <seconds>`. */
  rateLimitNext(method: string, retryAfterSeconds: number): void {
    this.limits.set(method, retryAfterSeconds);
  }

  get socketCount(): number {
    return this.sockets.size;
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      let message: { envelope_id?: string; payload?: unknown };
      try {
        message = JSON.parse(String(data)) as typeof message;
      } catch {
        return;
      }
      const resolve = message.envelope_id ? this.pendingAcks.get(message.envelope_id) : undefined;
      if (resolve && message.envelope_id) {
        this.pendingAcks.delete(message.envelope_id);
        resolve(message.payload ?? {});
      }
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: this.sockets.size, debug_info: { host: 'fake' }, connection_info: { app_id: 'A0FAKE' } }));
  }

  /** Sends a Socket Mode envelope to one connected client and resolves with its acknowledgement. */
  async sendEnvelope(type: 'events_api' | 'slash_commands' | 'interactive', payload: unknown, retryAttempt = 0): Promise<Delivery> {
    const ws = [...this.sockets][0];
    if (!ws) throw new Error('fake slack: no Socket Mode connection');
    const envelopeId = randomUUID();
    const started = performance.now();
    const acked = new Promise<unknown>((resolve) => this.pendingAcks.set(envelopeId, resolve));
    ws.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        retry_attempt: retryAttempt,
        retry_reason: retryAttempt ? 'timeout' : '',
      }),
    );
    const body = await acked;
    return { status: 200, body, ms: performance.now() - started };
  }

  /** Sends raw text on the Socket Mode connection (malformed-input tests). */
  sendRaw(text: string): void {
    for (const ws of this.sockets) ws.send(text);
  }

  /** POSTs a signed request to the bot's Request URL, as Slack does in HTTP mode. */
  async sendSigned(
    url: string,
    body: string,
    contentType: string,
    headers: Record<string, string> = {},
    secret = this.options.signingSecret,
  ): Promise<Delivery> {
    const timestamp = Math.floor(Date.now() / 1000);
    const started = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': slackSignature(secret, timestamp, body),
        ...headers,
      },
      body,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : '';
    } catch {
      // plain-text body (challenge answers may be plain)
    }
    return { status: response.status, body: parsed, ms: performance.now() - started };
  }

  /** A response_url the bot may POST to (up to 5 times, as Slack allows). */
  responseUrl(): string {
    return `http://127.0.0.1:${this.port}/hooks/${randomUUID()}`;
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    if (url.pathname.startsWith('/upload/')) {
      const result = await this.files.receive(url.pathname.slice('/upload/'.length), body, req.headers['content-type']);
      return void res.writeHead(result.status, { 'content-type': 'text/plain' }).end(result.text);
    }
    const file = /^\/files-pri\/[^-/]+-(F\d+)\//.exec(url.pathname);
    if (file?.[1] && req.method === 'GET') {
      const shared = this.shared.get(file[1]);
      const authorized = req.headers.authorization === `Bearer ${this.options.botToken}`;
      this.downloads.push({ id: file[1], authorized });
      if (!shared) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('file_not_found');
      // Without a token that may read files, Slack answers 200 with its sign-in page.
      if (!authorized) return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html><title>Slack</title></html>');
      return void res.writeHead(200, { 'content-type': shared.mimetype }).end(shared.content);
    }
    const raw = body.toString('utf8');
    if (url.pathname.startsWith('/hooks/')) {
      const hook = url.pathname.slice('/hooks/'.length);
      const used = this.responseUrlPosts.filter((p) => p.hook === hook).length;
      if (used >= 5) return this.json(res, 404, { ok: false, error: 'used_url' });
      this.responseUrlPosts.push({ hook, body: parseArgs(raw, 'application/json'), at: performance.now() });
      return this.json(res, 200, { ok: true });
    }
    if (!url.pathname.startsWith('/api/')) return this.json(res, 404, { ok: false, error: 'unknown_path' });
    const method = url.pathname.slice('/api/'.length);
    let args: Record<string, unknown>;
    try {
      args = parseArgs(raw, req.headers['content-type']);
    } catch {
      return this.json(res, 200, { ok: false, error: 'invalid_form_data' });
    }
    const limit = this.limits.get(method);
    if (limit !== undefined) {
      this.limits.delete(method);
      this.rateLimited.push({ method, at: performance.now(), retryAfter: limit });
      this.calls.push({ method, args, at: performance.now(), status: 429 });
      return this.json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limit) });
    }
    this.calls.push({ method, args, at: performance.now(), status: 200 });
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || String(args.token ?? '');
    const expected = method === 'apps.connections.open' ? this.options.appToken : this.options.botToken;
    if (token !== expected) return this.json(res, 200, { ok: false, error: 'invalid_auth' });
    this.json(res, 200, this.apiMethod(method, args));
  }

  private apiMethod(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.com/',
          team: 'Fake',
          user: 'askpanda',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
          is_enterprise_install: false,
        };
      case 'apps.connections.open':
        return { ok: true, url: `ws://127.0.0.1:${this.port}/socket-mode?ticket=${randomUUID()}` };
      case 'chat.postMessage':
      case 'chat.postEphemeral': {
        if (typeof args.channel !== 'string' || !args.channel) return { ok: false, error: 'channel_not_found' };
        const bad = invalidBlocks(args.blocks);
        if (bad) return { ok: false, error: 'invalid_blocks', errors: [bad], response_metadata: { messages: [`[ERROR] ${bad}`] } };
        if (String(args.channel).startsWith('CNOTIN')) return { ok: false, error: 'not_in_channel' };
        const post: SlackPost = {
          ts: this.nextTs(),
          channel: args.channel,
          thread_ts: typeof args.thread_ts === 'string' ? args.thread_ts : undefined,
          text: String(args.text ?? ''),
          blocks: Array.isArray(args.blocks) ? (args.blocks as SlackPost['blocks']) : [],
          user: this.botUserId,
          ephemeralFor: method === 'chat.postEphemeral' ? String(args.user) : undefined,
          edits: 0,
        };
        this.posts.push(post);
        return method === 'chat.postEphemeral'
          ? { ok: true, message_ts: post.ts }
          : { ok: true, channel: post.channel, ts: post.ts, message: { ...post, bot_id: this.botId } };
      }
      case 'chat.update': {
        const post = this.posts.find((p) => p.ts === args.ts && p.channel === args.channel);
        if (!post) return { ok: false, error: 'message_not_found' };
        const bad = invalidBlocks(args.blocks);
        if (bad) return { ok: false, error: 'invalid_blocks', errors: [bad], response_metadata: { messages: [`[ERROR] ${bad}`] } };
        post.text = String(args.text ?? '');
        post.blocks = Array.isArray(args.blocks) ? (args.blocks as SlackPost['blocks']) : [];
        post.edits += 1;
        return { ok: true, channel: post.channel, ts: post.ts, text: post.text };
      }
      case 'chat.delete': {
        const index = this.posts.findIndex((p) => p.ts === args.ts && p.channel === args.channel);
        if (index < 0) return { ok: false, error: 'message_not_found' };
        this.posts.splice(index, 1);
        return { ok: true, channel: args.channel, ts: args.ts };
      }
      case 'files.getUploadURLExternal':
        return this.files.getUploadUrl(args);
      case 'files.completeUploadExternal':
        return this.files.complete(args);
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function createFakeSlack(options: FakeSlackOptions): Promise<FakeSlack> {
  return new FakeSlack(options).listen();
}
