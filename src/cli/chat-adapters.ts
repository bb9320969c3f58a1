/**
 * Builds the chat adapters the configuration enables: each platform is on when its tokens are set,
 * several at once in one process. None configured → an empty list (`start` then runs the console).
 */
import type { AdapterRoute } from '../../adapters/shared/http.js';
import type { BoundPlatform, HttpCapableAdapter } from '../../adapters/shared/platform.js';
import type { Config } from '../config.js';
import type { FollowedThreads } from '../contracts/chat.js';
import type { Logger } from '../log.js';

export type { HttpCapableAdapter };

/** Platform SDKs are imported only for the platforms that are configured (each takes seconds to load). */
export async function createChatAdapters(
  platforms: readonly BoundPlatform[],
  http: Config['http'],
  logger: Logger,
  threads: FollowedThreads,
): Promise<HttpCapableAdapter[]> {
  const adapters: HttpCapableAdapter[] = [];
  for (const platform of platforms) {
    if (platform.enabled) adapters.push(await platform.createAdapter({ logger, threads, http }));
  }
  return adapters;
}

/** Every HTTP route the adapters need on the bot's single HTTP server. */
export function chatRoutes(adapters: HttpCapableAdapter[]): AdapterRoute[] {
  return adapters.flatMap((a) => a.routes ?? []);
}
