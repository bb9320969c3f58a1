/**
 * Waits for `work` at most `ms` (then returns while it goes on): start-up steps that talk to Redis
 * must not hold the bot's start while Redis is unreachable (node-redis queues commands until it is back).
 * True when the work settled in time.
 */
export function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref?.();
    work.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}
