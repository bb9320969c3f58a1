/**
 * Builds the monitor's `/errors/?json` summary (errsByCount, errsBySite, errsByUser, errsByTask)
 * from job records, the way core/pandajob/summary_error.py does: only failed and holding jobs,
 * one entry per `component:code`.
 */
import type { JobRecord } from '../contracts/panda.js';
import { dateMs } from './dates.js';
import { ERROR_FIELDS } from './schemas.js';

export interface RawErrorEntry {
  error: string;
  codename: string;
  codeval: number;
  diag: string;
  desc: string;
  example_pandaid: number;
  count: number;
}

export interface RawErrorGroup {
  name: string;
  errors: Record<string, RawErrorEntry>;
  toterrors: number;
  toterrjobs: number;
  errorlist: RawErrorEntry[];
}

export interface RawErrorSummary {
  errsByCount: RawErrorEntry[];
  errsBySite: RawErrorGroup[];
  errsByUser: RawErrorGroup[];
  errsByTask: RawErrorGroup[];
}

/** The `component:code` errors of one job (pilot:1099, transform:65, ...). */
export function jobErrors(job: JobRecord): Array<{ error: string; codename: string; codeval: number; diag: string }> {
  const out: Array<{ error: string; codename: string; codeval: number; diag: string }> = [];
  for (const [component, codeField, diagField] of ERROR_FIELDS) {
    const value = job[codeField];
    if (typeof value === 'number' && value !== 0)
      out.push({ error: `${component}:${value}`, codename: codeField, codeval: value, diag: String(job[diagField] ?? '') });
  }
  const trans = Number(job.transexitcode);
  if (job.transexitcode && Number.isFinite(trans) && trans !== 0)
    out.push({ error: `transform:${trans}`, codename: 'transexitcode', codeval: trans, diag: '' });
  return out;
}

function addTo(map: Map<string, RawErrorEntry>, e: ReturnType<typeof jobErrors>[number], pandaid: number): void {
  const entry = map.get(e.error);
  if (entry) entry.count += 1;
  else map.set(e.error, { ...e, desc: '', example_pandaid: pandaid, count: 1 });
}

function sorted(entries: Iterable<RawErrorEntry>): RawErrorEntry[] {
  return [...entries].sort((a, b) => b.count - a.count || a.error.localeCompare(b.error));
}

/**
 * `now` is the end of the window: the current time for live data, the newest job time for a
 * directory of recorded jobs (so demo data stays in its window).
 */
export function buildErrorSummary(jobs: JobRecord[], hours: number, now: number): RawErrorSummary {
  const from = now - hours * 3600_000;
  const byCount = new Map<string, RawErrorEntry>();
  const groups = {
    site: new Map<string, Map<string, RawErrorEntry>>(),
    user: new Map<string, Map<string, RawErrorEntry>>(),
    task: new Map<string, Map<string, RawErrorEntry>>(),
  };
  const jobCounts = { site: new Map<string, number>(), user: new Map<string, number>(), task: new Map<string, number>() };
  for (const job of jobs) {
    if (job.jobstatus !== 'failed' && job.jobstatus !== 'holding') continue;
    const at = dateMs(job.endtime ?? job.modificationtime);
    if (Number.isFinite(at) && (at < from || at > now)) continue;
    const errors = jobErrors(job);
    if (errors.length === 0) continue;
    const keys = { site: String(job.computingsite ?? ''), user: String(job.produsername ?? ''), task: String(job.jeditaskid ?? '') };
    for (const kind of ['site', 'user', 'task'] as const) {
      const map = groups[kind].get(keys[kind]) ?? new Map<string, RawErrorEntry>();
      groups[kind].set(keys[kind], map);
      jobCounts[kind].set(keys[kind], (jobCounts[kind].get(keys[kind]) ?? 0) + 1);
      for (const e of errors) addTo(map, e, job.pandaid);
    }
    for (const e of errors) addTo(byCount, e, job.pandaid);
  }
  const toGroups = (kind: 'site' | 'user' | 'task'): RawErrorGroup[] =>
    [...groups[kind].entries()]
      .map(([name, map]) => {
        const errorlist = sorted(map.values());
        return {
          name,
          errors: Object.fromEntries(errorlist.map((e) => [e.error, e])),
          toterrors: errorlist.reduce((n, e) => n + e.count, 0),
          toterrjobs: jobCounts[kind].get(name) ?? 0,
          errorlist,
        };
      })
      .sort((a, b) => b.toterrors - a.toterrors || a.name.localeCompare(b.name));
  return { errsByCount: sorted(byCount.values()), errsBySite: toGroups('site'), errsByUser: toGroups('user'), errsByTask: toGroups('task') };
}
