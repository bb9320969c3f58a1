/**
 * A 50 000-job production task summarised end to end: the fake monitor streams realistic ~150-key
 * job records; the task agent asks the real monitor client for the fields it uses (`fields=`),
 * stream-parses the list and triages it. Wall time from the question to the reply, the CPU time it
 * took, and the bot's peak resident memory. The fake monitor runs in a child process (this file with
 * `--serve`), so the memory and CPU figures are the bot's own, not those of the fake generating and
 * serialising every record.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
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

/** The child: serves the task, prints its URL, and on end of input the request URLs it answered. */
async function serve(): Promise<void> {
  const fake = await startFakeMonitor({ dir: path.join(repoRoot, 'resources/demo'), generatedTasks: [{ jeditaskid: TASK, jobs: 50_000 }] });
  process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on('end', resolve));
  process.stdout.write(`${JSON.stringify({ requests: fake.requests.map((r) => r.url) })}\n`);
  await fake.close();
}

/** Starts the fake monitor in a child process; `close()` stops it and returns the URLs it was asked for. */
async function startFakeProcess(): Promise<{ url: string; close: () => Promise<string[]> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('the fake monitor process exited before it served');
  const { url } = JSON.parse(first.value) as { url: string };
  return {
    url,
    close: async () => {
      child.stdin.end();
      const last = await lines.next();
      return last.done ? [] : (JSON.parse(last.value) as { requests: string[] }).requests;
    },
  };
}

export async function run(): Promise<void> {
  const fake = await startFakeProcess();
  const panda = createMonitorClient({ baseUrl: fake.url });
  const agent = createTaskAgent({ panda, kb: createKnowledgeBase(), logger: silentLogger(), chart: true });
  const figures: string[] = [];
  let requests: string[] = [];
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const reply = await agent.answer(agentRequest(`summarise task ${TASK}`, 'task', { entities: { jeditaskid: TASK } }));
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const data = reply.data as { totalJobs: number; failedJobs: number };
    if (data.totalJobs !== 50_000 || data.failedJobs === 0) throw new Error(`unexpected triage: ${JSON.stringify(data).slice(0, 200)}`);
    figures.push(
      `BENCH task-50k-jobs-s ${seconds.toFixed(2)} s`,
      `BENCH task-50k-jobs-rss-mb ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
      // CPU time of the summary (the bot's own): the wall time above grows with the machine's load.
      `BENCH task-50k-jobs-cpu-s ${((used.user + used.system) / 1e6).toFixed(2)} s`,
    );
  } finally {
    await panda.close();
    requests = await fake.close();
  }
  const url = requests.find((u) => u.startsWith('/jobs/')) ?? '';
  if (!url.includes('fields=')) throw new Error('the task job list was asked without fields=');
  for (const line of figures) console.log(line);
}

if (process.argv.includes('--serve')) await serve();
