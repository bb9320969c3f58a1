/**
 * Analyses persisted in the data directory (better-sqlite3): by pandaid + attempt (the same job is
 * not analysed twice) and by failure signature (code + normalised evidence template), so a later
 * job failing the same way reuses the explanation without an LLM call. Everything stored is
 * already redacted.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Diagnosis } from './diagnose.js';
import type { LlmAnalysis } from './llm-analysis.js';

export interface StoredAnalysis {
  diagnosis: Diagnosis;
  llm: LlmAnalysis | null;
  model: string | null;
  context: string;
  notices: string[];
  createdAt: string;
}

export interface AnalysisStore {
  get(pandaid: number, attempt: number | null): StoredAnalysis | null;
  /** The newest LLM explanation stored under a failure signature, with the job it came from. */
  bySignature(signature: string): { pandaid: number; llm: LlmAnalysis; model: string | null } | null;
  put(analysis: StoredAnalysis): void;
  close(): void;
}

export function createAnalysisStore(dataDir: string): AnalysisStore {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'job-analyses.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS analyses (
    pandaid INTEGER NOT NULL, attempt INTEGER NOT NULL, signature TEXT NOT NULL,
    has_llm INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (pandaid, attempt));
    CREATE INDEX IF NOT EXISTS analyses_signature ON analyses (signature, has_llm, created_at);`);
  const getStmt = db.prepare<[number, number], { body: string }>('SELECT body FROM analyses WHERE pandaid = ? AND attempt = ?');
  const sigStmt = db.prepare<[string], { pandaid: number; body: string }>(
    'SELECT pandaid, body FROM analyses WHERE signature = ? AND has_llm = 1 ORDER BY created_at DESC LIMIT 1',
  );
  const putStmt = db.prepare('INSERT OR REPLACE INTO analyses (pandaid, attempt, signature, has_llm, body, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  return {
    get(pandaid, attempt) {
      const row = getStmt.get(pandaid, attempt ?? 0);
      return row ? (JSON.parse(row.body) as StoredAnalysis) : null;
    },
    bySignature(signature) {
      const row = sigStmt.get(signature);
      if (!row) return null;
      const body = JSON.parse(row.body) as StoredAnalysis;
      return body.llm ? { pandaid: row.pandaid, llm: body.llm, model: body.model } : null;
    },
    put(a) {
      const d = a.diagnosis;
      putStmt.run(d.pandaid, d.attempt ?? 0, d.signature, a.llm ? 1 : 0, JSON.stringify(a), a.createdAt);
    },
    close() {
      db.close();
    },
  };
}
