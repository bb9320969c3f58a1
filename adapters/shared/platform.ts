/**
 * A chat platform, declared once in `adapters/<platform>/index.ts`: its name, the config section and
 * environment variables it reads, whether one replica holds its connection (a lease), how to build
 * its adapter (the SDK imported only then) and its channel-history reader. The composition root
 * loops over the list in `src/cli/platforms.ts`; adding a platform is its folder plus one line there.
 */
import type { ChatAdapter, FollowedThreads } from '../../src/contracts/chat.js';
import type { DiscussionPlatform, DiscussionSource } from '../../src/contracts/discussions.js';
import type { Logger } from '../../src/log.js';
import type { AdapterRoute } from './http.js';

export type HttpCapableAdapter = ChatAdapter & { routes?: AdapterRoute[] };

/** The bot's HTTP server settings a platform may need (callback URLs, HTTP-mode checks). */
export interface PlatformHttp {
  port?: number;
  host: string;
  publicUrl?: string;
}

export interface PlatformContext {
  logger: Logger;
  threads: FollowedThreads;
  http: PlatformHttp;
}

/** `S` is the platform's config section (`config.slack`, …), typed by the platform itself. */
export interface PlatformModule<S> {
  name: DiscussionPlatform;
  /** The environment variables of its config section (documentation and `config check`). */
  configKeys: readonly string[];
  /** One replica holds the connection (a gateway or websocket) under a lease when state is shared. */
  leased: boolean;
  /** True when the settings turn the platform on. */
  enabled(settings: S): boolean;
  /** Checks the settings (ConfigError naming the variable) and builds the adapter. */
  createAdapter(settings: S, context: PlatformContext): Promise<HttpCapableAdapter>;
  /** The channel-history reader for discussion ingestion. */
  history(settings: S, logger: Logger): DiscussionSource;
}

/** A platform bound to its settings: what the composition root loops over. */
export interface BoundPlatform {
  name: DiscussionPlatform;
  leased: boolean;
  enabled: boolean;
  createAdapter(context: PlatformContext): Promise<HttpCapableAdapter>;
  history(logger: Logger): DiscussionSource;
}

export function bindPlatform<S>(module: PlatformModule<S>, settings: S): BoundPlatform {
  return {
    name: module.name,
    leased: module.leased,
    enabled: module.enabled(settings),
    createAdapter: (context) => module.createAdapter(settings, context),
    history: (logger) => module.history(settings, logger),
  };
}
