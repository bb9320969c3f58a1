/**
 * The one Keyv factory: every persisted store (conversation memory, followed threads, maintenance
 * statuses and caches) is a Keyv over Redis when one is configured (shared by every replica) or over
 * SQLite in the data directory (one process, or several on one machine).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import KeyvRedis from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';

export type StateBackend = { kind: 'redis'; url: string } | { kind: 'sqlite'; dir: string };

/** The stores, each with its SQLite file and table (kept from earlier releases so data carries over). */
export const STORES = {
  memory: { file: 'memory.sqlite', table: 'memory' },
  maintenance: { file: 'maintenance.sqlite', table: 'maintenance' },
  threads: { file: 'state.sqlite', table: 'threads' },
  /** Watches, their check state, digest subscriptions, per-channel post times. */
  watch: { file: 'state.sqlite', table: 'watch' },
} as const;

export type StoreName = keyof typeof STORES;

export function stateBackend(config: { redisUrl?: string; dataDir: string }): StateBackend {
  return config.redisUrl ? { kind: 'redis', url: config.redisUrl } : { kind: 'sqlite', dir: resolve(config.dataDir) };
}

/**
 * WAL with synchronous=NORMAL: a write no longer waits for an fsync of its own (20 ms each on a
 * plain disk, serialising concurrent conversations). Issued first on the store's connection.
 */
export function tunedSqlite(store: KeyvSqlite): KeyvSqlite {
  const query = (store as unknown as { query: (sql: string) => Promise<unknown> }).query;
  void query('PRAGMA journal_mode = WAL').catch(() => undefined);
  void query('PRAGMA synchronous = NORMAL').catch(() => undefined);
  return store;
}

/** A Keyv for one store: Redis namespace `askpanda:<store>` (`redisPrefix` replaces `askpanda:`), or `<dataDir>/<file>` table `<table>`. */
export function createStateKeyv(backend: StateBackend, store: StoreName, redisPrefix = 'askpanda:'): Keyv {
  if (backend.kind === 'redis') return new Keyv({ store: new KeyvRedis(backend.url), namespace: `${redisPrefix}${store}` });
  mkdirSync(backend.dir, { recursive: true });
  const { file, table } = STORES[store];
  return new Keyv({ store: tunedSqlite(new KeyvSqlite({ uri: `sqlite://${join(backend.dir, file)}`, table, busyTimeout: 5000 })), namespace: store });
}
