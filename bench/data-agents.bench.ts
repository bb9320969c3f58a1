/**
 * Data-agent figures: task triage of a large task (the demo task's jobs replicated to 20 000,
 * as a big production task), one PNG chart, and one typed CRIC query over queuedata.db.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderBarChart } from '../agents/data/bar-chart.js';
import { runQueueQuery } from '../agents/data/queue-query.js';
import { triageTask } from '../agents/data/task-triage.js';
import type { JobRecord, TaskDetails } from '../src/contracts/panda.js';
import { createKnowledgeBase } from '../src/knowledge/index.js';
import { loadCricSqlite } from '../src/panda/index.js';

export const figures = ['task-triage-20k-jobs', 'task-triage-heap', 'chart-png', 'queue-query'];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function run(): Promise<void> {
  const file = JSON.parse(readFileSync(path.join(repoRoot, 'resources/demo/tasks/46200001.json'), 'utf8')) as {
    task: TaskDetails;
    jobs: { jobs: JobRecord[] };
  };
  const base = file.jobs.jobs;
  const copies = Math.ceil(20_000 / base.length);
  const jobs: JobRecord[] = [];
  for (let c = 0; c < copies && jobs.length < 20_000; c++) {
    const offset = c * 10_000_000;
    for (const j of base) jobs.push({ ...j, pandaid: j.pandaid + offset, parentid: typeof j.parentid === 'number' ? j.parentid + offset : null });
  }
  const kb = createKnowledgeBase();
  triageTask(file.task, base, kb); // warm-up
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let start = performance.now();
  const triage = triageTask(file.task, jobs.slice(0, 20_000), kb);
  const triageMs = performance.now() - start;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  if (triage.signatures.length === 0) throw new Error('no signatures');
  console.log(`BENCH task-triage-20k-jobs ${triageMs.toFixed(0)} ms`);
  console.log(`BENCH task-triage-heap ${Math.max(0, heapMb).toFixed(1)} MB`);

  const data = triage.signatures.map((s) => ({ label: `${s.code} ${s.template}`, value: s.count }));
  await renderBarChart(data, { title: 'warm-up', valueTitle: 'jobs' });
  const charts = 5;
  start = performance.now();
  for (let i = 0; i < charts; i++) await renderBarChart(data, { title: `Task ${i}: failed jobs by signature`, valueTitle: 'failed jobs' });
  console.log(`BENCH chart-png ${((performance.now() - start) / charts).toFixed(0)} ms`);

  const queues = loadCricSqlite(path.resolve(repoRoot, '../shared/data/cric/queuedata.db'));
  const rounds = 2000;
  start = performance.now();
  for (let i = 0; i < rounds; i++) {
    runQueueQuery(queues, {
      filters: [
        { field: 'copytools', op: 'has-copytool', value: 'rucio' },
        { field: 'maxrss', op: 'gt', value: 4000 },
      ],
      select: ['maxrss'],
      sort: { field: 'maxrss', order: 'desc' },
    });
  }
  console.log(`BENCH queue-query ${(((performance.now() - start) * 1000) / rounds).toFixed(0)} us`);
}
