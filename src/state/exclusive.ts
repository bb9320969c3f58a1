import type { Lease } from './lease.js';

/**
 * Runs `work` while holding `lease` (SQLite or Redis), so one process at a time does it — start-up
 * indexing of a shared data directory, for one. Waits for the holder to finish (or its lease to
 * expire), renews while working and releases afterwards. `onWait` fires once when someone else holds it.
 */
export async function runExclusive<T>(
  lease: Lease,
  work: () => Promise<T>,
  options: { ttlMs: number; pollMs?: number; onWait?: (holder: string | null) => void },
): Promise<T> {
  const pollMs = options.pollMs ?? 200;
  let waited = false;
  while (!(await lease.acquireOrRenew())) {
    if (!waited) options.onWait?.(await lease.holder());
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
