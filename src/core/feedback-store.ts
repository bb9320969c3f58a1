/**
 * 👍/👎 feedback kept durably in SQLite (better-sqlite3, the data directory): every answer the core
 * gives is recorded with its question, route, model and evidence; a click on 👍/👎 marks it.
 * Unrated answers are pruned after `keepUnratedDays`; rated ones stay until removed by hand, so
 * conversation memory's TTL never loses feedback.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AnswerRecord, FeedbackRecord, FeedbackStore } from '../contracts/feedback.js';

export interface FeedbackStoreOptions {
  /** SQLite file, e.g. `<dataDir>/feedback.sqlite`; `:memory:` for tests. */
  path: string;
  keepUnratedDays?: number;
}

interface Row {
  id: string;
  body: string;
  feedback: 'up' | 'down' | null;
  rated_by: string | null;
  rated_at: string | null;
}

export function createFeedbackStore(options: FeedbackStoreOptions): FeedbackStore {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY, at TEXT NOT NULL, body TEXT NOT NULL,
    feedback TEXT, rated_by TEXT, rated_at TEXT);
    CREATE INDEX IF NOT EXISTS answers_unrated ON answers (feedback, at);`);
  const insert = db.prepare('INSERT INTO answers (id, at, body) VALUES (?, ?, ?)');
  const rate = db.prepare('UPDATE answers SET feedback = ?, rated_by = ?, rated_at = ? WHERE id = ?');
  const one = db.prepare<[string], Row>('SELECT id, body, feedback, rated_by, rated_at FROM answers WHERE id = ?');
  const ratedAll = db.prepare<[], Row>('SELECT id, body, feedback, rated_by, rated_at FROM answers WHERE feedback IS NOT NULL ORDER BY rated_at');
  const ratedOne = db.prepare<[string], Row>('SELECT id, body, feedback, rated_by, rated_at FROM answers WHERE feedback = ? ORDER BY rated_at');
  const prune = db.prepare('DELETE FROM answers WHERE feedback IS NULL AND at < ?');
  const keepMs = (options.keepUnratedDays ?? 30) * 86_400_000;
  let inserts = 0;

  const toRecord = (row: Row): FeedbackRecord => ({
    ...(JSON.parse(row.body) as Omit<AnswerRecord, 'id'>),
    id: row.id,
    value: row.feedback ?? 'up',
    ratedBy: row.rated_by ?? '',
    ratedAt: row.rated_at ?? '',
  });

  return {
    async recordAnswer(record) {
      const id = randomUUID().replace(/-/g, '').slice(0, 20);
      insert.run(id, record.at, JSON.stringify(record));
      if (++inserts % 200 === 1) prune.run(new Date(Date.now() - keepMs).toISOString());
      return id;
    },
    async rate(answerId, value, user) {
      const changed = rate.run(value, user, new Date().toISOString(), answerId).changes;
      const row = changed ? one.get(answerId) : undefined;
      return row ? toRecord(row) : null;
    },
    async rated(value) {
      return (value ? ratedOne.all(value) : ratedAll.all()).map(toRecord);
    },
    async close() {
      db.close();
    },
  };
}
