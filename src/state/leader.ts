import type { Logger } from '../log.js';
import type { Lease } from './lease.js';
import { settledWithin } from './within.js';

export interface LeaderElection {
  /** True while this replica holds the leader lease. */
  readonly isLeader: boolean;
  /** Takes part in the election: tries once at once, then every `renewMs`. */
  start(): Promise<void>;
  /** Leaves the election, releasing the lease when held. */
  stop(): Promise<void>;
}

/**
 * Leader election over a lease (Redis across machines, SQLite on one data directory): the holder
 * renews every `renewMs`; when it stops or dies the lease expires and another replica takes over.
 * An unreachable store counts as "not the leader" (we cannot prove we hold it).
 */
export function createLeaderElection(options: { lease: Lease; renewMs: number; logger: Logger; onChange?: (leader: boolean) => void }): LeaderElection {
  const { lease, logger } = options;
  let leader = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const renew = async (): Promise<void> => {
    const held = await lease.acquireOrRenew().catch(() => false);
    if (held !== leader) {
      logger.info({ leader: held }, held ? 'became the leader' : 'no longer the leader');
      leader = held;
      options.onChange?.(held);
    }
  };
  return {
    get isLeader() {
      return leader;
    },
    async start() {
      // Redis unreachable at start-up: not the leader until the lease answers (the attempt goes on).
      running = renew();
      await settledWithin(running, options.renewMs);
      timer = setInterval(() => {
        running = running.then(renew);
      }, options.renewMs);
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
      if (leader) await lease.release().catch(() => undefined);
      if (leader) options.onChange?.(false);
      leader = false;
    },
  };
}
