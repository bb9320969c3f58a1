/**
 * Paging through the monitor's job list. BigPanDA's `/jobs/` has no offset or cursor parameter
 * (research note A.2: `limit`, `hours`/`days`, `date_from`/`date_to`, `jobstatus` and
 * `computingsite` with `|` alternatives, `earlierthan`, `sortby`; answers are capped per table, 20000
 * without a task id). So a result is read in pages by narrowing the filter, never by position:
 *
 * 1. ask with `limit=<page size>`; fewer records than the page size is the complete answer;
 * 2. a full page is split along a dimension the monitor filters on exactly, and each part is asked
 *    again (recursively): first the `computingsite` alternatives (halves), then day windows of the
 *    modification time (`date_from`/`date_to`, whole days, inclusive; one request per day for spans
 *    up to a month, halves beyond) inside the task's life, then the job states (one request per
 *    state or per `jobstatus` alternative);
 * 3. a full page that cannot be split any more (one site, one day, one state) is kept and the answer
 *    is marked incomplete.
 *
 * Records are merged by pandaid, so overlapping parts (a job modified while we page) count once.
 * `earlierthan` is not used: its window semantics are not documented in the reference.
 */
import type { JobFilter, JobRecord } from '../contracts/panda.js';

/** Job states the monitor lists (research note D). */
export const JOB_STATES = [
  'pending',
  'defined',
  'waiting',
  'assigned',
  'throttled',
  'activated',
  'sent',
  'starting',
  'running',
  'holding',
  'merging',
  'transferring',
  'finished',
  'failed',
  'closed',
  'cancelled',
] as const;

const DAY_MS = 86_400_000;
/** Spans up to this many days are split into single days at once (fewer wasted full pages than halving). */
const DAYS_AT_ONCE = 31;

export interface JobPaging {
  pageSize: number;
  /** Stop after this many distinct records (the answer is then incomplete). */
  maxJobs: number;
  /** First and last day (UTC, `YYYY-MM-DD`) the jobs can have been modified: known for tasks. */
  span?: () => Promise<{ from: string; to: string } | null>;
  /** True when the answer is known to exceed a page (a task's own file counts): the first, whole request is skipped. */
  larger?: () => Promise<boolean>;
}

export interface PagedJobs {
  jobs: JobRecord[];
  /** False when a full page could not be split further or `maxJobs` was reached. */
  complete: boolean;
  requests: number;
}

/** `YYYY-MM-DD` of a time in ms (UTC). */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);

function alternatives(value: string | undefined): string[] | null {
  if (!value || /[*!]/.test(value)) return null;
  const parts = value.split(/[|,]/).filter(Boolean);
  return parts.length > 1 ? parts : null;
}

function dayWindows(from: string, to: string): Array<[string, string]> | null {
  const a = dayMs(from);
  const b = dayMs(to);
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= a) return null;
  const days = Math.round((b - a) / DAY_MS) + 1;
  if (days <= DAYS_AT_ONCE) return Array.from({ length: days }, (_, i) => [utcDay(a + i * DAY_MS), utcDay(a + i * DAY_MS)]);
  const middle = a + Math.floor(days / 2) * DAY_MS;
  return [
    [from, utcDay(middle - DAY_MS)],
    [utcDay(middle), to],
  ];
}

/** The parts a full page of `filter` is asked again as, or null when it cannot be narrowed. */
async function split(filter: JobFilter, paging: JobPaging): Promise<JobFilter[] | null> {
  const sites = alternatives(filter.computingsite);
  if (sites) {
    const half = Math.ceil(sites.length / 2);
    return [sites.slice(0, half), sites.slice(half)].map((s) => ({ ...filter, computingsite: s.join('|') }));
  }
  if (filter.hours === undefined && filter.days === undefined) {
    let window: [string, string] | null = filter.dateFrom && filter.dateTo ? [filter.dateFrom, filter.dateTo] : null;
    if (!window && paging.span) {
      const span = await paging.span();
      if (span) window = [span.from, span.to];
    }
    const windows = window ? dayWindows(window[0], window[1]) : null;
    if (windows) return windows.map(([dateFrom, dateTo]) => ({ ...filter, dateFrom, dateTo }));
  }
  const states = filter.jobstatus ? alternatives(filter.jobstatus) : [...JOB_STATES];
  if (states) return states.map((jobstatus) => ({ ...filter, jobstatus }));
  return null;
}

/** Reads every job of `filter` page by page; `fetchPage` makes one request (its filter carries `limit`). */
export async function pagedJobs(filter: JobFilter, fetchPage: (filter: JobFilter) => Promise<JobRecord[]>, paging: JobPaging): Promise<PagedJobs> {
  const seen = new Map<number, JobRecord>();
  let complete = true;
  let requests = 0;
  const pageSize = Math.max(1, Math.floor(paging.pageSize));
  if (paging.maxJobs <= pageSize) {
    // One request answers it: the caller wants no more than a page.
    const page = await fetchPage({ ...filter, limit: paging.maxJobs });
    return { jobs: page, complete: page.length < paging.maxJobs, requests: 1 };
  }
  const visit = async (f: JobFilter): Promise<void> => {
    if (seen.size >= paging.maxJobs) {
      complete = false;
      return;
    }
    requests += 1;
    const page = await fetchPage({ ...f, limit: pageSize });
    for (const job of page) seen.set(job.pandaid, job);
    if (page.length < pageSize) return;
    const parts = await split(f, paging);
    if (!parts) {
      complete = false;
      return;
    }
    for (const part of parts) await visit(part);
  };
  const parts = paging.larger && (await paging.larger().catch(() => false)) ? await split(filter, paging) : null;
  if (parts) for (const part of parts) await visit(part);
  else await visit(filter);
  const jobs = [...seen.values()];
  return { jobs: jobs.length > paging.maxJobs ? jobs.slice(0, paging.maxJobs) : jobs, complete, requests };
}
