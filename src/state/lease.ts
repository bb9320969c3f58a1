/**
 * Leases and tick claims without Redis: a table in `<dataDir>/state.sqlite`, so several processes
 * sharing one data directory still elect one leader, take one lock and run each scheduled tick once.
 * (With Redis, `redis-lease.ts` does the same across machines.)
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** The lease store was closed (its process is shutting down): waiting for the lease can never succeed. */
export class LeaseStoreClosedError extends Error {
  constructor(name: string) {
    super(`the lease store of '${name}' is closed`);
    this.name = 'LeaseStoreClosedError';
  }
}

/** A named lease held by at most one owner at a time, expiring unless renewed. */
export interface Lease {
  readonly name: string;
  readonly owner: string;
  /** Acquires the lease, or renews it when already held; true while this owner holds it. */
  acquireOrRenew(): Promise<boolean>;
  release(): Promise<void>;
  /** The current holder's owner id, or null. */
  holder(): Promise<string | null>;
}

export interface SqliteLeases {
  lease(options: { name: string; ttlMs: number; owner?: string }): Lease;
  /** True for the first caller to claim this job's tick (see `claimTick` in redis-lease.ts). */
  claimTick(job: string, tick: Date, options?: { owner?: string; ttlMs?: number }): Promise<boolean>;
  /** True for the first caller to claim `key` until it expires or is released (e.g. "this alert was sent"). */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  releaseClaim(key: string): Promise<void>;
  close(): void;
}

export function openSqliteLeases(dir: string, now: () => number = Date.now): SqliteLeases {
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, 'state.sqlite'), { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires INTEGER NOT NULL)');
  // One statement: insert, or take over an expired lease, or renew our own; `changes` says whether we hold it.
  const acquire = db.prepare(
    `INSERT INTO leases (name, owner, expires) VALUES (@name, @owner, @expires)
     ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires = excluded.expires
     WHERE leases.owner = excluded.owner OR leases.expires <= @now`,
  );
  const release = db.prepare('DELETE FROM leases WHERE name = ? AND owner = ?');
  const holder = db.prepare('SELECT owner FROM leases WHERE name = ? AND expires > ?');
  const purge = db.prepare("DELETE FROM leases WHERE (name LIKE 'tick:%' OR name LIKE 'claim:%') AND expires <= ?");
  let claims = 0;
  // A claim is never re-claimed, even by the same owner: only an expired row can be taken over.
  const claim = db.prepare(
    `INSERT INTO leases (name, owner, expires) VALUES (@name, @owner, @expires)
     ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires = excluded.expires WHERE leases.expires <= @now`,
  );
  const claimRow = (name: string, owner: string, ttlMs: number): boolean => {
    const t = now();
    if (++claims % 100 === 0) purge.run(t);
    return claim.run({ name, owner, expires: t + ttlMs, now: t }).changes === 1;
  };
  return {
    lease(options) {
      const owner = options.owner ?? randomUUID();
      const name = `lease:${options.name}`;
      return {
        name: options.name,
        owner,
        async acquireOrRenew() {
          if (!db.open) throw new LeaseStoreClosedError(options.name);
          const t = now();
          return acquire.run({ name, owner, expires: t + options.ttlMs, now: t }).changes === 1;
        },
        async release() {
          release.run(name, owner);
        },
        async holder() {
          return ((holder.get(name, now()) as { owner: string } | undefined)?.owner ?? null) as string | null;
        },
      };
    },
    async claimTick(job, tick, options = {}) {
      return claimRow(`tick:${job}:${Math.round(tick.getTime() / 1000)}`, options.owner ?? randomUUID(), options.ttlMs ?? 3_600_000);
    },
    async claimOnce(key, ttlMs) {
      return claimRow(`claim:${key}`, randomUUID(), ttlMs);
    },
    async releaseClaim(key) {
      db.prepare('DELETE FROM leases WHERE name = ?').run(`claim:${key}`);
    },
    close() {
      db.close();
    },
  };
}
