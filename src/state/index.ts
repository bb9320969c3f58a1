/**
 * The bot's state, in one place: conversation memory, followed threads, event de-duplication,
 * per-conversation ordering, leases (leader, platform connections, exclusive work) and tick claims.
 * Each has a local implementation (in-process / SQLite in the data directory) and a Redis one shared
 * by every replica; `createState` picks one set from the configuration, once.
 */
import type Keyv from 'keyv';
import type { FollowedThreads } from '../contracts/chat.js';
import type { ConversationLock, Deduper } from '../contracts/conversation.js';
import type { Logger } from '../log.js';
import { createMemoryDeduper } from './dedupe.js';
import { createFollowedThreads, createResilientFollowedThreads } from './followed-threads.js';
import { createStateKeyv, type StateBackend, type StoreName, stateBackend } from './keyv.js';
import { type HeldMessages, openHeldMessages } from './held-messages.js';
import { type Lease, openSqliteLeases, type SqliteLeases } from './lease.js';
import { createLocalLock } from './lock.js';
import { connectRedis, type RedisConnection } from './redis-client.js';
import { createRedisDeduper } from './redis-dedupe.js';
import { claimTick as claimRedisTick, createRedisLease } from './redis-lease.js';
import { createRedisLock } from './redis-lock.js';

export { runExclusive } from './exclusive.js';
export { createStateKeyv, type StateBackend, type StoreName, stateBackend, tunedSqlite } from './keyv.js';
export type { Lease } from './lease.js';
export { type HeldMessage, type HeldMessages, heldKey, openHeldMessages } from './held-messages.js';
export { createWatchStore, type WatchStoreOptions } from './watch-store.js';
export { createLeaderElection, type LeaderElection } from './leader.js';
export { type ConversationMemory, createConversationMemory, llmSummariser, type Summariser } from './memory.js';

/** How long the bot keeps following a thread after it last posted there. */
export const FOLLOWED_THREAD_TTL_MS = 30 * 24 * 3600 * 1000;

export interface StateOptions {
  redisUrl?: string;
  dataDir: string;
  /** This replica's id (lease owner). */
  replica: string;
  logger: Logger;
  /** Redis key prefix for dedupe, locks, leases and ticks (tests use a unique one). */
  redisPrefix?: string;
}

export interface State {
  readonly backend: StateBackend;
  /** True when the state is shared by replicas on several machines (Redis). */
  readonly shared: boolean;
  readonly replica: string;
  /** The Keyv of one store (memoised): Redis namespace or SQLite table. */
  keyv(store: StoreName): Keyv;
  readonly followedThreads: FollowedThreads;
  readonly deduper: Deduper;
  readonly lock: ConversationLock;
  lease(name: string, ttlMs: number): Lease;
  claimTick(job: string, tick: Date): Promise<boolean>;
  /** True for the first caller (any replica) to claim `key` until it expires or is released: "this alert was sent". */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  releaseClaim(key: string): Promise<void>;
  /** True when the shared store answers within `timeoutMs` (always true for the local one). */
  ping(timeoutMs?: number): Promise<boolean>;
  /**
   * False from the moment the connection to the shared store drops until it is back (always true
   * for the local one): the bot then keeps messages in `held` instead of waiting on the store.
   */
  available(): boolean;
  /** Called each time the shared store becomes reachable again. */
  onAvailable(listener: () => void): void;
  /** Messages kept in the data directory while the shared store is unreachable (opened on first use). */
  readonly held: HeldMessages;
  close(): Promise<void>;
}

export async function createState(options: StateOptions): Promise<State> {
  const backend = stateBackend(options);
  const log = options.logger.child({ component: 'state' });
  let redis: RedisConnection | null = null;
  let sqlite: SqliteLeases | null = null;
  let held: HeldMessages | null = null;
  const prefix = options.redisPrefix ?? 'askpanda:';
  if (backend.kind === 'redis') redis = await connectRedis(backend.url, (error) => log.warn({ err: error }, 'redis connection error'));
  const leases = (): SqliteLeases => {
    sqlite ??= openSqliteLeases(options.dataDir);
    return sqlite;
  };
  const keyvs = new Map<StoreName, Keyv>();
  const keyv = (store: StoreName): Keyv => {
    let k = keyvs.get(store);
    if (!k) {
      k = createStateKeyv(backend, store, prefix);
      keyvs.set(store, k);
    }
    return k;
  };
  const followedThreads = createFollowedThreads({ keyv: keyv('threads'), ttlMs: FOLLOWED_THREAD_TTL_MS });
  const link = redis;
  return {
    backend,
    shared: redis !== null,
    replica: options.replica,
    keyv,
    followedThreads: link
      ? createResilientFollowedThreads(followedThreads, { available: () => link.isReady(), onAvailable: (listener) => link.onReady(listener) })
      : followedThreads,
    deduper: redis ? createRedisDeduper({ redis: redis.commands, prefix: `${prefix}event:` }) : createMemoryDeduper(),
    lock: redis ? createRedisLock({ redis: redis.commands, prefix: `${prefix}lock:` }) : createLocalLock(),
    lease(name, ttlMs) {
      return redis
        ? createRedisLease({ redis: redis.commands, name, ttlMs, owner: options.replica, prefix: `${prefix}lease:` })
        : leases().lease({ name, ttlMs, owner: options.replica });
    },
    claimTick(job, tick) {
      return redis
        ? claimRedisTick(redis.commands, job, tick, { owner: options.replica, prefix: `${prefix}tick:` })
        : leases().claimTick(job, tick, { owner: options.replica });
    },
    async claimOnce(key, ttlMs) {
      if (!redis) return leases().claimOnce(key, ttlMs);
      return (await redis.commands.set(`${prefix}claim:${key}`, options.replica, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK';
    },
    async releaseClaim(key) {
      if (redis) await redis.commands.del(`${prefix}claim:${key}`);
      else await leases().releaseClaim(key);
    },
    async ping(timeoutMs = 1000) {
      if (!redis) return true;
      // While the connection is down node-redis queues commands until it is back: do not wait for that.
      if (!redis.isReady()) return false;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return await Promise.race([redis.commands.ping().then(() => true as const), late]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    available: () => !redis || redis.isReady(),
    onAvailable(listener) {
      redis?.onReady(listener);
    },
    get held() {
      held ??= openHeldMessages(options.dataDir);
      return held;
    },
    async close() {
      for (const k of keyvs.values()) await k.disconnect().catch(() => undefined);
      sqlite?.close();
      held?.close();
      await redis?.close();
    },
  };
}
