/**
 * The HTTP agent for discord.js's REST client, taken from the undici copy @discordjs/rest itself
 * loads. Without one, @discordjs/rest (undici 6) sends through the process-wide dispatcher, and in
 * the bot that is undici 7's Agent (installed on import by the PanDA HTTP transport): multipart
 * uploads then fail with `TypeError: action is not a function` (discordjs/discord.js#10946,
 * nodejs/undici#5520). An explicit agent of the same undici keeps the request, its FormData body
 * and the dispatcher in one implementation, whatever else the process loads.
 */
import { createRequire } from 'node:module';
import type { RESTOptions } from 'discord.js';

interface UndiciAgentModule {
  Agent: new (options?: { connections?: number }) => unknown;
}

export function discordRestAgent(): NonNullable<RESTOptions['agent']> {
  const fromHere = createRequire(import.meta.url);
  const fromDiscord = createRequire(fromHere.resolve('discord.js'));
  const fromRest = createRequire(fromDiscord.resolve('@discordjs/rest'));
  const undici = fromRest('undici') as UndiciAgentModule;
  // The Agent class of @discordjs/rest's own undici: the type its options declare.
  return new undici.Agent() as NonNullable<RESTOptions['agent']>;
}
