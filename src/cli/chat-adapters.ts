/**
 * Builds the chat adapters the configuration enables: each platform is on when its tokens are set,
 * several at once in one process. None configured → an empty list (`start` then runs the console).
 */
import { actionUrlFor } from '../../adapters/mattermost/index.js';
import type { AdapterRoute } from '../../adapters/shared/http.js';
import type { HttpCapableAdapter } from '../../adapters/shared/platform.js';
import type { Config } from '../config.js';
import type { FollowedThreads } from '../contracts/chat.js';
import type { Logger } from '../log.js';
import { platforms } from './platforms.js';

export type { HttpCapableAdapter };

/** Where Mattermost sends button clicks (see `actionUrlFor` in adapters/mattermost/index.ts). */
export function mattermostActionUrl(config: Config, path: string): string | undefined {
  return actionUrlFor(config.http, config.mattermost.actionSecret, path);
}

/** Platform SDKs are imported only for the platforms that are configured (each takes seconds to load). */
export async function createChatAdapters(config: Config, logger: Logger, threads: FollowedThreads): Promise<HttpCapableAdapter[]> {
  const adapters: HttpCapableAdapter[] = [];
  for (const platform of platforms(config)) {
    if (platform.enabled) adapters.push(await platform.createAdapter({ logger, threads, http: config.http }));
  }
  return adapters;
}

/** Every HTTP route the adapters need on the bot's single HTTP server. */
export function chatRoutes(adapters: HttpCapableAdapter[]): AdapterRoute[] {
  return adapters.flatMap((a) => a.routes ?? []);
}
