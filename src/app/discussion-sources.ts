import { createDiscordHistory } from '../../adapters/discord/history.js';
import { createMattermostHistory } from '../../adapters/mattermost/history.js';
import { createSlackHistory } from '../../adapters/slack/history.js';
import type { Config } from '../config.js';
import type { DiscussionPlatform, DiscussionSource } from '../contracts/discussions.js';
import type { Logger } from '../log.js';

/** History readers for every platform whose bot token is configured. */
export function discussionSources(config: Config, logger: Logger): Partial<Record<DiscussionPlatform, DiscussionSource>> {
  const out: Partial<Record<DiscussionPlatform, DiscussionSource>> = {};
  if (config.slack.botToken) out.slack = createSlackHistory({ token: config.slack.botToken, apiUrl: config.slack.apiUrl, logger });
  if (config.mattermost.url && config.mattermost.token)
    out.mattermost = createMattermostHistory({ url: config.mattermost.url, token: config.mattermost.token, logger });
  if (config.discord.token) {
    const api = config.discord.apiUrl ? config.discord.apiUrl.replace(/\/$/, '') : undefined;
    out.discord = createDiscordHistory({ token: config.discord.token, apiUrl: api && !/\/v\d+$/.test(api) ? `${api}/v10` : api, logger });
  }
  return out;
}
