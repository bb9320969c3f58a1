/**
 * The content-hash catalog of ingested sources: origin → hash of the content and chunker settings.
 * Written (atomically, by rename) after the store commit, so a crash in between only causes the
 * source to be re-ingested next time.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const entrySchema = z.object({
  hash: z.string(),
  chunks: z.number().int(),
  kind: z.enum(['doc', 'discussion']),
  source: z.string(),
  updatedAt: z.string(),
});

const catalogSchema = z.object({
  generation: z.string(),
  entries: z.record(z.string(), entrySchema),
});

export type CatalogEntry = z.infer<typeof entrySchema>;

export interface Catalog {
  get(origin: string): CatalogEntry | undefined;
  set(origin: string, entry: CatalogEntry): void;
  delete(origin: string): void;
  origins(): string[];
  save(): void;
}

/** Opens the catalog file; a catalog made for another store generation (or unreadable) starts empty. */
export function openCatalog(file: string, generation: string): Catalog {
  let entries: Record<string, CatalogEntry> = {};
  if (existsSync(file)) {
    const parsed = catalogSchema.safeParse(
      (() => {
        try {
          return JSON.parse(readFileSync(file, 'utf8')) as unknown;
        } catch {
          return null;
        }
      })(),
    );
    if (parsed.success && parsed.data.generation === generation) entries = parsed.data.entries;
  }
  return {
    get: (origin) => entries[origin],
    set: (origin, entry) => {
      entries[origin] = entry;
    },
    delete: (origin) => {
      delete entries[origin];
    },
    origins: () => Object.keys(entries),
    save: () => {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ generation, entries }, null, 1));
      renameSync(tmp, file);
    },
  };
}
