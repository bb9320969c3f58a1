import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DISCORD_COMMANDS } from '../../adapters/discord/commands.js';
import { MATTERMOST_COMMAND_PATH } from '../../adapters/mattermost/http.js';
import { SLACK_EVENTS_PATH } from '../../adapters/slack/adapter.js';

const read = (path: string): string => readFileSync(new URL(`../../manifests/${path}`, import.meta.url), 'utf8');

interface SlackManifest {
  features: { slash_commands: Array<{ command: string; url?: string }> };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url?: string; bot_events: string[] }; socket_mode_enabled: boolean; interactivity: { is_enabled: boolean } };
}

describe('manifests match what the adapters serve', () => {
  it('Slack: production (HTTP) and dev (Socket Mode) declare the commands, events and scopes the adapter uses', () => {
    const prod = parse(read('slack-app.yaml')) as SlackManifest;
    const dev = parse(read('slack-app.dev.yaml')) as SlackManifest;
    expect(prod.settings.socket_mode_enabled).toBe(false);
    expect(dev.settings.socket_mode_enabled).toBe(true);
    for (const m of [prod, dev]) {
      expect(m.features.slash_commands.map((c) => c.command)).toEqual(['/panda-job', '/panda-forget']);
      expect(m.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(['app_mention', 'message.im', 'message.channels']));
      expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['app_mentions:read', 'chat:write', 'commands', 'im:history', 'channels:history']));
      expect(m.settings.interactivity.is_enabled).toBe(true);
    }
    expect(prod.settings.event_subscriptions.request_url?.endsWith(SLACK_EVENTS_PATH)).toBe(true);
    expect(prod.features.slash_commands.every((c) => c.url?.endsWith(SLACK_EVENTS_PATH))).toBe(true);
  });

  it('Mattermost: the slash command posts to the command endpoint', () => {
    const command = JSON.parse(read('mattermost/slash-command.json')) as { trigger: string; url: string; method: string };
    expect(command.trigger).toBe('panda-job');
    expect(command.method).toBe('P');
    expect(command.url.endsWith(MATTERMOST_COMMAND_PATH)).toBe(true);
  });

  it('Discord: commands.json is exactly what register-commands sends', () => {
    expect(JSON.parse(read('discord/commands.json'))).toEqual(DISCORD_COMMANDS);
  });
});
