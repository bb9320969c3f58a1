/** Builds the maintenance scheduler: jobs from the configuration, status and caches in the data dir or Redis. */
import { join, resolve } from 'node:path';
import type Keyv from 'keyv';
import type { ConversationMemory } from '../state/memory.js';
import { createStateKeyv, type Lease, type State, stateBackend } from '../state/index.js';
import { createErrorSummaryCache, type ErrorSummaryCache } from '../maintenance/error-summary-cache.js';
import { createDocIngester } from '../index/index.js';
import { cricJob, discussionsJob, docsJob, errorSummaryJob, type Pruner, pruneJob } from '../maintenance/jobs.js';
import { fileAgePruner, sqliteAgePruner } from '../maintenance/pruners.js';
import { createScheduler, type Scheduler } from '../maintenance/scheduler.js';
import { createStatusStore } from '../maintenance/status-store.js';
import type { JobStatus, MaintenanceJob, StatusStore } from '../maintenance/types.js';
import { startupSources, withIndexLease } from '../app/docs-store.js';
import { syncConfiguredChannels } from './ingest-discussions.js';
import type { Services } from './services.js';

/** Keyv for maintenance state (job statuses, error-summary cache), shared by replicas through Redis. */
export function createMaintenanceKeyv(services: Services): Keyv {
  return createStateKeyv(stateBackend(services.config), 'maintenance');
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
  options: {
    memory: ConversationMemory;
    replica: string;
    /** The running bot's state: each tick is claimed there (one replica runs it), docs jobs need the leader lease. */
    state?: State;
    leader?: Lease;
    onRun?: (status: JobStatus) => void;
    /** More jobs (the watch checks and digests). */
    jobs?: MaintenanceJob[];
  },
): MaintenanceWiring {
  const { config, logger } = services;
  const keyv = options.state?.keyv('maintenance') ?? createMaintenanceKeyv(services);
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
        const r = await withIndexLease(await services.state(), logger, () => ingester.ingest(startupSources(config)));
        return { added: r.added.length, updated: r.updated.length, removed: r.removed.length, unchanged: r.unchanged, chunks: r.chunks };
      },
    }),
  ];
  // Support channels: backfill, new replies, edits and deletions (the index is written by the leader only).
  jobs.push(discussionsJob({ cron: m.discussionsCron, sync: (signal) => syncConfiguredChannels(services, signal) }));
  jobs.push(...(options.jobs ?? []));
  const leaderOnly = new Set(jobs.filter((j) => j.leaderOnly).map((j) => j.name));
  const { state, leader } = options;
  const scheduler = createScheduler({
    jobs,
    store,
    logger,
    replica: options.replica,
    onRun: options.onRun,
    // Every replica's cron fires; the first to claim the tick (Redis, or SQLite in a shared data
    // directory) runs it. Leader-only jobs (those writing the LanceDB index, the watch checks and
    // digests) run only on the leader.
    ...(state
      ? {
          claim: async (job: string, tick: Date) => {
            if (leaderOnly.has(job) && leader && !(await leader.acquireOrRenew())) return false;
            return state.claimTick(job, tick);
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
      if (!options.state) await keyv.disconnect().catch(() => undefined);
    },
  };
}
