/** The Mattermost platform (websocket events, slash command and button callbacks over HTTP). */
import { z } from 'zod';
import { ConfigError } from '../../src/errors.js';
import { fromEnv } from '../../src/contracts/settings.js';
import { definePlatform, type PlatformHttp } from '../shared/platform.js';
import { lazyHistory } from '../shared/lazy-history.js';
import { MATTERMOST_ACTIONS_PATH } from './http.js';

export const mattermostSettings = z.object({
  url: fromEnv(z.string().url().optional(), 'MATTERMOST_URL', 'https://mattermost.web.cern.ch'),
  token: fromEnv(z.string().optional(), 'MATTERMOST_TOKEN', 'bot access token', true),
  commandToken: fromEnv(z.string().optional(), 'MATTERMOST_COMMAND_TOKEN', 'slash command token', true),
  actionSecret: fromEnv(z.string().optional(), 'MATTERMOST_ACTION_SECRET', 'random string', true),
});
export type MattermostSettings = z.output<typeof mattermostSettings>;

/**
 * Where Mattermost sends button clicks: ASKPANDA_PUBLIC_URL (the address the server reaches the bot
 * at, e.g. behind an ingress) + the actions path; else the bind address when it is a concrete host.
 * Undefined (no buttons) without the HTTP server, the action secret, or with a wildcard bind address.
 */
export function actionUrlFor(http: PlatformHttp, actionSecret: string | undefined, path = MATTERMOST_ACTIONS_PATH): string | undefined {
  if (http.port === undefined || !actionSecret) return undefined;
  if (http.publicUrl) return `${http.publicUrl.replace(/\/+$/, '')}${path}`;
  if (['0.0.0.0', '::', '[::]', ''].includes(http.host)) return undefined;
  return `http://${http.host}:${http.port}${path}`;
}

export const mattermostPlatform = definePlatform({
  name: 'mattermost',
  settings: mattermostSettings,
  leased: true,
  enabled: (s) => Boolean(s.url || s.token),
  async createAdapter(s, { logger, threads, http }) {
    if (!s.url || !s.token) throw new ConfigError('MATTERMOST_URL and MATTERMOST_TOKEN: set both to enable Mattermost');
    const { createMattermostAdapter } = await import('./adapter.js');
    const actionUrl = actionUrlFor(http, s.actionSecret);
    if (s.actionSecret && !actionUrl)
      logger.warn('mattermost: buttons are off: set ASKPANDA_PUBLIC_URL (the URL Mattermost reaches this bot at) and ASKPANDA_HTTP_PORT');
    return createMattermostAdapter({
      url: s.url,
      token: s.token,
      commandToken: s.commandToken,
      actionSecret: s.actionSecret,
      actionUrl,
      logger,
      threads,
    });
  },
  history(s, logger) {
    if (!s.url || !s.token) throw new ConfigError('MATTERMOST_URL and MATTERMOST_TOKEN: set both to enable Mattermost');
    const { url, token } = s;
    return lazyHistory('mattermost', async () => (await import('./history.js')).createMattermostHistory({ url, token, logger }));
  },
});
