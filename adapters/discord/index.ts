/** The Discord platform (gateway connection held by one replica, REST for everything else). */
import { z } from 'zod';
import { fromEnv } from '../../src/contracts/settings.js';
import { definePlatform } from '../shared/platform.js';
import { lazyHistory } from '../shared/lazy-history.js';

export const discordSettings = z.object({
  token: fromEnv(z.string().optional(), 'DISCORD_TOKEN', 'bot token', true),
  applicationId: fromEnv(z.string().optional(), 'DISCORD_APPLICATION_ID', '123456789012345678'),
  guildId: fromEnv(z.string().optional(), 'DISCORD_GUILD_ID', '123456789012345678'),
  apiUrl: fromEnv(z.string().url().optional(), 'DISCORD_API_URL', 'https://discord.com/api'),
});

export const discordPlatform = definePlatform({
  name: 'discord',
  settings: discordSettings,
  leased: true,
  enabled: (s) => Boolean(s.token),
  async createAdapter(s, { logger, threads }) {
    const { createDiscordAdapter } = await import('./adapter.js');
    return createDiscordAdapter({ token: s.token ?? '', apiUrl: s.apiUrl, logger, threads });
  },
  history(s, logger) {
    return lazyHistory('discord', async () => (await import('./history.js')).createDiscordHistory({ token: s.token ?? '', apiUrl: s.apiUrl, logger }));
  },
});
