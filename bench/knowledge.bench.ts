/**
 * Knowledge-base figures: time to build it (files parsed, advice merged, index built), and the
 * cost of a lookup and of a text search.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKnowledgeBase } from '../src/knowledge/index.js';

export const figures = ['kb-build-cold', 'kb-build-warm', 'kb-lookup', 'kb-search'];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const descriptions = ['pilot', 'trf'].map((c) => path.resolve(repoRoot, `../shared/data/error-codes/${c}_error_codes_and_descriptions.json`));

export async function run(): Promise<void> {
  // The first build also parses codes.json and advice.yaml (cached afterwards); later builds
  // merge advice, load the description files and build the search index.
  let start = performance.now();
  let kb = createKnowledgeBase({ extraDescriptionFiles: descriptions });
  const coldMs = performance.now() - start;
  const builds = 10;
  start = performance.now();
  for (let i = 0; i < builds; i++) kb = createKnowledgeBase({ extraDescriptionFiles: descriptions });
  const warmMs = (performance.now() - start) / builds;
  if (kb.size === 0) throw new Error('the knowledge base is empty');
  console.log(`BENCH kb-build-cold ${coldMs.toFixed(1)} ms`);
  console.log(`BENCH kb-build-warm ${warmMs.toFixed(1)} ms`);

  const codes = kb.all().map((e) => [e.component, e.code] as const);
  const rounds = 200_000;
  start = performance.now();
  let found = 0;
  for (let i = 0; i < rounds; i++) {
    const [component, code] = codes[i % codes.length] as (typeof codes)[number];
    if (kb.lookup(component, code)) found++;
  }
  if (found !== rounds) throw new Error(`only ${found} of ${rounds} lookups found their code`);
  console.log(`BENCH kb-lookup ${(((performance.now() - start) * 1000) / rounds).toFixed(2)} us`);

  const queries = ["what does 'lost heartbeat' mean", 'looping job', 'stage-out timed out', 'payload ran out of memory', 'CVMFS not responding'];
  const searches = 500;
  start = performance.now();
  for (let i = 0; i < searches; i++) kb.search(queries[i % queries.length] as string, 5);
  console.log(`BENCH kb-search ${(((performance.now() - start) * 1000) / searches).toFixed(0)} us`);
}
