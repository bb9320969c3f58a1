/**
 * A fake BigPanDA monitor (and CRIC endpoint) on 127.0.0.1 serving a directory in the file-source
 * format under the real URL shapes. See README.md in this folder.
 */
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createFileSource } from '../../../src/panda/file-source.js';
import { filterJobs, projectJob } from '../../../src/panda/job-filter.js';
import { dateMs } from '../../../src/panda/dates.js';
import { type GeneratedTask, generatedIndexRange, generatedJob, generatedSite, generatedStatus, generatedPandaid, generatedTaskAnswer } from './job-records.js';
import { dropRetried, listJobIds, listRawLogFiles, listTaskIds, rawTaskJobs, readRawJob, readRawTask } from '../../../src/panda/file-layout.js';
import { taskRecordSchema } from '../../../src/panda/schemas.js';
import { filterTasks } from '../../../src/panda/task-filter.js';
import { LOGIN_PAGE, notFoundPage } from './pages.js';

/** A failure to inject. The first `times` requests whose path+query matches `match` get it. */
export interface FakeFailure {
  match: string | RegExp;
  /** HTTP status to answer with (500, 502, 503, 429, ...). */
  status?: number;
  /** Sent as the Retry-After header (seconds or an HTTP date). */
  retryAfter?: string | number;
  /** Announce the full Content-Length, send half of the body, then drop the connection. */
  truncate?: boolean;
  /** Answer with an HTML page (status 200) instead of JSON. */
  html?: 'login' | 'not-found';
  /** Wait this long before answering. */
  delayMs?: number;
  /** How many requests it applies to (default 1; Infinity for all). */
  times?: number;
}

/** A log file generated on the fly (never stored): `size` bytes of pilot-log-like lines. */
export interface GeneratedLog {
  pandaid: number;
  name: string;
  size: number;
}

export interface FakeMonitorOptions {
  /** Directory in the file-source format (job folders, tasks/, cric/pandaqueues.json). */
  dir: string;
  /** When set: no Authorization header → HTML login page; a wrong token → 401. Accepts `Bearer` and `Token`. */
  token?: string;
  /** Delay before every answer. */
  slowMs?: number;
  failures?: FakeFailure[];
  generatedLogs?: GeneratedLog[];
  /** Tasks whose job records are generated on the fly (realistic ~150-key records), streamed. */
  generatedTasks?: GeneratedTask[];
  /**
   * The first file-browser listing of a job downloads and unpacks its log tarball inside the request
   * (BigPanDA): it answers only this many ms after that first request, whether or not the client is
   * still waiting; later listings of the job are immediate.
   */
  logDownloadMs?: number;
  /** BigPanDA's per-IP request budget: after this many requests every answer is 429 without Retry-After. */
  maxRequestsPerHour?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  headers: IncomingMessage['headers'];
}

export interface FakeMonitor {
  /** Base URL of the monitor, e.g. http://127.0.0.1:40123 */
  url: string;
  /** The CRIC pandaqueue query URL served from `<dir>/cric/pandaqueues.json`. */
  cricUrl: string;
  /** Every request received, oldest first. */
  requests: RecordedRequest[];
  /** Adds failures at run time. */
  inject(...failures: FakeFailure[]): void;
  close(): Promise<void>;
}

interface Served {
  name: string;
  size: number;
  modification: string;
  open(start: number, end: number): Readable;
}

const LINE =
  "2025-03-12 08:22:21,455 | INFO     | pilot.control.monitor            | control                   | 142s have passed since pilot start - server update state is 'RUNNING'\n";

