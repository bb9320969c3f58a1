import { runChatAdapterContract } from '../contract/chat-adapter.js';
import { createDiscordDriver } from '../fakes/discord/driver.js';

// discord.js 14 with REST and the gateway pointed at the fake Discord.
runChatAdapterContract(() => createDiscordDriver());
