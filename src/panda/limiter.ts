/** A counting semaphore per key (host): at most `limit` tasks run at once for one key. */
export interface KeyedLimiter {
  acquire(key: string, signal?: AbortSignal): Promise<() => void>;
  /** Tasks currently running for a key (tests, metrics). */
  active(key: string): number;
}

export function createKeyedLimiter(limit: number): KeyedLimiter {
  const running = new Map<string, number>();
  const waiting = new Map<string, Array<() => void>>();

  const release = (key: string): void => {
    const queue = waiting.get(key);
    const next = queue?.shift();
    if (next) {
      next();
      return;
    }
    running.set(key, (running.get(key) ?? 1) - 1);
  };

  return {
    active: (key) => running.get(key) ?? 0,
    acquire(key, signal) {
      const count = running.get(key) ?? 0;
      let released = false;
      const done = (): void => {
        if (released) return;
        released = true;
        release(key);
      };
      if (count < limit) {
        running.set(key, count + 1);
        return Promise.resolve(done);
      }
      return new Promise((resolve, reject) => {
        const queue = waiting.get(key) ?? [];
        waiting.set(key, queue);
        const start = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve(done);
        };
        const onAbort = (): void => {
          const i = queue.indexOf(start);
          if (i >= 0) queue.splice(i, 1);
          reject(signal?.reason ?? new Error('aborted'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(start);
      });
    },
  };
}
