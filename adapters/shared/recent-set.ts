/**
 * A bounded set of recently seen strings (insertion order evicts the oldest). Adapters use it for the
 * threads the bot takes part in and for a first, local de-duplication of platform re-deliveries.
 */
export interface RecentSet {
  has(key: string): boolean;
  add(key: string): void;
  /** Adds the key and returns true when it was not there yet. */
  addIfAbsent(key: string): boolean;
  readonly size: number;
}

export function createRecentSet(max = 10_000): RecentSet {
  const items = new Set<string>();
  return {
    has: (key) => items.has(key),
    add(key) {
      items.delete(key);
      items.add(key);
      while (items.size > max) {
        const oldest = items.values().next();
        if (oldest.done) break;
        items.delete(oldest.value);
      }
    },
    addIfAbsent(key) {
      if (items.has(key)) return false;
      this.add(key);
      return true;
    },
    get size() {
      return items.size;
    },
  };
}
