import { z } from 'zod';
import type { IncomingMessage } from '../../src/contracts/message.js';
import { parseSlashCommand } from '../shared/commands.js';

export interface MattermostIdentity {
  userId: string;
  username: string;
}

const postSchema = z.object({
  id: z.string().min(1),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  root_id: z.string().default(''),
  message: z.string().default(''),
  type: z.string().default(''),
  props: z.record(z.string(), z.unknown()).nullish(),
  /** Files the post attaches (a log the user shared): read through GET /api/v4/files/{id}. */
  file_ids: z.array(z.string().min(1)).nullish(),
});

const postedSchema = z.object({
  event: z.literal('posted'),
  data: z.object({
    channel_type: z.string().default('O'),
    team_id: z.string().default(''),
    sender_name: z.string().optional(),
    post: z.string().min(2),
  }),
  broadcast: z.object({ team_id: z.string().optional() }).partial().optional(),
});

export type ParseResult = { ok: true; message: IncomingMessage; fileIds?: string[] } | { ok: false; reason: string; ignored?: boolean };

function mentionPattern(username: string): RegExp {
  return new RegExp(`(^|[^\\w.-])@${username.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'i');
}

/** Parses a `posted` WebSocket event (its post is a JSON string) into an IncomingMessage. */
export async function parsePosted(raw: unknown, identity: MattermostIdentity, followsThread: (root: string) => Promise<boolean>): Promise<ParseResult> {
  const event = postedSchema.safeParse(raw);
  if (!event.success) return { ok: false, reason: `malformed posted event: ${event.error.issues[0]?.path.join('.')} ${event.error.issues[0]?.message}` };
  let json: unknown;
  try {
    json = JSON.parse(event.data.data.post);
  } catch {
    return { ok: false, reason: 'malformed posted event: post is not JSON' };
  }
  const parsed = postSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `malformed post: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}` };
  const post = parsed.data;
  if (post.user_id === identity.userId) return { ok: false, ignored: true, reason: 'own post' };
  if (post.props?.from_bot === 'true' || post.props?.from_webhook === 'true') return { ok: false, ignored: true, reason: 'bot or webhook post' };
  if (post.type !== '') return { ok: false, ignored: true, reason: `system post ${post.type}` };
  const channelType = event.data.data.channel_type;
  const isDirect = channelType === 'D';
  const mention = mentionPattern(identity.username);
  const mentionsBot = mention.test(post.message);
  if (!isDirect && !mentionsBot && !(post.root_id && (await followsThread(post.root_id))))
    return { ok: false, ignored: true, reason: 'not addressed to the bot' };
  const thread = isDirect ? post.root_id || null : post.root_id || post.id;
  return {
    ok: true,
    message: {
      platform: 'mattermost',
      workspace: event.data.data.team_id || event.data.broadcast?.team_id || 'direct',
      channel: post.channel_id,
      thread,
      messageId: post.id,
      user: post.user_id,
      userName: event.data.data.sender_name?.replace(/^@/, ''),
      text: post.message.replace(new RegExp(mention.source, 'gi'), '$1').replace(/\s+/g, ' ').trim(),
      isDirect,
      mentionsBot: mentionsBot || isDirect,
      channelPrivate: channelType === 'P' || channelType === 'D' || channelType === 'G' ? true : undefined,
      eventId: `mattermost-post:${post.id}`,
      receivedAt: new Date(),
    },
    ...(post.file_ids?.length ? { fileIds: post.file_ids } : {}),
  };
}

export const slashSchema = z.object({
  channel_id: z.string().min(1),
  channel_name: z.string().optional(),
  command: z.string().min(2),
  team_id: z.string().default(''),
  text: z.string().default(''),
  token: z.string().optional(),
  trigger_id: z.string().optional(),
  user_id: z.string().min(1),
  user_name: z.string().optional(),
  response_url: z.string().optional(),
});
export type MattermostSlash = z.infer<typeof slashSchema>;

export function slashToMessage(payload: MattermostSlash, root: string | null): IncomingMessage | null {
  const command = parseSlashCommand(payload.command, payload.text);
  if (!command) return null;
  return {
    platform: 'mattermost',
    workspace: payload.team_id || 'direct',
    channel: payload.channel_id,
    thread: root,
    messageId: root ?? undefined,
    user: payload.user_id,
    userName: payload.user_name,
    text: `/${command.name} ${command.args}`.trim(),
    isDirect: (payload.channel_name ?? '').includes('__'),
    mentionsBot: true,
    command,
    eventId: `mattermost-command:${payload.trigger_id ?? `${payload.channel_id}:${Date.now()}`}`,
    receivedAt: new Date(),
  };
}

export const actionSchema = z.object({
  user_id: z.string().min(1),
  user_name: z.string().optional(),
  channel_id: z.string().min(1),
  team_id: z.string().default(''),
  post_id: z.string().min(1),
  trigger_id: z.string().optional(),
  context: z.object({ action: z.string().min(1), value: z.string(), channel: z.string(), root: z.string(), sig: z.string().min(1) }),
});
export type MattermostAction = z.infer<typeof actionSchema>;

export function actionToMessage(payload: MattermostAction): IncomingMessage {
  const { context } = payload;
  return {
    platform: 'mattermost',
    workspace: payload.team_id || 'direct',
    channel: context.channel,
    thread: context.root || null,
    messageId: payload.post_id,
    user: payload.user_id,
    userName: payload.user_name,
    text: '',
    isDirect: false,
    mentionsBot: true,
    action: { id: context.action, value: context.value },
    eventId: `mattermost-action:${payload.trigger_id ?? `${payload.post_id}:${payload.user_id}:${context.action}:${Date.now()}`}`,
    receivedAt: new Date(),
  };
}
