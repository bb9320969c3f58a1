import type { ChatAdapter, FollowedThreads, MessageHandler } from '../../src/contracts/chat.js';
import type { InboundFile, IncomingMessage } from '../../src/contracts/message.js';
import type { Reply, ReplyAttachment } from '../../src/contracts/reply.js';
import type { SlashCommand } from '../../src/contracts/message.js';
import { ConfigError, UpstreamError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { planAttachments, uploadSafely } from '../shared/attachments.js';
import { acknowledgement, analysisRootText, isFeedback, parseSlashCommand, WORKING_TEXT } from '../shared/commands.js';
import { dispatch } from '../shared/dispatch.js';
import type { AdapterRoute } from '../shared/http.js';
import { type FileToRead, readInboundFiles } from '../shared/inbound-files.js';
import { createRecentSet } from '../shared/recent-set.js';
import { replyToMarkdown } from '../../src/wire/reply-text.js';
import { createActionHandler, createCommandHandler, MATTERMOST_ACTIONS_PATH, MATTERMOST_COMMAND_PATH } from './http.js';
import { actionToMessage, type MattermostIdentity, type MattermostSlash, parsePosted, slashToMessage } from './inbound.js';
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
  /**
   * A slash command's response_url: where the answer goes when the bot may not post over REST (not a
   * channel member, 403). Mattermost posts its responses in the thread the command was typed in.
   */
  hook?: string;
}

