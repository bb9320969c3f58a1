/** Drives the real Slack adapter (Bolt) against the fake Slack, for the chat-adapter contract suite. */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackAdapter, SLACK_EVENTS_PATH, type SlackAdapter } from '../../../adapters/slack/adapter.js';
import type { FollowedThreads, MessageHandler } from '../../../src/contracts/chat.js';
import type { Logger } from '../../../src/log.js';
import type { ChatAdapterDriver, PostedMessage, Sent, SlashResult } from '../../contract/chat-adapter.js';
import { localFollowedThreads } from '../../support/followed-threads.js';
import { createFakeSlack, type Delivery, type FakeSlack, type SlackPost } from './fake-slack.js';

export const SLACK_SECRETS = { botToken: 'xoxb-fake-bot-token', appToken: 'xapp-fake-app-token', signingSecret: 'fake-signing-secret-0123456789' };
const CHANNEL = 'C0GENERAL';
const DM = 'D0ALICE';
const USER = 'UALICE';

type Kind = 'events_api' | 'slash_commands' | 'interactive';

export interface SlackDriver extends ChatAdapterDriver {
  fake: FakeSlack;
  adapter: SlackAdapter;
  /** Sends an envelope/request of any kind through the active transport. */
  deliver(kind: Kind, payload: unknown, retryNum?: number): Promise<Delivery>;
  requestUrl: string;
  /** Starts one more adapter (another replica) on the same fake, with its own view of the shared state. */
  startReplica(handler: MessageHandler, logger: Logger, threads: FollowedThreads): Promise<SlackAdapter>;
}

function textOf(node: unknown): string[] {
  if (!node || typeof node !== 'object') return [];
  const n = node as Record<string, unknown>;
  if (typeof n.text === 'string') return [n.text];
  if (n.text && typeof n.text === 'object') return textOf(n.text);
  const out: string[] = [];
  for (const key of ['fields', 'elements']) if (Array.isArray(n[key])) for (const child of n[key] as unknown[]) out.push(...textOf(child));
  return out;
}

function toPosted(p: SlackPost): PostedMessage {
  const parts = p.blocks.filter((b) => b.type !== 'actions').flatMap(textOf);
  const buttons = p.blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements as Array<{ action_id: string; value: string }>).map((e) => ({ id: e.action_id.replace(/:\d+$/, ''), value: e.value })));
  return {
    id: p.ts,
    conversation: `${p.channel}/${p.thread_ts ?? 'top'}`,
    inThread: Boolean(p.thread_ts),
    text: parts.length ? parts.join('\n') : p.text,
    parts: parts.length ? parts : [p.text],
    buttons,
    ephemeral: Boolean(p.ephemeralFor),
  };
}

