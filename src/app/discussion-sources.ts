import type { BoundPlatform } from '../../adapters/shared/platform.js';
import type { DiscussionPlatform, DiscussionSource } from '../contracts/discussions.js';
import type { Logger } from '../log.js';

/** History readers for every configured platform (the platform modules' `history`). */
export function discussionSources(platforms: readonly BoundPlatform[], logger: Logger): Partial<Record<DiscussionPlatform, DiscussionSource>> {
  const out: Partial<Record<DiscussionPlatform, DiscussionSource>> = {};
  for (const platform of platforms) if (platform.enabled) out[platform.name] = platform.history(logger);
  return out;
}
