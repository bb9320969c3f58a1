import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  Events,
  GatewayIntentBits,
  type InteractionReplyOptions,
  type Message,
  MessageFlags,
  Partials,
} from 'discord.js';
import type { ChatAdapter, FollowedThreads, MessageHandler } from '../../src/contracts/chat.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import { ConfigError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { acknowledgement, analysisRootText, isFeedback, jobIdArgument, parseSlashCommand, WORKING_TEXT } from '../shared/commands.js';
import { planAttachments, uploadSafely } from '../shared/attachments.js';
import { dispatch } from '../shared/dispatch.js';
import { MAX_TEXT_FILE_BYTES, readInboundFiles } from '../shared/inbound-files.js';
import { createRecentSet } from '../shared/recent-set.js';
import { buttonToMessage, commandToMessage, gatewayInteraction, gatewayMessage, parseDiscordMessage } from './inbound.js';
import { deliverDiscord, imageMessages, type Postable, postDiscord, toOptions } from './outbound.js';
import { renderDiscordMessages } from './render.js';
import { discordRestAgent } from './rest-agent.js';

export interface DiscordAdapterOptions {
  token: string;
  /** REST base URL without version, e.g. https://discord.com/api (tests point it at a fake). */
  apiUrl?: string;
  logger: Logger;
  /** The threads the bot follows (shared state: survives restarts, seen by every replica). */
  threads: FollowedThreads;
}

/** Intents: guild messages, DMs and the privileged Message Content intent (1 << 15). */
export const DISCORD_INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages, GatewayIntentBits.MessageContent];

const threadName = (text: string): string => (text.replace(/\s+/g, ' ').trim() || 'Ask PanDA').slice(0, 90);

