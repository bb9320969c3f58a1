import { REST, Routes } from 'discord.js';
import { discordRestAgent } from './rest-agent.js';

/** The application commands the bot registers (CHAT_INPUT = type 1; option type 3 = STRING). */
export const DISCORD_COMMANDS = [
  {
    name: 'panda-job',
    type: 1,
    description: 'Explain why a PanDA job failed; the analysis is posted in a thread',
    options: [{ type: 3, name: 'pandaid', description: 'PanDA job id, e.g. 6715819744', required: true, max_length: 20 }],
  },
  { name: 'panda-forget', type: 1, description: 'Forget the conversation in this channel or thread' },
] as const;

export interface RegisterCommandsOptions {
  token: string;
  applicationId: string;
  /** Guild commands update at once; global ones can take up to an hour. */
  guildId?: string;
  /** REST base URL, e.g. https://discord.com/api (tests point it at a fake). */
  apiUrl?: string;
}

/** Overwrites the bot's application commands (PUT, idempotent). Returns the registered names. */
export async function registerDiscordCommands(options: RegisterCommandsOptions): Promise<string[]> {
  const rest = new REST({ ...(options.apiUrl ? { api: options.apiUrl } : {}), agent: discordRestAgent() }).setToken(options.token);
  const route = options.guildId ? Routes.applicationGuildCommands(options.applicationId, options.guildId) : Routes.applicationCommands(options.applicationId);
  const result = (await rest.put(route, { body: DISCORD_COMMANDS })) as Array<{ name: string }>;
  return result.map((c) => c.name);
}
