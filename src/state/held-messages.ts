/**
 * Messages kept while the shared state (Redis) is unreachable: a table in
 * `<dataDir>/held-messages.sqlite`, so a message survives a restart until it is answered. One row
 * per platform event id (a redelivery of the same event is not kept twice); a row is claimed before
 * it is answered, so two processes sharing the data directory never answer it both.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { IncomingMessage } from '../contracts/message.js';
import type { Reply } from '../contracts/reply.js';

export interface HeldMessage {
  /** `platform:eventId`, the core's de-duplication key. */
  key: string;
  message: IncomingMessage;
  /** The answer, once the core gave it (kept until it is posted). */
  reply?: Reply;
  heldAt: string;
}

export interface HeldMessages {
  /** Keeps the message; false when a message with the same key is already kept. */
  hold(message: IncomingMessage): boolean;
  has(key: string): boolean;
  count(): number;
  /** Kept messages, oldest first. */
  pending(): HeldMessage[];
  /** Claims a row for answering (false when another process holds a fresh claim on it). */
  claim(key: string): boolean;
  unclaim(key: string): void;
  answered(key: string, reply: Reply): void;
  release(key: string): void;
  close(): void;
}

export const heldKey = (message: Pick<IncomingMessage, 'platform' | 'eventId'>): string => `${message.platform}:${message.eventId}`;

/** A claim older than this is taken to belong to a process that died while answering. */
const CLAIM_TTL_MS = 10 * 60_000;

export function openHeldMessages(dir: string, now: () => number = Date.now): HeldMessages {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dir, 'held-messages.sqlite'), { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.exec(
    `CREATE TABLE IF NOT EXISTS held (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       key TEXT NOT NULL UNIQUE,
       message TEXT NOT NULL,
       reply TEXT,
       held_at TEXT NOT NULL,
       claimed_until INTEGER NOT NULL DEFAULT 0
     )`,
  );
  const insert = db.prepare('INSERT OR IGNORE INTO held (key, message, held_at) VALUES (?, ?, ?)');
  const exists = db.prepare('SELECT 1 FROM held WHERE key = ?');
  const count = db.prepare('SELECT COUNT(*) AS n FROM held');
  const all = db.prepare('SELECT key, message, reply, held_at FROM held ORDER BY seq');
  const claim = db.prepare('UPDATE held SET claimed_until = ? WHERE key = ? AND claimed_until <= ?');
  const unclaim = db.prepare('UPDATE held SET claimed_until = 0 WHERE key = ?');
  const answered = db.prepare('UPDATE held SET reply = ? WHERE key = ?');
  const remove = db.prepare('DELETE FROM held WHERE key = ?');
  return {
    hold(message) {
      return insert.run(heldKey(message), JSON.stringify(message), new Date(now()).toISOString()).changes === 1;
    },
    has: (key) => exists.get(key) !== undefined,
    count: () => (count.get() as { n: number }).n,
    pending() {
      return (all.all() as Array<{ key: string; message: string; reply: string | null; held_at: string }>).map((row) => {
        const message = JSON.parse(row.message) as IncomingMessage & { receivedAt: string | Date };
        return {
          key: row.key,
          message: { ...message, receivedAt: new Date(message.receivedAt) },
          ...(row.reply ? { reply: JSON.parse(row.reply) as Reply } : {}),
          heldAt: row.held_at,
        };
      });
    },
    claim(key) {
      const t = now();
      return claim.run(t + CLAIM_TTL_MS, key, t).changes === 1;
    },
    unclaim(key) {
      unclaim.run(key);
    },
    answered(key, reply) {
      answered.run(JSON.stringify(reply), key);
    },
    release(key) {
      remove.run(key);
    },
    close() {
      db.close();
    },
  };
}