function generated(log: GeneratedLog): Served {
  const pattern = Buffer.from(LINE.repeat(Math.ceil((1024 * 1024) / LINE.length)));
  return {
    name: log.name,
    size: log.size,
    modification: '2025-03-12 08:30:00',
    open(start, end) {
      let offset = start;
      const last = end;
      return new Readable({
        highWaterMark: 1024 * 1024,
        read() {
          if (offset > last) {
            this.push(null);
            return;
          }
          const from = offset % pattern.length;
          const length = Math.min(pattern.length - from, last - offset + 1);
          this.push(pattern.subarray(from, from + length));
          offset += length;
        },
      });
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendHtml(res: ServerResponse, html: string, status = 200): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

/** Parameters the monitor validates as integers (`|`/`,` lists allowed): `Illegal value` otherwise (core/views.py initRequest). */
const NUMERIC_PARAMS = ['days', 'hours', 'limit', 'pandaid', 'taskid', 'jeditaskid', 'jobsetid', 'reqid', 'attemptnr', 'corecount'];

/** Parameters that may be empty (`?json` alone); any other empty one is refused (core/views.py initRequest). */
const MAY_BE_EMPTY = ['json'];

function illegalParam(q: URLSearchParams): string | null {
  for (const [key, value] of q) {
    const k = key.toLowerCase();
    if (value === '' && !MAY_BE_EMPTY.includes(k)) return `Empty value '' for ${k}`;
    if (NUMERIC_PARAMS.includes(k) && !/^\d+(?:[|,]\d+)*$/.test(value)) return `Illegal value '${value}' for ${k}`;
    if (['date_from', 'date_to'].includes(k) && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return `Illegal value '${value}' for ${k}, expected YYYY-MM-DD`;
    if (['jobname', 'taskname'].includes(k) && value.includes('%')) return `Use * symbol for pattern search instead of % for ${k}`;
  }
  return null;
}

/**
 * How many jobs one `/jobs/` answer holds at most (core/views.py setupView/jobList): `limit=N` when
 * given; else 200000 with a task id (the archive table's cap), 20000 otherwise.
 */
export function jobListCap(q: URLSearchParams): number {
  if (q.has('limit')) return Number(q.get('limit'));
  return q.has('jeditaskid') || q.has('taskid') ? 200_000 : 20_000;
}

/** The modification-time window of `date_from`/`date_to` (whole UTC days, inclusive), or null. */
function dateWindow(q: URLSearchParams): { from: number; to: number } | null {
  const from = q.get('date_from');
  const to = q.get('date_to');
  if (!from && !to) return null;
  return {
    from: from ? Date.parse(`${from}T00:00:00Z`) : Number.NEGATIVE_INFINITY,
    to: to ? Date.parse(`${to}T00:00:00Z`) + 86_400_000 : Number.POSITIVE_INFINITY,
  };
}

export async function startFakeMonitor(options: FakeMonitorOptions): Promise<FakeMonitor> {
  const dir = options.dir;
  const failures: Array<FakeFailure & { left: number }> = (options.failures ?? []).map((f) => ({ ...f, left: f.times ?? 1 }));
  const requests: RecordedRequest[] = [];
  const files = createFileSource(dir);
  let base = '';
  const downloads = new Map<number, number>();
  let served = 0;
  const generatedTasks = new Map((options.generatedTasks ?? []).map((t) => [t.jeditaskid, t]));

  /** Every stored job record: job folders and task files (all attempts). */
  async function storedJobs(taskId: number | null): Promise<Array<Record<string, unknown>>> {
    const out = new Map<number, Record<string, unknown>>();
    for (const id of taskId !== null ? [taskId] : await listTaskIds(dir)) {
      const file = await readRawTask(dir, id);
      if (file) for (const j of rawTaskJobs(file)) out.set(Number(j.pandaid), j);
    }
    for (const id of await listJobIds(dir)) {
      const raw = (await readRawJob(dir, id)) as { job?: Record<string, unknown> } | undefined;
      if (raw?.job && (taskId === null || Number(raw.job.jeditaskid) === taskId)) out.set(id, raw.job);
    }
    return [...out.values()];
  }

  /** `/jobs/` streamed one record at a time (large generated tasks never become one string). */
  async function serveJobs(res: ServerResponse, q: URLSearchParams): Promise<void> {
    const taskParam = q.get('jeditaskid') ?? q.get('taskid');
    const taskId = taskParam !== null ? Number(taskParam) : null;
    const fields = q.get('fields') ? (q.get('fields') as string).split(',').filter(Boolean) : null;
    const generated = taskId !== null ? generatedTasks.get(taskId) : undefined;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"selectionsummary": [], "jobs": [');
    let first = true;
    const write = async (job: Record<string, unknown>) => {
      const ok = res.write(`${first ? '' : ', '}${JSON.stringify(projectJob(job, fields))}`);
      first = false;
      if (!ok) await new Promise((r) => res.once('drain', r));
    };
    const cap = jobListCap(q);
    const window = dateWindow(q);
    if (generated) {
      const status = q.get('jobstatus');
      const statuses = status ? status.split('|') : null;
      const site = q.get('computingsite');
      const sites = site ? site.split('|') : null;
      const nodrop = q.get('mode') === 'nodrop';
      const [lo, hi] = window ? generatedIndexRange(generated, window.from, window.to) : [0, generated.jobs - 1];
      let sent = 0;
      for (let i = lo; i <= hi && sent < cap; i++) {
        if (res.destroyed) return;
        if (!nodrop && i % 10 === 8 && i + 1 < generated.jobs) continue; // superseded by the retry that follows
        if (statuses && !statuses.includes(generatedStatus(i))) continue;
        if (sites && !sites.includes(generatedSite(i))) continue;
        const job = generatedJob(generated, i);
        if (window) {
          const at = dateMs(`${String(job.modificationtime)}Z`);
          if (at < window.from || at >= window.to) continue;
        }
        await write(job);
        sent += 1;
      }
    } else {
      let jobs = await storedJobs(taskId);
      if (taskId !== null && q.get('mode') !== 'nodrop') jobs = dropRetried(jobs);
      const newest = Math.max(...jobs.map((j) => dateMs(j.modificationtime) || 0), 0) || Date.now();
      const byId = taskId !== null || q.has('pandaid') || q.has('jobname');
      // Default windows: 12 h without a task/job id, 180 days with one; date_from/date_to replace them.
      const hours = q.has('hours') ? Number(q.get('hours')) : q.has('days') ? Number(q.get('days')) * 24 : window ? undefined : byId ? 180 * 24 : 12;
      const filtered = filterJobs(
        jobs,
        {
          produsername: q.get('produsername') ?? undefined,
          computingsite: q.get('computingsite') ?? undefined,
          jobstatus: q.get('jobstatus') ?? undefined,
          jobname: q.get('jobname') ?? undefined,
          ...(hours !== undefined ? { hours } : {}),
          ...(window && hours === undefined ? { dateFrom: q.get('date_from') ?? undefined, dateTo: q.get('date_to') ?? undefined } : {}),
          limit: cap,
        },
        newest,
      );
      for (const j of filtered) await write(j);
    }
    res.end('], "errsByCount": []}');
  }

  async function logFilesOf(pandaid: number): Promise<Served[] | undefined> {
    const extra = (options.generatedLogs ?? []).filter((g) => g.pandaid === pandaid).map(generated);
    const onDisk = await listRawLogFiles(dir, pandaid);
    if (!onDisk && extra.length === 0) return undefined;
    const real: Served[] = (onDisk ?? []).map((f) => ({
      name: f.name,
      size: f.size,
      modification: f.modification,
      open: (start, end) => createReadStream(f.path, { start, end }),
    }));
    return [...real, ...extra];
  }

  async function tarballPath(pandaid: number): Promise<string> {
    const raw = (await readRawJob(dir, pandaid)) as { job?: Record<string, unknown>; files?: Array<Record<string, unknown>> } | undefined;
    const log = raw?.files?.find((f) => f.type === 'log');
    const guid = String(log?.guid ?? `00000000-0000-4000-8000-${String(pandaid).padStart(12, '0').slice(-12)}`).toLowerCase();
    const scope = String(log?.scope ?? 'panda');
    const site = String(raw?.job?.computingsite ?? 'UNKNOWN');
    return `media/filebrowser/${guid}/${scope}/tarball_PandaJob_${pandaid}_${site}`;
  }

  async function findJob(pandaid: number): Promise<unknown | undefined> {
    const raw = await readRawJob(dir, pandaid);
    if (raw !== undefined) return raw;
    for (const task of generatedTasks.values()) {
      const i = pandaid - generatedPandaid(task, 0);
      if (i >= 0 && i < task.jobs) return { job: generatedJob(task, i), files: [], dsfiles: [] };
    }
    for (const id of await listTaskIds(dir)) {
      const file = await readRawTask(dir, id);
      const job = file ? rawTaskJobs(file).find((j) => Number(j.pandaid) === pandaid) : undefined;
      if (job) return { job, files: [], dsfiles: [] };
    }
    return undefined;
  }

  function authorised(req: IncomingMessage, res: ServerResponse): boolean {
    if (!options.token) return true;
    const header = req.headers.authorization;
    if (!header) {
      sendHtml(res, LOGIN_PAGE);
      return false;
    }
    const match = /^(Bearer|Token)\s+(.+)$/.exec(header);
    if (!match || match[2] !== options.token) {
      sendJson(res, 401, { detail: 'Invalid token.' });
      return false;
    }
    return true;
  }

  async function serveLog(req: IncomingMessage, res: ServerResponse, file: Served): Promise<void> {
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = file.size - 1;
    let status = 200;
    if (range && file.size > 0) {
      if (range[1] === '' && range[2] !== '') start = Math.max(0, file.size - Number(range[2]));
      else {
        start = Number(range[1]);
        if (range[2] !== '') end = Math.min(end, Number(range[2]));
      }
      status = 206;
    }
    const headers: Record<string, string | number> = { 'content-type': 'text/plain', 'accept-ranges': 'bytes', 'content-length': Math.max(0, end - start + 1) };
    if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${file.size}`;
    res.writeHead(status, headers);
    if (file.size === 0 || end < start) {
      res.end();
      return;
    }
    const stream = file.open(start, end);
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const q = url.searchParams;
    const path = url.pathname.replace(/\/{2,}/g, '/');
    const wantsJson = q.has('json') || /^(application|text)\/json$/.test(req.headers.accept ?? '');

    if (path.startsWith('/media/filebrowser/')) {
      const parts = path.split('/');
      const name = decodeURIComponent(parts[parts.length - 1] ?? '');
      const pandaid = Number(/tarball_PandaJob_(\d+)_/.exec(path)?.[1]);
      const file = (await logFilesOf(pandaid))?.find((f) => f.name === name);
      if (!file) return sendHtml(res, '<html><body><h1>Not Found</h1></body></html>', 404);
      return serveLog(req, res, file);
    }
    if (path.startsWith('/api/atlas/pandaqueue/query')) {
      const file = join(dir, 'cric', 'pandaqueues.json');
      if (!existsSync(file)) return sendJson(res, 200, {});
      const text = await readFile(file);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': text.length });
      return void res.end(text);
    }
    if (!authorised(req, res)) return;
    if (!wantsJson) return sendHtml(res, LOGIN_PAGE.replace('Sign in to CERN', 'BigPanDA'));

    const jobPath = /^\/job\/(\d+)\/?$/.exec(path);
    if (path === '/job' || path === '/job/' || jobPath) {
      const id = jobPath?.[1] ?? q.get('pandaid') ?? '';
      if (!/^\d+$/.test(id)) return sendJson(res, 400, { error: `Illegal value '${id}' for pandaid` });
      const raw = await findJob(Number(id));
      return raw === undefined ? sendHtml(res, notFoundPage('job', id)) : sendJson(res, 200, raw);
    }
    const taskPath = /^\/task\/(\d+)\/?$/.exec(path);
    if (taskPath || path === '/task/') {
      const id = taskPath?.[1] ?? q.get('jeditaskid') ?? '';
      const generated = generatedTasks.get(Number(id));
      if (generated) return sendJson(res, 200, generatedTaskAnswer(generated));
      const file = /^\d+$/.test(id) ? await readRawTask(dir, Number(id)) : undefined;
      return file ? sendJson(res, 200, file.task) : sendHtml(res, notFoundPage('task', id));
    }
    if (path === '/jobs/' || path === '/jobs') {
      const illegal = illegalParam(q);
      if (illegal) return sendJson(res, 400, { error: illegal });
      return serveJobs(res, q);
    }
    if (path === '/tasks/' || path === '/tasks') {
      const raws: unknown[] = [];
      for (const id of await listTaskIds(dir)) raws.push(((await readRawTask(dir, id))?.task as { task?: unknown } | undefined)?.task);
      const parsed = raws.map((r) => taskRecordSchema.parse(r));
      const filter = {
        username: q.get('username') ?? undefined,
        status: q.get('status') ?? undefined,
        taskname: q.get('taskname') ?? undefined,
        days: q.has('days') ? Number(q.get('days')) : undefined,
        limit: q.has('limit') ? Number(q.get('limit')) : undefined,
      };
      const newest = Math.max(...parsed.map((t) => Date.parse(String(t.modificationtime ?? '')) || 0), 0) || Date.now();
      const keep = new Set(filterTasks(parsed, filter, newest).map((t) => t.jeditaskid));
      return sendJson(
        res,
        200,
        raws
          .filter((_, i) => keep.has(parsed[i]?.jeditaskid ?? -1))
          .sort((a, b) => Number((b as { jeditaskid: number }).jeditaskid) - Number((a as { jeditaskid: number }).jeditaskid)),
      );
    }
    if (path === '/errors/' || path === '/errors') {
      const hours = Number(q.get('hours') ?? '6');
      const { hours: _h, fetchedAt: _f, ...summary } = await files.getErrorSummary(hours);
      const all: Record<string, unknown> = { jobSummary: [], ...summary };
      const wanted = q.get('fields')?.split(',').filter(Boolean);
      // fields= picks among the five groups; without it the monitor computes all five (heavy).
      return sendJson(res, 200, wanted ? Object.fromEntries(Object.entries(all).filter(([k]) => wanted.includes(k))) : all);
    }
    if (path === '/filebrowser/' || path === '/filebrowser') {
      const id = q.get('pandaid') ?? '';
      const logs = /^\d+$/.test(id) ? await logFilesOf(Number(id)) : undefined;
      if (!logs) {
        return sendJson(res, 400, {
          error: 'Not enough params provided to download logs or pandaid does not exist. Please provide pandaid or guid, lfn and scope',
        });
      }
      const tarball = await tarballPath(Number(id));
      const filename = q.get('filename');
      if (filename === null && options.logDownloadMs) {
        // The first listing downloads the tarball; it goes on when the client gives up.
        const readyAt = downloads.get(Number(id)) ?? Date.now() + options.logDownloadMs;
        downloads.set(Number(id), readyAt);
        const wait = readyAt - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (res.destroyed) return;
      }
      if (filename !== null) {
        const file = logs.find((f) => f.name === filename);
        if (!file) return sendJson(res, 404, { error: 'No such log file found in tarball' });
        res.writeHead(301, { location: `${base}//${tarball}/${encodeURIComponent(file.name)}`, 'content-length': 0 });
        return void res.end();
      }
      const host = base.replace(/^https?:\/\//, '');
      return sendJson(res, 200, {
        error: '',
        files: logs.map((f) => ({ modification: f.modification, size: f.size, name: f.name, dirname: '', media_link: `${host}//${tarball}/${f.name}` })),
      });
    }
    return sendHtml(res, '<html><body><h1>Not Found</h1></body></html>', 404);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    served += 1;
    if (options.maxRequestsPerHour !== undefined && served > options.maxRequestsPerHour) {
      // As BigPanDA's traffic control: 429, no Retry-After (the budget is per hour and per IP).
      return sendHtml(res, '<html><body><h1>Too many requests</h1><p>Request limit exceeded.</p></body></html>', 429);
    }
    if (options.slowMs) await new Promise((r) => setTimeout(r, options.slowMs));
    const target = req.url ?? '/';
    const failure = failures.find((f) => f.left > 0 && (typeof f.match === 'string' ? target.includes(f.match) : f.match.test(target)));
    if (failure) {
      failure.left -= 1;
      if (failure.delayMs) await new Promise((r) => setTimeout(r, failure.delayMs));
      if (failure.html) return sendHtml(res, failure.html === 'login' ? LOGIN_PAGE : notFoundPage('job', '0'));
      if (failure.truncate) {
        const body = Buffer.from(JSON.stringify({ job: { pandaid: 1, jobstatus: 'failed', piloterrordiag: 'x'.repeat(4000) }, files: [] }));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
        res.write(body.subarray(0, Math.floor(body.length / 2)));
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      if (failure.status) {
        const headers: Record<string, string> = { 'content-type': 'text/html' };
        if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
        res.writeHead(failure.status, headers);
        return void res.end(`<html><body><h1>${failure.status}</h1></body></html>`);
      }
    }
    const url = new URL(target.replace(/^\/{2,}/, '/'), 'http://127.0.0.1');
    await route(req, res, url);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    cricUrl: `${base}/api/atlas/pandaqueue/query/?json`,
    requests,
    inject: (...more) => failures.push(...more.map((f) => ({ ...f, left: f.times ?? 1 }))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
