import type { Deduper } from '../contracts/conversation.js';

/** In-process de-duplication with a TTL and a size bound (single replica; Redis replaces it when scaled out). */
export function createMemoryDeduper(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}): Deduper {
  const ttlMs = options.ttlMs ?? 24 * 3600 * 1000;
  const maxEntries = options.maxEntries ?? 50_000;
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  return {
    async firstSeen(eventId: string): Promise<boolean> {
      const t = now();
      const expires = seen.get(eventId);
      if (expires !== undefined && expires > t) return false;
      seen.delete(eventId);
      seen.set(eventId, t + ttlMs);
      if (seen.size > maxEntries) {
        // Maps iterate in insertion order: drop the oldest entries.
        for (const key of seen.keys()) {
          seen.delete(key);
          if (seen.size <= maxEntries) break;
        }
      }
      return true;
    },
  };
}
