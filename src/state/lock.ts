import type { ConversationLock } from '../contracts/conversation.js';

/**
 * Runs work for one key strictly in arrival order while different keys run concurrently.
 * In-process only; a Redis lock takes over across replicas.
 */
export function createLocalLock(): ConversationLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(work, work);
      const tail = result.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
