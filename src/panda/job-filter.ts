/**
 * Job searches as the monitor's `/jobs/` view does them (`*` wildcards, `|` alternatives, a time
 * window on the modification time), for file-backed data and the fake monitor; and the query string
 * the real view understands, with the `fields=` the caller needs.
 */
import type { JobFilter } from '../contracts/panda.js';
import { dateMs } from './dates.js';
import { ERROR_FIELDS } from './schemas.js';
import { textMatcher } from './task-filter.js';

/** Fields every job-list request includes: ids, state, site, attempt lineage, times and every error code/diag. */
export const BASE_JOB_FIELDS: readonly string[] = [
  'pandaid',
  'jeditaskid',
  'jobstatus',
  'jobsubstatus',
  'computingsite',
  'attemptnr',
  'parentid',
  'jobname',
  'produsername',
  'creationtime',
  'starttime',
  'endtime',
  'modificationtime',
  'transexitcode',
  ...ERROR_FIELDS.flatMap(([, code, diag]) => [code, diag]),
];

/** What task summaries read from each job (besides the base fields): wall time and cores for the wasted-time figures. */
export const TASK_SUMMARY_FIELDS: readonly string[] = ['durationsec', 'cpuconsumptiontime', 'corecount', 'actualcorecount'];

/** `now` ends the hours/days window (the newest record time for recorded data). Newest first. */
export function filterJobs<T extends Record<string, unknown>>(jobs: T[], filter: JobFilter, now: number): T[] {
  const checks: Array<(j: T) => boolean> = [];
  for (const key of ['produsername', 'computingsite', 'jobstatus', 'jobname'] as const) {
    const pattern = filter[key];
    if (pattern) {
      const m = textMatcher(pattern);
      checks.push((j) => m(j[key]));
    }
  }
  if (filter.jeditaskid !== undefined) checks.push((j) => Number(j.jeditaskid) === filter.jeditaskid);
  const windowHours = filter.hours ?? (filter.days !== undefined ? filter.days * 24 : undefined);
  if (windowHours !== undefined) {
    const from = now - windowHours * 3600_000;
    checks.push((j) => {
      const at = dateMs(j.modificationtime ?? j.endtime ?? j.creationtime);
      return Number.isFinite(at) && at >= from && at <= now;
    });
  }
  if (filter.dateFrom || filter.dateTo) {
    // Whole UTC days, both ends inclusive, on the modification time (the monitor's date_from/date_to).
    const from = filter.dateFrom ? Date.parse(`${filter.dateFrom}T00:00:00Z`) : Number.NEGATIVE_INFINITY;
    const to = filter.dateTo ? Date.parse(`${filter.dateTo}T00:00:00Z`) + 86_400_000 : Number.POSITIVE_INFINITY;
    checks.push((j) => {
      const at = dateMs(j.modificationtime ?? j.endtime ?? j.creationtime);
      return Number.isFinite(at) && at >= from && at < to;
    });
  }
  const out = jobs
    .filter((j) => checks.every((c) => c(j)))
    .sort((a, b) => (dateMs(b.modificationtime) || 0) - (dateMs(a.modificationtime) || 0) || Number(b.pandaid) - Number(a.pandaid));
  return filter.limit !== undefined ? out.slice(0, filter.limit) : out;
}

/** Only the named keys of a record (the monitor's `fields=`). */
export function projectJob(job: Record<string, unknown>, fields: readonly string[] | null): Record<string, unknown> {
  if (!fields) return job;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in job) out[f] = job[f];
  return out;
}

/** The `/jobs/` query string for a search; `fields` adds the base fields. */
export function jobFilterQuery(filter: JobFilter, fields?: readonly string[]): string {
  const parts = ['json'];
  const add = (k: string, v: string | number | undefined) => {
    if (v !== undefined && v !== '') parts.push(`${k}=${encodeURIComponent(String(v)).replace(/%7C/gi, '|').replace(/%2A/gi, '*')}`);
  };
  add('jeditaskid', filter.jeditaskid);
  add('produsername', filter.produsername);
  add('computingsite', filter.computingsite);
  add('jobstatus', filter.jobstatus);
  add('jobname', filter.jobname);
  add('hours', filter.hours);
  if (filter.hours === undefined) add('days', filter.days);
  if (filter.hours === undefined && filter.days === undefined) {
    add('date_from', filter.dateFrom);
    add('date_to', filter.dateTo);
  }
  add('limit', filter.limit);
  if (filter.allAttempts) parts.push('mode=nodrop');
  if (fields) parts.push(`fields=${[...new Set([...BASE_JOB_FIELDS, ...fields])].join(',')}`);
  return parts.join('&');
}
