/**
 * The chat platforms this build knows, each declared in `adapters/<platform>/index.ts` and bound here
 * to its config section. Adding a platform: its folder, its config section in src/config.ts, and one
 * line below.
 */
import { discordPlatform } from '../../adapters/discord/index.js';
import { mattermostPlatform } from '../../adapters/mattermost/index.js';
import { type BoundPlatform, bindPlatform } from '../../adapters/shared/platform.js';
import { slackPlatform } from '../../adapters/slack/index.js';
import type { Config } from '../config.js';

export function platforms(config: Config): BoundPlatform[] {
  return [bindPlatform(slackPlatform, config.slack), bindPlatform(mattermostPlatform, config.mattermost), bindPlatform(discordPlatform, config.discord)];
}
