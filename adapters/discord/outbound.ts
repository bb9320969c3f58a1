import type { Message, MessageCreateOptions, MessageEditOptions } from 'discord.js';
import type { Reply } from '../../src/contracts/reply.js';
import { type DiscordMessageBody, renderDiscordMessages } from './render.js';

/** Anything we can post in: a text channel, a thread or a DM. */
export interface Postable {
  send(options: MessageCreateOptions | string): Promise<Message>;
}

/** The render output as discord.js options (API-shaped embeds/components pass through unchanged). */
export function toOptions(body: DiscordMessageBody): MessageCreateOptions & MessageEditOptions {
  return {
    content: body.content,
    embeds: body.embeds ?? [],
    components: (body.components ?? []) as MessageCreateOptions['components'],
    allowedMentions: { parse: [] },
  };
}

/** Posts the reply in `channel`; the first message replaces `placeholder` when there is one. */
export async function deliverDiscord(reply: Reply, channel: Postable, placeholder?: Message): Promise<void> {
  for (const [i, body] of renderDiscordMessages(reply).entries()) {
    if (i === 0 && placeholder) await placeholder.edit(toOptions(body));
    else await channel.send(toOptions(body));
  }
}
