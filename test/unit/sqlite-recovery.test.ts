import { mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { movedAsideNotes, recoverCorruptSqlite, sqliteProblem } from '../../src/state/sqlite-recovery.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sqlite-recovery-'));
  dirs.push(d);
  return d;
};

function healthyDb(path: string, rows = 1): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (x TEXT)');
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  for (let i = 0; i < rows; i++) insert.run('x'.repeat(100));
  db.close();
}

describe('corrupt SQLite files in the data directory', () => {
  it('moves garbage and damaged files aside (WAL too), leaves healthy and empty ones, and names them in notes', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'analyses'));
    writeFileSync(join(dir, 'memory.sqlite'), 'garbage '.repeat(1000));
    writeFileSync(join(dir, 'memory.sqlite-wal'), 'garbage');
    healthyDb(join(dir, 'feedback.sqlite'));
    writeFileSync(join(dir, 'empty.sqlite'), '');
    // A real database with damaged pages: the header is fine, the tree is not.
    const damaged = join(dir, 'analyses', 'job-analyses.sqlite');
    healthyDb(damaged, 2000);
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(8192, 7), 0, 8192, 4096 * 2);
    closeSync(fd);

    const moved = recoverCorruptSqlite(dir, silentLogger(), new Date('2026-12-06T07:40:05Z'));
    expect(moved.map((m) => [m.file, m.movedTo])).toEqual([
      [join('analyses', 'job-analyses.sqlite'), join('analyses', 'job-analyses.sqlite.corrupt-20261206T074005Z')],
      ['memory.sqlite', 'memory.sqlite.corrupt-20261206T074005Z'],
    ]);
    expect(moved[1]?.problem).toMatch(/not a database/);
    // (A read-only check of a WAL database leaves its -wal/-shm beside it, as any reader does.)
    expect(
      readdirSync(dir)
        .filter((f) => !/-(wal|shm)$/.test(f))
        .sort(),
    ).toEqual(['analyses', 'empty.sqlite', 'feedback.sqlite', 'memory.sqlite-wal.corrupt-20261206T074005Z', 'memory.sqlite.corrupt-20261206T074005Z'].sort());
    expect(sqliteProblem(join(dir, 'feedback.sqlite'))).toBeNull();
    expect(movedAsideNotes(dir)).toEqual([
      'memory.sqlite was corrupt and was moved aside on 2026-12-06 07:40 UTC (memory.sqlite.corrupt-20261206T074005Z); a fresh one is in use',
      `${join('analyses', 'job-analyses.sqlite')} was corrupt and was moved aside on 2026-12-06 07:40 UTC (${join('analyses', 'job-analyses.sqlite.corrupt-20261206T074005Z')}); a fresh one is in use`,
    ]);
    // A second start finds nothing more to do.
    expect(recoverCorruptSqlite(dir, silentLogger())).toEqual([]);
  });

  it('leaves a healthy database alone while another connection writes to it', () => {
    const dir = tempDir();
    const path = join(dir, 'state.sqlite');
    healthyDb(path);
    const writer = new Database(path);
    try {
      writer.prepare('INSERT INTO t VALUES (?)').run('live');
      expect(recoverCorruptSqlite(dir, silentLogger())).toEqual([]);
      expect(writer.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2 });
    } finally {
      writer.close();
    }
  });

  it('does nothing for a data directory that does not exist yet', () => {
    expect(recoverCorruptSqlite(join(tempDir(), 'not-yet'), silentLogger())).toEqual([]);
    expect(movedAsideNotes(join(tempDir(), 'not-yet'))).toEqual([]);
  });
});
