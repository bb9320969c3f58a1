import { type AttachmentPayload, type Client, type Message, type MessageCreateOptions, type MessageEditOptions, Routes } from 'discord.js';
import { type Reply, type ReplyAttachment, withoutMarks } from '../../src/contracts/reply.js';
import { inertMarkdown } from '../../src/wire/reply-text.js';
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

/** Guild channel types a thread can be started in (text, announcement). */
const THREADABLE = new Set([0, 5]);

/**
 * Posts a reply nobody asked for over REST only (no gateway: a standby replica can post). In a guild
 * text channel the first message starts a thread the rest goes in; in a thread or DM everything goes there.
 * Returns the thread's channel id, or null for a DM.
 */
export async function postDiscord(
  rest: Client['rest'],
  reply: Reply,
  target: { channel: string; thread?: string | null },
  logger: Logger,
): Promise<string | null> {
  const plan = planAttachments(reply);
  const bodies = renderDiscordMessages(plan.reply);
  let where = target.thread ?? target.channel;
  let thread = target.thread ?? null;
  const send = (channel: string, body: DiscordMessageBody) => rest.post(Routes.channelMessages(channel), { body }) as Promise<{ id: string }>;
  if (!thread) {
    const channel = (await rest.get(Routes.channel(target.channel))) as { type?: number };
    if (THREADABLE.has(Number(channel.type))) {
      const [first, ...others] = bodies;
      const root = await send(
        target.channel,
        first ?? { content: reply.summary ? inertMarkdown(withoutMarks(reply.summary)) : '…', allowed_mentions: { parse: [] } },
      );
      const name =
        withoutMarks(reply.summary ?? first?.content ?? 'Ask PanDA')
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 90) || 'Ask PanDA';
      const created = (await rest.post(Routes.threads(target.channel, root.id), { body: { name, auto_archive_duration: 1440 } })) as { id: string };
      thread = created.id;
      where = created.id;
      bodies.splice(0, bodies.length, ...others);
    }
  }
  for (const body of bodies) await send(where, body);
  await uploadSafely(plan.files, { platform: 'discord', channel: where }, logger, async (files) => {
    for (let i = 0; i < files.length; i += FILES_PER_MESSAGE) {
      const batch = files.slice(i, i + FILES_PER_MESSAGE);
      await rest.post(Routes.channelMessages(where), {
        body: { attachments: batch.map((f, id) => ({ id, filename: f.filename, description: f.alt })), allowed_mentions: { parse: [] } },
        files: batch.map((f) => ({ name: f.filename, data: Buffer.from(f.data), contentType: f.mimeType })),
      });
    }
  });
  return thread;
}
