import type Keyv from 'keyv';
import type { FollowedThreads } from '../contracts/chat.js';

/** Followed threads in a Keyv (SQLite or Redis): `platform:thread` → 1, expiring `ttlMs` after the bot last posted there. */
export function createFollowedThreads(options: { keyv: Keyv; ttlMs: number }): FollowedThreads {
  const { keyv, ttlMs } = options;
  const keyOf = (platform: string, thread: string) => `${platform}:${thread}`;
  return {
    async follows(platform, thread) {
      return (await keyv.get(keyOf(platform, thread))) !== undefined;
    },
    async follow(platform, thread) {
      await keyv.set(keyOf(platform, thread), 1, ttlMs);
    },
  };
}
