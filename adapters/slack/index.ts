/** The Slack platform (Socket Mode or HTTP Events API). */
import { ConfigError } from '../../src/errors.js';
import type { PlatformModule } from '../shared/platform.js';
import { lazyHistory } from '../shared/lazy-history.js';

export interface SlackSettings {
  botToken?: string;
  appToken?: string;
  signingSecret?: string;
  mode: 'socket' | 'http';
  apiUrl?: string;
}

export const slackPlatform: PlatformModule<SlackSettings> = {
  name: 'slack',
  configKeys: ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_MODE', 'SLACK_API_URL'],
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
};
