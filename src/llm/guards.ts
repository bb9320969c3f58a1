/** Concurrency limit and circuit breaker shared by every call to one provider. */

/** A counting semaphore; waiting callers are served in arrival order and may give up via a signal. */
export interface Limiter {
  acquire(signal?: AbortSignal): Promise<() => void>;
  readonly active: number;
  readonly waiting: number;
}

export function createLimiter(max: number): Limiter {
  let active = 0;
  const queue: Array<{ grant: () => void }> = [];
  const release = (): void => {
    active--;
    const next = queue.shift();
    if (next) next.grant();
  };
  const once = (): (() => void) => {
    let done = false;
    return () => {
      if (!done) {
        done = true;
        release();
      }
    };
  };
  return {
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (active < max) {
        active++;
        return Promise.resolve(once());
      }
      return new Promise((resolve, reject) => {
        const entry = {
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            active++;
            resolve(once());
          },
        };
        const onAbort = (): void => {
          const i = queue.indexOf(entry);
          if (i >= 0) queue.splice(i, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(entry);
      });
    },
  };
}

/**
 * After `failures` consecutive failed calls the breaker opens for `cooldownMs`: callers skip the
 * provider. When the cooldown has passed one call is let through (half-open); its outcome closes
 * or re-opens the breaker.
 */
export interface Breaker {
  /** True when the provider should be skipped now. */
  isOpen(): boolean;
  success(): void;
  failure(): void;
  /** The call let through was cancelled: neither a success nor a failure. */
  abandon(): void;
  readonly consecutiveFailures: number;
}

export function createBreaker(failures: number, cooldownMs: number, now: () => number = Date.now): Breaker {
  let consecutive = 0;
  let openUntil = 0;
  let trial = false;
  return {
    get consecutiveFailures() {
      return consecutive;
    },
    isOpen() {
      if (consecutive < failures) return false;
      if (now() < openUntil) return true;
      if (trial) return true;
      trial = true;
      return false;
    },
    success() {
      consecutive = 0;
      trial = false;
    },
    abandon() {
      trial = false;
    },
    failure() {
      consecutive++;
      trial = false;
      if (consecutive >= failures) openUntil = now() + cooldownMs;
    },
  };
}
