/**
 * Routing figures: cost of one rule-based routing decision (entity extraction + intent rules)
 * over the project's extra routing set, with the CRIC snapshot's names and with name shapes only.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRuleRouter, namesFromQueues, readRoutingSet } from '../agents/selection/index.js';
import { loadCricSqlite } from '../src/panda/index.js';

export const figures = ['routing-rules-cric-p50', 'routing-rules-cric-p99', 'routing-rules-shapes-p50'];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function run(): Promise<void> {
  const items = await readRoutingSet(path.join(repoRoot, 'test/fixtures/routing/extra.jsonl'));
  const names = namesFromQueues(loadCricSqlite(path.resolve(repoRoot, '../shared/data/cric/queuedata.db')));
  for (const [label, router] of [
    ['cric', createRuleRouter({ names: async () => names })],
    ['shapes', createRuleRouter()],
  ] as const) {
    for (const item of items) await router.route(item.question, []); // warm-up
    const times: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const item of items) {
        const start = performance.now();
        await router.route(item.question, []);
        times.push(performance.now() - start);
      }
    }
    times.sort((a, b) => a - b);
    console.log(`BENCH routing-rules-${label}-p50 ${percentile(times, 50).toFixed(3)} ms`);
    if (label === 'cric') console.log(`BENCH routing-rules-cric-p99 ${percentile(times, 99).toFixed(3)} ms`);
  }
}
