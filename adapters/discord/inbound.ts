import type { ButtonInteraction, ChatInputCommandInteraction, Message } from 'discord.js';
import { z } from 'zod';
import type { IncomingMessage } from '../../src/contracts/message.js';
import { parseSlashCommand } from '../shared/commands.js';
import { parseCustomId } from './render.js';

export type ParseResult = { ok: true; message: IncomingMessage } | { ok: false; reason: string; ignored?: boolean };

/** Gateway payload shapes we rely on; anything else is logged as malformed and dropped. */
export const gatewayMessage = z.object({
  id: z.string().min(1),
  channel_id: z.string().min(1),
  author: z.object({ id: z.string().min(1) }),
  content: z.string(),
});
export const gatewayInteraction = z.object({
  id: z.string().min(1),
  token: z.string().min(1),
  type: z.number(),
  channel_id: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

/** Where a message sits: threads are keyed by their own id under the parent channel. */
function place(channel: { id: string; isThread(): boolean; parentId?: string | null } | null, channelId: string): { channel: string; inThread: boolean } {
  if (channel?.isThread()) return { channel: channel.parentId ?? channelId, inThread: true };
  return { channel: channelId, inThread: false };
}

export async function parseDiscordMessage(message: Message, botId: string, followsThread: (threadId: string) => Promise<boolean>): Promise<ParseResult> {
  if (!message.author) return { ok: false, reason: 'malformed message: no author' };
  if (message.author.id === botId) return { ok: false, ignored: true, reason: 'own message' };
  if (message.author.bot || message.webhookId) return { ok: false, ignored: true, reason: 'bot or webhook message' };
  if (message.system) return { ok: false, ignored: true, reason: 'system message' };
  const isDirect = !message.guildId;
  const mentionsBot = message.mentions?.users?.has(botId) ?? false;
  const where = place(message.channel as never, message.channelId);
  if (!isDirect && !mentionsBot && !(where.inThread && (await followsThread(message.channelId))))
    return { ok: false, ignored: true, reason: 'not addressed to the bot' };
  const text = (message.content ?? '')
    .replace(new RegExp(`<@!?${botId}>`, 'g'), '')
    .replace(/\s+/g, ' ')
    .trim();
  return {
    ok: true,
    message: {
      platform: 'discord',
      workspace: message.guildId ?? 'direct',
      channel: where.channel,
      // A thread started from a message has that message's id, so a mention's thread is its own id.
      thread: isDirect ? null : where.inThread ? message.channelId : message.id,
      messageId: message.id,
      user: message.author.id,
      userName: message.author.username,
      text,
      isDirect,
      mentionsBot: mentionsBot || isDirect,
      channelPrivate: isDirect ? true : undefined,
      eventId: `discord-message:${message.id}`,
      receivedAt: new Date(),
    },
  };
}

export function commandToMessage(interaction: ChatInputCommandInteraction, thread: string | null): IncomingMessage | null {
  const command = parseSlashCommand(interaction.commandName, interaction.options.getString('pandaid') ?? '');
  if (!command) return null;
  const where = place(interaction.channel as never, interaction.channelId);
  return {
    platform: 'discord',
    workspace: interaction.guildId ?? 'direct',
    channel: where.channel,
    thread: thread ?? (where.inThread ? interaction.channelId : null),
    messageId: thread ?? undefined,
    user: interaction.user.id,
    userName: interaction.user.username,
    text: `/${command.name} ${command.args}`.trim(),
    isDirect: !interaction.guildId,
    mentionsBot: true,
    command,
    eventId: `discord-interaction:${interaction.id}`,
    receivedAt: new Date(),
  };
}

export function buttonToMessage(interaction: ButtonInteraction): ParseResult {
  const action = parseCustomId(interaction.customId);
  if (!action) return { ok: false, reason: `malformed button custom_id ${JSON.stringify(interaction.customId)}` };
  const where = place(interaction.channel as never, interaction.channelId);
  return {
    ok: true,
    message: {
      platform: 'discord',
      workspace: interaction.guildId ?? 'direct',
      channel: where.channel,
      thread: where.inThread ? interaction.channelId : null,
      messageId: interaction.message.id,
      user: interaction.user.id,
      userName: interaction.user.username,
      text: '',
      isDirect: !interaction.guildId,
      mentionsBot: true,
      action,
      eventId: `discord-interaction:${interaction.id}`,
      receivedAt: new Date(),
    },
  };
}
