import { z } from 'zod';
import type { IncomingMessage } from '../../src/contracts/message.js';
import { parseSlashCommand } from '../shared/commands.js';
import { actionIdOf } from './render.js';

/** Who the bot is, from `auth.test`. */
export interface SlackIdentity {
  userId: string;
  botId?: string;
}

/** A file as message events describe it (files:read is needed to download `url_private_download`). */
const eventFile = z.object({
  id: z.string(),
  name: z.string().default('file'),
  mimetype: z.string().optional(),
  filetype: z.string().optional(),
  size: z.number().default(0),
  url_private_download: z.string().optional(),
  url_private: z.string().optional(),
});
export type SlackEventFile = z.infer<typeof eventFile>;

/**
 * Message subtypes that carry a person's question: `file_share` (a DM or an @mention posted with a
 * file arrives only as this, with no app_mention) and `thread_broadcast` (a thread reply also sent
 * to the channel). Every other subtype (edits, deletions, joins, bot messages) is ignored.
 */
const QUESTION_SUBTYPES = new Set(['file_share', 'thread_broadcast']);

const messageEvent = z.object({
  type: z.enum(['app_mention', 'message']),
  subtype: z.string().optional(),
  user: z.string().min(1),
  bot_id: z.string().optional(),
  text: z.string().default(''),
  ts: z.string().min(1),
  thread_ts: z.string().optional(),
  channel: z.string().min(1),
  channel_type: z.string().optional(),
  files: z.array(eventFile).optional(),
});

export const eventEnvelope = z.object({
  event_id: z.string().min(1),
  team_id: z.string().optional(),
  event: z.record(z.string(), z.unknown()),
});

export type ParseResult = { ok: true; message: IncomingMessage; files?: SlackEventFile[] } | { ok: false; reason: string; ignored?: boolean };

function stripMention(text: string, identity: SlackIdentity): string {
  return text.replaceAll(`<@${identity.userId}>`, '').replace(/\s+/g, ' ').trim();
}

/**
 * Turns an Events API envelope (`app_mention` or `message`) into an IncomingMessage. `followsThread`
 * says whether the bot takes part in a thread (a reply there needs no mention).
 */
export async function parseSlackEvent(
  body: unknown,
  identity: SlackIdentity,
  followsThread: (channel: string, thread: string) => Promise<boolean>,
): Promise<ParseResult> {
  const envelope = eventEnvelope.safeParse(body);
  if (!envelope.success) return { ok: false, reason: `malformed envelope: ${envelope.error.issues[0]?.message ?? 'invalid'}` };
  const rawEvent = envelope.data.event;
  const subtype = rawEvent.subtype;
  if (rawEvent.bot_id !== undefined || (subtype !== undefined && !QUESTION_SUBTYPES.has(String(subtype)))) {
    return { ok: false, ignored: true, reason: 'bot message or edit' };
  }
  const parsed = messageEvent.safeParse(rawEvent);
  if (!parsed.success)
    return { ok: false, reason: `malformed ${String(rawEvent.type)} event: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}` };
  const event = parsed.data;
  if (event.user === identity.userId) return { ok: false, ignored: true, reason: 'own message' };
  const isDirect = event.channel_type === 'im';
  const mentions = event.text.includes(`<@${identity.userId}>`);
  if (event.type === 'message' && !isDirect) {
    // A mention arrives as app_mention too: answer it there only (but a mention posted with a file
    // comes only as message/file_share). Otherwise only threads we are in.
    if (mentions && event.subtype !== 'file_share') return { ok: false, ignored: true, reason: 'mention handled as app_mention' };
    const followed = Boolean(event.thread_ts && (await followsThread(event.channel, event.thread_ts)));
    if (!mentions && !followed) return { ok: false, ignored: true, reason: 'not addressed to the bot' };
  }
  const thread = isDirect ? (event.thread_ts ?? null) : (event.thread_ts ?? event.ts);
  return {
    ok: true,
    message: {
      platform: 'slack',
      workspace: envelope.data.team_id ?? 'unknown',
      channel: event.channel,
      thread,
      messageId: event.ts,
      user: event.user,
      text: stripMention(event.text, identity),
      isDirect,
      mentionsBot: mentions || isDirect,
      channelPrivate: isDirect || event.channel_type === 'group' || event.channel_type === 'mpim' ? true : undefined,
      eventId: envelope.data.event_id,
      receivedAt: new Date(),
    },
    ...(event.files?.length ? { files: event.files } : {}),
  };
}

export const slashPayload = z.object({
  command: z.string().min(2),
  text: z.string().default(''),
  user_id: z.string().min(1),
  user_name: z.string().optional(),
  channel_id: z.string().min(1),
  channel_name: z.string().optional(),
  team_id: z.string().default('unknown'),
  trigger_id: z.string().min(1),
  response_url: z.string().optional(),
});
export type SlackSlashPayload = z.infer<typeof slashPayload>;

/** A slash command as an IncomingMessage anchored on `rootTs`, the message the bot posted for it. */
export function slashToMessage(payload: SlackSlashPayload, rootTs: string | null): IncomingMessage | null {
  const command = parseSlashCommand(payload.command, payload.text);
  if (!command) return null;
  return {
    platform: 'slack',
    workspace: payload.team_id,
    channel: payload.channel_id,
    thread: rootTs,
    messageId: rootTs ?? undefined,
    user: payload.user_id,
    userName: payload.user_name,
    text: `/${command.name} ${command.args}`.trim(),
    isDirect: payload.channel_id.startsWith('D') || payload.channel_name === 'directmessage',
    mentionsBot: true,
    command,
    eventId: `slack-command:${payload.trigger_id}`,
    receivedAt: new Date(),
  };
}

export const blockActionsPayload = z.object({
  type: z.literal('block_actions'),
  trigger_id: z.string().optional(),
  user: z.object({ id: z.string(), name: z.string().optional(), username: z.string().optional(), team_id: z.string().optional() }),
  team: z.object({ id: z.string() }).nullish(),
  channel: z.object({ id: z.string(), name: z.string().optional() }),
  container: z.object({ message_ts: z.string().optional(), thread_ts: z.string().optional(), is_ephemeral: z.boolean().optional() }).optional(),
  message: z.object({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().default(''), action_ts: z.string().optional() })).min(1),
});

/** A button click as an IncomingMessage in the thread of the message that carried the button. */
export function actionToMessage(body: unknown): ParseResult {
  const parsed = blockActionsPayload.safeParse(body);
  if (!parsed.success) return { ok: false, reason: `malformed block_actions payload: ${parsed.error.issues[0]?.message}` };
  const p = parsed.data;
  const action = p.actions[0];
  if (!action) return { ok: false, reason: 'block_actions without an action' };
  const messageTs = p.message?.ts ?? p.container?.message_ts;
  const thread = p.message?.thread_ts ?? p.container?.thread_ts ?? messageTs ?? null;
  const isDirect = p.channel.id.startsWith('D');
  return {
    ok: true,
    message: {
      platform: 'slack',
      workspace: p.team?.id ?? p.user.team_id ?? 'unknown',
      channel: p.channel.id,
      thread: isDirect && !p.message?.thread_ts ? null : thread,
      messageId: messageTs,
      user: p.user.id,
      userName: p.user.username ?? p.user.name,
      text: '',
      isDirect,
      mentionsBot: true,
      action: { id: actionIdOf(action.action_id), value: action.value },
      eventId: `slack-action:${p.trigger_id ?? `${p.channel.id}:${action.action_ts ?? messageTs}`}`,
      receivedAt: new Date(),
    },
  };
}
