import { describe, expect, it } from 'vitest';
import { chatRoutes, createChatAdapters } from '../../src/cli/chat-adapters.js';
import { platforms } from '../../src/cli/platforms.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { localFollowedThreads } from '../support/followed-threads.js';

const build = (env: Record<string, string>) => {
  const loaded = loadConfig({ ...env });
  return createChatAdapters(platforms(loaded), loaded.config.http, silentLogger(), localFollowedThreads());
};

describe('chat adapters from the configuration', () => {
  it('enables none without tokens (the console stays the default)', async () => {
    expect(await build({})).toEqual([]);
  });

  it('enables several platforms at once, each by its tokens, with their HTTP routes', async () => {
    const adapters = await build({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_MODE: 'http',
      SLACK_SIGNING_SECRET: 's',
      ASKPANDA_HTTP_PORT: '8080',
      MATTERMOST_URL: 'https://mm.example.org',
      MATTERMOST_TOKEN: 't',
      MATTERMOST_COMMAND_TOKEN: 'c',
      MATTERMOST_ACTION_SECRET: 'a',
      DISCORD_TOKEN: 'd',
    });
    expect(adapters.map((a) => a.name)).toEqual(['slack-http', 'mattermost', 'discord']);
    expect(chatRoutes(adapters).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /slack/events', 'POST /mattermost/command', 'POST /mattermost/actions']);
  });

  it('names the missing setting when a platform is half configured', async () => {
    await expect(build({ SLACK_BOT_TOKEN: 'xoxb-1' })).rejects.toThrow(/SLACK_APP_TOKEN/);
    await expect(build({ MATTERMOST_URL: 'https://mm.example.org' })).rejects.toThrow(/MATTERMOST_TOKEN/);
  });
});
