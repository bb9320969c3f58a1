import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDocIngester, type IndexedDocumentStore, loadGlossary, openLanceStore } from '../../src/index/index.js';

const dirs: string[] = [];
const stores: IndexedDocumentStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function search(files: Record<string, string>, question: string): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'askpanda-paraphrase-'));
  dirs.push(root);
  const docs = join(root, 'docs');
  mkdirSync(docs);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(docs, name), text);
  const store = await openLanceStore({ dir: join(root, 'index'), glossary: loadGlossary() });
  stores.push(store);
  await createDocIngester({ store, catalogFile: join(root, 'index', 'catalog.json') }).ingest([docs]);
  return (await store.search(question, { limit: 3 })).map((p) => p.section ?? '');
}

const FILLER = Array.from({ length: 6 }, (_, i) => `Paragraph ${i} describes brokerage, sites and the monitor in general terms.`).join('\n');

describe('paraphrased questions', () => {
  it('a section whose heading names a synonym of the asked word ranks first', async () => {
    // The user says "token"; the documentation calls it a secret (glossary synonym) in the heading.
    const sections = await search(
      {
        'pages.md': `## Monitoring pages\nJobs can read a token from the page; jobs see the token and their jobs too.\n${FILLER}\n`,
        'store.md': `## Using secrets\nJobs can read a token that the user stored in advance.\n${FILLER}\n`,
      },
      'how can my jobs get an API token?',
    );
    expect(sections[0]).toContain('Using secrets');
  });
});
