/**
 * A fake Discord on 127.0.0.1: REST v10 (gateway/bot, channel messages, threads from messages,
 * interaction callbacks, webhook follow-ups and @original edits, application commands; 429 with
 * Retry-After and X-RateLimit-* headers; multipart bodies with files, see multipart.ts) plus the gateway WebSocket. Messages the bot creates are
 * dispatched back as MESSAGE_CREATE, as Discord does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { FakeGatewaySession } from './gateway.js';
import { cdnSignature, FAKE_DISCORD_FILE_LIMIT, type FakeAttachment, parseDiscordBody, wireAttachment } from './multipart.js';

export interface FakeMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: { id: string; username: string; discriminator: string; global_name: string | null; avatar: null; bot?: boolean };
  content: string;
  embeds: Array<Record<string, unknown>>;
  components: Array<{ type: number; components: Array<{ type: number; custom_id: string; label: string; style: number }> }>;
  flags: number;
  mentions: Array<Record<string, unknown>>;
  timestamp: string;
  edits: number;
  interactionToken?: string;
  attachments?: FakeAttachment[];
}

export interface FakeChannel {
  id: string;
  type: number;
  name?: string;
  guild_id?: string;
  parent_id?: string;
}

/**
 * Discord's component rules (discord.com/developers/docs/components/reference): at most 5 action
 * rows of at most 5 buttons, `custom_id` ≤ 100 characters and unique within the message (else 400
 * `COMPONENT_CUSTOM_ID_DUPLICATED`), labels ≤ 80 characters. Returns the 400 body, or null.
 */
