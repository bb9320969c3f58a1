/** Reads a queuedata.db-style SQLite snapshot (table `queuedata`, column `raw_json`) into queue records. */
import Database from 'better-sqlite3';
import type { QueueRecord } from '../contracts/panda.js';
import { type CricQueue, parseCricQueues } from './cric-schema.js';

export function loadCricSqlite(path: string): CricQueue[] & QueueRecord[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT record_id, raw_json FROM queuedata').all() as Array<{ record_id: string; raw_json: string }>;
    const keyed: Record<string, unknown> = {};
    for (const row of rows) keyed[row.record_id] = JSON.parse(row.raw_json) as unknown;
    return parseCricQueues(keyed);
  } finally {
    db.close();
  }
}
