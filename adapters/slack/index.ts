/** The Slack platform (Socket Mode or HTTP Events API). */
import { z } from 'zod';
import { ConfigError } from '../../src/errors.js';
import { fromEnv } from '../../src/contracts/settings.js';
import { definePlatform } from '../shared/platform.js';
import { lazyHistory } from '../shared/lazy-history.js';

export const slackSettings = z.object({
  botToken: fromEnv(z.string().optional(), 'SLACK_BOT_TOKEN', 'xoxb-...', true),
  appToken: fromEnv(z.string().optional(), 'SLACK_APP_TOKEN', 'xapp-...', true),
  signingSecret: fromEnv(z.string().optional(), 'SLACK_SIGNING_SECRET', '8f742231b10e8888abcd99yyyzzz85a5', true),
  mode: fromEnv(z.enum(['socket', 'http']).default('socket'), 'SLACK_MODE', 'socket'),
  apiUrl: fromEnv(z.string().url().optional(), 'SLACK_API_URL', 'https://slack.com/api/'),
});
export type SlackSettings = z.output<typeof slackSettings>;

export const slackPlatform = definePlatform({
  name: 'slack',
  settings: slackSettings,
  leased: false,
  enabled: (s) => Boolean(s.botToken),
  async createAdapter(s, { logger, threads, http }) {
    if (s.mode === 'socket' && !s.appToken)
      throw new ConfigError('SLACK_APP_TOKEN: Socket Mode needs an app-level token (xapp-…); or set SLACK_MODE=http with SLACK_SIGNING_SECRET');
    if (s.mode === 'http' && !s.signingSecret) throw new ConfigError('SLACK_SIGNING_SECRET: HTTP mode needs the signing secret to verify requests');
    if (s.mode === 'http' && http.port === undefined)
      throw new ConfigError('ASKPANDA_HTTP_PORT: Slack HTTP mode needs the HTTP server for its Request URL (example: ASKPANDA_HTTP_PORT=8080)');
    const { createSlackAdapter } = await import('./adapter.js');
    return createSlackAdapter({
      botToken: s.botToken ?? '',
      mode: s.mode,
      appToken: s.appToken,
      signingSecret: s.signingSecret,
      apiUrl: s.apiUrl,
      logger,
      threads,
    });
  },
  history: (s, logger) =>
    lazyHistory('slack', async () => (await import('./history.js')).createSlackHistory({ token: s.botToken ?? '', apiUrl: s.apiUrl, logger })),
});