/** Responses a response_url takes (developers.mattermost.com/integrate/slash-commands): 5 within 30 minutes. */
const HOOK_RESPONSES = 5;
/** How long the bot waits for its own response_url post to come back on the socket (to learn its thread). */
const ECHO_WAIT_MS = 5000;

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

  /** Uses left on each response_url (one was spent on the analysis root). */
  const hookUses = new Map<string, number>();
  const respond = async (hook: string, body: { message: string; props?: Record<string, unknown> }): Promise<void> => {
    const used = hookUses.get(hook) ?? 0;
    if (used >= HOOK_RESPONSES) throw new UpstreamError('upstream_error', 'Mattermost: the command response URL took its 5 responses');
    hookUses.set(hook, used + 1);
    const response = await fetch(hook, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'in_channel', text: body.message, ...(body.props ? { props: body.props } : {}) }),
    });
    if (!response.ok) throw new UpstreamError('upstream_error', `Mattermost response URL answered HTTP ${response.status}`, { status: response.status });
  };
  const forbidden = (error: unknown): boolean => error instanceof UpstreamError && error.status === 403;

  const deliver = async (reply: Reply, target: Target, placeholder?: string): Promise<void> => {
    const plan = planAttachments(reply);
    const bodies = renderMattermostPosts(plan.reply, buttonsFor(target), limit);
    try {
      for (const [i, body] of bodies.entries()) {
        if (i === 0 && placeholder) await rest.patchPost(placeholder, body);
        else await post(target, body);
      }
    } catch (error) {
      if (!target.hook || !forbidden(error)) throw error;
      // Not a member of the channel: the command's response_url can still post (up to 5 times).
      logger.warn({ channel: target.channel }, 'mattermost: the bot is not a member of this channel; answering through the command response URL');
      for (const body of bodies) await respond(target.hook, body);
      if (plan.files.length)
        await respond(target.hook, { message: `(${plan.files.length} chart(s) not shown: invite the bot to this channel with /invite @askpanda)` });
      return;
    }
    await uploadSafely(plan.files, { platform: 'mattermost', channel: target.channel }, logger, (files) => uploadImages(files, target));
  };

  const answer = (message: IncomingMessage, target: Target): void => {
    const current = handler;
    if (!current) return;
    void dispatch(current, message, logger, {
      prepare: async () => {
        try {
          return (await post(target, { message: WORKING_TEXT })).id;
        } catch (error) {
          if (target.hook && forbidden(error)) return undefined;
          throw error;
        }
      },
      deliver: (reply, placeholder) => deliver(reply, target, placeholder),
      discard: async (placeholder) => {
        if (placeholder) await rest.deletePost(placeholder);
      },
    });
  };

  /** Own posts made through a response_url, awaited by text to learn their id and thread. */
  const echoes = new Map<string, (post: { id: string; root_id: string }) => void>();
  const echoKey = (channel: string, message: string) => `${channel}\n${message}`;
  const awaitEcho = (channel: string, message: string): Promise<{ id: string; root_id: string } | undefined> =>
    new Promise((resolve) => {
      const key = echoKey(channel, message);
      const timer = setTimeout(() => {
        echoes.delete(key);
        resolve(undefined);
      }, ECHO_WAIT_MS);
      echoes.set(key, (p) => {
        clearTimeout(timer);
        echoes.delete(key);
        resolve(p);
      });
    });

  /**
   * /panda-job: the analysis root goes through the response_url, so it lands in the thread the
   * command was typed in (the payload has no root_id) and needs no channel membership; its echo on
   * the socket tells where it is. Without a response_url (or no echo), the root is posted over REST.
   */
  const startAnalysis = async (payload: MattermostSlash, command: SlashCommand): Promise<void> => {
    const text = analysisRootText(command, `@${payload.user_name ?? payload.user_id}`);
    const hook = payload.response_url;
    let root: string | undefined;
    if (hook) {
      const echo = awaitEcho(payload.channel_id, text);
      const sent = await respond(hook, { message: text }).then(
        () => true,
        (error: unknown) => {
          logger.warn({ err: error }, 'mattermost: the command response URL refused the analysis root');
          return false;
        },
      );
      const posted = sent ? await echo : undefined;
      if (posted) root = posted.root_id || posted.id;
    }
    if (!root) {
      try {
        root = (await post({ channel: payload.channel_id, root: '' }, { message: text })).id;
      } catch (error) {
        if (!hook || !forbidden(error)) throw error;
      }
    }
    const message = slashToMessage(payload, root ?? null);
    if (message) answer(message, { channel: payload.channel_id, root: root ?? '', ...(hook ? { hook } : {}) });
  };

  const onEvent = async (event: unknown): Promise<void> => {
    if (!identity || (event as { event?: unknown }).event !== 'posted') return;
    const echoed = ownEcho(event);
    if (echoed) return echoed();
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
    const message = parsed.fileIds ? { ...parsed.message, files: await readMattermostFiles(parsed.fileIds) } : parsed.message;
    answer(message, { channel: message.channel, root: message.thread ?? '' });
  };

  /** Attached logs: each file's info, then its bytes, both with the bot token (the bot must be a member of the channel). */
  const readMattermostFiles = async (ids: string[]): Promise<InboundFile[]> => {
    const readable: FileToRead[] = [];
    const unreadable: InboundFile[] = [];
    for (const id of ids) {
      try {
        const info = await rest.fileInfo(id);
        readable.push({ name: info.name, size: info.size, ...(info.mime_type ? { mimeType: info.mime_type } : {}), url: rest.fileUrl(id) });
      } catch (error) {
        // Not visible to the bot (not a channel member) or gone: described, never fatal.
        unreadable.push({ name: `file ${id}`, size: 0, skipped: `not readable (${error instanceof Error ? error.message : String(error)})` });
      }
    }
    return [...(await readInboundFiles(readable, (url) => rest.downloadFile(url))), ...unreadable];
  };

  /** The resolver of an awaited response_url post, when `event` is that post. */
  const ownEcho = (event: unknown): (() => void) | undefined => {
    if (echoes.size === 0) return undefined;
    try {
      const raw = (event as { data?: { post?: unknown } }).data?.post;
      const p = JSON.parse(typeof raw === 'string' ? raw : '{}') as { id?: string; root_id?: string; channel_id?: string; message?: string };
      const resolve = p.id && p.channel_id ? echoes.get(echoKey(p.channel_id, p.message ?? '')) : undefined;
      return resolve && p.id ? () => resolve({ id: p.id as string, root_id: p.root_id ?? '' }) : undefined;
    } catch {
      return undefined;
    }
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
        void startAnalysis(payload, command).catch((error: unknown) =>
          logger.error({ err: error, channel: payload.channel_id }, 'mattermost: could not post the analysis root'),
        );
      } else if (current) {
        const message = slashToMessage(payload, null);
        if (message) answer(message, { channel: payload.channel_id, root: '', ...(payload.response_url ? { hook: payload.response_url } : {}) });
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
    routes: mattermostRoutes(httpOptions),
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

/**
 * The endpoints are mounted only with their secret: without MATTERMOST_ACTION_SECRET there is no
 * `/mattermost/actions` (a click signed with an empty key would be accepted), without the slash
 * command token no `/mattermost/command`.
 */
function mattermostRoutes(httpOptions: Parameters<typeof createActionHandler>[0]): AdapterRoute[] {
  return [
    ...(httpOptions.commandToken ? [{ method: 'POST' as const, path: MATTERMOST_COMMAND_PATH, handler: createCommandHandler(httpOptions) }] : []),
    ...(httpOptions.actionSecret ? [{ method: 'POST' as const, path: MATTERMOST_ACTIONS_PATH, handler: createActionHandler(httpOptions) }] : []),
  ];
}
