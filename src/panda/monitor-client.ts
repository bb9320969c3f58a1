/**
 * PandaSource over the BigPanDA monitor's JSON API (any experiment's instance: the base URL comes
 * from configuration). Retries, timeouts, auth and caps live in the HTTP transport; this file maps
 * endpoints to the contract and keeps a TTL cache in the data directory.
 */
import { join } from 'node:path';
import type {
  ErrorSummary,
  JobDetails,
  JobFilter,
  JobListOptions,
  JobRecord,
  LogFileInfo,
  LogStream,
  OpenLogOptions,
  PandaSource,
  TaskDetails,
  TaskRecord,
} from '../contracts/panda.js';
import type { Logger } from '../log.js';
import { createJsonCache, type JsonCache } from './cache.js';
import { checkLogName } from './file-layout.js';
import { classifyHtml, createHttpTransport, errorText, type HttpTransport, type HttpTransportOptions } from './http.js';
import { dateMs } from './dates.js';
import { jobFilterQuery } from './job-filter.js';
import { pagedJobs, utcDay } from './job-pages.js';
import { boundLogStream } from './log-stream.js';
import { pandaErrors } from './panda-errors.js';
import { errorSummarySchema, fileBrowserSchema, jobDetailsSchema, jobRecordSchema, parseAnswer, taskDetailsSchema, taskListSchema } from './schemas.js';
import { taskFilterQuery } from './task-filter.js';

export interface MonitorClientOptions extends Omit<HttpTransportOptions, 'where'> {
  /** e.g. https://bigpanda.cern.ch (ATLAS), https://panda-doma.cern.ch. */
  baseUrl: string;
  /** Directory of the response cache (`<dataDir>/cache/panda`); no cache when unset. */
  cacheDir?: string;
  /** Cache lifetime of records that can still change (running jobs, active tasks). */
  activeTtlMs?: number;
  /** Cache lifetime of error summaries and task job lists. */
  summaryTtlMs?: number;
  /** Cap applied when openLog gets no maxBytes. */
  maxLogBytes?: number;
  /**
   * Timeout of the file-browser listing (`/filebrowser/?pandaid=N&json`): its first call for a job
   * downloads and unpacks the log tarball inside the request, so it gets longer than `timeoutMs`,
   * and a timed-out attempt is retried (the monitor keeps downloading; the retry finds it ready).
   */
  fileBrowserTimeoutMs?: number;
  logger?: Logger;
  /**
   * Records asked for per `/jobs/` request (`limit=`). The monitor has no offset parameter, so a full
   * page is split by site, day and state and asked again (see job-pages.ts). Default 20000, the
   * monitor's own cap without a task id.
   */
  jobPageSize?: number;
  /** Most jobs a search reads when it names no limit (default 200000, the monitor's archive cap for a task). */
  maxJobs?: number;
}

export interface MonitorClient extends PandaSource {
  close(): Promise<void>;
}

/** The `/errors/` groups the bot reads (the monitor computes all five unless `fields=` names some). */
export const ERROR_SUMMARY_GROUPS = ['errsByCount', 'errsBySite'] as const;

/** Job states that never change again. */
export const FINAL_JOB_STATES = new Set(['finished', 'failed', 'cancelled', 'closed']);
/** Task states where the task is at rest (they may still be retried, so they are cached for an hour). */
export const FINAL_TASK_STATES = new Set(['done', 'finished', 'failed', 'aborted', 'broken', 'exhausted']);

/** Turns a file-browser media link (no scheme, double slash: `host//media/...`) into a URL. */
export function mediaUrl(link: string, base: URL): URL {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(link)) return new URL(link);
  if (link.startsWith('//')) return new URL(`${base.protocol}${link}`);
  if (link.startsWith('/')) return new URL(`${base.origin}${link}`);
  return new URL(`${base.protocol}//${link}`);
}

function hashFields(fields: readonly string[]): string {
  let h = 0;
  for (const c of [...fields].sort().join(',')) h = (h * 31 + c.charCodeAt(0)) | 0;
  return (h >>> 0).toString(36);
}