export function createDiscordAdapter(options: DiscordAdapterOptions): ChatAdapter {
  if (!options.token) throw new ConfigError('Discord: DISCORD_TOKEN is not set');
  const logger = options.logger.child({ component: 'discord' });
  const client = new Client({
    intents: DISCORD_INTENTS,
    partials: [Partials.Channel],
    rest: { ...(options.apiUrl ? { api: options.apiUrl } : {}), retries: 3, agent: discordRestAgent() },
  });
  // Proactive posts use REST only, which needs the token before (or without) the gateway login.
  client.rest.setToken(options.token);
  const follow = (id: string): Promise<void> =>
    options.threads.follow('discord', id).catch((error: unknown) => logger.warn({ err: error }, 'discord: could not record the followed thread'));
  const seen = createRecentSet();
  let handler: MessageHandler | undefined;

  /** Answers in `channel` with a "working…" placeholder that the reply replaces. */
  const answerIn = (message: IncomingMessage, channel: () => Promise<Postable>): void => {
    const current = handler;
    if (!current) return;
    let target: Postable | undefined;
    void dispatch<Message>(current, message, logger, {
      prepare: async () => {
        target = await channel();
        return target.send({ content: WORKING_TEXT, allowedMentions: { parse: [] } });
      },
      deliver: (reply, placeholder) => deliverDiscord(reply, target as Postable, logger, placeholder),
      discard: async (placeholder) => {
        await placeholder.delete();
      },
    });
  };

  const onMessage = async (message: Message): Promise<void> => {
    const botId = client.user?.id;
    if (!botId) return;
    const parsed = await parseDiscordMessage(message, botId, (id) => options.threads.follows('discord', id).catch(() => false));
    if (!parsed.ok) {
      if (parsed.ignored) logger.debug({ reason: parsed.reason }, 'discord: message ignored');
      else logger.warn({ reason: parsed.reason }, 'discord: malformed message ignored');
      return;
    }
    // A RESUME replays dispatches: dedupe by message id (the core dedupes too).
    if (!seen.addIfAbsent(parsed.message.eventId)) {
      logger.info({ eventId: parsed.message.eventId }, 'discord: duplicate message ignored');
      return;
    }
    const attached = [...(message.attachments?.values() ?? [])];
    const m = attached.length ? { ...parsed.message, files: await readDiscordFiles(attached) } : parsed.message;
    answerIn(m, async () => {
      if (m.isDirect || message.channel.isThread()) return message.channel as unknown as Postable;
      // A mention in a channel: start a thread from it (the thread gets the message's id).
      const thread = await message.startThread({ name: threadName(m.text), autoArchiveDuration: 1440 });
      await follow(thread.id);
      return thread;
    });
  };
  /** Attached logs: downloaded from the CDN's signed URLs (no bot token goes there), each capped at MAX_TEXT_FILE_BYTES. */
  const readDiscordFiles = (attachments: Array<{ name: string; size: number; contentType: string | null; url: string }>) =>
    readInboundFiles(
      attachments.map((a) => ({ name: a.name, size: a.size, url: a.url, ...(a.contentType ? { mimeType: a.contentType } : {}) })),
      async (url) => {
        const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
        if (Number(response.headers.get('content-length') ?? 0) > MAX_TEXT_FILE_BYTES) {
          await response.body?.cancel();
          throw new Error('larger than announced');
        }
        return response;
      },
    );
  client.on(Events.MessageCreate, (message) => {
    void onMessage(message).catch((error: unknown) => logger.error({ err: error }, 'discord: message handling failed'));
  });

  const onCommand = async (interaction: ChatInputCommandInteraction): Promise<void> => {
    await interaction.deferReply(); // the 3 s budget: acknowledge first, the token then lives 15 min
    const command = parseSlashCommand(interaction.commandName, interaction.options.getString('pandaid') ?? '');
    if (!command) {
      await interaction.editReply({ content: 'Sorry, I do not know this command.', allowedMentions: { parse: [] } });
      return;
    }
    const current = handler;
    if (!current) return;
    const inThread = interaction.channel?.isThread() ?? false;
    if (command.name === 'panda-job' && interaction.inGuild() && !inThread) {
      const original = await interaction.editReply({
        content: `${analysisRootText(command, `<@${interaction.user.id}>`)}\n${acknowledgement(command)}`,
        allowedMentions: { parse: [] },
      });
      const thread = await original.startThread({ name: threadName(`PanDA job ${jobIdArgument(command) ?? '(no valid job ID)'}`), autoArchiveDuration: 1440 });
      await follow(thread.id);
      const message = commandToMessage(interaction, thread.id);
      if (message) answerIn(message, async () => thread);
      return;
    }
    await interaction.editReply({ content: acknowledgement(command), allowedMentions: { parse: [] } });
    const message = commandToMessage(interaction, null);
    if (!message) return;
    void dispatch(current, message, logger, {
      prepare: async () => undefined,
      deliver: async (reply) => {
        const plan = planAttachments(reply);
        for (const body of renderDiscordMessages(plan.reply)) await interaction.followUp(toOptions(body) as InteractionReplyOptions);
        await uploadSafely(plan.files, { platform: 'discord', channel: interaction.channelId }, logger, async (files) => {
          for (const options of imageMessages(files)) await interaction.followUp(options);
        });
      },
      discard: async () => {},
    });
  };

  const onButton = async (interaction: ButtonInteraction): Promise<void> => {
    await interaction.deferUpdate();
    const parsed = buttonToMessage(interaction);
    if (!parsed.ok) {
      logger.warn({ reason: parsed.reason }, 'discord: malformed button click ignored');
      return;
    }
    const current = handler;
    if (!current) return;
    const message = parsed.message;
    if (isFeedback(message.action)) {
      void dispatch(current, message, logger, {
        prepare: async () => undefined,
        deliver: async (reply) => {
          for (const body of renderDiscordMessages(reply))
            await interaction.followUp({ ...(toOptions(body) as InteractionReplyOptions), flags: MessageFlags.Ephemeral });
        },
        discard: async () => {},
      });
      return;
    }
    answerIn(message, async () => interaction.channel as unknown as Postable);
  };

  client.on(Events.InteractionCreate, (interaction) => {
    const work = interaction.isChatInputCommand() ? onCommand(interaction) : interaction.isButton() ? onButton(interaction) : undefined;
    work?.catch((error: unknown) => logger.error({ err: error, interaction: interaction.id }, 'discord: interaction failed'));
  });

  // discord.js trusts the gateway and throws on a malformed dispatch: check the shapes we rely on
  // before it handles a packet, and keep any throw from escaping as an unhandled rejection.
  const manager = client.ws as unknown as { handlePacket(packet?: { t?: string | null; d?: unknown }, shard?: unknown): boolean };
  const handlePacket = manager.handlePacket.bind(manager);
  manager.handlePacket = (packet, shard) => {
    const schema = packet?.t === 'MESSAGE_CREATE' ? gatewayMessage : packet?.t === 'INTERACTION_CREATE' ? gatewayInteraction : undefined;
    const result = schema?.safeParse(packet?.d);
    if (result && !result.success) {
      logger.warn({ type: packet?.t, issue: result.error.issues[0]?.path.join('.') }, 'discord: malformed gateway event ignored');
      return true;
    }
    try {
      return handlePacket(packet, shard);
    } catch (error) {
      logger.warn({ err: error, type: packet?.t }, 'discord: malformed gateway event could not be handled');
      return true;
    }
  };
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord: client error'));
  client.on(Events.Warn, (text) => logger.warn({ detail: text }, 'discord: client warning'));
  client.rest.on('rateLimited', (info) =>
    logger.warn({ route: info.route, retryAfterMs: info.retryAfter, scope: info.scope }, 'discord: rate limited, waiting'),
  );

  return {
    name: 'discord',
    async start(messageHandler) {
      handler = messageHandler;
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(options.token);
      await ready;
      logger.info({ bot: client.user?.tag }, 'discord: adapter started');
    },
    async stop() {
      handler = undefined;
      await client.destroy();
      client.rest.setToken(options.token);
    },
    async post(target, reply) {
      const thread = await postDiscord(client.rest, reply, target, logger);
      if (thread) await follow(thread);
      return { thread };
    },
  };
}
