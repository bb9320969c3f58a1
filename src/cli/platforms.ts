/**
 * The chat platforms this build knows, each declared in `adapters/<platform>/index.ts` and bound here
 * to its config section. Adding a platform: its folder, its config section in src/config.ts, and one
 * line in `REGISTRY` below. Every list of platform names (the watch CLI's `--in`, …) reads
 * `PLATFORM_NAMES`; the name types in src/contracts are plain strings checked against it.
 */
import { discordPlatform } from '../../adapters/discord/index.js';
import { mattermostPlatform } from '../../adapters/mattermost/index.js';
import { type BoundPlatform, bindPlatform, type PlatformModule } from '../../adapters/shared/platform.js';
import { slackPlatform } from '../../adapters/slack/index.js';
import type { Config } from '../config.js';

interface Registered {
  name: string;
  bind(config: Config): BoundPlatform;
}

function register<S>(module: PlatformModule<S>, section: (config: Config) => S): Registered {
  return { name: module.name, bind: (config) => bindPlatform(module, section(config)) };
}

const REGISTRY: readonly Registered[] = [
  register(slackPlatform, (c) => c.slack),
  register(mattermostPlatform, (c) => c.mattermost),
  register(discordPlatform, (c) => c.discord),
];

/** The registered chat platforms' names, in registration order. */
export const PLATFORM_NAMES: readonly string[] = REGISTRY.map((r) => r.name);

export function platforms(config: Config): BoundPlatform[] {
  return REGISTRY.map((r) => r.bind(config));
}