/** "the failed jobs of user X at SITE in the last 6 h" for messages. */
export function describeSearch(filter: JobFilter): string {
  const parts = [`the ${filter.jobstatus ? `${filter.jobstatus.replace(/\|/g, '/')} ` : ''}jobs`];
  if (filter.produsername) parts.push(`of user ${filter.produsername}`);
  if (filter.jeditaskid !== undefined) parts.push(`of task ${filter.jeditaskid}`);
  if (filter.computingsite) parts.push(`at ${filter.computingsite}`);
  if (filter.jobname) parts.push(`named ${filter.jobname}`);
  if (filter.hours !== undefined) parts.push(`in the last ${filter.hours} h`);
  else if (filter.days !== undefined) parts.push(`in the last ${filter.days} days`);
  return parts.join(' ');
}

/** The days a task's jobs can have been modified on: from its creation to its last change (plus a day). */
function taskSpan(details: TaskDetails): { from: string; to: string } | null {
  const t = details.task as Record<string, unknown>;
  const from = dateMs(t.creationdate ?? t.starttime);
  const last = Math.max(...['modificationtime', 'endtime', 'statechangetime', 'starttime'].map((k) => dateMs(t[k]) || 0));
  if (!Number.isFinite(from) || last <= 0) return null;
  return { from: utcDay(from), to: utcDay(Math.max(last, from) + 86_400_000) };
}

/**
 * Input files of a task (its input datasets' `nfiles`): a hint that the task has more jobs than a page,
 * so its list is read in day windows from the start (a wrong hint costs requests, never jobs).
 */
function taskFiles(details: TaskDetails): number {
  return details.datasets.filter((d) => d.type === 'input').reduce((n, d) => n + (Number(d.nfiles) || 0), 0);
}

