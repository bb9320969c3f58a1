/**
 * A 50 000-job production task summarised end to end: the fake monitor streams realistic ~150-key
 * job records; the task agent asks the real monitor client for the fields it uses (`fields=`),
 * stream-parses the list and triages it. Wall time from the question to the reply, the CPU time it
 * took, and the process's peak resident memory (client and fake monitor together, so upper bounds
 * for the bot: the fake generates and serialises every record in the same process).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTaskAgent } from '../agents/data/index.js';
import { createKnowledgeBase } from '../src/knowledge/index.js';
import { silentLogger } from '../src/log.js';
import { createMonitorClient } from '../src/panda/index.js';
import { agentRequest } from '../test/doubles/agent-request.js';
import { startFakeMonitor } from '../test/fakes/monitor/index.js';

export const figures = ['task-50k-jobs-s', 'task-50k-jobs-rss-mb', 'task-50k-jobs-cpu-s'];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TASK = 48000001;

export async function run(): Promise<void> {
  const fake = await startFakeMonitor({ dir: path.join(repoRoot, 'resources/demo'), generatedTasks: [{ jeditaskid: TASK, jobs: 50_000 }] });
  const panda = createMonitorClient({ baseUrl: fake.url });
  const agent = createTaskAgent({ panda, kb: createKnowledgeBase(), logger: silentLogger(), chart: true });
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const reply = await agent.answer(agentRequest(`summarise task ${TASK}`, 'task', { entities: { jeditaskid: TASK } }));
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const data = reply.data as { totalJobs: number; failedJobs: number };
    if (data.totalJobs !== 50_000 || data.failedJobs === 0) throw new Error(`unexpected triage: ${JSON.stringify(data).slice(0, 200)}`);
    const url = fake.requests.find((r) => r.url.startsWith('/jobs/'))?.url ?? '';
    if (!url.includes('fields=')) throw new Error('the task job list was asked without fields=');
    console.log(`BENCH task-50k-jobs-s ${seconds.toFixed(2)} s`);
    console.log(`BENCH task-50k-jobs-rss-mb ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
    // CPU time of the summary (client and fake monitor together): the wall time above grows with the machine's load.
    console.log(`BENCH task-50k-jobs-cpu-s ${((used.user + used.system) / 1e6).toFixed(2)} s`);
  } finally {
    await panda.close();
    await fake.close();
  }
}
