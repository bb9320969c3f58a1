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

export interface SharedStoreLink {
  /** False while the shared store is unreachable. */
  available(): boolean;
  onAvailable(listener: () => void): void;
}

/**
 * Followed threads over a shared store that can become unreachable (Redis): an adapter never waits
 * on it. Threads this process followed or found followed are remembered in-process (bounded), so
 * while the store is away `follows` answers from them (other threads count as not followed) and
 * `follow` is recorded and written to the store once it is back.
 */
export function createResilientFollowedThreads(inner: FollowedThreads, link: SharedStoreLink, options: { maxRemembered?: number } = {}): FollowedThreads {
  const max = options.maxRemembered ?? 20_000;
  const known = new Set<string>();
  const unwritten = new Map<string, { platform: string; thread: string }>();
  const keyOf = (platform: string, thread: string) => `${platform}:${thread}`;
  const remember = (key: string) => {
    known.delete(key);
    known.add(key);
    while (known.size > max) {
      const oldest = known.values().next();
      if (oldest.done) break;
      known.delete(oldest.value);
    }
  };
  link.onAvailable(() => {
    for (const [key, { platform, thread }] of unwritten) {
      unwritten.delete(key);
      inner.follow(platform, thread).catch(() => unwritten.set(key, { platform, thread }));
    }
  });
  return {
    async follows(platform, thread) {
      const key = keyOf(platform, thread);
      if (!link.available()) return known.has(key);
      const followed = await inner.follows(platform, thread);
      if (followed) remember(key);
      return followed;
    },
    async follow(platform, thread) {
      const key = keyOf(platform, thread);
      remember(key);
      if (!link.available()) {
        unwritten.set(key, { platform, thread });
        return;
      }
      await inner.follow(platform, thread);
    },
  };
}
