/**
 * A real LanceDB document index over a few small files, for ranking tests: write the files, ingest
 * them and return the sections of the top passages for a question. Call `close()` in `afterEach`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocIngester, type IndexedDocumentStore, type LanceStoreOptions, openLanceStore } from '../../src/index/index.js';

export interface SmallDocsIndex {
  /** Sections of the top three passages for `question` over `files` (name → text). */
  sections(files: Record<string, string>, question: string, options?: Omit<LanceStoreOptions, 'dir'>): Promise<string[]>;
  close(): Promise<void>;
}

export function smallDocsIndex(prefix: string): SmallDocsIndex {
  const dirs: string[] = [];
  const stores: IndexedDocumentStore[] = [];
  return {
    async sections(files, question, options = {}) {
      const root = mkdtempSync(join(tmpdir(), `askpanda-${prefix}-`));
      dirs.push(root);
      const docs = join(root, 'docs');
      mkdirSync(docs);
      for (const [name, text] of Object.entries(files)) writeFileSync(join(docs, name), text);
      const store = await openLanceStore({ ...options, dir: join(root, 'index') });
      stores.push(store);
      await createDocIngester({ store, catalogFile: join(root, 'index', 'catalog.json') }).ingest([docs]);
      return (await store.search(question, { limit: 3 })).map((p) => p.section ?? '');
    },
    async close() {
      for (const s of stores.splice(0)) await s.close();
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}
