import type { ChatAdapter, MessageHandler } from '../contracts/chat.js';
import type { Logger } from '../log.js';
import type { Lease } from './redis-lease.js';
import { settledWithin } from './within.js';

export interface LeasedAdapterOptions {
  adapter: ChatAdapter;
  lease: Lease;
  logger: Logger;
  /** How often the holder renews and a standby tries to take over (the lease TTL is ~3×). */
  renewMs?: number;
  /** Called when this replica starts or stops holding the connection (health, metrics). */
  onChange?: (holding: boolean) => void;
}

export interface LeasedAdapter extends ChatAdapter {
  /** True while this replica holds the lease and the adapter is connected. */
  readonly holding: boolean;
}

/**
 * For platforms where every connection sees every event (Mattermost, Discord): one replica holds
 * the connection, the others stand by and take over when the holder's lease expires.
 */
export function createLeasedAdapter(options: LeasedAdapterOptions): LeasedAdapter {
  const { adapter, lease } = options;
  const log = options.logger.child({ component: 'connection-lease', adapter: adapter.name, owner: lease.owner });
  const renewMs = options.renewMs ?? 1500;
  let holding = false;
  let timer: NodeJS.Timeout | undefined;
  let handler: MessageHandler | undefined;
  let busy = false;
  let stopped = false;

  const setHolding = (value: boolean) => {
    if (holding === value) return;
    holding = value;
    options.onChange?.(value);
  };

  async function tick(): Promise<void> {
    if (busy || stopped || !handler) return;
    busy = true;
    try {
      let held = false;
      try {
        held = await lease.acquireOrRenew();
      } catch (error) {
        // Redis unreachable: we cannot prove we hold the lease, so stand down.
        log.warn({ err: error }, 'lease check failed');
      }
      if (held && !holding) {
        log.info('connection lease acquired; connecting');
        try {
          await adapter.start(handler);
          setHolding(true);
        } catch (error) {
          log.error({ err: error }, 'adapter start failed; releasing the lease');
          await lease.release().catch(() => undefined);
        }
      } else if (!held && holding) {
        log.warn('connection lease lost; disconnecting');
        setHolding(false);
        await adapter.stop().catch((error: unknown) => log.error({ err: error }, 'adapter stop failed'));
      }
    } finally {
      busy = false;
    }
  }

  return {
    name: adapter.name,
    get holding() {
      return holding;
    },
    async start(messageHandler) {
      handler = messageHandler;
      stopped = false;
      // Redis unreachable at start-up: standing by until the lease answers (the attempt goes on).
      await settledWithin(tick(), renewMs * 2);
      if (!holding) log.info('standing by: another replica holds the connection');
      timer = setInterval(() => void tick(), renewMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      while (busy) await new Promise((resolve) => setTimeout(resolve, 10));
      if (holding) {
        setHolding(false);
        await adapter.stop();
        await lease.release().catch(() => undefined);
      }
    },
    // Posting goes through the platform's REST API: a standby replica can post without the connection.
    post: (target, reply) => adapter.post(target, reply),
  };
}
