/** Drives the real Mattermost adapter against the fake Mattermost, for the chat-adapter contract suite. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMattermostAdapter, type MattermostAdapter } from '../../../adapters/mattermost/adapter.js';
import { MATTERMOST_ACTIONS_PATH, MATTERMOST_COMMAND_PATH } from '../../../adapters/mattermost/http.js';
import type { FollowedThreads, MessageHandler } from '../../../src/contracts/chat.js';
import type { Logger } from '../../../src/log.js';
import type { ChatAdapterDriver, PostedMessage, Sent, SlashResult } from '../../contract/chat-adapter.js';
import { localFollowedThreads } from '../../support/followed-threads.js';
import { createFakeMattermost, type FakeMattermost, type FakePost, newId } from './fake-mattermost.js';

export const MM_SECRETS = { token: 'fake-bot-token', commandToken: 'fake-command-token', actionSecret: 'fake-action-secret' };
const TEAM = 'team0000000000000000000000';
const CHANNEL = 'chan0000000000000000general';
const DM = 'dm00000000000000000000alice';
const ALICE = 'alice0000000000000000000aa';

export interface MattermostDriver extends ChatAdapterDriver {
  fake: FakeMattermost;
  adapter: MattermostAdapter;
  baseUrl: string;
  /** A slash command typed in the channel, or in the thread `root` (only its response_url knows). */
  sendSlashCommand(name: string, args: string, root?: string): Promise<SlashResult>;
  /** A DM from alice with files attached (file_ids on the post). */
  sendDmWithFiles(text: string, files: Array<{ name: string; mime_type: string; text: string }>): Promise<Sent>;
  /** Starts one more adapter (another replica) on the same fake, with its own view of the shared state. */
  startReplica(handler: MessageHandler, logger: Logger, threads: FollowedThreads): Promise<MattermostAdapter>;
}

interface Button {
  id: string;
  name: string;
  integration: { url: string; context: Record<string, unknown> };
}

function buttonsOf(post: FakePost): Button[] {
  const attachments = (post.props.attachments ?? []) as Array<{ actions?: Button[] }>;
  return attachments.flatMap((a) => a.actions ?? []);
}

function toPosted(p: FakePost): PostedMessage {
  return {
    id: p.id,
    conversation: `${p.channel_id}/${p.root_id || 'top'}`,
    inThread: Boolean(p.root_id),
    text: p.message,
    parts: [p.message],
    buttons: buttonsOf(p).map((b) => ({ id: String(b.integration.context.action), value: String(b.integration.context.value) })),
  };
}

