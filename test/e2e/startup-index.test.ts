/**
 * Bot processes starting together on one data directory index the start-up documents once:
 * each chunk id is in the index exactly once (the indexing runs under a lease in the data
 * directory's state, and writes merge by chunk id).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as lancedb from '@lancedb/lancedb';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-startup-index-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function ask(question: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/askpanda.js', 'ask', question], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ASKPANDA_DATA_DIR: dataDir, ASKPANDA_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  return new Promise((done) => child.once('exit', (code) => done({ code, stdout, stderr })));
}

describe('start-up indexing by two processes on one data directory', () => {
  it('writes each chunk once', async () => {
    // Three at once: without the lease about one run in three stored chunks twice.
    const runs = await Promise.all([
      ask('how do I set the lifetime of a rucio rule?'),
      ask('what is a pilot in PanDA?'),
      ask('what does pilot error 1099 mean?'),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const db = await lancedb.connect(join(dataDir, 'index'));
    const table = await db.openTable('chunks');
    const rows = (await table.query().select(['id']).toArray()) as Array<{ id: string }>;
    table.close();
    db.close();
    const ids = rows.map((r) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBe(new Set(ids).size);
    // Both answered from the documents the index holds.
    expect(runs[0]?.stdout).toMatch(/rucio/i);
    // A generous bound: three cold CLI processes on a loaded 2-core runner take minutes, and the
    // test is about what the index holds, not how fast it gets there (speed is in `npm run bench`).
  }, 360_000);
});
