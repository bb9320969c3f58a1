/**
 * Corrupt SQLite files in the data directory (memory, state and leases, maintenance, feedback,
 * analyses, held messages — every `*.sqlite` there and one folder down) are found at start, before
 * any store opens them: each is moved aside to `<file>.corrupt-<UTC time>` (with its `-wal`/`-shm`),
 * a warning is logged and the store then creates a fresh file, so the bot works (without what the
 * broken file held) instead of failing or starting "healthy" on an unreadable store. The moved-aside
 * files stay for the operator; `/healthz` and `status` list them until they are deleted.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, renameSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../log.js';

export interface MovedAside {
  /** The file as the data directory names it, e.g. `memory.sqlite` or `analyses/job-analyses.sqlite`. */
  file: string;
  /** Where the broken file now is, relative to the data directory. */
  movedTo: string;
  /** What was wrong, e.g. `file is not a database`. */
  problem: string;
}

/** Files up to this size get a full `PRAGMA quick_check`; larger ones a cheaper probe of every table. */
const QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024;

const CORRUPT_CODES = /^SQLITE_(NOTADB|CORRUPT)/;

/** The first 16 bytes of every SQLite 3 database. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** `2026-12-06T07:40:00.123Z` → `20261206T074000Z`. */
const stamp = (at: Date): string =>
  at
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');

/** The `*.sqlite` files of the data directory and of its direct subfolders. */
function sqliteFiles(dataDir: string): string[] {
  if (!existsSync(dataDir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    const path = join(dataDir, entry.name);
    if (entry.isFile() && entry.name.endsWith('.sqlite')) out.push(path);
    else if (entry.isDirectory()) {
      for (const inner of readdirSync(path, { withFileTypes: true })) if (inner.isFile() && inner.name.endsWith('.sqlite')) out.push(join(path, inner.name));
    }
  }
  return out.sort();
}

/**
 * What is wrong with the SQLite file at `path`, or null when it reads. Only corruption counts: a busy
 * or unreadable (permissions) file is left alone, since moving it aside would lose good data.
 */
export function sqliteProblem(path: string): string | null {
  // The header first, without opening: closing a connection on a broken file would delete its WAL.
  const header = Buffer.alloc(16);
  try {
    const fd = openSync(path, 'r');
    try {
      const read = readSync(fd, header, 0, 16, 0);
      if (read > 0 && (read < 16 || !header.equals(SQLITE_HEADER))) return 'file is not a database (no SQLite header)';
      if (read === 0) return null; // an empty file is an empty database
    } finally {
      closeSync(fd);
    }
  } catch {
    return null; // unreadable (permissions, gone): not ours to move
  }
  let db: Database.Database | undefined;
  try {
    // Read-only: the check never checkpoints or removes anything of the file it judges.
    db = new Database(path, { fileMustExist: true, readonly: true, timeout: 5000 });
    if (statSync(path).size <= QUICK_CHECK_MAX_BYTES) {
      const result = db.pragma('quick_check', { simple: true });
      return result === 'ok' ? null : `integrity check: ${String(result).slice(0, 200)}`;
    }
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    for (const { name } of tables) db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}" LIMIT 1`).all();
    return null;
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '');
    if (CORRUPT_CODES.test(code)) return (error as Error).message;
    return null;
  } finally {
    try {
      db?.close();
    } catch {
      // A handle on a broken file may fail to close; it is moved aside anyway.
    }
  }
}

/** Moves `path` (and its `-wal`/`-shm`) aside; returns the new name of the database file. */
function moveAside(path: string, at: Date): string {
  const suffix = `.corrupt-${stamp(at)}`;
  for (const side of ['-wal', '-shm']) if (existsSync(`${path}${side}`)) renameSync(`${path}${side}`, `${path}${side}${suffix}`);
  renameSync(path, `${path}${suffix}`);
  return `${path}${suffix}`;
}

/**
 * Checks every SQLite file of the data directory once and moves the corrupt ones aside (see the top
 * of this file). Call it before any store opens its file; it never throws (a file it cannot move is
 * logged and left for the store to report).
 */
export function recoverCorruptSqlite(dataDir: string, logger: Logger, at: Date = new Date()): MovedAside[] {
  const moved: MovedAside[] = [];
  let files: string[];
  try {
    files = sqliteFiles(dataDir);
  } catch (error) {
    logger.warn({ err: error, dataDir }, 'could not list the data directory to check its SQLite files');
    return moved;
  }
  for (const path of files) {
    const problem = sqliteProblem(path);
    if (!problem) continue;
    const file = relative(dataDir, path);
    try {
      const movedTo = relative(dataDir, moveAside(path, at));
      moved.push({ file, movedTo, problem });
      logger.warn({ file, movedTo, problem }, `corrupt SQLite file ${file} moved aside to ${movedTo}; a fresh one is created (what it held is lost)`);
    } catch (error) {
      logger.error({ err: error, file, problem }, `corrupt SQLite file ${file} could not be moved aside`);
    }
  }
  return moved;
}

/**
 * Files moved aside by `recoverCorruptSqlite` (by this process or an earlier one) that are still in
 * the data directory, as one line each for `/healthz` and `status`.
 */
export function movedAsideNotes(dataDir: string): string[] {
  const notes: string[] = [];
  let dirs: string[];
  try {
    if (!existsSync(dataDir)) return notes;
    dirs = [
      dataDir,
      ...readdirSync(dataDir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => join(dataDir, e.name)),
    ];
  } catch {
    return notes;
  }
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const m = /^(.+\.sqlite)\.corrupt-(\d{8}T\d{6}Z)$/.exec(name);
      if (!m) continue;
      const file = relative(dataDir, join(dir, m[1] as string));
      const when = (m[2] as string).replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)\d\dZ$/, '$1-$2-$3 $4:$5 UTC');
      notes.push(`${file} was corrupt and was moved aside on ${when} (${relative(dataDir, join(dir, basename(name)))}); a fresh one is in use`);
    }
  }
  return notes;
}

/** The `data files` line of `status` when corrupt files were moved aside (none otherwise). */
export function dataFileFacts(dataDir: string): Record<string, string> {
  const notes = movedAsideNotes(dataDir);
  return notes.length > 0 ? { 'data files': notes.join('; ') } : {};
}
