/** The Discord platform (gateway connection held by one replica, REST for everything else). */
import type { PlatformModule } from '../shared/platform.js';
import { lazyHistory } from '../shared/lazy-history.js';

export interface DiscordSettings {
  token?: string;
  apiUrl?: string;
}

export const discordPlatform: PlatformModule<DiscordSettings> = {
  name: 'discord',
  configKeys: ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'DISCORD_GUILD_ID', 'DISCORD_API_URL', 'DISCORD_GATEWAY_URL'],
  leased: true,
  enabled: (s) => Boolean(s.token),
  async createAdapter(s, { logger, threads }) {
    const { createDiscordAdapter } = await import('./adapter.js');
    return createDiscordAdapter({ token: s.token ?? '', apiUrl: s.apiUrl, logger, threads });
  },
  history(s, logger) {
    return lazyHistory('discord', async () => (await import('./history.js')).createDiscordHistory({ token: s.token ?? '', apiUrl: s.apiUrl, logger }));
  },
};
