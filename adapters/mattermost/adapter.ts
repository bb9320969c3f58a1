import type { ChatAdapter, FollowedThreads, MessageHandler } from '../../src/contracts/chat.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import type { Reply, ReplyAttachment } from '../../src/contracts/reply.js';
import { ConfigError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { planAttachments, uploadSafely } from '../shared/attachments.js';
import { acknowledgement, analysisRootText, isFeedback, parseSlashCommand, WORKING_TEXT } from '../shared/commands.js';
import { dispatch } from '../shared/dispatch.js';
import type { AdapterRoute } from '../shared/http.js';
import { createRecentSet } from '../shared/recent-set.js';
import { replyToMarkdown } from '../shared/reply-text.js';
import { createActionHandler, createCommandHandler, MATTERMOST_ACTIONS_PATH, MATTERMOST_COMMAND_PATH } from './http.js';
import { actionToMessage, type MattermostIdentity, parsePosted, slashToMessage } from './inbound.js';
import { MATTERMOST_POST_LIMIT, type MattermostButton, renderMattermostPosts } from './render.js';
import { createMattermostRest } from './rest.js';
import { signContext } from './signing.js';
import { createMattermostSocket } from './websocket.js';

export interface MattermostAdapterOptions {
  /** Server URL, e.g. https://mattermost.web.cern.ch */
  url: string;
  /** Bot access token. */
  token: string;
  /** Token of the /panda-job slash command (verifies that requests come from Mattermost). */
  commandToken?: string;
  /** Secret for the HMAC carried in button contexts; without it no buttons are rendered. */
  actionSecret?: string;
  /** URL Mattermost POSTs button clicks to (this bot's …/mattermost/actions). */
  actionUrl?: string;
  logger: Logger;
  postLimit?: number;
  reconnect?: { minRetryMs?: number; maxRetryMs?: number };
  /** How long a 👍/👎 click waits for the answer to show it as ephemeral text. */
  feedbackWaitMs?: number;
  /** The threads the bot follows (shared state: survives restarts, seen by every replica). */
  threads: FollowedThreads;
}

export interface MattermostAdapter extends ChatAdapter {
  readonly routes: AdapterRoute[];
}

interface Target {
  channel: string;
  /** Thread root post id, or '' for the top of a DM. */
  root: string;
}

export function createMattermostAdapter(options: MattermostAdapterOptions): MattermostAdapter {
  if (!options.url || !options.token) throw new ConfigError('Mattermost: MATTERMOST_URL and MATTERMOST_TOKEN must both be set');
  const logger = options.logger.child({ component: 'mattermost' });
  const rest = createMattermostRest({ url: options.url, token: options.token, logger });
  const { threads } = options;
  const seen = createRecentSet();
  const limit = options.postLimit ?? MATTERMOST_POST_LIMIT;
  let identity: MattermostIdentity | undefined;
  let handler: MessageHandler | undefined;

  const buttonsFor =
    (target: Target) =>
    (reply: Reply): MattermostButton[] => {
      if (!options.actionSecret || !options.actionUrl) return [];
      const secret = options.actionSecret;
      const url = options.actionUrl;
      return (reply.actions ?? []).map((a, i) => ({
        id: `${a.id.replace(/[^a-zA-Z0-9]/g, '')}${i}`,
        name: a.label,
        ...(a.style && a.style !== 'default' ? { style: a.style } : {}),
        integration: { url, context: { ...signContext(secret, { action: a.id, value: a.value, channel: target.channel, root: target.root }) } },
      }));
    };

  const post = async (target: Target, body: { message: string; props?: Record<string, unknown>; file_ids?: string[] }) => {
    const created = await rest.createPost({ channel_id: target.channel, ...(target.root ? { root_id: target.root } : {}), ...body });
    if (target.root)
      await threads
        .follow('mattermost', target.root)
        .catch((error: unknown) => logger.warn({ err: error }, 'mattermost: could not record the followed thread'));
    return created;
  };

  /** Uploads the images to the channel, then posts them in the thread (at most 10 files per post). */
  const uploadImages = async (files: ReplyAttachment[], target: Target): Promise<void> => {
    for (let i = 0; i < files.length; i += 10) {
      const batch = files.slice(i, i + 10);
      const ids = await rest.uploadFiles(target.channel, batch);
      await post(target, { message: batch.map((f) => f.alt).join('\n'), file_ids: ids });
    }
  };

  const deliver = async (reply: Reply, target: Target, placeholder?: string): Promise<void> => {
    const plan = planAttachments(reply);
    for (const [i, body] of renderMattermostPosts(plan.reply, buttonsFor(target), limit).entries()) {
      if (i === 0 && placeholder) await rest.patchPost(placeholder, body);
      else await post(target, body);
    }
    await uploadSafely(plan.files, { platform: 'mattermost', channel: target.channel }, logger, (files) => uploadImages(files, target));
  };

  const answer = (message: IncomingMessage, target: Target): void => {
    const current = handler;
    if (!current) return;
    void dispatch(current, message, logger, {
      prepare: async () => (await post(target, { message: WORKING_TEXT })).id,
      deliver: (reply, placeholder) => deliver(reply, target, placeholder),
      discard: (placeholder) => rest.deletePost(placeholder),
    });
  };

  const onEvent = async (event: unknown): Promise<void> => {
    if (!identity || (event as { event?: unknown }).event !== 'posted') return;
    const parsed = await parsePosted(event, identity, (root) => threads.follows('mattermost', root).catch(() => false));
    if (!parsed.ok) {
      if (parsed.ignored) logger.debug({ reason: parsed.reason }, 'mattermost: post ignored');
      else logger.warn({ reason: parsed.reason }, 'mattermost: malformed event ignored');
      return;
    }
    // Every connection of the bot sees every post, and a resumed socket replays: dedupe by post id.
    if (!seen.addIfAbsent(parsed.message.eventId)) {
      logger.info({ eventId: parsed.message.eventId }, 'mattermost: duplicate post ignored');
      return;
    }
    answer(parsed.message, { channel: parsed.message.channel, root: parsed.message.thread ?? '' });
  };

  const socket = createMattermostSocket({
    url: options.url,
    token: options.token,
    logger,
    onEvent: (event) => void onEvent(event).catch((error: unknown) => logger.error({ err: error }, 'mattermost: event handling failed')),
    ...options.reconnect,
  });

  const httpOptions = {
    commandToken: options.commandToken,
    actionSecret: options.actionSecret ?? '',
    logger,
    onCommand(payload: Parameters<typeof slashToMessage>[0]) {
      const command = parseSlashCommand(payload.command, payload.text);
      if (!command) return { text: 'Sorry, I do not know this command. Try /panda-job <pandaid>.' };
      const current = handler;
      if (current && command.name === 'panda-job') {
        // The payload has no root_id: anchor the analysis on a root post of ours and thread under it.
        void post({ channel: payload.channel_id, root: '' }, { message: analysisRootText(command, `@${payload.user_name ?? payload.user_id}`) })
          .then((root) => {
            const message = slashToMessage(payload, root.id);
            if (message) answer(message, { channel: payload.channel_id, root: root.id });
          })
          .catch((error: unknown) => logger.error({ err: error, channel: payload.channel_id }, 'mattermost: could not post the analysis root'));
      } else if (current) {
        const message = slashToMessage(payload, null);
        if (message) answer(message, { channel: payload.channel_id, root: '' });
      }
      return { text: acknowledgement(command) };
    },
    async onAction(payload: Parameters<typeof actionToMessage>[0]) {
      const current = handler;
      if (!current) return {};
      const message = actionToMessage(payload);
      const target = { channel: message.channel, root: message.thread ?? '' };
      if (!isFeedback(message.action)) {
        answer(message, target);
        return {};
      }
      // Feedback: show the core's answer only to the clicking user (ephemeral_text), if it comes quickly.
      let text: string | undefined;
      const done = dispatch(current, message, logger, {
        prepare: async () => undefined,
        deliver: async (reply) => {
          if (text === undefined) text = replyToMarkdown(reply, { tables: 'markdown' });
          else await deliver(reply, target);
        },
        discard: async () => {},
      });
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, options.feedbackWaitMs ?? 2500))]);
      if (text === undefined) text = '';
      return text ? { ephemeral_text: text } : {};
    },
  };

  return {
    name: 'mattermost',
    routes: [
      { method: 'POST', path: MATTERMOST_COMMAND_PATH, handler: createCommandHandler(httpOptions) },
      { method: 'POST', path: MATTERMOST_ACTIONS_PATH, handler: createActionHandler(httpOptions) },
    ],
    async start(messageHandler) {
      handler = messageHandler;
      const me = await rest.me();
      identity = { userId: me.id, username: me.username };
      await socket.connect();
      logger.info({ bot: me.username }, 'mattermost: adapter started');
    },
    async stop() {
      socket.close();
      handler = undefined;
    },
    async post(target, reply) {
      // A top-level post becomes the root of the thread the rest of the reply (and later posts) go in.
      const plan = planAttachments(reply);
      let where: Target = { channel: target.channel, root: target.thread ?? '' };
      for (const body of renderMattermostPosts(plan.reply, buttonsFor(where), limit)) {
        const created = await post(where, body);
        if (!where.root) {
          where = { channel: target.channel, root: created.id };
          await threads
            .follow('mattermost', created.id)
            .catch((error: unknown) => logger.warn({ err: error }, 'mattermost: could not record the followed thread'));
        }
      }
      await uploadSafely(plan.files, { platform: 'mattermost', channel: target.channel }, logger, (files) => uploadImages(files, where));
      return { thread: where.root || null };
    },
  };
}
