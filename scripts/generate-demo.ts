/**
 * Writes the demo data in resources/demo (deterministic: the same bytes on every run):
 * ~20 jobs (job.json + pilotlog.txt [+ payload.stdout]) across many failure kinds, successes and a
 * running job; two tasks; a CRIC snapshot of ~30 queues; and README.md listing them.
 * resources/demo/docs/ belongs to the documentation and is left alone.
 *
 *   npx tsx scripts/generate-demo.ts
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cricSnapshot, QUEUES, queueInfo } from './demo/cric.js';
import { fileRows, jobRecord } from './demo/job-record.js';
import { createRng } from './demo/rng.js';
import type { Built, ScenarioInput } from './demo/scenario.js';
import * as s from './demo/scenarios.js';
import { analysisTask, productionTask } from './demo/tasks.js';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'demo');
const SEED = 20251006;
const BASE = Date.UTC(2025, 9, 6, 6, 0, 0);

type Plan = [scenario: (input: ScenarioInput) => Built, queue: string, category: string];

const PLANS: Plan[] = [
  [s.finishedSimulation, 'AGLT2', 'success'],
  [s.finishedAnalysis, 'ANALY_BNL_VP', 'success'],
  [s.finishedSimulation, 'TRIUMF', 'success'],
  [s.running, 'MWT2', 'running'],
  [s.stageInTimeout, 'CERN', 'storage-stagein'],
  [s.stageInNoReplica, 'SWT2_CPB', 'storage-stagein'],
  [s.rucioDown, 'TOKYO', 'transient-network'],
  [s.stageOut503, 'DESY-HH', 'storage-stageout'],
  [s.stageOutChecksum, 'FZK-LCG2', 'storage-stageout'],
  [s.looping, 'ANALY_BNL_VP', 'looping'],
  [s.memory, 'IN2P3-CC', 'resource-limit-memory'],
  [s.sigxcpu, 'UKI-NORTHGRID-MAN-HEP', 'resource-limit-walltime'],
  [s.maxWalltime, 'NERSC_Perlmutter_MCORE', 'resource-limit-walltime'],
  [s.transformError, 'RAL', 'payload-software'],
  [s.userError, 'ANALY_INFN-GENOVA', 'payload-user-error'],
  [s.lostHeartbeat, 'UNI-FREIBURG', 'site-infrastructure'],
  [s.proxyExpired, 'ANALY_BNL_VP', 'auth-credentials'],
  [s.sigterm, 'MWT2', 'killed-by-system'],
  [s.diskFull, 'ANALY_BNL_VP', 'resource-limit-disk'],
  [s.killedByServer, 'BNL', 'killed-by-system'],
];

function clean(): void {
  mkdirSync(OUT, { recursive: true });
  for (const entry of readdirSync(OUT, { withFileTypes: true })) {
    if ((entry.isDirectory() && /^\d+$/.test(entry.name)) || entry.name === 'tasks' || entry.name === 'cric' || entry.name === 'errors.json') {
      rmSync(join(OUT, entry.name), { recursive: true, force: true });
    }
  }
}

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

function main(): void {
  const rng = createRng(SEED);
  clean();
  const rows: string[] = [];
  PLANS.forEach(([scenario, queue, category], i) => {
    const pandaid = 6601000001 + i;
    const analysis = queue.startsWith('ANALY_');
    const taskid = analysis ? 46150001 + i : 46100001 + i;
    const built = scenario({ rng, pandaid, taskid, queue: queueInfo(queue), start: BASE + i * 2_700_000 });
    const { spec } = built;
    const folder = join(OUT, String(pandaid));
    write(join(folder, 'job.json'), `${JSON.stringify({ files: fileRows(spec, rng), job: jobRecord(spec, rng), dsfiles: [] }, null, 1)}\n`);
    write(join(folder, 'pilotlog.txt'), built.pilotlog);
    if (built.payloadStdout) write(join(folder, 'payload.stdout'), built.payloadStdout);
    const codes = Object.entries(spec.errors ?? {})
      .filter(([k, v]) => k.endsWith('code') && typeof v === 'number' && v !== 0)
      .map(([k, v]) => `${k.replace('errorcode', '')} ${v}`)
      .join(', ');
    rows.push(`| ${pandaid} | ${spec.status} | ${queue} | ${codes || '—'} | ${category} | ${built.shows} |`);
  });

  const tasks = [productionTask(rng, 46200001, BASE - 2 * 86400_000), analysisTask(rng, 46200002, BASE + 3600_000)];
  for (const task of tasks) write(join(OUT, 'tasks', `${task.id}.json`), `${JSON.stringify(task.file)}\n`);
  write(join(OUT, 'cric', 'pandaqueues.json'), `${JSON.stringify(cricSnapshot('2025-10-02T15:06:00'), null, 1)}\n`);

  write(
    join(OUT, 'README.md'),
    `# Demo data

Written by \`scripts/generate-demo.ts\` (deterministic seed ${SEED}; run \`npx tsx scripts/generate-demo.ts\`
to regenerate — it rewrites everything here except \`docs/\`). All of it is invented but follows the
real formats: \`job.json\` is the BigPanDA \`/job?pandaid=N&json\` answer, \`pilotlog.txt\` the pilot3
debug log, \`payload.stdout\` the transform / analysis wrapper output, \`tasks/<id>.json\` is
\`{"task": /task/N/?json, "jobs": /jobs/?jeditaskid=N&json&mode=nodrop}\` and \`cric/pandaqueues.json\`
the CRIC pandaqueue query answer. With no monitor configured, Ask PanDA reads this directory
(\`askpanda job 6601000006\`).

## Jobs

| pandaid | status | queue | error codes | kind | what it shows |
|---|---|---|---|---|---|
${rows.join('\n')}

## Tasks

| jeditaskid | what it shows |
|---|---|
${tasks.map((t) => `| ${t.id} | ${t.shows} |`).join('\n')}

In the task files, a retry names the attempt it replaces in \`parentid\`; \`/jobs/\` without
\`mode=nodrop\` drops those superseded attempts.

## CRIC

\`cric/pandaqueues.json\`: ${QUEUES.length} queues in ${new Set(QUEUES.map((q) => q.cloud)).size} clouds (US, CERN, DE, UK, FR, IT, ES, CA, NL, ND, RU), statuses
online / test / brokeroff / offline, copytools rucio, xrdcp, gfalcopy and mv, GRID / hpc / gpu resources.
`,
  );
  process.stdout.write(`demo data written to ${OUT}\n`);
}

main();
