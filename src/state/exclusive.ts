import { type Lease, LeaseStoreClosedError } from './lease.js';

/** The store itself is gone (not just unreachable for a while): node-redis's ClientClosedError or a closed SQLite store. */
const isClosed = (error: unknown): boolean => error instanceof LeaseStoreClosedError || (error instanceof Error && error.name === 'ClientClosedError');

/**
 * Runs `work` while holding `lease` (SQLite or Redis), so one process at a time does it — start-up
 * indexing of a shared data directory, for one. Waits for the holder to finish (or its lease to
 * expire), renews while working and releases afterwards. `onWait` fires once when someone else holds it
 * (or the lease store does not answer: it is retried every `pollMs` until it does).
 */
export async function runExclusive<T>(
  lease: Lease,
  work: () => Promise<T>,
  options: { ttlMs: number; pollMs?: number; onWait?: (holder: string | null) => void },
): Promise<T> {
  const pollMs = options.pollMs ?? 200;
  let waited = false;
  // A lease store that cannot answer just now (Redis dropped mid-command) is not a failure of the
  // work: keep waiting until it answers, as for a holder. Failing here made a replica whose start-up
  // indexing met a Redis outage give up opening its docs index and report it missing for good.
  // A closed store (SQLite closed, Redis client quit) is final, though: waiting on it would keep the
  // process alive for good (a CLI answer whose start-up indexing was still waiting never exited).
  const acquired = () =>
    lease.acquireOrRenew().catch((error: unknown) => {
      if (isClosed(error)) throw error;
      return false;
    });
  while (!(await acquired())) {
    if (!waited) options.onWait?.(await lease.holder().catch(() => null));
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const renew = setInterval(() => void lease.acquireOrRenew().catch(() => undefined), Math.max(50, Math.floor(options.ttlMs / 3)));
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await lease.release().catch(() => undefined);
  }
}
