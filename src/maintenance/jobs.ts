import type { CricSource, PandaSource } from '../contracts/panda.js';
import { type ErrorSummaryCache, SUMMARY_WINDOWS } from './error-summary-cache.js';
import type { JobResult, MaintenanceJob } from './types.js';

/** Refreshes the monitor's error summaries (1, 3, 6, 12, 24 h) into the shared cache. */
export function errorSummaryJob(options: { panda: PandaSource; cache: ErrorSummaryCache; cron: string; timeoutMs?: number }): MaintenanceJob {
  return {
    name: 'error-summaries',
    cron: options.cron,
    timeoutMs: options.timeoutMs ?? 120_000,
    async run(signal) {
      const figures: Record<string, number> = {};
      const failed: string[] = [];
      for (const hours of SUMMARY_WINDOWS) {
        if (signal.aborted) break;
        try {
          const summary = await options.panda.getErrorSummary(hours, signal);
          await options.cache.put(summary);
          figures[`errors_${hours}h`] = summary.errsByCount.reduce((n, e) => n + e.count, 0);
        } catch (error) {
          failed.push(`${hours} h (${error instanceof Error ? error.message : String(error)})`);
        }
      }
      if (failed.length === SUMMARY_WINDOWS.length) throw new Error(`no error summary could be refreshed: ${failed.join('; ')}`);
      const top = figures.errors_24h;
      return {
        summary: `${SUMMARY_WINDOWS.length - failed.length}/${SUMMARY_WINDOWS.length} windows refreshed${top !== undefined ? `, ${top} errors in 24 h` : ''}${failed.length ? `; failed: ${failed.join('; ')}` : ''}`,
        figures,
      };
    },
  };
}

/** Refreshes CRIC's PanDA queues (the client keeps the previous copy when CRIC is down). */
export function cricJob(options: { cric: CricSource; cron: string; timeoutMs?: number }): MaintenanceJob {
  return {
    name: 'cric',
    cron: options.cron,
    timeoutMs: options.timeoutMs ?? 120_000,
    async run(signal) {
      await options.cric.refresh?.(signal);
      const queues = await options.cric.listQueues(signal);
      return { summary: `${queues.length} queues from ${options.cric.description}`, figures: { queues: queues.length } };
    },
  };
}

/** Re-indexes documents that changed since the last run (the ingester compares content hashes). */
export function docsJob(options: {
  reindex: (signal: AbortSignal) => Promise<{ added: number; updated: number; removed: number; unchanged: number; chunks: number }>;
  cron: string;
  timeoutMs?: number;
}): MaintenanceJob {
  return {
    name: 'docs',
    cron: options.cron,
    leaderOnly: true,
    timeoutMs: options.timeoutMs ?? 600_000,
    async run(signal) {
      const r = await options.reindex(signal);
      return { summary: `${r.added} added, ${r.updated} updated, ${r.removed} removed, ${r.unchanged} unchanged; ${r.chunks} chunks`, figures: { ...r } };
    },
  };
}

/** Re-ingests the configured support channels (it writes the index, so only the leader runs it). */
export function discussionsJob(options: {
  sync: (signal: AbortSignal) => Promise<Array<{ threads: number; ingested: number; written: number; removed: number; error?: string }> | null>;
  cron: string;
  timeoutMs?: number;
}): MaintenanceJob {
  return {
    name: 'docs-discussions',
    cron: options.cron,
    leaderOnly: true,
    timeoutMs: options.timeoutMs ?? 900_000,
    async run(signal) {
      const results = await options.sync(signal);
      if (!results) return { summary: 'no support channels configured', figures: { channels: 0 } };
      const sum = (k: 'threads' | 'ingested' | 'written' | 'removed') => results.reduce((n, r) => n + r[k], 0);
      const failed = results.filter((r) => r.error).length;
      const figures = {
        channels: results.length,
        failed,
        threads: sum('threads'),
        ingested: sum('ingested'),
        written: sum('written'),
        removed: sum('removed'),
      };
      if (failed === results.length) throw new Error(`every channel failed: ${results.map((r) => r.error).join('; ')}`);
      return {
        summary: `${figures.channels} channels (${failed} failed): ${figures.threads} threads, ${figures.ingested} resolved, ${figures.written} written, ${figures.removed} removed`,
        figures,
      };
    },
  };
}

/** Checks every watch (task, site, error) and posts alerts and recovery notices (leader only, once per tick). */
export function watchJob(options: {
  check: (signal: AbortSignal) => Promise<{ watches: number; alerts: number; recoveries: number; held: number; failed: number }>;
  cron: string;
  timeoutMs?: number;
}): MaintenanceJob {
  return {
    name: 'watch',
    cron: options.cron,
    leaderOnly: true,
    timeoutMs: options.timeoutMs ?? 240_000,
    async run(signal) {
      const r = await options.check(signal);
      return {
        summary: `${r.watches} watches checked: ${r.alerts} alerts, ${r.recoveries} recoveries, ${r.held} held back, ${r.failed} failed`,
        figures: { ...r },
      };
    },
  };
}

/** Posts the daily digests that are due (leader only, once per tick; each channel once a day). */
export function digestJob(options: {
  run: (signal: AbortSignal) => Promise<{ subscriptions: number; sent: number; failed: number }>;
  cron: string;
  timeoutMs?: number;
}): MaintenanceJob {
  return {
    name: 'watch-digest',
    cron: options.cron,
    leaderOnly: true,
    timeoutMs: options.timeoutMs ?? 300_000,
    async run(signal) {
      const r = await options.run(signal);
      return { summary: `${r.subscriptions} digests subscribed, ${r.sent} sent, ${r.failed} failed`, figures: { ...r } };
    },
  };
}

/** One thing the prune job cleans: memory, caches, old analyses, attachments. */
export interface Pruner {
  name: string;
  /** Returns how many entries it removed and, when known, how many remain. */
  prune(signal: AbortSignal): Promise<{ removed: number; remaining?: number }>;
}

export function pruneJob(options: { pruners: Pruner[]; cron: string; timeoutMs?: number }): MaintenanceJob {
  return {
    name: 'prune',
    cron: options.cron,
    timeoutMs: options.timeoutMs ?? 300_000,
    async run(signal): Promise<JobResult> {
      const parts: string[] = [];
      const figures: Record<string, number> = {};
      for (const pruner of options.pruners) {
        if (signal.aborted) break;
        try {
          const r = await pruner.prune(signal);
          figures[`${pruner.name}_removed`] = r.removed;
          if (r.remaining !== undefined) figures[`${pruner.name}_remaining`] = r.remaining;
          parts.push(`${pruner.name}: ${r.removed} removed${r.remaining !== undefined ? `, ${r.remaining} kept` : ''}`);
        } catch (error) {
          parts.push(`${pruner.name}: failed (${error instanceof Error ? error.message : String(error)})`);
        }
      }
      return { summary: parts.join('; ') || 'nothing to prune', figures };
    },
  };
}
