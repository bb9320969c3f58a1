import type Keyv from 'keyv';
import type { ErrorSummary } from '../contracts/panda.js';

/** The monitor's error summaries by window, filled by the maintenance job, read by the agents. */
export interface ErrorSummaryCache {
  /** Null when nothing fresh is cached for that window. */
  get(hours: number): Promise<ErrorSummary | null>;
  put(summary: ErrorSummary): Promise<void>;
}

export const SUMMARY_WINDOWS = [1, 3, 6, 12, 24] as const;

/** Over a Keyv shared by the replicas; entries expire after `maxAgeMs` so stale data is never served. */
export function createErrorSummaryCache(options: { keyv: Keyv; maxAgeMs: number }): ErrorSummaryCache {
  const { keyv, maxAgeMs } = options;
  return {
    async get(hours) {
      const value = (await keyv.get(`errors:${hours}`)) as ErrorSummary | undefined;
      return value ?? null;
    },
    async put(summary) {
      await keyv.set(`errors:${summary.hours}`, summary, maxAgeMs);
    },
  };
}