export async function createMattermostDriver(options: { threads?: FollowedThreads } = {}): Promise<MattermostDriver> {
  const fake = await createFakeMattermost(MM_SECRETS.token);
  fake.addChannel({ id: CHANNEL, type: 'O', name: 'panda-help', team_id: TEAM });
  fake.addChannel({ id: DM, type: 'D', name: `${ALICE}__bot`, team_id: '' });
  let adapter: MattermostAdapter | undefined;
  let server: Server | undefined;
  let baseUrl = '';
  const alicePosts = (): FakePost[] => fake.posts.filter((p) => p.user_id !== fake.bot.id);

  const driver: MattermostDriver = {
    name: 'mattermost',
    limit: 16_383,
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
    get baseUrl() {
      return baseUrl;
    },
    async start(handler, logger) {
      server = createServer((req, res) => {
        const route = adapter?.routes.find((r) => r.method === req.method && r.path === new URL(req.url ?? '/', 'http://x').pathname);
        if (route) route.handler(req, res);
        else res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      adapter = createMattermostAdapter({
        url: fake.url,
        ...MM_SECRETS,
        actionUrl: `${baseUrl}${MATTERMOST_ACTIONS_PATH}`,
        logger,
        reconnect: { minRetryMs: 50, maxRetryMs: 500 },
        threads: options.threads ?? localFollowedThreads(),
      });
      await adapter.start(handler);
    },
    async startReplica(handler, logger, threads) {
      const replica = createMattermostAdapter({ url: fake.url, ...MM_SECRETS, logger, reconnect: { minRetryMs: 50, maxRetryMs: 500 }, threads });
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
      const post = fake.userPost({ user_id: ALICE, channel_id: CHANNEL, message: `@askpanda ${text}` });
      return { conversation: `${CHANNEL}/${post.id}` };
    },
    async sendDm(text) {
      fake.userPost({ user_id: ALICE, channel_id: DM, message: text });
      return { conversation: `${DM}/top` };
    },
    async sendDmWithFiles(text, files) {
      fake.userPost({ user_id: ALICE, channel_id: DM, message: text }, '@alice', files);
      return { conversation: `${DM}/top` };
    },
    async sendThreadReply(to: Sent, text) {
      const [channel, root] = to.conversation.split('/');
      fake.userPost({ user_id: ALICE, channel_id: channel ?? CHANNEL, root_id: root, message: text });
      return to;
    },
    async sendSlashCommand(name, args, root = ''): Promise<SlashResult> {
      const form = new URLSearchParams({
        channel_id: CHANNEL,
        channel_name: 'panda-help',
        command: `/${name}`,
        // No root_id in the payload: only the hook knows the thread the command was typed in.
        response_url: fake.commandHook(CHANNEL, root),
        team_domain: 'atlas',
        team_id: TEAM,
        text: args,
        token: MM_SECRETS.commandToken,
        trigger_id: newId(),
        user_id: ALICE,
        user_name: 'alice',
      });
      const started = performance.now();
      const response = await fetch(`${baseUrl}${MATTERMOST_COMMAND_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Token ${MM_SECRETS.commandToken}` },
        body: form,
      });
      const body = (await response.json()) as { text?: string };
      const ackAt = performance.now();
      return { ackMs: ackAt - started, ackAt, ackText: body.text ?? '' };
    },
    async clickButton(message: PostedMessage, actionId) {
      const post = fake.posts.find((p) => p.id === message.id);
      const button = post && buttonsOf(post).find((b) => b.integration.context.action === actionId);
      if (!post || !button) throw new Error(`no button ${actionId} on ${message.id}`);
      const response = await fetch(button.integration.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          user_id: ALICE,
          user_name: 'alice',
          channel_id: post.channel_id,
          channel_name: 'panda-help',
          team_id: TEAM,
          team_domain: 'atlas',
          post_id: post.id,
          trigger_id: newId(),
          type: '',
          data_source: '',
          context: button.integration.context,
        }),
      });
      if (response.status !== 200) throw new Error(`action answered ${response.status}`);
    },
    async redeliverLast() {
      const last = alicePosts().at(-1);
      if (!last) throw new Error('nothing delivered yet');
      fake.broadcast(fake.postedEvent(last, '@alice'));
    },
    rateLimitNextPost(seconds) {
      fake.rateLimitNextPost(seconds);
    },
    rateLimitRecord() {
      const limited = fake.rateLimited.at(-1);
      const retry = limited && fake.requests.find((r) => r.method === 'POST' && r.path === '/api/v4/posts' && r.status === 200 && r.at > limited.at);
      return limited && retry ? { limitedAt: limited.at, retriedAt: retry.at } : undefined;
    },
    async sendMalformed() {
      fake.sendRaw('{"event": "posted", "data": ');
      fake.broadcast({ event: 'posted', data: { channel_type: 'D', post: '{not json' }, broadcast: {} });
      fake.broadcast({
        event: 'posted',
        data: { channel_type: 'D', post: JSON.stringify({ id: newId(), channel_id: DM, message: 'no user id' }) },
        broadcast: {},
      });
      await fetch(`${baseUrl}${MATTERMOST_ACTIONS_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"context": ' });
      await fetch(`${baseUrl}${MATTERMOST_COMMAND_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Token ${MM_SECRETS.commandToken}` },
        body: 'text=no+channel',
      });
    },
    async sendOwnMessage(text) {
      fake.userPost({ user_id: fake.bot.id, channel_id: DM, message: text, props: { from_bot: 'true' } }, '@askpanda');
    },
    async sendOtherBotMessage(text) {
      fake.userPost({ user_id: newId(), channel_id: DM, message: `@askpanda ${text}`, props: { from_bot: 'true' } }, '@otherbot');
    },
    posts: () => fake.posts.filter((p) => p.user_id === fake.bot.id).map(toPosted),
  };
  return driver;
}
