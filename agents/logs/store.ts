/**
 * Analyses persisted in the data directory (better-sqlite3), keyed by the data they came from: the
 * PanDA source (monitor URL or directory) and the job record's version (a hash of the fields that
 * change when the job does: state, attempt, error codes and diags, modification time) and the
 * analyser version (an upgrade analyses afresh). The same
 * job id from another monitor or directory, or a record that changed, is analysed afresh. Also by
 * failure signature (code + cause + decisive template), so a later job failing the same way reuses
 * the explanation without an LLM call. Everything stored is already redacted.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { JobRecord } from '../../src/contracts/panda.js';
import { JOB_ERROR_FIELDS } from '../../src/knowledge/index.js';
import type { Diagnosis } from './diagnose.js';
import type { LlmAnalysis } from './llm-analysis.js';

export interface StoredAnalysis {
  diagnosis: Diagnosis;
  llm: LlmAnalysis | null;
  /** Where the LLM's answer disagreed with the evidence (the reply keeps the diagnosis). */
  llmDisagreement?: string | null;
  model: string | null;
  context: string;
  notices: string[];
  createdAt: string;
}

/** Which data an analysis came from. */
export interface AnalysisKey {
  /** The PanDA source's description (monitor URL or directory). */
  source: string;
  pandaid: number;
  /** `recordVersion(job)`. */
  version: string;
}

/**
 * The analyser's own version, part of every key: an analysis stored by an older analyser (other
 * decisive lines, causes or wording) is not served after an upgrade. Bump it when the diagnosis changes.
 */
export const ANALYSER_VERSION = '2026-12-06.10';

/** A short hash of the job-record fields an analysis depends on, and of the analyser version. */
export function recordVersion(job: JobRecord): string {
  const fields = [
    'jobstatus',
    'attemptnr',
    'modificationtime',
    'endtime',
    'computingsite',
    ...JOB_ERROR_FIELDS.flatMap((f) => (f.diag ? [f.code, f.diag] : [f.code])),
  ];
  const record = job as unknown as Record<string, unknown>;
  return createHash('sha256')
    .update(JSON.stringify([ANALYSER_VERSION, ...fields.map((f) => record[f] ?? null)]))
    .digest('hex')
    .slice(0, 16);
}

export interface AnalysisStore {
  get(key: AnalysisKey): StoredAnalysis | null;
  /** The newest LLM explanation stored under a failure signature, with the job it came from. */
  bySignature(signature: string): { pandaid: number; llm: LlmAnalysis; llmDisagreement: string | null; model: string | null } | null;
  put(key: AnalysisKey, analysis: StoredAnalysis): void;
  close(): void;
}

export function createAnalysisStore(dataDir: string): AnalysisStore {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'job-analyses.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS job_analyses (
    source TEXT NOT NULL, pandaid INTEGER NOT NULL, version TEXT NOT NULL, signature TEXT NOT NULL,
    has_llm INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (source, pandaid, version));
    CREATE INDEX IF NOT EXISTS job_analyses_signature ON job_analyses (signature, has_llm, created_at);`);
  const getStmt = db.prepare<[string, number, string], { body: string }>('SELECT body FROM job_analyses WHERE source = ? AND pandaid = ? AND version = ?');
  const sigStmt = db.prepare<[string], { pandaid: number; body: string }>(
    'SELECT pandaid, body FROM job_analyses WHERE signature = ? AND has_llm = 1 ORDER BY created_at DESC LIMIT 1',
  );
  const putStmt = db.prepare(
    'INSERT OR REPLACE INTO job_analyses (source, pandaid, version, signature, has_llm, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  return {
    get(key) {
      const row = getStmt.get(key.source, key.pandaid, key.version);
      return row ? (JSON.parse(row.body) as StoredAnalysis) : null;
    },
    bySignature(signature) {
      const row = sigStmt.get(signature);
      if (!row) return null;
      const body = JSON.parse(row.body) as StoredAnalysis;
      return body.llm ? { pandaid: row.pandaid, llm: body.llm, llmDisagreement: body.llmDisagreement ?? null, model: body.model } : null;
    },
    put(key, a) {
      putStmt.run(key.source, key.pandaid, key.version, a.diagnosis.signature, a.llm ? 1 : 0, JSON.stringify(a), a.createdAt);
    },
    close() {
      db.close();
    },
  };
}
