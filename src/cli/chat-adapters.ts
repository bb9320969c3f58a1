/**
 * Builds the chat adapters the configuration enables: each platform is on when its tokens are set,
 * several at once in one process. None configured → an empty list (`start` then runs the console).
 */
import type { AdapterRoute } from '../../adapters/shared/http.js';
import type { Config } from '../config.js';
import type { ChatAdapter, FollowedThreads } from '../contracts/chat.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';

export type HttpCapableAdapter = ChatAdapter & { routes?: AdapterRoute[] };

/**
 * Where Mattermost sends button clicks: ASKPANDA_PUBLIC_URL (the address the server reaches the bot
 * at, e.g. behind an ingress) + the actions path; else the bind address when it is a concrete host.
 * Undefined (no buttons) without the HTTP server, the action secret, or with a wildcard bind address.
 */
export function mattermostActionUrl(config: Config, path: string): string | undefined {
  if (config.http.port === undefined || !config.mattermost.actionSecret) return undefined;
  if (config.http.publicUrl) return `${config.http.publicUrl.replace(/\/+$/, '')}${path}`;
  if (['0.0.0.0', '::', '[::]', ''].includes(config.http.host)) return undefined;
  return `http://${config.http.host}:${config.http.port}${path}`;
}

/** Platform SDKs are imported only for the platforms that are configured (each takes seconds to load). */
export async function createChatAdapters(config: Config, logger: Logger, threads: FollowedThreads): Promise<HttpCapableAdapter[]> {
  const adapters: HttpCapableAdapter[] = [];
  const { slack, mattermost, discord } = config;
  if (slack.botToken) {
    if (slack.mode === 'socket' && !slack.appToken)
      throw new ConfigError('SLACK_APP_TOKEN: Socket Mode needs an app-level token (xapp-…); or set SLACK_MODE=http with SLACK_SIGNING_SECRET');
    if (slack.mode === 'http' && !slack.signingSecret) throw new ConfigError('SLACK_SIGNING_SECRET: HTTP mode needs the signing secret to verify requests');
    if (slack.mode === 'http' && config.http.port === undefined)
      throw new ConfigError('ASKPANDA_HTTP_PORT: Slack HTTP mode needs the HTTP server for its Request URL (example: ASKPANDA_HTTP_PORT=8080)');
    const { createSlackAdapter } = await import('../../adapters/slack/adapter.js');
    adapters.push(
      createSlackAdapter({
        botToken: slack.botToken,
        mode: slack.mode,
        appToken: slack.appToken,
        signingSecret: slack.signingSecret,
        apiUrl: slack.apiUrl,
        logger,
        threads,
      }),
    );
  }
  if (mattermost.url || mattermost.token) {
    if (!mattermost.url || !mattermost.token) throw new ConfigError('MATTERMOST_URL and MATTERMOST_TOKEN: set both to enable Mattermost');
    const { createMattermostAdapter } = await import('../../adapters/mattermost/adapter.js');
    const { MATTERMOST_ACTIONS_PATH } = await import('../../adapters/mattermost/http.js');
    const actionUrl = mattermostActionUrl(config, MATTERMOST_ACTIONS_PATH);
    if (mattermost.actionSecret && !actionUrl)
      logger.warn('mattermost: buttons are off: set ASKPANDA_PUBLIC_URL (the URL Mattermost reaches this bot at) and ASKPANDA_HTTP_PORT');
    adapters.push(
      createMattermostAdapter({
        url: mattermost.url,
        token: mattermost.token,
        commandToken: mattermost.commandToken,
        actionSecret: mattermost.actionSecret,
        actionUrl,
        logger,
        threads,
      }),
    );
  }
  if (discord.token) {
    const { createDiscordAdapter } = await import('../../adapters/discord/adapter.js');
    adapters.push(createDiscordAdapter({ token: discord.token, apiUrl: discord.apiUrl, logger, threads }));
  }
  return adapters;
}

/** Every HTTP route the adapters need on the bot's single HTTP server. */
export function chatRoutes(adapters: HttpCapableAdapter[]): AdapterRoute[] {
  return adapters.flatMap((a) => a.routes ?? []);
}
