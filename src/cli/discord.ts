import type { Command } from 'commander';
import { registerDiscordCommands } from '../../adapters/discord/commands.js';
import { ConfigError } from '../errors.js';
import type { Services } from './services.js';

export function register(program: Command, services: () => Services): void {
  const discord = program.command('discord').description('Discord set-up');
  discord
    .command('register-commands')
    .description('register /panda-job and /panda-forget (guild commands when DISCORD_GUILD_ID is set: they appear at once)')
    .action(async () => {
      const { config } = services();
      if (!config.discord.token) throw new ConfigError('DISCORD_TOKEN is not set (example: DISCORD_TOKEN=<bot token from the Developer Portal>)');
      if (!config.discord.applicationId) throw new ConfigError('DISCORD_APPLICATION_ID is not set (example: DISCORD_APPLICATION_ID=123456789012345678)');
      const names = await registerDiscordCommands({
        token: config.discord.token,
        applicationId: config.discord.applicationId,
        guildId: config.discord.guildId,
        apiUrl: config.discord.apiUrl,
      });
      const scope = config.discord.guildId ? `guild ${config.discord.guildId}` : 'all guilds (global commands may take up to an hour to appear)';
      process.stdout.write(`registered ${names.map((n) => `/${n}`).join(', ')} for ${scope}\n`);
    });
}
