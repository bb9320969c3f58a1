import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createConversationMemory } from '../state/memory.js';
import { dataFileFacts } from '../state/sqlite-recovery.js';
import { SUMMARY_WINDOWS } from '../maintenance/error-summary-cache.js';
import { dataDirSizes, formatStatus } from '../maintenance/status-report.js';
import { createMemoryKeyv } from './core-wiring.js';
import { createMaintenanceWiring } from './maintenance-wiring.js';
import type { Services } from './services.js';

export function register(program: Command, services: () => Services): void {
  program
    .command('status')
    .description('when each maintenance job last ran and what it found, cached error summaries, data directory sizes')
    .option('--run <job>', 'run one maintenance job now (on this machine) before printing')
    .option('--json', 'print the job statuses as JSON')
    .action(async (opts: { run?: string; json?: boolean }) => {
      const s = services();
      const memory = createConversationMemory({
        keyv: createMemoryKeyv(s),
        maxTurns: s.config.memory.maxTurns,
        maxChars: s.config.memory.maxChars,
        ttlMs: s.config.memory.ttlSeconds * 1000,
      });
      const wiring = createMaintenanceWiring(s, { memory, replica: 'cli' });
      try {
        if (opts.run) await wiring.scheduler.runNow(opts.run);
        const statuses = await wiring.store.all();
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
          return;
        }
        const facts: Record<string, string> = {};
        for (const hours of SUMMARY_WINDOWS) {
          const summary = await wiring.cache.get(hours);
          facts[`error summary ${hours} h`] = summary ? `${summary.errsByCount.length} error kinds, fetched ${summary.fetchedAt}` : 'not cached';
        }
        facts.redis = s.config.redisUrl ? 'configured (statuses shared by replicas)' : 'not configured (statuses in the data directory)';
        Object.assign(facts, dataFileFacts(resolve(s.config.dataDir)));
        const text = formatStatus({ jobs: wiring.scheduler.jobs, statuses, sizes: dataDirSizes(resolve(s.config.dataDir)), facts });
        process.stdout.write(`${text}\n`);
      } finally {
        await wiring.close();
        await memory.close().catch(() => undefined);
      }
    });
}
