/**
 * The data directory holds memory, analyses, caches and the index: private to the bot's user.
 * New files get 0600 and directories 0700 through the process umask; files an older version left
 * readable by others are tightened on start.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Everything this process creates from now on is private to its user (files 0600, directories 0700). */
export function privateUmask(): void {
  process.umask(0o077);
}

/** Creates the data directory (0700) and removes group/other access from what is already in it. */
export function secureDataDir(dir: string, depth = 4): void {
  const root = resolve(dir);
  if (!existsSync(root)) {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    return;
  }
  tighten(root, depth);
}

function tighten(path: string, depth: number): void {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (stat.isSymbolicLink()) return;
  try {
    if (stat.isDirectory()) {
      if ((stat.mode & 0o077) !== 0) chmodSync(path, 0o700);
      if (depth > 0) for (const name of readdirSync(path)) tighten(join(path, name), depth - 1);
    } else if (stat.isFile() && (stat.mode & 0o077) !== 0) chmodSync(path, stat.mode & 0o700);
  } catch {
    // A file we do not own (a mounted volume): left as it is; nothing of ours depends on it.
  }
}
