/**
 * Documentation index figures over the full corpus (../shared/data/docs-corpus, copied to a temp
 * directory so one file can be changed): full ingest, query latency (200 questions: the docqa dev
 * set and the project's extra set, repeated, after a warm-up), and re-indexing one changed file.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDocIngester, loadGlossary, openLanceStore, readDocqaFile } from '../src/index/index.js';

export const figures = ['docs-ingest-s', 'docs-query-p50-ms', 'docs-query-p95-ms', 'docs-reindex-one-s'];

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'askpanda-docs-bench-'));
  try {
    const corpus = join(work, 'corpus');
    cpSync(resolve(repoRoot, '../shared/data/docs-corpus'), corpus, { recursive: true });
    const store = await openLanceStore({ dir: join(work, 'index'), glossary: loadGlossary() });
    const ingester = createDocIngester({ store, catalogFile: join(work, 'index', 'catalog.json') });
    let start = performance.now();
    const report = await ingester.ingest([corpus]);
    console.log(`BENCH docs-ingest-s ${((performance.now() - start) / 1000).toFixed(2)} s`);

    const questions = [
      ...readDocqaFile(resolve(repoRoot, '../shared/eval/docqa-dev.jsonl')),
      ...readDocqaFile(resolve(repoRoot, 'test/fixtures/docqa-extra.jsonl')),
    ].map((q) => q.question);
    for (const q of questions.slice(0, 20)) await store.search(q, { limit: 10 });
    const times: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      const q = questions[i % questions.length] as string;
      const t = performance.now();
      await store.search(q, { limit: 10 });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`BENCH docs-query-p50-ms ${percentile(times, 50).toFixed(1)} ms`);
    console.log(`BENCH docs-query-p95-ms ${percentile(times, 95).toFixed(1)} ms`);

    appendFileSync(
      join(corpus, 'faq.txt'),
      '\n------------------------------------------------\nQuestion:\nIs this a benchmark?\n\nAnswer:\nYes, one changed file.\n',
    );
    start = performance.now();
    const again = await ingester.ingest([corpus]);
    const seconds = (performance.now() - start) / 1000;
    if (again.updated.length !== 1 || again.unchanged !== report.added.length - 1)
      throw new Error(`expected one re-indexed file, got ${JSON.stringify(again)}`);
    console.log(`BENCH docs-reindex-one-s ${seconds.toFixed(2)} s`);
    await store.close();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