export function createMonitorClient(options: MonitorClientOptions): MonitorClient {
  const base = new URL(options.baseUrl.replace(/\/+$/, ''));
  const where = `the monitor at ${base.origin}`;
  const http: HttpTransport = createHttpTransport({ ...options, where });
  // One cache folder per monitor, so two instances (ATLAS, DOMA) sharing a data directory never mix records.
  const cache: JsonCache | undefined = options.cacheDir ? createJsonCache(join(options.cacheDir, base.host.replace(/[^A-Za-z0-9.-]/g, '_'))) : undefined;
  const activeTtl = options.activeTtlMs ?? 60_000;
  const summaryTtl = options.summaryTtlMs ?? 5 * 60_000;
  const defaultCap = options.maxLogBytes ?? 64 * 1024 * 1024;
  const url = (pathAndQuery: string): URL => new URL(`${base.href.replace(/\/$/, '')}${pathAndQuery}`);
  const fileBrowserTimeoutMs = options.fileBrowserTimeoutMs ?? Math.max(120_000, http.timeoutMs);

  const pageSize = options.jobPageSize ?? 20_000;
  const maxJobs = options.maxJobs ?? 200_000;

  /** A job list, stream-parsed record by record (only the records are kept, never the whole answer). */
  async function jobList(query: string, subject: string, signal?: AbortSignal): Promise<JobRecord[]> {
    let jobs: JobRecord[] = [];
    await http.getJsonItems(
      url(`/jobs/?${query}`),
      subject,
      {
        key: 'jobs',
        reset: () => {
          jobs = [];
        },
        item: (raw) => {
          jobs.push(parseAnswer(jobRecordSchema, raw, subject, where));
        },
      },
      signal,
    );
    return jobs;
  }

  async function cached<T>(key: string, load: () => Promise<T>, ttl: (value: T) => number | null): Promise<T> {
    const hit = await cache?.get<T>(key);
    if (hit !== undefined) return hit;
    const value = await load();
    if (cache) {
      await cache.set(key, value, ttl(value)).catch((error: unknown) => options.logger?.warn({ err: error, key }, 'could not write the monitor cache'));
    }
    return value;
  }

  const client: MonitorClient = {
    description: `PanDA monitor at ${base.origin}`,
    async getJob(pandaid, signal) {
      const subject = `job ${pandaid}`;
      return cached<JobDetails>(
        `job-${pandaid}`,
        async () => {
          const raw = await http.getJson(url(`/job?pandaid=${pandaid}&json`), subject, signal);
          const parsed = parseAnswer(jobDetailsSchema, raw, subject, where);
          return { job: parsed.job, files: parsed.files };
        },
        (v) => (FINAL_JOB_STATES.has(v.job.jobstatus) ? null : activeTtl),
      );
    },
    async getTask(jeditaskid, signal) {
      const subject = `task ${jeditaskid}`;
      return cached<TaskDetails>(
        `task-${jeditaskid}`,
        async () => parseAnswer(taskDetailsSchema, await http.getJson(url(`/task/${jeditaskid}/?json`), subject, signal), subject, where),
        (v) => (FINAL_TASK_STATES.has(v.task.status) ? 3600_000 : activeTtl),
      );
    },
    async getTaskJobs(jeditaskid, opts = {}) {
      const subject = `the jobs of task ${jeditaskid}`;
      const fieldsKey = opts.fields ? `-f${hashFields(opts.fields)}` : '';
      return cached<JobRecord[]>(
        `taskjobs-${jeditaskid}${opts.allAttempts ? '-nodrop' : ''}${fieldsKey}`,
        async () => {
          const paged = await pagedJobs(
            { jeditaskid, ...(opts.allAttempts ? { allAttempts: true } : {}) },
            (f) => jobList(jobFilterQuery(f, opts.fields), subject, opts.signal),
            {
              pageSize,
              maxJobs: Number.MAX_SAFE_INTEGER,
              span: () => client.getTask(jeditaskid, opts.signal).then(taskSpan, () => null),
              larger: () => client.getTask(jeditaskid, opts.signal).then((t) => taskFiles(t) > pageSize),
            },
          );
          if (!paged.complete) options.logger?.warn({ jeditaskid, jobs: paged.jobs.length, requests: paged.requests }, 'task job list incomplete');
          opts.onPaged?.({ complete: paged.complete, requests: paged.requests });
          return paged.jobs;
        },
        () => summaryTtl,
      );
    },
    async listJobs(filter: JobFilter, opts: JobListOptions = {}) {
      const subject = describeSearch(filter);
      const { limit, ...rest } = filter;
      const paged = await pagedJobs(rest, (f) => jobList(jobFilterQuery(f, opts.fields), subject, opts.signal), {
        pageSize,
        maxJobs: limit ?? maxJobs,
        ...(rest.jeditaskid !== undefined ? { span: () => client.getTask(rest.jeditaskid as number, opts.signal).then(taskSpan, () => null) } : {}),
      });
      opts.onPaged?.({ complete: paged.complete, requests: paged.requests });
      return paged.jobs.sort((a, b) => (dateMs(b.modificationtime) || 0) - (dateMs(a.modificationtime) || 0) || b.pandaid - a.pandaid);
    },
    async listTasks(filter, signal) {
      const subject = 'the task list';
      return parseAnswer(taskListSchema, await http.getJson(url(`/tasks/?${taskFilterQuery(filter)}`), subject, signal), subject, where) as TaskRecord[];
    },
    async getErrorSummary(hours, signal) {
      const subject = `the error summary of the last ${hours} h`;
      return cached<ErrorSummary>(
        `errors-${hours}h`,
        async () => {
          const raw = await http.getJson(url(`/errors/?json&hours=${hours}&fields=${ERROR_SUMMARY_GROUPS.join(',')}`), subject, signal);
          return { hours, fetchedAt: new Date().toISOString(), ...parseAnswer(errorSummarySchema, raw, subject, where) } as ErrorSummary;
        },
        () => summaryTtl,
      );
    },
    async listLogFiles(pandaid, signal) {
      const subject = `the log files of job ${pandaid}`;
      return cached<LogFileInfo[]>(
        `logs-${pandaid}`,
        async () => {
          const raw = await http.getJson(url(`/filebrowser/?pandaid=${pandaid}&json`), subject, signal, {
            timeoutMs: fileBrowserTimeoutMs,
            retryTimeouts: true,
          });
          const parsed = parseAnswer(fileBrowserSchema, raw, subject, where);
          if (parsed.files.length === 0 && parsed.error) throw pandaErrors.notFound(subject, `on ${where}`, parsed.error.slice(0, 200));
          return parsed.files.map(({ name, size, dirname, modification }) => ({ name, size, dirname, modification }));
        },
        (files) => (files.length > 0 ? 3600_000 : activeTtl),
      );
    },
    async openLog(pandaid, filename, opts: OpenLogOptions = {}): Promise<LogStream> {
      checkLogName(filename);
      const subject = `log ${filename} of job ${pandaid}`;
      const maxBytes = opts.maxBytes ?? defaultCap;
      const first = await http.open(url(`/filebrowser/?pandaid=${pandaid}&json&filename=${encodeURIComponent(filename)}`), subject, {
        signal: opts.signal,
        headers: { accept: 'application/json' },
      });
      let res = first;
      if (first.status >= 300 && first.status < 400) {
        await first.body.dump();
        const location = first.headers.location;
        const target = Array.isArray(location) ? location[0] : location;
        if (!target) throw pandaErrors.status(subject, where, first.status, 'redirect without a location');
        const media = mediaUrl(target, base);
        if (/\/login\b/i.test(media.pathname)) throw pandaErrors.loginRequired(subject, where, options.tokenVariable ?? 'ASKPANDA_PANDA_TOKEN');
        const wanted = opts.tail !== undefined ? Math.min(opts.tail, maxBytes) : undefined;
        const headers: Record<string, string> = wanted !== undefined ? { range: `bytes=-${wanted}` } : {};
        res = await http.open(media, subject, { signal: opts.signal, headers, authOrigin: base });
      }
      if (res.status === 404 || res.status === 400) {
        const text = await res.body.text().catch(() => '');
        let detail: string | undefined;
        try {
          detail = errorText(JSON.parse(text));
        } catch {
          detail = undefined;
        }
        throw pandaErrors.notFound(subject, `on ${where}`, detail);
      }
      if (res.status !== 200 && res.status !== 206) {
        await res.body.dump();
        throw pandaErrors.status(subject, where, res.status);
      }
      const contentType = String(res.headers['content-type'] ?? '');
      if (res === first && contentType.includes('text/html')) {
        const html = await res.body.text();
        if (classifyHtml(html, res.url) === 'login') throw pandaErrors.loginRequired(subject, where, options.tokenVariable ?? 'ASKPANDA_PANDA_TOKEN');
        throw pandaErrors.notFound(subject, `on ${where}`);
      }
      const length = Number(res.headers['content-length'] ?? Number.NaN);
      const range = /\/(\d+)\s*$/.exec(String(res.headers['content-range'] ?? ''));
      const size = range?.[1] ? Number(range[1]) : Number.isFinite(length) ? length : null;
      const body = res.body;
      const tail = opts.tail;
      const wanted = tail !== undefined ? Math.min(tail, maxBytes) : undefined;
      const partial = res.status === 206;
      return boundLogStream(body, {
        name: filename,
        size,
        maxBytes,
        ...(wanted !== undefined && !partial ? (size !== null ? { skip: Math.max(0, size - wanted) } : { tail: wanted }) : {}),
        alreadyTail: partial,
        truncatedFromStart: tail !== undefined && tail > maxBytes && (size === null || size > maxBytes),
        close: () => {
          if (!body.destroyed) body.destroy();
        },
      });
    },
    jobUrl: (pandaid) => `${base.origin}${base.pathname.replace(/\/$/, '')}/job?pandaid=${pandaid}`,
    taskUrl: (jeditaskid) => `${base.origin}${base.pathname.replace(/\/$/, '')}/task/${jeditaskid}/`,
    close: () => http.close(),
  };
  return client;
}
