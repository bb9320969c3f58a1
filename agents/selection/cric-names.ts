/** Known queue and site names for the router, read from a CricSource and kept for a while. */
import type { CricSource, QueueRecord } from '../../src/contracts/panda.js';
import type { KnownNames } from './names.js';

export interface CricNamesOptions {
  /** How long a name list is reused before CRIC is asked again (default 10 minutes). */
  ttlMs?: number;
  now?: () => number;
}

const SITE_FIELDS = ['site', 'atlas_site', 'panda_site', 'rc_site', 'gocname'] as const;

export function namesFromQueues(queues: QueueRecord[]): KnownNames {
  const sites = new Set<string>();
  for (const q of queues) {
    for (const field of SITE_FIELDS) {
      const value = q[field];
      if (typeof value === 'string' && value.trim()) sites.add(value.trim());
    }
  }
  return { queues: queues.map((q) => q.name).filter(Boolean), sites: [...sites] };
}

/** A `names()` function for `createRuleRouter`; concurrent callers share one CRIC read. */
export function createCricNames(cric: CricSource, options: CricNamesOptions = {}): () => Promise<KnownNames> {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  let cached: { names: KnownNames; at: number } | null = null;
  let pending: Promise<KnownNames> | null = null;
  return async () => {
    if (cached && now() - cached.at < ttlMs) return cached.names;
    pending ??= cric
      .listQueues()
      .then((queues) => {
        cached = { names: namesFromQueues(queues), at: now() };
        return cached.names;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  };
}
