/** Drives the real discord.js adapter against the fake Discord, for the chat-adapter contract suite. */
import { createDiscordAdapter } from '../../../adapters/discord/adapter.js';
import type { ChatAdapter, FollowedThreads, MessageHandler } from '../../../src/contracts/chat.js';
import type { Logger } from '../../../src/log.js';
import { localFollowedThreads } from '../../support/followed-threads.js';
import type { ChatAdapterDriver, PostedMessage, SlashResult } from '../../contract/chat-adapter.js';
import { waitFor } from '../../contract/wait.js';
import { createFakeDiscord, type FakeDiscord, type FakeMessage, snowflake } from './fake-discord.js';

export const DISCORD_TOKEN = 'fake.discord.bot-token';
const ALICE = { id: snowflake(), username: 'alice', discriminator: '0', global_name: 'Alice', avatar: null };

export interface DiscordDriver extends ChatAdapterDriver {
  fake: FakeDiscord;
  channelId: string;
  dmId: string;
  /** Sends an APPLICATION_COMMAND interaction and returns its token. */
  sendCommand(name: string, args: string, channelId?: string): Promise<{ id: string; token: string; sentAt: number }>;
  /** A DM from alice with text files attached (served by the fake CDN). */
  sendDmWithFiles(text: string, files: Array<{ name: string; contentType: string; text: string }>): Promise<FakeMessage>;
  /** Starts one more adapter (another replica) on the same fake, with its own view of the shared state. */
  startReplica(handler: MessageHandler, logger: Logger, threads: FollowedThreads): Promise<ChatAdapter>;
}

