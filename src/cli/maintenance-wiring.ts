/** Builds the maintenance scheduler: jobs from the configuration, status and caches in the data dir or Redis. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import KeyvRedis from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import type { ConversationMemory } from '../core/memory.js';
import type { RedisCommands } from '../core/redis-client.js';
import { claimTick, type Lease } from '../core/redis-lease.js';
import { createErrorSummaryCache, type ErrorSummaryCache } from '../maintenance/error-summary-cache.js';
import { createDocIngester } from '../index/index.js';
import { cricJob, discussionsJob, docsJob, errorSummaryJob, type Pruner, pruneJob } from '../maintenance/jobs.js';
import { fileAgePruner, sqliteAgePruner } from '../maintenance/pruners.js';
import { createScheduler, type Scheduler } from '../maintenance/scheduler.js';
import { createStatusStore } from '../maintenance/status-store.js';
import type { JobStatus, MaintenanceJob, StatusStore } from '../maintenance/types.js';
import { tunedSqlite } from './core-wiring.js';
import { startupSources } from './ingest.js';
import { syncConfiguredChannels } from './ingest-discussions.js';
import type { Services } from './services.js';

/** Keyv for maintenance state (job statuses, error-summary cache), shared by replicas through Redis. */
export function createMaintenanceKeyv(services: Services, namespace: string): Keyv {
  const { config } = services;
  if (config.redisUrl) return new Keyv({ store: new KeyvRedis(config.redisUrl), namespace: `askpanda:${namespace}` });
  const dir = resolve(config.dataDir);
  mkdirSync(dir, { recursive: true });
  return new Keyv({
    store: tunedSqlite(new KeyvSqlite({ uri: `sqlite://${join(dir, 'maintenance.sqlite')}`, table: 'maintenance', busyTimeout: 5000 })),
    namespace,
  });
}

export interface MaintenanceWiring {
  scheduler: Scheduler;
  store: StatusStore;
  cache: ErrorSummaryCache;
  close(): Promise<void>;
}

const DAY = 86_400_000;

export function createMaintenanceWiring(
  services: Services,
  options: { memory: ConversationMemory; replica: string; redis?: RedisCommands; leader?: Lease; onRun?: (status: JobStatus) => void },
): MaintenanceWiring {
  const { config, logger } = services;
  const keyv = createMaintenanceKeyv(services, 'maintenance');
  const store = createStatusStore(keyv);
  const cache = createErrorSummaryCache({ keyv, maxAgeMs: 2 * 3600_000 });
  const dataDir = resolve(config.dataDir);
  const m = config.maintenance;
  const pruners: Pruner[] = [
    {
      name: 'memory',
      prune: async () => {
        const r = await options.memory.prune();
        return { removed: r.removed, remaining: r.conversations };
      },
    },
    fileAgePruner('attachments', join(dataDir, 'attachments'), 7 * DAY),
    sqliteAgePruner('analyses', join(dataDir, 'job-analyses.sqlite'), 'analyses', 'created_at', 30 * DAY),
  ];
  const jobs: MaintenanceJob[] = [
    errorSummaryJob({ panda: services.panda(), cache, cron: m.errorSummaryCron }),
    cricJob({ cric: services.cric(), cron: m.cricCron }),
    pruneJob({ pruners, cron: m.pruneCron }),
    // Re-index changed documents into the store the docs agent reads (only changed files are re-chunked).
    docsJob({
      cron: m.docsCron,
      reindex: async () => {
        const store = await services.docStore();
        const ingester = createDocIngester({ store, catalogFile: join(dataDir, 'index', 'catalog.json'), logger: logger.child({ component: 'docs-index' }) });
        const r = await ingester.ingest(startupSources(config));
        return { added: r.added.length, updated: r.updated.length, removed: r.removed.length, unchanged: r.unchanged, chunks: r.chunks };
      },
    }),
  ];
  // Support channels: backfill, new replies, edits and deletions (the index is written by the leader only).
  jobs.push(discussionsJob({ cron: m.discussionsCron, sync: (signal) => syncConfiguredChannels(services, signal) }));
  const { redis, leader } = options;
  const scheduler = createScheduler({
    jobs,
    store,
    logger,
    replica: options.replica,
    onRun: options.onRun,
    // With Redis every replica's cron fires; the first to claim the tick runs it. Jobs that write
    // the LanceDB index (name starting with "docs") run only on the leader.
    ...(redis
      ? {
          claim: async (job: string, tick: Date) => {
            if (job.startsWith('docs') && leader && !(await leader.acquireOrRenew())) return false;
            return claimTick(redis, job, tick, { owner: options.replica });
          },
        }
      : {}),
  });
  return {
    scheduler,
    store,
    cache,
    async close() {
      await scheduler.stop();
      await keyv.disconnect().catch(() => undefined);
    },
  };
}
