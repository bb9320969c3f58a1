/**
 * The chat platforms this build knows: one line per platform module (`adapters/<platform>/index.ts`).
 * The config schema and `ENV_KEYS` (src/config.ts), the adapters the composition root builds, the
 * history readers, the leased connections and every list of platform names (the watch CLI's `--in`,
 * the platforms an ingested channel or a thread export line may name) are derived from this list.
 */
import { discordPlatform } from './discord/index.js';
import { mattermostPlatform } from './mattermost/index.js';
import { slackPlatform } from './slack/index.js';

export const PLATFORMS = [slackPlatform, mattermostPlatform, discordPlatform] as const;

export type { AnyPlatformModule } from './shared/platform.js';