export function invalidComponents(components: unknown): Record<string, unknown> | null {
  if (components === undefined) return null;
  const rows = (Array.isArray(components) ? components : []) as Array<{ type?: number; components?: Array<{ custom_id?: string; label?: string }> }>;
  const fail = (where: string, code: string, message: string) => ({
    message: 'Invalid Form Body',
    code: 50035,
    errors: { components: { [where]: { _errors: [{ code, message }] } } },
  });
  if (rows.length > 5) return fail('_', 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  const seen = new Set<string>();
  for (const [r, row] of rows.entries()) {
    if ((row.components ?? []).length > 5) return fail(`${r}`, 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
    for (const [c, button] of (row.components ?? []).entries()) {
      const id = button.custom_id ?? '';
      if (!id || id.length > 100) return fail(`${r}.components.${c}.custom_id`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      if ((button.label ?? '').length > 80) return fail(`${r}.components.${c}.label`, 'BASE_TYPE_MAX_LENGTH', 'Must be 80 or fewer in length.');
      if (seen.has(id)) return fail(`${r}.components.${c}.custom_id`, 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
      seen.add(id);
    }
  }
  return null;
}

/** Permission bits (discord.com/developers/docs/topics/permissions). */
export const PERMISSION = {
  viewChannel: 1n << 10n,
  send: 1n << 11n,
  embedLinks: 1n << 14n,
  attachFiles: 1n << 15n,
  readHistory: 1n << 16n,
  createPublicThreads: 1n << 35n,
  sendInThreads: 1n << 38n,
} as const;

let counter = 0n;
export function snowflake(): string {
  counter += 1n;
  return String(((BigInt(Date.now()) - 1420070400000n) << 22n) + counter);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export class FakeDiscord {
  readonly applicationId = snowflake();
  readonly guildId = snowflake();
  readonly bot = { id: snowflake(), username: 'askpanda', discriminator: '0', global_name: 'Ask PanDA', avatar: null, bot: true };
  readonly channels = new Map<string, FakeChannel>();
  readonly messages: FakeMessage[] = [];
  readonly callbacks: Array<{ interactionId: string; type: number; at: number }> = [];
  readonly commands: Array<{ route: string; body: unknown }> = [];
  readonly requests: Array<{ method: string; path: string; status: number; at: number }> = [];
  readonly rateLimited: Array<{ at: number; seconds: number }> = [];
  /** Requests answered 400 for breaking a component rule, with Discord's error body. */
  readonly rejected: Array<{ path: string; body: Record<string, unknown> }> = [];
  readonly sessions: FakeGatewaySession[] = [];
  /** When set, a message POST that carries files answers this HTTP status. */
  failFilesWith: number | undefined;
  /**
   * The bot's permission integer in guild channels (the invite's `permissions=`), checked as Discord
   * does: Send Messages (1<<11) in channels, Send Messages in Threads (1<<38) in threads, Attach
   * Files (1<<15) for uploads, Create Public Threads (1<<35) for threads; else 403 Missing
   * Permissions (50013). Undefined: everything allowed.
   */
  permissions: bigint | undefined;
  private readonly interactions = new Map<string, { channel_id: string; guild_id?: string }>();
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private nextLimit: number | undefined;
  private port = 0;

  constructor(readonly token: string) {
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/gateway')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.sessions.push(new FakeGatewaySession(ws, { token: this.token, readyPayload: (id) => this.ready(id), guildCreatePayload: () => this.guild() }));
      });
    });
  }

  /** The fake CDN (attachment downloads: no token, a signed URL). */
  get cdnUrl(): string {
    return `http://127.0.0.1:${this.port}/cdn`;
  }

  /** Attachment downloads from the CDN: path, whether the signature held, whether a token was sent. */
  readonly cdnDownloads: Array<{ path: string; signed: boolean; authorization: boolean }> = [];

  /** GET /cdn/attachments/{channel}/{id}/{name}?ex&is&hm: 404 "This content is no longer available." unless signed and unexpired, as Discord's CDN. */
  private cdn(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const path = url.pathname.slice('/cdn'.length);
    const ex = url.searchParams.get('ex') ?? '';
    const signed = url.searchParams.get('hm') === cdnSignature(path, ex) && Number.parseInt(ex, 16) * 1000 > Date.now();
    this.cdnDownloads.push({ path, signed, authorization: Boolean(req.headers.authorization) });
    const id = /^\/attachments\/\d+\/(\d+)\//.exec(path)?.[1];
    const found = this.messages.flatMap((m) => m.attachments ?? []).find((a) => a.id === id);
    if (!signed || !found) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('This content is no longer available.');
      return;
    }
    res.writeHead(200, { 'content-type': found.content_type || 'application/octet-stream', 'content-length': String(found.bytes.byteLength) }).end(found.bytes);
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** REST base as discord.js takes it (`rest.api`), without the version. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  addChannel(channel: FakeChannel): void {
    this.channels.set(channel.id, channel);
  }

  rateLimitNextPost(seconds: number): void {
    this.nextLimit = seconds;
  }

  /** Sends a dispatch on every identified gateway session. */
  dispatch(type: string, data: unknown): void {
    for (const session of this.sessions) if (session.identified) session.dispatch(type, data);
  }

  registerInteraction(token: string, where: { channel_id: string; guild_id?: string }): void {
    this.interactions.set(token, where);
  }

  private ready(sessionId: string): Record<string, unknown> {
    return {
      v: 10,
      user: this.bot,
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: sessionId,
      session_type: 'normal',
      resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
      shard: [0, 1],
      application: { id: this.applicationId, flags: 1 << 19 },
      private_channels: [],
      presences: [],
      relationships: [],
      _trace: ['fake'],
    };
  }

  private guild(): Record<string, unknown> {
    const channels = [...this.channels.values()].filter((c) => c.guild_id === this.guildId && c.type === 0);
    return {
      id: this.guildId,
      name: 'ATLAS',
      icon: null,
      owner_id: snowflake(),
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [
        {
          id: this.guildId,
          name: '@everyone',
          permissions: '1071698660929',
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      system_channel_id: null,
      system_channel_flags: 0,
      premium_tier: 0,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 2,
      voice_states: [],
      presences: [],
      members: [{ user: this.bot, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 }],
      channels: channels.map((c) => ({
        id: c.id,
        type: 0,
        guild_id: this.guildId,
        name: c.name,
        position: 0,
        permission_overwrites: [],
        parent_id: null,
        topic: null,
        nsfw: false,
        last_message_id: null,
        rate_limit_per_user: 0,
      })),
      threads: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  /** Stores a message and dispatches MESSAGE_CREATE. */
  createMessage(fields: Partial<FakeMessage> & { channel_id: string; author: FakeMessage['author'] }): FakeMessage {
    const channel = this.channels.get(fields.channel_id);
    const message: FakeMessage = {
      id: snowflake(),
      content: '',
      embeds: [],
      components: [],
      flags: 0,
      mentions: [],
      timestamp: new Date().toISOString(),
      edits: 0,
      ...fields,
    };
    if (channel?.guild_id) message.guild_id = channel.guild_id;
    this.messages.push(message);
    this.dispatch('MESSAGE_CREATE', this.wire(message));
    return message;
  }

  wire(message: FakeMessage): Record<string, unknown> {
    const { edits: _edits, interactionToken: _token, attachments, ...rest } = message;
    const channelType = this.channels.get(message.channel_id)?.type;
    return {
      ...rest,
      ...(channelType === undefined ? {} : { channel_type: channelType }),
      type: 0,
      tts: false,
      mention_everyone: false,
      mention_roles: [],
      attachments: (attachments ?? []).map((a) => wireAttachment(a, message.channel_id, this.cdnUrl)),
      pinned: false,
      edited_timestamp: null,
      ...(message.guild_id ? { member: { roles: [], joined_at: message.timestamp, deaf: false, mute: false, flags: 0 } } : {}),
    };
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (status === 204) {
      res.writeHead(204, headers).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }

  private fromBot(channelId: string, body: Partial<FakeMessage>, extra: Partial<FakeMessage> = {}): FakeMessage {
    return this.createMessage({
      channel_id: channelId,
      author: this.bot,
      content: body.content ?? '',
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      flags: body.flags ?? 0,
      attachments: body.attachments ?? [],
      ...extra,
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname.startsWith('/cdn/')) return this.cdn(req, res, url);
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v\d+/, '');
    const method = req.method ?? 'GET';
    const parsed = await parseDiscordBody(await readBody(req), req.headers['content-type'], snowflake);
    // Files arrive as multipart parts; the JSON's `attachments` only describes them.
    const body = { ...parsed.json, attachments: parsed.files } as Partial<FakeMessage> & { type?: number; name?: string };
    const at = performance.now();
    const isInteraction = path.startsWith('/interactions/') || path.startsWith('/webhooks/');
    if (!isInteraction && req.headers.authorization !== `Bot ${this.token}`) {
      this.requests.push({ method, path, status: 401, at });
      return this.json(res, 401, { message: '401: Unauthorized', code: 0 });
    }
    const post = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (method === 'POST' && post && this.nextLimit !== undefined) {
      const seconds = this.nextLimit;
      this.nextLimit = undefined;
      this.rateLimited.push({ at, seconds });
      this.requests.push({ method, path, status: 429, at });
      return this.json(
        res,
        429,
        { message: 'You are being rate limited.', retry_after: seconds, global: false },
        {
          'retry-after': String(seconds),
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Date.now() / 1000 + seconds),
          'x-ratelimit-reset-after': String(seconds),
          'x-ratelimit-bucket': 'fake-bucket',
          'x-ratelimit-scope': 'user',
        },
      );
    }
    const badComponents = method === 'POST' || method === 'PATCH' ? invalidComponents(body.components) : null;
    if (badComponents && !path.endsWith('/callback')) {
      this.requests.push({ method, path, status: 400, at });
      this.rejected.push({ path, body: badComponents });
      return this.json(res, 400, badComponents);
    }
    this.requests.push({ method, path, status: 200, at });
    if (method === 'GET' && path === '/gateway/bot') {
      return this.json(res, 200, {
        url: `ws://127.0.0.1:${this.port}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
      });
    }
    if (method === 'GET' && path === '/users/@me') return this.json(res, 200, this.bot);
    if (method === 'POST' && post?.[1]) {
      if ((body.content ?? '').length > 2000) return this.json(res, 400, { message: 'Invalid Form Body', code: 50035 });
      if (parsed.files.some((f) => f.size > FAKE_DISCORD_FILE_LIMIT)) return this.json(res, 413, { message: 'Request entity too large', code: 40005 });
      if (parsed.files.length && this.failFilesWith) return this.json(res, this.failFilesWith, { message: 'Cannot send files', code: 50013 });
      const channel = this.channels.get(post[1]);
      const needed = (channel?.type === 11 ? PERMISSION.sendInThreads : PERMISSION.send) | (parsed.files.length ? PERMISSION.attachFiles : 0n);
      if (channel?.guild_id && this.lacks(needed)) return this.json(res, 403, { message: 'Missing Permissions', code: 50013 });
      return this.json(res, 200, this.wire(this.fromBot(post[1], body)));
    }
    const channelGet = /^\/channels\/(\d+)$/.exec(path);
    if (method === 'GET' && channelGet?.[1]) {
      const channel = this.channels.get(channelGet[1]);
      return channel ? this.json(res, 200, channel) : this.json(res, 404, { message: 'Unknown Channel', code: 10003 });
    }
    const one = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path);
    if (one) {
      const index = this.messages.findIndex((m) => m.id === one[2]);
      const message = this.messages[index];
      if (!message) return this.json(res, 404, { message: 'Unknown Message', code: 10008 });
      if (method === 'DELETE') {
        this.messages.splice(index, 1);
        return this.json(res, 204, null);
      }
      Object.assign(message, {
        content: body.content ?? message.content,
        embeds: body.embeds ?? message.embeds,
        components: body.components ?? message.components,
      });
      message.edits += 1;
      return this.json(res, 200, this.wire(message));
    }
    const thread = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path);
    if (method === 'POST' && thread?.[1] && thread[2]) {
      if (this.lacks(PERMISSION.createPublicThreads)) return this.json(res, 403, { message: 'Missing Permissions', code: 50013 });
      // A thread started from a message takes the message's id.
      const channel: FakeChannel = { id: thread[2], type: 11, name: body.name, guild_id: this.guildId, parent_id: thread[1] };
      this.channels.set(channel.id, channel);
      const wire = {
        ...channel,
        owner_id: this.bot.id,
        member_count: 1,
        message_count: 0,
        thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
      };
      this.dispatch('THREAD_CREATE', { ...wire, newly_created: true });
      return this.json(res, 201, wire);
    }
    const callback = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (method === 'POST' && callback?.[1] && callback[2]) {
      this.callbacks.push({ interactionId: callback[1], type: body.type ?? 0, at });
      return this.json(res, 204, null);
    }
    const webhook = /^\/webhooks\/(\d+)\/([^/]+)(\/messages\/@original)?$/.exec(path);
    if (webhook?.[2]) {
      const where = this.interactions.get(webhook[2]);
      if (!where) return this.json(res, 404, { message: 'Unknown Webhook', code: 10015 });
      const token = webhook[2];
      const original = this.messages.find((m) => m.id === this.originals.get(token));
      if (webhook[3] && (method === 'PATCH' || method === 'GET')) {
        if (original) {
          if (method === 'PATCH')
            Object.assign(original, {
              content: body.content ?? original.content,
              embeds: body.embeds ?? original.embeds,
              components: body.components ?? original.components,
              edits: original.edits + 1,
            });
          return this.json(res, 200, this.wire(original));
        }
        const created = this.fromBot(where.channel_id, body, { interactionToken: webhook[2] });
        this.originals.set(webhook[2], created.id);
        return this.json(res, 200, this.wire(created));
      }
      if (method === 'POST' && !webhook[3]) return this.json(res, 200, this.wire(this.fromBot(where.channel_id, body, { interactionToken: webhook[2] })));
    }
    const commands = /^\/applications\/(\d+)(\/guilds\/\d+)?\/commands$/.exec(path);
    if (method === 'PUT' && commands) {
      this.commands.push({ route: path, body: parsed.json });
      const list = (Array.isArray(parsed.json) ? parsed.json : []) as Array<Record<string, unknown>>;
      return this.json(
        res,
        200,
        list.map((c) => ({ ...c, id: snowflake(), application_id: this.applicationId, version: snowflake() })),
      );
    }
    this.json(res, 404, { message: `404: Not Found (${method} ${path})`, code: 0 });
  }

  private readonly originals = new Map<string, string>();

  private lacks(bits: bigint): boolean {
    return this.permissions !== undefined && (this.permissions & bits) !== bits;
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function createFakeDiscord(token: string): Promise<FakeDiscord> {
  return new FakeDiscord(token).listen();
}