export async function createSlackDriver(mode: 'socket' | 'http', options: { threads?: FollowedThreads } = {}): Promise<SlackDriver> {
  const fake = await createFakeSlack(SLACK_SECRETS);
  let adapter: SlackAdapter | undefined;
  let server: Server | undefined;
  let requestUrl = '';
  let last: { kind: Kind; payload: unknown } | undefined;

  const deliver = async (kind: Kind, payload: unknown, retryNum = 0): Promise<Delivery> => {
    if (kind === 'events_api') last = { kind, payload };
    if (mode === 'socket') return fake.sendEnvelope(kind, payload, retryNum);
    const headers: Record<string, string> = retryNum ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' } : {};
    if (kind === 'events_api') return fake.sendSigned(requestUrl, JSON.stringify(payload), 'application/json', headers);
    const form = kind === 'slash_commands' ? new URLSearchParams(payload as Record<string, string>) : new URLSearchParams({ payload: JSON.stringify(payload) });
    return fake.sendSigned(requestUrl, form.toString(), 'application/x-www-form-urlencoded', headers);
  };
  const callback = (event: Record<string, unknown>): Record<string, unknown> => ({
    token: 'verification-token',
    team_id: fake.teamId,
    api_app_id: 'A0FAKE',
    event: { event_ts: event.ts, ...event },
    type: 'event_callback',
    event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: fake.teamId, user_id: fake.botUserId, is_bot: true }],
  });

  const driver: SlackDriver = {
    name: `slack-${mode}`,
    limit: 3000,
    features: { channels: true, slashCommands: true, buttons: true, rateLimits: true, redelivery: true, otherBots: true },
    fake,
    get adapter() {
      if (!adapter) throw new Error('driver not started');
      return adapter;
    },
    proactive: {
      adapter: () => driver.adapter,
      channel: CHANNEL,
      conversationOf: (thread) => `${CHANNEL}/${thread ?? 'top'}`,
    },
    get requestUrl() {
      return requestUrl;
    },
    deliver,
    async start(handler, logger) {
      adapter = createSlackAdapter({
        ...SLACK_SECRETS,
        mode,
        apiUrl: fake.apiUrl,
        logger,
        retryConfig: { retries: 3, minTimeout: 10, maxTimeout: 50 },
        threads: options.threads ?? localFollowedThreads(),
      });
      if (mode === 'http') {
        const a = adapter;
        server = createServer((req, res) => a.httpHandler(req, res));
        await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
        requestUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${SLACK_EVENTS_PATH}`;
      }
      await adapter.start(handler);
    },
    async startReplica(handler, logger, threads) {
      if (mode !== 'socket') throw new Error('replicas are driven in Socket Mode');
      const replica = createSlackAdapter({
        ...SLACK_SECRETS,
        mode,
        apiUrl: fake.apiUrl,
        logger,
        retryConfig: { retries: 3, minTimeout: 10, maxTimeout: 50 },
        threads,
      });
      await replica.start(handler);
      return replica;
    },
    async stop() {
      await adapter?.stop();
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server?.close(() => resolve()));
      }
      await fake.close();
    },
    async sendMention(text) {
      const ts = fake.nextTs();
      const base = { user: USER, text: `<@${fake.botUserId}> ${text}`, ts, channel: CHANNEL, channel_type: 'channel' };
      // Subscribed to both, Slack sends app_mention and message for one @mention.
      await deliver('events_api', callback({ type: 'message', ...base }));
      await deliver('events_api', callback({ type: 'app_mention', ...base }));
      return { conversation: `${CHANNEL}/${ts}` };
    },
    async sendDm(text) {
      await deliver('events_api', callback({ type: 'message', user: USER, text, ts: fake.nextTs(), channel: DM, channel_type: 'im' }));
      return { conversation: `${DM}/top` };
    },
    async sendThreadReply(to: Sent, text) {
      const [channel, thread] = to.conversation.split('/');
      await deliver('events_api', callback({ type: 'message', user: USER, text, ts: fake.nextTs(), thread_ts: thread, channel, channel_type: 'channel' }));
      return to;
    },
    async sendSlashCommand(name, args): Promise<SlashResult> {
      const result = await deliver('slash_commands', {
        token: 'verification-token',
        team_id: fake.teamId,
        team_domain: 'fake',
        channel_id: CHANNEL,
        channel_name: 'general',
        user_id: USER,
        user_name: 'alice',
        command: `/${name}`,
        text: args,
        api_app_id: 'A0FAKE',
        is_enterprise_install: 'false',
        response_url: fake.responseUrl(),
        trigger_id: `${Date.now()}.${randomUUID().slice(0, 8)}`,
      });
      const body = (result.body ?? {}) as { text?: string };
      return { ackMs: result.ms, ackAt: performance.now(), ackText: body.text ?? '' };
    },
    async clickButton(message: PostedMessage, actionId) {
      const post = fake.posts.find((p) => p.ts === message.id);
      if (!post) throw new Error(`no post ${message.id}`);
      const block = post.blocks.find((b) => b.type === 'actions') as
        | { block_id?: string; elements: Array<{ action_id: string; value: string; text: unknown }> }
        | undefined;
      const element = block?.elements.find((e) => e.action_id.startsWith(`${actionId}:`));
      if (!element) throw new Error(`no button ${actionId} on ${message.id}`);
      await deliver('interactive', {
        type: 'block_actions',
        user: { id: USER, username: 'alice', name: 'alice', team_id: fake.teamId },
        api_app_id: 'A0FAKE',
        token: 'verification-token',
        container: {
          type: 'message',
          message_ts: post.ts,
          channel_id: post.channel,
          is_ephemeral: false,
          ...(post.thread_ts ? { thread_ts: post.thread_ts } : {}),
        },
        trigger_id: `${Date.now()}.${randomUUID().slice(0, 8)}`,
        team: { id: fake.teamId, domain: 'fake' },
        enterprise: null,
        is_enterprise_install: false,
        channel: { id: post.channel, name: 'general' },
        message: {
          type: 'message',
          ts: post.ts,
          ...(post.thread_ts ? { thread_ts: post.thread_ts } : {}),
          text: post.text,
          user: fake.botUserId,
          bot_id: fake.botId,
          blocks: post.blocks,
        },
        state: { values: {} },
        response_url: fake.responseUrl(),
        actions: [
          {
            action_id: element.action_id,
            block_id: block?.block_id ?? 'b1',
            text: element.text,
            value: element.value,
            type: 'button',
            action_ts: `${Date.now() / 1000}`,
          },
        ],
      });
    },
    async redeliverLast() {
      if (!last) throw new Error('nothing delivered yet');
      await deliver(last.kind, last.payload, 1);
    },
    rateLimitNextPost(seconds) {
      fake.rateLimitNext('chat.postMessage', seconds);
    },
    rateLimitRecord() {
      const limited = fake.rateLimited.at(-1);
      if (!limited) return undefined;
      const retry = fake.calls.find((c) => c.method === limited.method && c.status === 200 && c.at > limited.at);
      return retry ? { limitedAt: limited.at, retriedAt: retry.at } : undefined;
    },
    async sendMalformed() {
      if (mode === 'socket') fake.sendRaw('{"envelope_id": "x", "type": "events_api", "payload": ');
      else await fake.sendSigned(requestUrl, '{"type": "event_callback", "event": ', 'application/json');
      await deliver('events_api', {
        token: 't',
        team_id: fake.teamId,
        type: 'event_callback',
        event_id: 'EvBROKEN1',
        event: { type: 'app_mention', text: '<@UBOT> no user, no ts', channel: CHANNEL },
      });
      await deliver('events_api', {
        token: 't',
        team_id: fake.teamId,
        type: 'event_callback',
        event: { type: 'message', user: USER, text: 'no event id', ts: fake.nextTs(), channel: DM, channel_type: 'im' },
      });
    },
    async sendOwnMessage(text) {
      await deliver(
        'events_api',
        callback({ type: 'message', user: fake.botUserId, bot_id: fake.botId, app_id: 'A0FAKE', text, ts: fake.nextTs(), channel: DM, channel_type: 'im' }),
      );
    },
    async sendOtherBotMessage(text) {
      await deliver(
        'events_api',
        callback({
          type: 'message',
          subtype: 'bot_message',
          bot_id: 'B0OTHER',
          username: 'otherbot',
          text,
          ts: fake.nextTs(),
          channel: DM,
          channel_type: 'im',
        }),
      );
    },
    posts: () => fake.posts.map(toPosted),
  };
  return driver;
}
