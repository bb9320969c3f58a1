import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCORD_COMMANDS, registerDiscordCommands } from '../../adapters/discord/commands.js';
import { createFakeDiscord, type FakeDiscord } from '../fakes/discord/fake-discord.js';

describe('askpanda discord register-commands', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await createFakeDiscord('register-token');
  });
  afterAll(async () => fake.close());

  it('PUTs /panda-job and /panda-forget as guild commands', async () => {
    const names = await registerDiscordCommands({ token: 'register-token', applicationId: fake.applicationId, guildId: fake.guildId, apiUrl: fake.apiUrl });
    expect(names).toEqual(['panda-job', 'panda-forget']);
    expect(fake.commands[0]?.route).toBe(`/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`);
    expect(fake.commands[0]?.body).toEqual(DISCORD_COMMANDS);
  });

  it('registers global commands without a guild id, and fails clearly with a bad token', async () => {
    await registerDiscordCommands({ token: 'register-token', applicationId: fake.applicationId, apiUrl: fake.apiUrl });
    expect(fake.commands[1]?.route).toBe(`/applications/${fake.applicationId}/commands`);
    await expect(registerDiscordCommands({ token: 'wrong', applicationId: fake.applicationId, apiUrl: fake.apiUrl })).rejects.toThrow(/401|Unauthorized/);
  });
});