export async function createDiscordDriver(options: { threads?: FollowedThreads } = {}): Promise<DiscordDriver> {
  const fake = await createFakeDiscord(DISCORD_TOKEN);
  const channelId = snowflake();
  const dmId = snowflake();
  fake.addChannel({ id: channelId, type: 0, name: 'panda-help', guild_id: fake.guildId });
  fake.addChannel({ id: dmId, type: 1 });
  let adapter: ChatAdapter | undefined;
  let lastInbound: FakeMessage | undefined;

  const conversationOf = (m: FakeMessage): string => m.channel_id;
  const inThread = (m: FakeMessage): boolean => fake.channels.get(m.channel_id)?.type === 11;
  const toPosted = (m: FakeMessage): PostedMessage => {
    const embedText = m.embeds
      .flatMap((e) => [e.title, e.description, ...((e.fields as Array<{ name: string; value: string }> | undefined) ?? []).flatMap((f) => [f.name, f.value])])
      .filter((x): x is string => typeof x === 'string');
    return {
      id: m.id,
      conversation: conversationOf(m),
      inThread: inThread(m),
      text: [m.content, ...embedText].join('\n'),
      parts: [m.content],
      buttons: m.components
        .flatMap((row) => row.components)
        .map((b) => ({ id: (b.custom_id.split('|')[0] ?? '').split('~')[0] ?? '', value: b.custom_id.split('|').slice(1).join('|') })),
      ephemeral: (m.flags & 64) === 64,
    };
  };
  const userMessage = (channel: string, content: string, extra: Partial<FakeMessage> = {}): FakeMessage => {
    lastInbound = fake.createMessage({ channel_id: channel, author: ALICE, content, ...extra });
    return lastInbound;
  };
  const interactionBase = (channel: string) => {
    const c = fake.channels.get(channel);
    const token = `itoken-${snowflake()}`;
    fake.registerInteraction(token, { channel_id: channel, guild_id: c?.guild_id });
    return {
      id: snowflake(),
      application_id: fake.applicationId,
      token,
      version: 1,
      channel_id: channel,
      app_permissions: '1071698660929',
      locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': fake.guildId },
      context: 0,
      channel: { id: channel, type: c?.type ?? 0, ...(c?.parent_id ? { parent_id: c.parent_id } : {}), ...(c?.guild_id ? { guild_id: c.guild_id } : {}) },
      ...(c?.guild_id
        ? {
            guild_id: c.guild_id,
            member: { user: ALICE, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, permissions: '1071698660929', flags: 0 },
          }
        : { user: ALICE }),
    };
  };

  const driver: DiscordDriver = {
    name: 'discord',
    limit: 2000,
    features: { channels: true, slashCommands: true, buttons: true, rateLimits: true, redelivery: true, otherBots: true },
    fake,
    channelId,
    dmId,
    proactive: {
      adapter: () => {
        if (!adapter) throw new Error('driver not started');
        return adapter;
      },
      channel: channelId,
      conversationOf: (thread) => thread ?? channelId,
    },
    async start(handler, logger) {
      adapter = createDiscordAdapter({ token: DISCORD_TOKEN, apiUrl: fake.apiUrl, logger, threads: options.threads ?? localFollowedThreads() });
      await adapter.start(handler);
    },
    async startReplica(handler, logger, threads) {
      const replica = createDiscordAdapter({ token: DISCORD_TOKEN, apiUrl: fake.apiUrl, logger, threads });
      await replica.start(handler);
      return replica;
    },
    async stop() {
      await adapter?.stop();
      await fake.close();
    },
    async sendMention(text) {
      const m = userMessage(channelId, `<@${fake.bot.id}> ${text}`, { mentions: [fake.bot] });
      return { conversation: m.id };
    },
    async sendDmWithFiles(text, files) {
      const attachments = files.map((f) => {
        const bytes = new TextEncoder().encode(f.text);
        return { id: snowflake(), filename: f.name, size: bytes.byteLength, content_type: f.contentType, bytes };
      });
      return userMessage(dmId, text, { attachments });
    },
    async sendDm(text) {
      userMessage(dmId, text);
      return { conversation: dmId };
    },
    async sendThreadReply(to, text) {
      await waitFor(() => fake.channels.get(to.conversation), 'the thread');
      userMessage(to.conversation, text);
      return to;
    },
    async sendCommand(name, args, channel = channelId) {
      const base = interactionBase(channel);
      const sentAt = performance.now();
      fake.dispatch('INTERACTION_CREATE', {
        ...base,
        type: 2,
        data: { id: snowflake(), name, type: 1, ...(args ? { options: [{ name: 'pandaid', type: 3, value: args }] } : {}) },
      });
      return { id: base.id, token: base.token, sentAt };
    },
    async sendSlashCommand(name, args): Promise<SlashResult> {
      const sent = await driver.sendCommand(name, args);
      const ack = await waitFor(() => fake.callbacks.find((c) => c.interactionId === sent.id), 'the interaction callback');
      const original = await waitFor(() => fake.messages.find((m) => m.interactionToken === sent.token && m.content), 'the deferred reply text');
      return { ackMs: ack.at - sent.sentAt, ackAt: ack.at, ackText: original.content };
    },
    async clickButton(message, actionId) {
      const m = fake.messages.find((x) => x.id === message.id);
      const button = m?.components.flatMap((r) => r.components).find((b) => b.custom_id.startsWith(`${actionId}|`) || b.custom_id.startsWith(`${actionId}~`));
      if (!m || !button) throw new Error(`no button ${actionId} on ${message.id}`);
      fake.dispatch('INTERACTION_CREATE', {
        ...interactionBase(m.channel_id),
        type: 3,
        message: fake.wire(m),
        data: { custom_id: button.custom_id, component_type: 2 },
      });
    },
    async redeliverLast() {
      if (!lastInbound) throw new Error('nothing delivered yet');
      fake.dispatch('MESSAGE_CREATE', fake.wire(lastInbound));
    },
    rateLimitNextPost(seconds) {
      fake.rateLimitNextPost(seconds);
    },
    rateLimitRecord() {
      const limited = fake.rateLimited.at(-1);
      const retry =
        limited && fake.requests.find((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) && r.status === 200 && r.at > limited.at);
      return limited && retry ? { limitedAt: limited.at, retriedAt: retry.at } : undefined;
    },
    async sendMalformed() {
      fake.dispatch('MESSAGE_CREATE', {
        id: snowflake(),
        channel_id: dmId,
        content: 'no author',
        timestamp: new Date().toISOString(),
        type: 0,
        mentions: [],
        embeds: [],
        attachments: [],
        components: [],
      });
      fake.dispatch('INTERACTION_CREATE', { id: snowflake(), type: 3, application_id: fake.applicationId, version: 1 });
      fake.dispatch('SOMETHING_NEW', { unexpected: true });
    },
    async sendOwnMessage(text) {
      fake.createMessage({ channel_id: dmId, author: fake.bot, content: text });
    },
    async sendOtherBotMessage(text) {
      fake.createMessage({
        channel_id: channelId,
        author: { id: snowflake(), username: 'otherbot', discriminator: '0', global_name: null, avatar: null, bot: true },
        content: `<@${fake.bot.id}> ${text}`,
        mentions: [fake.bot],
      });
    },
    posts: () => fake.messages.filter((m) => m.author.id === fake.bot.id).map(toPosted),
  };
  return driver;
}
