import type { IncomingMessage as HttpRequest, ServerResponse } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import type { ChatAdapter, FollowedThreads, MessageHandler } from '../../src/contracts/chat.js';
import type { IncomingMessage } from '../../src/contracts/message.js';
import { ConfigError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { acknowledgement, analysisRootText, isFeedback, parseSlashCommand } from '../shared/commands.js';
import { dispatch } from '../shared/dispatch.js';
import type { AdapterRoute } from '../shared/http.js';
import { createRecentSet } from '../shared/recent-set.js';
import { createBoltLogger } from './bolt-logger.js';
import { readInboundFiles } from '../shared/inbound-files.js';
import { actionToMessage, parseSlackEvent, type SlackEventFile, type SlackIdentity, slashPayload, slashToMessage } from './inbound.js';
import { createSlackOutbound, type SlackTarget } from './outbound.js';
import { renderSlackMessages } from './render.js';
import { answerSlackVerdict, createSlackRequestGuard } from './request-guard.js';

/** Path of the Events API / interactivity / slash-command Request URL in HTTP mode. */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackRetryConfig {
  retries: number;
  factor?: number;
  minTimeout?: number;
  maxTimeout?: number;
}

export interface SlackAdapterOptions {
  botToken: string;
  mode: 'socket' | 'http';
  /** `xapp-…` token, Socket Mode only. */
  appToken?: string;
  /** HTTP mode only: every request's signature is verified with it. */
  signingSecret?: string;
  /** Web API base URL (tests point it at a fake). */
  apiUrl?: string;
  logger: Logger;
  /** Web API retry policy; 429 responses always wait for Retry-After first. */
  retryConfig?: SlackRetryConfig;
  /** The threads the bot follows (shared state: survives restarts, seen by every replica). */
  threads: FollowedThreads;
}

export interface SlackAdapter extends ChatAdapter {
  readonly mode: 'socket' | 'http';
  /** HTTP mode: the Request URL path and its node request handler (mount on the bot's HTTP server). */
  readonly httpPath: string;
  readonly httpHandler: (req: HttpRequest, res: ServerResponse) => void;
  /** Routes to mount on the bot's HTTP server: the Request URL in HTTP mode, none in Socket Mode. */
  readonly routes: AdapterRoute[];
}

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const logger = options.logger.child({ component: 'slack' });
  if (!options.botToken) throw new ConfigError('Slack: SLACK_BOT_TOKEN is not set (example: SLACK_BOT_TOKEN=xoxb-...)');
  if (options.mode === 'socket' && !options.appToken) throw new ConfigError('Slack: Socket Mode needs SLACK_APP_TOKEN (example: SLACK_APP_TOKEN=xapp-...)');
  if (options.mode === 'http' && !options.signingSecret) throw new ConfigError('Slack: HTTP mode needs SLACK_SIGNING_SECRET to verify requests');
  const boltLogger = createBoltLogger(logger);
  const clientOptions = {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}),
  };
  const receiver =
    options.mode === 'http'
      ? new HTTPReceiver({ signingSecret: options.signingSecret as string, endpoints: SLACK_EVENTS_PATH, logger: boltLogger, processBeforeResponse: false })
      : undefined;
  const app = new App({
    token: options.botToken,
    logger: boltLogger,
    clientOptions,
    deferInitialization: true,
    ...(receiver
      ? { receiver }
      : { socketMode: true, appToken: options.appToken, installerOptions: { clientOptions: options.apiUrl ? { slackApiUrl: options.apiUrl } : {} } }),
  });
  const seen = createRecentSet();
  const outbound = createSlackOutbound(app.client, options.threads, logger);
  let identity: SlackIdentity | undefined;
  let handler: MessageHandler | undefined;
  let started = false;

  const answer = (message: IncomingMessage, target: SlackTarget): void => {
    const current = handler;
    if (!current) return;
    void dispatch(current, message, logger, {
      prepare: () => outbound.postWorking(target),
      deliver: (reply, placeholder) => outbound.deliver(reply, target, placeholder),
      discard: async (placeholder) => {
        if (placeholder) await outbound.remove(target.channel, placeholder);
      },
    });
  };

  const onEvent = async ({ body }: { body: unknown }): Promise<void> => {
    if (!identity) return;
    const parsed = await parseSlackEvent(body, identity, (channel, thread) => options.threads.follows('slack', `${channel}:${thread}`).catch(() => false));
    if (!parsed.ok) {
      if (parsed.ignored) logger.debug({ reason: parsed.reason }, 'slack: event ignored');
      else logger.warn({ reason: parsed.reason }, 'slack: malformed event ignored');
      return;
    }
    // Slack re-delivers (X-Slack-Retry-Num / retry_attempt) with the same event_id; the core dedupes too.
    if (!seen.addIfAbsent(parsed.message.eventId)) {
      logger.info({ eventId: parsed.message.eventId }, 'slack: duplicate delivery ignored');
      return;
    }
    const message = parsed.files?.length ? { ...parsed.message, files: await readSlackFiles(parsed.files) } : parsed.message;
    answer(message, { channel: message.channel, threadTs: message.thread });
  };

  /** Attached logs, downloaded with the bot token (`files:read`); Slack serves its login page (HTML) without the scope. */
  const readSlackFiles = (files: SlackEventFile[]) =>
    readInboundFiles(
      files.map((f) => ({ name: f.name, mimeType: f.mimetype, size: f.size, url: f.url_private_download ?? f.url_private })),
      async (url) => {
        const response = await fetch(url, { headers: { authorization: `Bearer ${options.botToken}` } });
        if (response.ok && (response.headers.get('content-type') ?? '').includes('text/html')) {
          throw new Error('Slack answered with its login page: the app lacks files:read');
        }
        return response;
      },
    );
  app.event('app_mention', onEvent);
  app.event('message', onEvent);

  app.command(/^\/panda-/, async ({ command, ack, respond }) => {
    const payload = slashPayload.safeParse(command);
    const parsed = payload.success ? parseSlashCommand(payload.data.command, payload.data.text) : null;
    if (!payload.success || !parsed) {
      logger.warn({ command: (command as { command?: unknown }).command }, 'slack: malformed or unknown slash command ignored');
      await ack({ response_type: 'ephemeral', text: 'Sorry, I do not know this command. Try /panda-job <pandaid>.' });
      return;
    }
    await ack({ response_type: 'ephemeral', text: acknowledgement(parsed) });
    const current = handler;
    if (!current) return;
    const p = payload.data;
    if (parsed.name !== 'panda-job') {
      const message = slashToMessage(p, null);
      if (!message) return;
      void dispatch(current, message, logger, {
        prepare: async () => undefined,
        deliver: async (reply) => {
          for (const m of renderSlackMessages(reply)) await respond({ response_type: 'ephemeral', text: m.text, blocks: m.blocks });
        },
        discard: async () => {},
      });
      return;
    }
    // Slash commands cannot be typed in threads: anchor the analysis on a root message we post.
    let rootTs: string;
    try {
      rootTs = await outbound.postRoot(p.channel_id, analysisRootText(parsed, `<@${p.user_id}>`));
    } catch (error) {
      logger.warn({ err: error, channel: p.channel_id }, 'slack: cannot post in the channel; answering through response_url');
      const message = slashToMessage(p, null);
      if (!message) return;
      void dispatch(current, message, logger, {
        prepare: async () => undefined,
        deliver: async (reply) => {
          for (const m of renderSlackMessages(reply)) await respond({ response_type: 'in_channel', text: m.text, blocks: m.blocks });
        },
        discard: async () => {},
      });
      return;
    }
    const message = slashToMessage(p, rootTs);
    if (message) answer(message, { channel: p.channel_id, threadTs: rootTs });
  });

  app.action(/.+/, async ({ body, ack }) => {
    await ack();
    const parsed = actionToMessage(body);
    if (!parsed.ok) {
      logger.warn({ reason: parsed.reason }, 'slack: malformed action ignored');
      return;
    }
    const message = parsed.message;
    const target = { channel: message.channel, threadTs: message.thread };
    const current = handler;
    if (!current) return;
    if (isFeedback(message.action)) {
      void dispatch(current, message, logger, {
        prepare: async () => undefined,
        deliver: (reply) => outbound.deliverEphemeral(reply, target, message.user),
        discard: async () => {},
      });
      return;
    }
    answer(message, target);
  });

  app.error(async (error) => {
    logger.error({ err: error }, 'slack: unhandled error in a listener');
  });

  const guard = createSlackRequestGuard(options.signingSecret ?? '');
  const httpHandler = (req: HttpRequest, res: ServerResponse): void => {
    if (!receiver || !started) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('Slack adapter not started');
      return;
    }
    guard(req).then(
      (verdict) => {
        if (!verdict.ok) {
          logger.warn({ reason: verdict.reason, url: req.url }, verdict.status === 200 ? 'slack: replayed request dropped' : 'slack: request refused');
          answerSlackVerdict(res, verdict);
          return;
        }
        try {
          receiver.requestListener(req, res);
        } catch (error) {
          logger.warn({ err: error, url: req.url }, 'slack: request to an unknown path');
          if (!res.headersSent) res.writeHead(404).end();
        }
      },
      (error: unknown) => {
        logger.warn({ err: error, url: req.url }, 'slack: request body unreadable');
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'request body unreadable or too large' }));
      },
    );
  };

  return {
    name: options.mode === 'http' ? 'slack-http' : 'slack',
    mode: options.mode,
    httpPath: SLACK_EVENTS_PATH,
    httpHandler,
    routes: options.mode === 'http' ? [{ method: 'POST', path: SLACK_EVENTS_PATH, handler: httpHandler }] : [],
    async start(messageHandler) {
      handler = messageHandler;
      await app.init();
      const auth = await app.client.auth.test();
      if (!auth.user_id) throw new ConfigError('Slack: auth.test did not return the bot user id; check SLACK_BOT_TOKEN');
      identity = { userId: auth.user_id, botId: auth.bot_id };
      if (options.mode === 'socket') await app.start();
      started = true;
      logger.info({ mode: options.mode, botUser: identity.userId }, 'slack: adapter started');
    },
    async stop() {
      started = false;
      if (options.mode === 'socket') await app.stop();
      handler = undefined;
    },
    async post(target, reply) {
      return { thread: await outbound.post(reply, { channel: target.channel, threadTs: target.thread ?? null }) };
    },
  };
}
