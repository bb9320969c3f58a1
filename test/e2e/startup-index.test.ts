/**
 * Bot processes starting together on one data directory index the start-up documents once:
 * each chunk id is in the index exactly once (the indexing runs under a lease in the data
 * directory's state, and writes merge by chunk id).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'askpanda-startup-index-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const ask = (question: string) => spawnCli(['ask', question], { ASKPANDA_DATA_DIR: dataDir, ASKPANDA_LOG_LEVEL: 'info' });

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
