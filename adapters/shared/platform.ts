/**
 * A chat platform, declared once in `adapters/<platform>/index.ts`: its name (also the `platform` of
 * its thread export lines), its config section (a zod object whose leaves name their environment
 * variables with `fromEnv`), whether one replica holds its connection (a lease), how to build its
 * adapter (the SDK imported only then) and its channel-history reader. The module imports nothing
 * heavy: the config layer reads its section at every start. `adapters/platforms.ts` lists the
 * modules; the config schema, `ENV_KEYS`, the adapters, history readers, leases and every list of
 * platform names derive from that list.
 */
import type { z } from 'zod';
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

/**
 * `N` is the platform's name, which is also its config section's key (`config.slack`, …) and the
 * YAML/JSON config file's section; `S` its section's schema. Methods (not function properties) so
 * that modules with different sections fit one list.
 */
export interface PlatformModule<N extends string = string, S extends z.ZodObject = z.ZodObject> {
  name: N;
  /** The config section: every leaf declares its environment variable with `fromEnv`. */
  settings: S;
  /** One replica holds the connection (a gateway or websocket) under a lease when state is shared. */
  leased: boolean;
  /** True when the settings turn the platform on. */
  enabled(settings: z.output<S>): boolean;
  /** Checks the settings (ConfigError naming the variable) and builds the adapter. */
  createAdapter(settings: z.output<S>, context: PlatformContext): Promise<HttpCapableAdapter>;
  /** The channel-history reader for discussion ingestion. */
  history(settings: z.output<S>, logger: Logger): DiscussionSource;
}

/** Any registered platform module. */
export type AnyPlatformModule = PlatformModule<string, z.ZodObject>;

/** Declares a platform module, keeping its name and section types for the typed config. */
export function definePlatform<N extends string, S extends z.ZodObject>(module: PlatformModule<N, S>): PlatformModule<N, S> {
  return module;
}

/** A platform bound to its settings: what the composition root loops over. */
export interface BoundPlatform {
  name: DiscussionPlatform;
  leased: boolean;
  enabled: boolean;
  createAdapter(context: PlatformContext): Promise<HttpCapableAdapter>;
  history(logger: Logger): DiscussionSource;
}

/** Binds a module to its section of a parsed config (the config object keyed by platform name). */
export function bindPlatform(module: AnyPlatformModule, config: object): BoundPlatform {
  const settings = (config as Record<string, unknown>)[module.name] as z.output<z.ZodObject>;
  return {
    name: module.name,
    leased: module.leased,
    enabled: module.enabled(settings),
    createAdapter: (context) => module.createAdapter(settings, context),
    history: (logger) => module.history(settings, logger),
  };
}
