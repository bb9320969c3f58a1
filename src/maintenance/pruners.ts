import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Pruner } from './jobs.js';

/** Deletes files older than `maxAgeMs` under a directory of the data dir (attachments, caches). */
export function fileAgePruner(name: string, dir: string, maxAgeMs: number): Pruner {
  return {
    name,
    async prune(signal) {
      if (!existsSync(dir)) return { removed: 0, remaining: 0 };
      const cutoff = Date.now() - maxAgeMs;
      let removed = 0;
      let remaining = 0;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (signal.aborted) break;
        const path = join(dir, entry.name);
        if (statSync(path).mtimeMs < cutoff) {
          rmSync(path, { recursive: true, force: true });
          removed += 1;
        } else remaining += 1;
      }
      return { removed, remaining };
    },
  };
}

/**
 * Deletes rows older than `maxAgeMs` from a SQLite table with an ISO-8601 text time column (the
 * job analyses kept for signature reuse).
 */
export function sqliteAgePruner(name: string, file: string, table: string, column: string, maxAgeMs: number): Pruner {
  if (!/^[a-z_]+$/i.test(table) || !/^[a-z_]+$/i.test(column)) throw new Error(`invalid table or column name for pruner ${name}`);
  return {
    name,
    async prune() {
      if (!existsSync(file)) return { removed: 0, remaining: 0 };
      const db = new Database(file);
      try {
        db.pragma('busy_timeout = 5000');
        const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
        if (!exists) return { removed: 0, remaining: 0 };
        const cutoff = new Date(Date.now() - maxAgeMs).toISOString();
        const removed = db.prepare(`DELETE FROM ${table} WHERE ${column} < ?`).run(cutoff).changes;
        const remaining = (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
        return { removed, remaining };
      } finally {
        db.close();
      }
    },
  };
}
