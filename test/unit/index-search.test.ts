import { mkdtempSync, mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  analyseQuery,
  createDocIngester,
  type IndexedDocumentStore,
  loadGlossary,
  openLanceStore,
  reciprocalRankFusion,
  toIndexText,
} from '../../src/index/index.js';

const dirs: string[] = [];
const stores: IndexedDocumentStore[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'askpanda-index-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function storeWith(files: Record<string, string>) {
  const root = tempDir();
  const docs = join(root, 'docs');
  mkdirSync(docs);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(docs, name), text);
  const store = await openLanceStore({ dir: join(root, 'index'), glossary: loadGlossary() });
  stores.push(store);
  const ingester = createDocIngester({ store, catalogFile: join(root, 'index', 'catalog.json') });
  return { root, docs, store, ingester };
}

const FILLER = Array.from({ length: 8 }, (_, i) => `Paragraph ${i} talks about brokerage, sites and the monitor in general terms.`).join('\n');

describe('identifier tokenisation', () => {
  it('splits camelCase, snake_case, dotted names and options and keeps the joined form', () => {
    expect(toIndexText('set --nFilesPerJob 5')).toBe('set nfilesperjob n files per job 5');
    expect(toIndexText('auth_oidc_refresh_before_exp')).toBe('authoidcrefreshbeforeexp auth oidc refresh before exp');
    expect(toIndexText('panda_secrets.json')).toBe('pandasecretsjson panda secrets json');
    expect(toIndexText('pilot.copytool.lsm')).toBe('pilotcopytoollsm pilot copytool lsm');
    expect(toIndexText("the pilot's SCORE_HIMEM error 1163")).toBe('the pilot scorehimem score himem error 1163');
    expect(toIndexText('loca-\ntion')).toBe('location');
  });

  it('expands PanDA acronyms from the glossary', () => {
    const q = analyseQuery('which PQ does my WN belong to?', loadGlossary());
    expect(q.expansionText).toContain('queue');
    expect(q.expansionText).toContain('worker node');
  });

  it('finds identifiers however the user writes them', async () => {
    const { store, ingester, docs } = await storeWith({
      'options.md': `# Options\n\n## Splitting\nUse --nFilesPerJob to set how many input files each job reads.\n${FILLER}\n\n## Tokens\nThe client refreshes tokens auth_oidc_refresh_before_exp minutes before expiry.\n\n## Codes\nPilot error 1163 means the grid proxy is not valid.\n`,
      'other.md': `# Other\n\n${FILLER}\nJobs per site are limited by the brokerage.\n`,
    });
    await ingester.ingest([docs]);
    for (const [q, expected] of [
      ['how do I set nfilesperjob?', 'nFilesPerJob'],
      ['fewer files per job', 'nFilesPerJob'],
      ['what is auth_oidc_refresh_before_exp', 'auth_oidc_refresh_before_exp'],
      ['oidc refresh before exp', 'auth_oidc_refresh_before_exp'],
      ['error 1163', '1163'],
    ] as const) {
      const [top] = await store.search(q, { limit: 1 });
      expect(top?.text, q).toContain(expected);
    }
  });
});

describe('incremental ingest', () => {
  it('re-indexes only changed files, removes deleted ones and skips unchanged ones', async () => {
    const { docs, store, ingester } = await storeWith({
      'a.md': '# Alpha\n\nThe alpha page explains scout jobs.\n',
      'b.md': '# Beta\n\nThe beta page explains the brokerage.\n',
      'c.txt': 'Gamma text about Harvester submission.\n',
    });
    const first = await ingester.ingest([docs]);
    expect(first.added.sort()).toEqual(['a.md', 'b.md', 'c.txt']);
    expect(await store.stats()).toEqual({ doc: 3 });

    const again = await ingester.ingest([docs]);
    expect(again).toMatchObject({ added: [], updated: [], removed: [], unchanged: 3, chunks: 0 });

    writeFileSync(join(docs, 'b.md'), '# Beta\n\nThe beta page now explains throttling instead.\n');
    unlinkSync(join(docs, 'c.txt'));
    const changed = await ingester.ingest([docs]);
    expect(changed).toMatchObject({ added: [], updated: ['b.md'], removed: ['c.txt'], unchanged: 1 });
    expect(await store.stats()).toEqual({ doc: 2 });
    expect((await store.search('throttling'))[0]?.source).toBe('b.md');
    expect(await store.search('brokerage')).toEqual([]);
    expect(await store.search('Harvester submission')).toEqual([]);
  });

  it('keeps answering queries while a file is re-indexed', async () => {
    const big = Array.from({ length: 300 }, (_, i) => `Line ${i}: the pilot stages in files with the copytool and reports the heartbeat.`).join('\n');
    const { docs, store, ingester } = await storeWith({ 'pilot.md': `# Pilot\n\n${big}\n`, 'faq.md': '# FAQ\n\nThe looping job limit is two hours.\n' });
    await ingester.ingest([docs]);
    let reindexing = true;
    const results: number[] = [];
    const queries = (async () => {
      while (reindexing) {
        const hits = await store.search('looping job limit', { limit: 3 });
        results.push(hits.length);
        expect(hits[0]?.text).toContain('two hours');
      }
    })();
    for (let round = 0; round < 3; round += 1) {
      writeFileSync(join(docs, 'pilot.md'), `# Pilot\n\n${big.replaceAll('heartbeat', `heartbeat v${round}`)}\n`);
      const r = await ingester.ingest([docs]);
      expect(r.updated).toEqual(['pilot.md']);
    }
    reindexing = false;
    await queries;
    expect(results.length).toBeGreaterThan(3);
    expect(results.every((n) => n >= 1)).toBe(true);
    expect((await store.search('heartbeat v2 copytool'))[0]?.text).toContain('heartbeat v2');
  });
});

