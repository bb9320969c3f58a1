import type { AttachmentPayload, Message, MessageCreateOptions, MessageEditOptions } from 'discord.js';
import type { Reply, ReplyAttachment } from '../../src/contracts/reply.js';
import type { Logger } from '../../src/log.js';
import { planAttachments, uploadSafely } from '../shared/attachments.js';
import { type DiscordMessageBody, renderDiscordMessages } from './render.js';

/** Anything we can post in: a text channel, a thread or a DM. */
export interface Postable {
  readonly id: string;
  send(options: MessageCreateOptions | string): Promise<Message>;
}

/** Discord takes at most 10 files per message. */
const FILES_PER_MESSAGE = 10;

/** The render output as discord.js options (API-shaped embeds/components pass through unchanged). */
export function toOptions(body: DiscordMessageBody): MessageCreateOptions & MessageEditOptions {
  return {
    content: body.content,
    embeds: body.embeds ?? [],
    components: (body.components ?? []) as MessageCreateOptions['components'],
    allowedMentions: { parse: [] },
  };
}

/** Message options carrying images as files (multipart `files[n]` beside `payload_json`), 10 per message. */
export function imageMessages(files: ReplyAttachment[]): Array<{ files: AttachmentPayload[]; allowedMentions: { parse: [] } }> {
  const out: Array<{ files: AttachmentPayload[]; allowedMentions: { parse: [] } }> = [];
  for (let i = 0; i < files.length; i += FILES_PER_MESSAGE) {
    const batch = files.slice(i, i + FILES_PER_MESSAGE);
    out.push({ files: batch.map((f) => ({ attachment: Buffer.from(f.data), name: f.filename, description: f.alt })), allowedMentions: { parse: [] } });
  }
  return out;
}

/**
 * Posts the reply in `channel` (the first message replaces `placeholder` when there is one), then its
 * images in messages of their own, so a failed upload never costs the text.
 */
export async function deliverDiscord(reply: Reply, channel: Postable, logger: Logger, placeholder?: Message): Promise<void> {
  const plan = planAttachments(reply);
  for (const [i, body] of renderDiscordMessages(plan.reply).entries()) {
    if (i === 0 && placeholder) await placeholder.edit(toOptions(body));
    else await channel.send(toOptions(body));
  }
  await uploadSafely(plan.files, { platform: 'discord', channel: channel.id }, logger, async (files) => {
    for (const options of imageMessages(files)) await channel.send(options);
  });
}
