/**
 * A small TTL cache of JSON values in files under the data directory. Values survive restarts;
 * an entry with `expiresAt: null` never expires (records of finished jobs never change).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface JsonCache {
  get<T>(key: string): Promise<T | undefined>;
  /** `ttlMs` null keeps the entry for good. */
  set(key: string, value: unknown, ttlMs: number | null): Promise<void>;
}

interface Entry {
  storedAt: string;
  expiresAt: number | null;
  value: unknown;
}

function fileName(key: string): string {
  return `${key.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`;
}

export function createJsonCache(dir: string, now: () => number = Date.now): JsonCache {
  let made: Promise<unknown> | undefined;
  return {
    async get<T>(key: string) {
      try {
        const entry = JSON.parse(await readFile(join(dir, fileName(key)), 'utf8')) as Entry;
        if (entry.expiresAt !== null && entry.expiresAt <= now()) return undefined;
        return entry.value as T;
      } catch {
        return undefined;
      }
    },
    async set(key, value, ttlMs) {
      made ??= mkdir(dir, { recursive: true });
      await made;
      const entry: Entry = { storedAt: new Date(now()).toISOString(), expiresAt: ttlMs === null ? null : now() + ttlMs, value };
      const target = join(dir, fileName(key));
      const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(temp, JSON.stringify(entry));
      await rename(temp, target);
    },
  };
}