describe('filters', () => {
  it('filters by source kind and hides private discussions of other channels', async () => {
    const root = tempDir();
    const store = await openLanceStore({ dir: join(root, 'index') });
    stores.push(store);
    await store.replaceSources([
      { origin: 'doc:1', chunks: [{ text: 'Retry rules decide which failed jobs are retried.', title: 'Retry', source: 'retry.md', kind: 'doc' }] },
      {
        origin: 'thread:public',
        chunks: [
          {
            text: 'Q: are failed jobs retried? A: yes, by retry rules.',
            title: 'Thread',
            source: 'slack',
            kind: 'discussion',
            platform: 'slack',
            channelId: 'C1',
            private: false,
          },
        ],
      },
      {
        origin: 'thread:private',
        chunks: [
          {
            text: 'Q: failed jobs retried at our site? A: retry rules again.',
            title: 'Private thread',
            source: 'slack',
            kind: 'discussion',
            platform: 'slack',
            channelId: 'C2',
            private: true,
          },
        ],
      },
    ]);
    expect((await store.search('retry rules failed jobs', { kinds: ['doc'] })).map((p) => p.kind)).toEqual(['doc']);
    const elsewhere = await store.search('retry rules failed jobs', { kinds: ['discussion'], askedInChannel: { platform: 'slack', id: 'C1' } });
    expect(elsewhere.map((p) => p.title)).toEqual(['Thread']);
    const inside = await store.search('retry rules failed jobs', { kinds: ['discussion'], askedInChannel: { platform: 'slack', id: 'C2' } });
    expect(inside.map((p) => p.title).sort()).toEqual(['Private thread', 'Thread']);
    expect(inside.find((p) => p.title === 'Private thread')).toMatchObject({ private: true, channelId: 'C2', platform: 'slack' });
  });
});

describe('reciprocal-rank fusion', () => {
  it('ranks items found by both lists first and is insensitive to score scales', () => {
    const lexical = ['a', 'b', 'c'].map((key) => ({ key, item: key }));
    const vector = ['c', 'd', 'a'].map((key) => ({ key, item: key }));
    const fused = reciprocalRankFusion([lexical, vector]);
    expect(fused.map((f) => f.key)).toEqual(['a', 'c', 'b', 'd']);
    expect(fused[0]?.score).toBeCloseTo(1 / 61 + 1 / 63, 10);
  });
});

describe('several readers of one index', () => {
  it('a second process-like reader sees what the writer (the maintenance leader) indexed', async () => {
    const { root, store, ingester, docs } = await storeWith({ 'a.md': `# Alpha\n\n${FILLER}\nThe alpha page explains brokerage.\n` });
    await ingester.ingest([docs]);
    const reader = await openLanceStore({ dir: join(root, 'index'), glossary: loadGlossary(), readConsistencySeconds: 0 });
    stores.push(reader);
    expect((await reader.search('zebrafish throttling quota')).some((p) => p.text.includes('zebrafish'))).toBe(false);
    writeFileSync(join(docs, 'b.md'), `# Zebrafish\n\n${FILLER}\nThe zebrafish throttling quota limits analysis jobs per user.\n`);
    await ingester.ingest([docs]);
    const hits = await reader.search('zebrafish throttling quota');
    expect(hits[0]?.text).toContain('zebrafish throttling quota');
    expect((await store.search('zebrafish throttling quota'))[0]?.text).toContain('zebrafish');
  });
});
